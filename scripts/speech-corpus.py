#!/usr/bin/env python3
"""The numeric steps of scripts/make-speech-corpus.sh (which reads this file's header too).

Subcommands:
  tags CLEAN.raw SEGMENTS.csv > TAGS     the per-hop tags of a clean signal (step 4 of the script)
  scale SPEECH.raw NOISE.raw SNR_DB      the factor that puts NOISE at SNR_DB below SPEECH
  recorded PACKAGES_DIR OUT_DIR PER_SNR PLAN.csv core|all
                                         the recorded-speech recordings of one speaker set
                                         (see GROUPS below)
  manifest OUT_DIR PLAN.csv              OUT_DIR/<split>/recordings.csv for the files that exist
                                         (rows of PLAN.csv, else of the recordings.csv there)

Every choice is made by a seeded random.Random or fixed below, and sox runs with -R, so a run
is repeatable for given package versions.
"""
import csv
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import wave

import numpy as np

RATE = 16000
HOP = 160
WINDOW = 400
SNRS = (0, 5, 10, 20)

# Recorded speech: (group, speaker, language, Debian package, directory under the package's root,
# file extension, split, pattern, speaker set). A speaker is in one split only (Allison Smith speaks
# both US English and Mexican Spanish, so both her packages train); the test speakers' languages
# (Italian, Russian) are spoken by no training speaker, recorded or synthetic. `pattern`, when set,
# picks a speaker's files by their path under the directory (searched recursively). The "core" set
# is what data/speech holds; `--speakers all` adds the "extra" one: the two actors of each of the
# Czech and Dutch dialogue tracks of Fish Fillets NG (the small fish's lines are named *-m-*, the
# big fish's *-v-*), for training only.
ASTERISK = "usr/share/asterisk/sounds/"
FILLETS = "usr/share/games/fillets-ng/sound"
GROUPS = (
    ("allison-en", "allison-smith", "en-US", "asterisk-core-sounds-en-g722",
     ASTERISK + "en_US_f_Allison", "g722", "train", None, "core"),
    ("allison-es", "allison-smith", "es-MX", "asterisk-core-sounds-es-g722",
     ASTERISK + "es_MX_f_Allison", "g722", "train", None, "core"),
    ("june-fr", "june-wallack", "fr-CA", "asterisk-core-sounds-fr-g722",
     ASTERISK + "fr_CA_f_June", "g722", "train", None, "core"),
    ("armelle-fr", "armelle-desjardins", "fr-FR", "asterisk-prompt-fr-armelle", ASTERISK + "fr",
     "gsm", "train", None, "core"),
    ("july-es", "july-jimenez", "es-CO", "asterisk-prompt-es-co", ASTERISK + "es", "gsm",
     "train", None, "core"),
    ("carlo-it", "carlo-flora", "it-IT", "asterisk-core-sounds-it-g722",
     ASTERISK + "it_IT_m_Carlo", "g722", "test", None, "core"),
    ("ivrvoice-ru", "ivrvoice-ru", "ru-RU", "asterisk-core-sounds-ru-g722",
     ASTERISK + "ru_RU_f_IvrvoiceRU", "g722", "test", None, "core"),
    ("menardi-it", "menardi", "it-IT", "asterisk-prompt-it-menardi-wav",
     ASTERISK + "it_IT_f_Menardi", "wav", "test", None, "core"),
    ("fillets-cs-small", "fillets-cs-small-fish", "cs-CZ", "fillets-ng-data-cs", FILLETS, "ogg",
     "train", r"/cs/[a-z0-9]+-m-", "extra"),
    ("fillets-cs-big", "fillets-cs-big-fish", "cs-CZ", "fillets-ng-data-cs", FILLETS, "ogg",
     "train", r"/cs/[a-z0-9]+-v-", "extra"),
    ("fillets-nl-small", "fillets-nl-small-fish", "nl-NL", "fillets-ng-data-nl", FILLETS, "ogg",
     "train", r"/nl/[a-z0-9]+-m-", "extra"),
    ("fillets-nl-big", "fillets-nl-big-fish", "nl-NL", "fillets-ng-data-nl", FILLETS, "ogg",
     "train", r"/nl/[a-z0-9]+-v-", "extra"),
)
SPEAKER_SETS = {"core": ("core",), "all": ("core", "extra")}
# Prompts that are tones or music, not speech.
NOT_SPEECH = re.compile(r"beep|tone|glorious|silence|ring|music|dtmf|fax")
# Recorded noises: (Debian package, directory, extension, clips per split). Clips are split too, so
# no test mixture hears a noise clip a training mixture heard.
LINCITY = ("lincity-ng-data", "usr/share/games/lincity-ng/sounds", "wav")
MOH = ("asterisk-moh-opsound-g722", "usr/share/asterisk/moh", "g722")
RECORDED_NOISES = {
    "traffic": (LINCITY, {"train": ["TraficHigh1", "TraficHigh2", "TraficLow1", "TraficLow2"],
                          "test": ["TraficHigh3", "TraficLow3"]}),
    "crowd": (LINCITY, {"train": ["SportsCroud1", "SportsCroud2", "MarketMed1", "MarketLow1"],
                        "test": ["SportsCroud3", "MarketFull1"]}),
    "music": (MOH, {"train": ["macroform-cold_day", "macroform-robot_dity",
                              "manolo_camp-morning_coffee"],
                    "test": ["macroform-the_simplicity", "reno_project-system"]}),
}
# The noise of each recording, in turn: four recorded, three of sox's generators.
NOISE_CYCLE = ("traffic", "crowd", "babble", "music", "whitenoise", "pinknoise", "brownnoise")
BABBLE_TALKERS = 5
PROMPT_SECONDS = 4.0  # speech per recording: prompts are added until this much, at most 3
CROSSFADE = 800  # samples between two noise clips (50 ms)


def read_raw(path):
    return np.fromfile(path, dtype="<i2").astype(np.float64) / 32768.0


def read_wav(path):
    with wave.open(path, "rb") as w:
        if w.getframerate() != RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise SystemExit(f"{path}: expected 16 kHz mono PCM16")
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768


def write_wav(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.astype("<i2").tobytes())


LAGS = np.arange(40, 321)  # 2.5-20 ms at 16 kHz: 50-400 Hz


def periodicity(w):
    """Largest normalised autocorrelation of w over LAGS: sum w[i+lag] w[i] over the energies of
    the two overlapping parts; 0 where either part is all zeros."""
    squares = np.concatenate([[0.0], np.cumsum(w * w)])
    products = np.correlate(w, w, "full")[len(w) - 1 + LAGS]
    late = squares[-1] - squares[LAGS]  # w[lag:]
    early = squares[len(w) - LAGS]  # w[:-lag]
    denominator = np.sqrt(late * early)
    valid = denominator > 0
    if not np.any(valid):
        return 0.0
    return max(0.0, float(np.max(products[valid] / denominator[valid])))


def tags(clean, spans):
    """One tag per whole hop: silence, unvoiced or voiced (the rule in the script's header)."""
    inside = np.zeros(len(clean), dtype=bool)
    level = np.zeros(len(clean))
    for a, b in spans:
        inside[a:b] = True
        level[a:b] = np.mean(clean[a:b] ** 2)
    padded = np.concatenate([np.zeros(WINDOW - HOP), clean])
    out = []
    for k in range(len(clean) // HOP):
        a, b = k * HOP, (k + 1) * HOP
        mid = a + HOP // 2
        power = np.mean(clean[a:b] ** 2)
        if not inside[mid] or power < level[mid] * 10 ** (-35 / 10):
            out.append("silence")
            continue
        w = padded[a:a + WINDOW] - np.mean(padded[a:a + WINDOW])
        energy = np.dot(w, w)
        out.append("voiced" if periodicity(w) >= 0.5 and energy > 0 else "unvoiced")
    return out


def scale(speech, noise, snr_db):
    return np.sqrt(np.mean(speech ** 2) / np.mean(noise ** 2) / 10 ** (snr_db / 10))


def run(*command):
    subprocess.run(command, check=True, stdin=subprocess.DEVNULL)


def samples(path):
    return int(subprocess.run(["soxi", "-s", path], check=True, capture_output=True,
                              text=True).stdout)


def decode(source, extension, target, norm=True):
    """Any prompt or noise file to 16 kHz mono PCM16 WAV: ffmpeg decodes, sox resamples."""
    decoded = target + ".decoded.wav"
    # raw G.722 and GSM have no header: name the format (probing fails on short GSM files)
    codec = ["-f", extension] if extension in ("g722", "gsm") else []
    run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", *codec, "-i", source,
        "-c:a", "pcm_s16le", decoded)
    run("sox", "-R", decoded, "-r", str(RATE), "-c", "1", "-b", "16", target,
        *(["norm", "-6"] if norm else []))
    os.remove(decoded)


def speech_span(path, work):
    """[lead, length - trail): the samples sox's silence trim keeps, as the synthetic path trims."""
    length = samples(path)
    trimmed = os.path.join(work, "trimmed.wav")
    run("sox", "-R", path, trimmed, "silence", "1", "0.005", "0.5%")
    lead = length - samples(trimmed)
    run("sox", "-R", path, trimmed, "reverse", "silence", "1", "0.005", "0.5%", "reverse")
    trail = length - samples(trimmed)
    return lead, length - trail


class Prompts:
    """One group's prompts in a fixed shuffled order, decoded when first drawn."""

    decoded = {}  # (group, file) -> (samples, span) or None, shared by every order of a group

    def __init__(self, packages, group, work, order):
        name, _, _, package, directory, extension, _, pattern, _ = group
        root = os.path.join(packages, package, directory)
        if pattern is None:
            files = sorted(f for f in os.listdir(root)
                           if f.endswith("." + extension) and not NOT_SPEECH.search(f))
        else:
            chosen = re.compile(pattern)
            files = sorted(os.path.relpath(os.path.join(d, f), root)
                           for d, _, fs in os.walk(root) for f in fs
                           if f.endswith("." + extension)
                           and chosen.search("/" + os.path.relpath(os.path.join(d, f), root)))
        if not files:
            raise SystemExit(f"no prompts in {root}")
        random.Random(order).shuffle(files)
        self.group, self.root, self.extension, self.files = name, root, extension, files
        self.work = os.path.join(work, "prompts", name)
        os.makedirs(self.work, exist_ok=True)
        self.cursor = 0

    def prompt(self, file):
        """(samples at peak -6 dBFS, speech span) of one prompt, or None if it is not speech."""
        key = (self.group, file)
        if key not in Prompts.decoded:
            target = os.path.join(self.work, file.rsplit(".", 1)[0].replace("/", "_") + ".wav")
            decode(os.path.join(self.root, file), self.extension, target)
            x = read_wav(target)
            a, b = speech_span(target, self.work)
            ok = 0.8 * RATE <= b - a <= 5 * RATE
            if ok:
                hops = tags(x, [(a, b)])
                active = [t for t in hops if t != "silence"]
                ok = len(active) >= 40 and active.count("voiced") >= 0.25 * len(active)
            Prompts.decoded[key] = (x, (a, b)) if ok else None
        return Prompts.decoded[key]

    def draw(self):
        """The next speech prompt in this group's order (round and round)."""
        for _ in range(len(self.files)):
            file = self.files[self.cursor % len(self.files)]
            self.cursor += 1
            drawn = self.prompt(file)
            if drawn is not None:
                return file, drawn
        raise SystemExit(f"{self.group}: no prompt is speech")


class NoiseClips:
    """Decoded recorded-noise clips, by noise and split."""

    def __init__(self, packages, work):
        self.packages, self.work, self.cache = packages, os.path.join(work, "noises"), {}
        os.makedirs(self.work, exist_ok=True)

    def clips(self, noise, split):
        (package, directory, extension), names = RECORDED_NOISES[noise]
        out = []
        for name in names[split]:
            if name not in self.cache:
                target = os.path.join(self.work, name + ".wav")
                decode(os.path.join(self.packages, package, directory, f"{name}.{extension}"),
                       extension, target, norm=False)
                x = read_wav(target)
                self.cache[name] = x / (np.sqrt(np.mean(x ** 2)) + 1e-12)
            out.append(self.cache[name])
        return out


def joined(pieces, length, rng):
    """Clips joined end to end with 50 ms crossfades from a random start, cut to length."""
    out = np.zeros(0)
    fade = np.linspace(0, 1, CROSSFADE)
    while len(out) < length + CROSSFADE:
        clip = pieces[rng.randrange(len(pieces))]
        if len(out) == 0:
            clip = clip[rng.randrange(max(1, len(clip) // 2)):]
        if len(out) >= CROSSFADE and len(clip) > 2 * CROSSFADE:
            head = out[-CROSSFADE:] * (1 - fade) + clip[:CROSSFADE] * fade
            out = np.concatenate([out[:-CROSSFADE], head, clip[CROSSFADE:]])
        else:
            out = np.concatenate([out, clip])
    return out[:length]


def synthetic_noise(kind, length, seed, work):
    path = os.path.join(work, "synth.wav")
    offset = seed * 1601
    run("sox", "-R", "-r", str(RATE), "-c", "1", "-n", "-r", str(RATE), "-c", "1", "-b", "16",
        path, "synth", str((length + offset) / RATE + 1), kind, "vol", "0.25",
        "trim", f"{offset}s", f"{length}s")
    return read_wav(path)


def babble(talkers, length, rng):
    """BABBLE_TALKERS streams of other speakers' prompts, back to back, summed at equal level."""
    total = np.zeros(length)
    for k in range(BABBLE_TALKERS):
        pool = talkers[k % len(talkers)]
        stream = []
        got = 0
        skip = rng.randrange(8)
        while got < length:
            _, (x, (a, b)) = pool.draw()
            if skip > 0:
                skip -= 1
                continue
            speech = x[a:b] / (np.sqrt(np.mean(x[a:b] ** 2)) + 1e-12)
            stream.append(speech)
            got += len(speech)
        total += np.concatenate(stream)[:length]
    return total


def recorded(packages, out, per_snr, plan_path, speakers):
    work = tempfile.mkdtemp(prefix="speech-corpus-")
    try:
        groups = tuple(g for g in GROUPS if g[8] in SPEAKER_SETS[speakers])
        build(packages, out, per_snr, plan_path, work, groups)
    finally:
        shutil.rmtree(work)


def build(packages, out, per_snr, plan_path, work, groups):
    pools = {g[0]: Prompts(packages, g, work, g[0]) for g in groups}
    # Babble draws in an order of its own, so the foreground prompts do not depend on it.
    babble_pools = {g[0]: Prompts(packages, g, work, g[0] + "/babble") for g in groups}
    noises = NoiseClips(packages, work)
    plan = []
    for g, group in enumerate(groups):
        name, speaker, language, package, _, _, split, _, _ = group
        os.makedirs(os.path.join(out, split), exist_ok=True)
        talkers = [babble_pools[o[0]] for o in groups if o[6] == split and o[1] != speaker]
        for take in range(per_snr):
            for s, snr in enumerate(SNRS):
                counter = take * len(SNRS) + s
                noise = NOISE_CYCLE[(counter + g) % len(NOISE_CYCLE)]
                rng = random.Random(f"{name}/{take}/{snr}")
                recording = f"{name}-{take + 1:02d}-snr{snr}"
                parts, spans, files, at, speech = [], [], [], 0, 0
                while speech < PROMPT_SECONDS * RATE and len(files) < 3:
                    gap = (rng.randint(100, 200) if not files else rng.randint(50, 200)) * HOP
                    parts.append(np.zeros(gap))
                    at += gap
                    file, (x, (a, b)) = pools[name].draw()
                    parts.append(x)
                    spans.append((at + a, at + b))
                    files.append(os.path.basename(file).rsplit(".", 1)[0])
                    at += len(x)
                    speech += b - a
                parts.append(np.zeros(rng.randint(50, 150) * HOP))
                clean = np.concatenate(parts)
                # The whole recording at a level between -10 and 0 dB of the prompts' own.
                clean *= 10 ** (rng.uniform(-10, 0) / 20)
                clean = np.round(clean * 32768) / 32768
                length = len(clean)
                if noise == "babble":
                    n = babble(talkers, length, rng)
                elif noise in RECORDED_NOISES:
                    n = joined(noises.clips(noise, split), length, rng)
                else:
                    n = synthetic_noise(noise, length, 100 * g + counter + 1, work)
                speech_samples = np.concatenate([clean[a:b] for a, b in spans])
                factor = scale(speech_samples, n, snr)
                mix = np.round((clean + factor * n) * 32768)
                clipped = int(np.sum(np.abs(mix) > 32767))
                mix = np.clip(mix, -32768, 32767)
                base = os.path.join(out, split, recording)
                write_wav(base + ".wav", mix)
                with open(base + ".segments.csv", "w") as f:
                    f.write("start,end\n")
                    for a, b in spans:
                        f.write(f"{a},{b}\n")
                with open(base + ".tags", "w") as f:
                    f.write("\n".join(tags(clean, spans)) + "\n")
                print(f"{split}/{recording}.wav: {length} samples, {len(files)} prompts "
                      f"({' '.join(files)}), noise {noise} x {factor:.6f}"
                      + (f", {clipped} samples clipped" if clipped else ""), flush=True)
                plan.append((split, recording, speaker, language, "recorded", package, noise, snr))
    with open(plan_path, "a") as f:
        csv.writer(f, lineterminator="\n").writerows(plan)


def manifest(out, plan_path):
    """Per split, a recordings.csv naming each recording's speaker, language and noise."""
    rows = {}
    for split in ("train", "test"):
        existing = os.path.join(out, split, "recordings.csv")
        if os.path.exists(existing):
            with open(existing) as f:
                for row in list(csv.reader(f))[1:]:
                    rows[(split, row[0])] = row
    with open(plan_path) as f:
        for row in csv.reader(f):
            rows[(row[0], row[1])] = row[1:]
    for split in ("train", "test"):
        directory = os.path.join(out, split)
        if not os.path.isdir(directory):
            continue
        names = sorted(f[:-4] for f in os.listdir(directory) if f.endswith(".wav"))
        missing = [n for n in names if (split, n) not in rows]
        if missing:
            raise SystemExit(f"{directory}: no plan for {missing}")
        with open(os.path.join(directory, "recordings.csv"), "w") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(["name", "speaker", "language", "source", "package", "noise",
                             "snr_db"])
            for n in names:
                writer.writerow(rows[(split, n)])


def main(argv):
    command = argv[1] if len(argv) > 1 else ""
    if command == "tags" and len(argv) == 4:
        clean = read_raw(argv[2])
        spans = [tuple(map(int, l.split(","))) for l in open(argv[3]).read().split()[1:]]
        print("\n".join(tags(clean, spans)))
    elif command == "scale" and len(argv) == 5:
        print("%.6f" % scale(read_raw(argv[2]) * 32768, read_raw(argv[3]) * 32768,
                             float(argv[4])))
    elif command == "recorded" and len(argv) == 7 and argv[6] in SPEAKER_SETS:
        recorded(argv[2], argv[3], int(argv[4]), argv[5], argv[6])
    elif command == "manifest" and len(argv) == 4:
        manifest(argv[2], argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
