package dev.seqcast.bench;

import dev.seqcast.speech.AudioChunks;
import dev.seqcast.speech.Resampler;
import dev.seqcast.speech.SpeechState;

/**
 * What the speech resampler makes of one pure tone: a sine of amplitude {@value #AMPLITUDE} at
 * {@code hz}, sampled at the input rate and rounded to PCM16, resampled to 16 kHz from a fresh
 * stream; the output after its first {@value #SETTLE} samples is fitted by least squares with
 * {@code a sin ωn + b cos ωn + c} at the tone's frequency on the output's clock.
 *
 * @param gainDb the fitted tone's amplitude against the input's, dB (in band: the passband gain)
 * @param phase {@code atan2(b, a)}, radians: 0 when the output keeps the input's timing
 * @param residualDb what the fit leaves (aliases, images, rounding), dB against the input tone
 * @param outputDb the whole output's level, dB against the input tone (above the output's Nyquist
 *     frequency: minus the attenuation)
 */
public record ToneResponse(double gainDb, double phase, double residualDb, double outputDb) {

  /** Amplitude of the test tone, full scale = 1. */
  public static final double AMPLITUDE = 0.5;

  /** Output samples left out of the fit: far past the start-up from zero history. */
  public static final int SETTLE = 1_000;

  /** Measures {@code seconds} of a tone at {@code hz} resampled from {@code inputRate}. */
  public static ToneResponse measure(int inputRate, double hz, double seconds) {
    Resampler resampler = Resampler.from(inputRate);
    SpeechState state = new SpeechState();
    resampler.start(state);
    int samples = (int) Math.round(seconds * inputRate);
    float[] out = new float[(int) resampler.emittedAfter(samples)];
    float[] buffer = new float[Resampler.MAX_OUTPUTS_PER_INPUT];
    int at = 0;
    for (int i = 0; i < samples; i++) {
      short x = (short) Math.round(AMPLITUDE * 32768 * Math.sin(2 * Math.PI * hz * i / inputRate));
      int n = resampler.push(state, x, buffer);
      System.arraycopy(buffer, 0, out, at, n);
      at += n;
    }
    if (at <= 2 * SETTLE) {
      throw new IllegalArgumentException(seconds + " s is too short to measure");
    }
    return fit(out, SETTLE, at, hz);
  }

  private static ToneResponse fit(float[] y, int from, int to, double hz) {
    double w = 2 * Math.PI * hz / AudioChunks.SAMPLE_RATE;
    double[][] m = new double[3][4]; // normal equations of [sin, cos, 1], right-hand side last
    double power = 0;
    for (int i = from; i < to; i++) {
      double[] basis = {Math.sin(w * i), Math.cos(w * i), 1};
      for (int p = 0; p < 3; p++) {
        for (int q = 0; q < 3; q++) {
          m[p][q] += basis[p] * basis[q];
        }
        m[p][3] += basis[p] * y[i];
      }
      power += (double) y[i] * y[i];
    }
    for (int p = 0; p < 3; p++) { // Gauss-Jordan
      for (int r = 0; r < 3; r++) {
        if (r != p) {
          double f = m[r][p] / m[p][p];
          for (int q = 0; q < 4; q++) {
            m[r][q] -= f * m[p][q];
          }
        }
      }
    }
    double a = m[0][3] / m[0][0];
    double b = m[1][3] / m[1][1];
    double c = m[2][3] / m[2][2];
    double residual = 0;
    for (int i = from; i < to; i++) {
      double e = y[i] - (a * Math.sin(w * i) + b * Math.cos(w * i) + c);
      residual += e * e;
    }
    int n = to - from;
    return new ToneResponse(
        db(Math.hypot(a, b)),
        Math.atan2(b, a),
        db(Math.sqrt(2 * residual / n)),
        db(Math.sqrt(2 * power / n)));
  }

  /** An amplitude against the test tone's, dB. */
  private static double db(double amplitude) {
    return 20 * Math.log10(amplitude / AMPLITUDE);
  }
}
