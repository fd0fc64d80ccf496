#!/usr/bin/env bash
# Makes data/speech/rates/ (committed; tests never run this script): one held-out recording as a
# 48 kHz stream and its 16 kHz twin, both from SoX, for SpeechTopologyTest's check that a stream
# at 48 kHz is tagged like the same audio at 16 kHz.
#
#   1. the 16 kHz corpus recording, upsampled to 48 kHz by SoX (`rate`, its default high quality);
#   2. plus white noise above 9 kHz (SoX `synth whitenoise`, `sinc 9k` high-pass) at about the
#      recording's own RMS level: audio a 16 kHz tagger must never hear. A resampler that let it
#      alias into 0-8 kHz would bury the speech; one that filters it out hears the recording;
#   3. the 16 kHz twin: that 48 kHz file downsampled by SoX, which removes the noise above 8 kHz.
#
# Needs sox (Debian package sox). -D: no dither, -R: the same noise on every run.
#
# Usage: scripts/make-rate-twins.sh [RECORDING] [OUT_DIR]
#   (default: data/speech/test/en-gb-scotland-f3-snr5.wav data/speech/rates)
set -euo pipefail

readonly IN=${1:-data/speech/test/en-gb-scotland-f3-snr5.wav}
readonly OUT=${2:-data/speech/rates}
command -v sox >/dev/null 2>&1 || { echo "make-rate-twins: needs sox (apt-get install sox)" >&2; exit 1; }

name=$(basename "$IN" .wav)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$OUT"
seconds=$(soxi -D "$IN")
sox -R -D "$IN" -r 48000 "$work/up.wav" rate
sox -R -D -n -r 48000 -c 1 -b 16 "$work/noise.wav" synth "$seconds" whitenoise sinc 9k vol 0.1
sox -R -D -m -v 1 "$work/up.wav" -v 1 "$work/noise.wav" "$OUT/$name.48k.wav"
sox -R -D "$OUT/$name.48k.wav" -r 16000 "$OUT/$name.16k.wav" rate
soxi "$OUT/$name.48k.wav" "$OUT/$name.16k.wav" | grep -E 'Input File|Sample Rate|Duration'
