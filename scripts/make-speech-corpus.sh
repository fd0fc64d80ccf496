#!/usr/bin/env bash
# Generates the speech corpus under data/speech/ (committed; tests never run this script).
#
# Two parts, both labelled from the construction and the clean signal, never by a detector:
#
# Synthetic speech (7 espeak-ng voices, 28 recordings):
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
#
# Recorded speech (scripts/speech-corpus.py `recorded`: 8 speaker/language groups from Debian's
# Asterisk voice-prompt packages, PER_SNR recordings per group and SNR):
#   1. each prompt is decoded (ffmpeg: G.722 at 16 kHz, GSM and WAV at 8 kHz), resampled to
#      16 kHz mono PCM16 and peak-normalised to -6 dBFS by sox, and kept whole, with the room tone
#      of its own leading and trailing silence; its utterance span is what sox's silence trim of
#      step 1 above would keep of it (measured on the clean prompt, not taken from the file's
#      bounds). Tones and prompts without speech (under 0.8 s of span, fewer than 40 non-silent
#      hops, or under a quarter of them voiced) are skipped;
#   2. 2-3 prompts of one speaker (at least 4 s of span) are joined with 0.5-2 s silences after
#      1-2 s of leading silence, and the recording is set 0-10 dB below the prompts' level;
#   3. a noise, in turn traffic, crowd, babble, music, white, pink, brown: recorded street
#      traffic and crowds (Debian lincity-ng-data), music on hold (asterisk-moh-opsound-g722), babble
#      of five streams of the split's *other* recorded speakers, or sox's generators; scaled and
#      mixed as in step 3 above; clips are joined with 50 ms crossfades;
#   4. tags as in step 4 above, from the clean signal.
#   Split by speaker, and so by language: train -- Allison Smith (en-US and es-MX), June Wallack
#   (fr-CA), Armelle Desjardins (fr-FR), July Jimenez (es-CO); test -- Carlo Flora (it-IT, male),
#   the IvrvoiceRU speaker (ru-RU), the Menardi speaker (it-IT). Noise clips are split as well.
#   `--speakers all` adds four more training groups: the two voice actors of each of the Czech and
#   Dutch dialogue tracks of the game Fish Fillets NG (Debian fillets-ng-data-cs, -nl: 22.05 kHz
#   Ogg Vorbis lines, decoded by ffmpeg); the core groups' recordings keep their prompts and
#   noises, except that the training split's babble then draws on the added speakers too.
#
# Train and test are split by voice and speaker: nobody who speaks in a test file speaks in a
# training file. Each split directory gets recordings.csv: name, speaker, language, source
# (synthetic or recorded), package, noise, snr_db (scripts/speech-corpus.py `manifest`).
#
# Needs espeak-ng, sox, ffmpeg and python3 with numpy (Debian packages espeak-ng, sox, ffmpeg,
# python3-numpy); installs the missing ones with apt-get (as root or through sudo -n). The voice
# prompts and noises are fetched with `apt-get download` and unpacked into a temporary directory,
# not installed. Repeatable for given package versions: sox runs with -R (fixed dither and noise
# seeds) and every other choice is fixed or seeded below and in scripts/speech-corpus.py.
#
# Usage: scripts/make-speech-corpus.sh [--only synthetic|recorded] [--per-snr N]
#        [--speakers core|all] [OUT_DIR]
#   OUT_DIR    default data/speech
#   --per-snr  recorded recordings per speaker group and SNR (default 2, what data/speech holds;
#              e.g. --per-snr 10 target/speech-full for a five times larger set)
#   --speakers core (default, what data/speech holds) or all (four more training speakers, above)
#   --only     build one part only (data/speech's synthetic files were made before sox ran with
#              -R: regenerating them changes their samples by sox's dither, a few LSB)
set -euo pipefail

only=""
per_snr=2
speakers=core
while (($# > 0)); do
  case "$1" in
    --only) only=${2:?--only needs synthetic or recorded}; shift 2 ;;
    --per-snr) per_snr=${2:?--per-snr needs a number}; shift 2 ;;
    --speakers) speakers=${2:?--speakers needs core or all}; shift 2 ;;
    -*) echo "make-speech-corpus: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[[ -z "$only" || "$only" == synthetic || "$only" == recorded ]] \
  || { echo "make-speech-corpus: --only synthetic or --only recorded" >&2; exit 2; }
[[ "$per_snr" =~ ^[1-9][0-9]*$ ]] || { echo "make-speech-corpus: --per-snr N, N >= 1" >&2; exit 2; }
[[ "$speakers" == core || "$speakers" == all ]] \
  || { echo "make-speech-corpus: --speakers core or --speakers all" >&2; exit 2; }

readonly OUT=${1:-data/speech}
readonly HERE=$(cd "$(dirname "$0")" && pwd)
readonly RATE=16000
readonly SNRS=(0 5 10 20)
readonly NOISES=(whitenoise pinknoise brownnoise pinknoise)
# voice, split. Variants change the formants and the pitch range; languages change the accent.
readonly VOICES=(
  "en-us+m3 train" "en-gb+f2 train" "en-gb-x-rp+m1 train" "de+f4 train" "fr+m2 train"
  "en-gb-scotland+f3 test" "es+m4 test")
# The Debian packages the recorded part reads (voice prompts and noises).
RECORDED_PACKAGES=(
  asterisk-core-sounds-en-g722 asterisk-core-sounds-es-g722 asterisk-core-sounds-fr-g722
  asterisk-core-sounds-it-g722 asterisk-core-sounds-ru-g722 asterisk-prompt-fr-armelle
  asterisk-prompt-es-co asterisk-prompt-it-menardi-wav asterisk-moh-opsound-g722 lincity-ng-data)
if [[ "$speakers" == all ]]; then
  RECORDED_PACKAGES+=(fillets-ng-data-cs fillets-ng-data-nl)
fi
readonly RECORDED_PACKAGES
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

as_root() {
  if [[ "$(id -u)" -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    fail "$* needs root (or passwordless sudo)"
  fi
}

need_packages=()
if [[ "$only" != recorded ]]; then
  command -v espeak-ng >/dev/null 2>&1 || need_packages+=(espeak-ng)
fi
if [[ "$only" != synthetic ]]; then
  command -v ffmpeg >/dev/null 2>&1 || need_packages+=(ffmpeg)
fi
command -v sox >/dev/null 2>&1 || need_packages+=(sox)
python3 -c 'import numpy' >/dev/null 2>&1 || need_packages+=(python3-numpy)
if ((${#need_packages[@]} > 0)); then
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
# split,name,speaker,language,source,package,noise,snr_db of every recording this run plans
plan="$work/plan.csv"
: >"$plan"

samples() { soxi -s "$1"; }

synthetic() {
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
        sox -R -r $RATE -c 1 -n -r $RATE -c 1 -b 16 "$work/gap$u.wav" trim 0 "${gap}s"
        parts+=("$work/gap$u.wav")
        at=$((at + gap))
        text=${SENTENCES[$((sentence % ${#SENTENCES[@]}))]}
        sentence=$((sentence + 1))
        rate=$((140 + (seed * 29 + u * 17) % 60))
        pitch=$((30 + (seed * 13 + u * 31) % 40))
        espeak-ng -v "$voice" -s "$rate" -p "$pitch" -w "$work/raw$u.wav" "$text"
        # Trim the synthesiser's own leading/trailing silence; peak at -6 dBFS leaves headroom for
        # the noise.
        sox -R "$work/raw$u.wav" -r $RATE -c 1 -b 16 "$work/utt$u.wav" \
          silence 1 0.005 0.5% reverse silence 1 0.005 0.5% reverse norm -6
        length=$(samples "$work/utt$u.wav")
        echo "$at,$((at + length))" >>"$work/segments.csv"
        at=$((at + length))
        parts+=("$work/utt$u.wav")
        speech_parts+=("$work/utt$u.wav")
      done
      tail_gap=$(((50 + (seed * 41) % 101) * 160))
      sox -R -r $RATE -c 1 -n -r $RATE -c 1 -b 16 "$work/tail.wav" trim 0 "${tail_gap}s"
      parts+=("$work/tail.wav")
      sox -R "${parts[@]}" "$work/clean.wav"
      sox -R "${speech_parts[@]}" -t raw -e signed -b 16 -L "$work/speech.raw"
      total=$(samples "$work/clean.wav")
      seconds=$(python3 -c "print($total / $RATE)")
      # -R makes sox's noise repeatable; each file takes it from another offset, so files differ.
      offset=$((seed * 1601))
      sox -R -r $RATE -c 1 -n -r $RATE -c 1 -b 16 "$work/noise.wav" synth "$(python3 -c "print($seconds + $offset / $RATE + 1)")" \
        "$noise" vol 0.25 trim "${offset}s" "${total}s"
      sox -R "$work/noise.wav" -t raw -e signed -b 16 -L "$work/noise.raw"
      factor=$(python3 "$HERE/speech-corpus.py" scale "$work/speech.raw" "$work/noise.raw" "$snr")
      sox -R -m -v 1 "$work/clean.wav" -v "$factor" "$work/noise.wav" \
        -r $RATE -c 1 -b 16 -e signed "$OUT/$split/$name.wav"
      sox -R "$work/clean.wav" -t raw -e signed -b 16 -L "$work/clean.raw"
      cp "$work/segments.csv" "$OUT/$split/$name.segments.csv"
      python3 "$HERE/speech-corpus.py" tags "$work/clean.raw" "$work/segments.csv" >"$OUT/$split/$name.tags"
      echo "$split/$name.wav: $total samples, noise $noise x $factor"
      echo "$split,$name,$voice,en,synthetic,espeak-ng,$noise,$snr" >>"$plan"
      seed=$((seed + 1))
    done
  done
}

# The synthetic recordings' manifest rows, also when the part is not rebuilt.
synthetic_plan() {
  local seed=1 entry voice split index snr
  for entry in "${VOICES[@]}"; do
    read -r voice split <<<"$entry"
    for index in "${!SNRS[@]}"; do
      snr=${SNRS[$index]}
      echo "$split,${voice//+/-}-snr${snr},$voice,en,synthetic,espeak-ng,${NOISES[$index]},$snr" >>"$plan"
    done
  done
}

recorded() {
  mkdir -p "$work/debs" "$work/packages"
  if ! (cd "$work/debs" && apt-get download -q "${RECORDED_PACKAGES[@]}" >/dev/null 2>&1); then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || fail "apt-get update failed"
    (cd "$work/debs" && apt-get download -q "${RECORDED_PACKAGES[@]}") \
      || fail "apt-get download ${RECORDED_PACKAGES[*]} failed"
  fi
  local deb
  for deb in "$work"/debs/*.deb; do
    echo "make-speech-corpus: $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)"
    dpkg-deb -x "$deb" "$work/packages/$(dpkg-deb -f "$deb" Package)"
  done
  python3 "$HERE/speech-corpus.py" recorded "$work/packages" "$OUT" "$per_snr" "$plan" "$speakers"
}

if [[ "$only" != recorded ]]; then
  synthetic
else
  synthetic_plan
fi
if [[ "$only" != synthetic ]]; then
  recorded
fi
python3 "$HERE/speech-corpus.py" manifest "$OUT" "$plan"
