#!/usr/bin/env bash
# Generates the speech corpus under data/speech/ (committed; tests never run this script).
#
# Every recording is built, so its labels come from the construction, not from a detector:
#   1. espeak-ng speaks a few sentences with one voice, at a per-sentence rate and pitch;
#      sox resamples each to 16 kHz mono PCM16 and trims the synthesiser's leading and trailing
#      silence, so an utterance's span is exactly the samples that came from it;
#   2. utterances are joined with silences of known length (whole samples), which fixes every
#      utterance's span: data/speech/<split>/<name>.segments.csv;
#   3. a noise (white, pink or brown, sox `synth`) is scaled so that the speech power over the
#      utterance spans divided by the noise power is the file's SNR (0, 5, 10 or 20 dB), and
#      mixed in with sox;
#   4. per 10 ms hop, a tag from the *clean* signal, which no model sees:
#      silence outside utterances or where the clean hop is 35 dB below the utterance's level,
#      else voiced when the clean 25 ms window ending with the hop is periodic (normalised
#      autocorrelation peak >= 0.5 at a lag of 2.5-20 ms, i.e. 50-400 Hz), else unvoiced:
#      data/speech/<split>/<name>.tags (one tag per line, line k = samples [160k, 160k+160)).
# Train and test are split by voice: no test voice speaks in the training files.
#
# Needs espeak-ng, sox and python3 with numpy (Debian packages espeak-ng, sox, python3-numpy);
# installs the missing ones with apt-get (as root or through sudo -n). Deterministic for a given
# espeak-ng/sox version: noise seeds and all choices are fixed below.
#
# Usage: scripts/make-speech-corpus.sh [OUT_DIR]   (default: data/speech)
set -euo pipefail

readonly OUT=${1:-data/speech}
readonly RATE=16000
readonly SNRS=(0 5 10 20)
readonly NOISES=(whitenoise pinknoise brownnoise pinknoise)
# voice, split. Variants change the formants and the pitch range; languages change the accent.
readonly VOICES=(
  "en-us+m3 train" "en-gb+f2 train" "en-gb-x-rp+m1 train" "de+f4 train" "fr+m2 train"
  "en-gb-scotland+f3 test" "es+m4 test")
readonly SENTENCES=(
  "The morning train was late again, so we walked along the river."
  "Please send the report before the meeting starts on Thursday."
  "A quiet voice can still carry across a crowded room."
  "Seven small boats were waiting near the harbour wall."
  "She measured the signal twice and wrote down both numbers."
  "Fresh bread and hot coffee were ready at six o'clock."
  "The wind changed direction just after midnight."
  "Nobody expected the old bridge to hold so much weight."
  "Turn left at the church, then follow the narrow street uphill."
  "Light rain is forecast for the whole weekend."
  "He fixed the bicycle with a piece of wire and some patience."
  "Every sample in this file has a label that was made by construction.")

fail() {
  echo "make-speech-corpus: $*" >&2
  exit 1
}

need_packages=()
command -v espeak-ng >/dev/null 2>&1 || need_packages+=(espeak-ng)
command -v sox >/dev/null 2>&1 || need_packages+=(sox)
python3 -c 'import numpy' >/dev/null 2>&1 || need_packages+=(python3-numpy)
if ((${#need_packages[@]} > 0)); then
  if [[ "$(id -u)" -eq 0 ]]; then
    as_root() { "$@"; }
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root() { sudo -n "$@"; }
  else
    fail "missing ${need_packages[*]}; installing needs root (or passwordless sudo)"
  fi
  command -v apt-get >/dev/null 2>&1 || fail "missing ${need_packages[*]} and apt-get is absent"
  echo "make-speech-corpus: installing ${need_packages[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || fail "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${need_packages[@]}" \
    || fail "apt-get install ${need_packages[*]} failed"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT/train" "$OUT/test"

samples() { soxi -s "$1"; }

# tags.py CLEAN.raw SEGMENTS.csv > TAGS: the per-hop tags of step 4 above.
cat >"$work/tags.py" <<'PY'
import sys
import numpy as np
clean = np.fromfile(sys.argv[1], dtype="<i2").astype(np.float64) / 32768.0
spans = [tuple(map(int, l.split(","))) for l in open(sys.argv[2]).read().split()[1:]]
hop, win = 160, 400
inside = np.zeros(len(clean), dtype=bool)
level = np.zeros(len(clean))
for a, b in spans:
    inside[a:b] = True
    level[a:b] = np.mean(clean[a:b] ** 2)
padded = np.concatenate([np.zeros(win - hop), clean])
for k in range(len(clean) // hop):
    a, b = k * hop, (k + 1) * hop
    mid = a + hop // 2
    power = np.mean(clean[a:b] ** 2)
    if not inside[mid] or power < level[mid] * 10 ** (-35 / 10):
        print("silence")
        continue
    w = padded[a:a + win] - np.mean(padded[a:a + win])
    energy = np.dot(w, w)
    peak = 0.0
    for lag in range(40, 321):
        x, y = w[lag:], w[:-lag]
        denominator = np.sqrt(np.dot(x, x) * np.dot(y, y))
        if denominator > 0:
            peak = max(peak, np.dot(x, y) / denominator)
    print("voiced" if peak >= 0.5 and energy > 0 else "unvoiced")
PY

# scale.py SPEECH.raw NOISE.raw SNR_DB: the factor for the noise (step 3).
cat >"$work/scale.py" <<'PY'
import sys
import numpy as np
speech = np.fromfile(sys.argv[1], dtype="<i2").astype(np.float64)
noise = np.fromfile(sys.argv[2], dtype="<i2").astype(np.float64)
snr = float(sys.argv[3])
print("%.6f" % np.sqrt(np.mean(speech ** 2) / np.mean(noise ** 2) / 10 ** (snr / 10)))
PY

sentence=0
seed=1
for entry in "${VOICES[@]}"; do
  read -r voice split <<<"$entry"
  for index in "${!SNRS[@]}"; do
    snr=${SNRS[$index]}
    noise=${NOISES[$index]}
    name="${voice//+/-}-snr${snr}"
    parts=()
    speech_parts=()
    echo "start,end" >"$work/segments.csv"
    at=0
    for u in 0 1; do
      # Silence before each utterance: 1.0 to 3.0 s in whole hops.
      gap=$(((100 + (seed * 37 + u * 53) % 201) * 160))
      sox -r $RATE -c 1 -n -r $RATE -c 1 -b 16 "$work/gap$u.wav" trim 0 "${gap}s"
      parts+=("$work/gap$u.wav")
      at=$((at + gap))
      text=${SENTENCES[$((sentence % ${#SENTENCES[@]}))]}
      sentence=$((sentence + 1))
      rate=$((140 + (seed * 29 + u * 17) % 60))
      pitch=$((30 + (seed * 13 + u * 31) % 40))
      espeak-ng -v "$voice" -s "$rate" -p "$pitch" -w "$work/raw$u.wav" "$text"
      # Trim the synthesiser's own leading/trailing silence; peak at -6 dBFS leaves headroom for
      # the noise.
      sox "$work/raw$u.wav" -r $RATE -c 1 -b 16 "$work/utt$u.wav" \
        silence 1 0.005 0.5% reverse silence 1 0.005 0.5% reverse norm -6
      length=$(samples "$work/utt$u.wav")
      echo "$at,$((at + length))" >>"$work/segments.csv"
      at=$((at + length))
      parts+=("$work/utt$u.wav")
      speech_parts+=("$work/utt$u.wav")
    done
    tail_gap=$(((50 + (seed * 41) % 101) * 160))
    sox -r $RATE -c 1 -n -r $RATE -c 1 -b 16 "$work/tail.wav" trim 0 "${tail_gap}s"
    parts+=("$work/tail.wav")
    sox "${parts[@]}" "$work/clean.wav"
    sox "${speech_parts[@]}" -t raw -e signed -b 16 -L "$work/speech.raw"
    total=$(samples "$work/clean.wav")
    seconds=$(python3 -c "print($total / $RATE)")
    # -R makes sox's noise repeatable; each file takes it from another offset, so files differ.
    offset=$((seed * 1601))
    sox -R -r $RATE -c 1 -n -r $RATE -c 1 -b 16 "$work/noise.wav" synth "$(python3 -c "print($seconds + $offset / $RATE + 1)")" \
      "$noise" vol 0.25 trim "${offset}s" "${total}s"
    sox "$work/noise.wav" -t raw -e signed -b 16 -L "$work/noise.raw"
    factor=$(python3 "$work/scale.py" "$work/speech.raw" "$work/noise.raw" "$snr")
    sox -m -v 1 "$work/clean.wav" -v "$factor" "$work/noise.wav" \
      -r $RATE -c 1 -b 16 -e signed "$OUT/$split/$name.wav"
    sox "$work/clean.wav" -t raw -e signed -b 16 -L "$work/clean.raw"
    cp "$work/segments.csv" "$OUT/$split/$name.segments.csv"
    python3 "$work/tags.py" "$work/clean.raw" "$work/segments.csv" >"$OUT/$split/$name.tags"
    echo "$split/$name.wav: $total samples, noise $noise x $factor"
    seed=$((seed + 1))
  done
done
