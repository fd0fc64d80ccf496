package dev.seqcast.speech;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Converts a stream at one of the {@linkplain #RATES accepted rates} to the features' {@value
 * AudioChunks#SAMPLE_RATE} Hz, causally and sample by sample: a rational {@code L/M} polyphase
 * resampler ({@code L/M = 16000/rate} in lowest terms, e.g. 1/3 from 48 kHz, 160/441 from 44.1 kHz,
 * 2/1 from 8 kHz) over a Kaiser-windowed sinc.
 *
 * <p>Filter: the band edges sit on the lower of the two Nyquist frequencies, {@code f_N = min(rate,
 * 16000) / 2}: passband to {@value #PASSBAND_EDGE} {@code f_N} (7.2 kHz when downsampling, 3.6 kHz
 * from 8 kHz), stopband from {@code f_N}, so every alias (downsampling) and every image
 * (upsampling) lands at least {@value #ATTENUATION_DB} dB down by design; cutoff in the middle of
 * the transition. Kaiser's formulas give {@code β = 0.1102 (A − 8.7)} and the taps per output
 * sample, {@code T = (A − 7.95) / (2.285 · 2π Δf / rate) + 1}, rounded up to a multiple of 4:
 * {@value #ATTENUATION_DB} dB and {@code Δf = f_N / 10} make 264 taps from 48 kHz, 240 from 44.1
 * kHz, 88 from 8 kHz. Each of the {@code L} phases is scaled to a DC gain of exactly 1.
 *
 * <p>Timing: output sample {@code m} is the band-limited input at instant {@code m · M / L} input
 * samples (stream time {@code m / 16000} s), so resampled audio keeps the stream's clock and a
 * frame's {@code audioMs} stays true; it is computed as soon as the input {@code T/2} samples past
 * that instant has arrived. That look-ahead, {@code T/2} input samples (2.75 ms from 48 kHz, 5.5 ms
 * from 8 kHz), is the resampler's whole latency. Input before a stream's start counts as zeros, as
 * it does for the features.
 *
 * <p>The filter banks are built once per rate on first use, immutable and shared by every thread;
 * all per-stream memory is in {@link SpeechState} (the last {@code T} input samples, the phase of
 * the next output and the input samples it still waits for), so a stream resumed from its stored
 * state continues bit for bit. The per-sample path allocates nothing.
 */
public final class Resampler {

  private static final int[] ACCEPTED = {
    8_000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000
  };

  /** The input rates accepted on {@code seqcast.frames}, in Hz, ascending. */
  public static final List<Integer> RATES = Arrays.stream(ACCEPTED).boxed().toList();

  /** Designed stopband attenuation, dB (Kaiser's {@code A}). */
  static final double ATTENUATION_DB = 70;

  /** Passband edge as a fraction of the lower Nyquist frequency. */
  static final double PASSBAND_EDGE = 0.9;

  /** Most output samples one input sample can complete (two, from 8 kHz). */
  public static final int MAX_OUTPUTS_PER_INPUT = 2;

  /** Built on first use, by position in {@link #ACCEPTED}. */
  private static final AtomicReferenceArray<Resampler> BUILT =
      new AtomicReferenceArray<>(ACCEPTED.length);

  private final int inputRate;
  private final int up;
  private final int down;
  private final int taps;
  private final double passbandHz;
  private final double stopbandHz;

  /** {@code up} phases of {@code taps} coefficients; entry {@code k} weighs the k-th oldest. */
  private final float[] bank;

  private Resampler(int inputRate) {
    int gcd = gcd(inputRate, AudioChunks.SAMPLE_RATE);
    this.inputRate = inputRate;
    this.up = AudioChunks.SAMPLE_RATE / gcd;
    this.down = inputRate / gcd;
    double nyquist = Math.min(inputRate, AudioChunks.SAMPLE_RATE) / 2.0;
    this.passbandHz = PASSBAND_EDGE * nyquist;
    this.stopbandHz = nyquist;
    double transition = 2 * Math.PI * (stopbandHz - passbandHz) / inputRate;
    int length = (int) Math.ceil((ATTENUATION_DB - 7.95) / (2.285 * transition) + 1);
    this.taps = (length + 3) / 4 * 4;
    this.bank = design();
  }

  /** Whether {@code rate} (Hz) is one of the {@link #RATES}. */
  public static boolean accepts(int rate) {
    return Arrays.binarySearch(ACCEPTED, rate) >= 0;
  }

  /**
   * The resampler from {@code inputRate} to {@value AudioChunks#SAMPLE_RATE} Hz, built on first use
   * and shared.
   *
   * @throws IllegalArgumentException if the rate is 16 kHz (nothing to convert) or not accepted
   */
  public static Resampler from(int inputRate) {
    int index = Arrays.binarySearch(ACCEPTED, inputRate);
    if (inputRate == AudioChunks.SAMPLE_RATE || index < 0) {
      throw new IllegalArgumentException("no resampler from " + inputRate + " Hz");
    }
    Resampler built = BUILT.get(index);
    if (built == null) {
      BUILT.compareAndSet(index, null, new Resampler(inputRate)); // a racing twin is identical
      built = BUILT.get(index);
    }
    return built;
  }

  /** The input rate, Hz. */
  public int inputRate() {
    return inputRate;
  }

  /** Interpolation factor {@code L}. */
  public int up() {
    return up;
  }

  /** Decimation factor {@code M}. */
  public int down() {
    return down;
  }

  /** Input samples each output sample weighs ({@code T}), the length of the stored history. */
  public int taps() {
    return taps;
  }

  /** Edge of the passband, Hz. */
  public double passbandHz() {
    return passbandHz;
  }

  /** Start of the stopband, Hz. */
  public double stopbandHz() {
    return stopbandHz;
  }

  /** The resampler's latency: the input it looks ahead of an output instant, in seconds. */
  public double latencySeconds() {
    return taps / 2.0 / inputRate;
  }

  /**
   * Starts a stream (or a stretch of one after a rate change) at this rate in {@code s}: zero
   * history, the first output at the instant of the first input sample still to come.
   */
  public void start(SpeechState s) {
    if (s.history.length != 2 * taps) {
      s.history = new float[2 * taps];
    } else {
      Arrays.fill(s.history, 0f);
    }
    s.historyAt = 0;
    s.phase = 0;
    s.awaiting = taps / 2 + 1;
  }

  /**
   * Feeds one PCM16 input sample of a stream {@linkplain #start started} at this rate; writes the
   * output samples it completes (scaled to {@code [-1, 1)} like {@link AudioChunks.Chunk#sample},
   * up to {@value #MAX_OUTPUTS_PER_INPUT}) to {@code out} and returns how many.
   */
  public int push(SpeechState s, short pcm, float[] out) {
    float x = pcm / 32768f;
    float[] history = s.history;
    int at = s.historyAt;
    history[at] = x;
    history[at + taps] = x; // twice, so that the last T samples are always one run: [at, at + T)
    at = at + 1 == taps ? 0 : at + 1;
    s.historyAt = at;
    if (--s.awaiting > 0) {
      return 0;
    }
    int n = 0;
    do {
      out[n++] = dot(s.phase * taps, history, at);
      int next = s.phase + down;
      s.awaiting = next / up;
      s.phase = next % up;
    } while (s.awaiting == 0);
    return n;
  }

  /**
   * Output samples still due for the input already pushed: those whose instants fall before the end
   * of that input but whose look-ahead has not arrived. Pushing zeros yields them (how a stream
   * that changes rate ends its stretch at the old rate); after {@code n} inputs, outputs emitted
   * plus due is {@code ceil(n · L / M)}.
   */
  public int due(SpeechState s) {
    long ahead = (long) (taps / 2 - s.awaiting + 1) * up - s.phase;
    return ahead <= 0 ? 0 : (int) ((ahead + down - 1) / down);
  }

  /** Output samples emitted after {@code inputs} input samples of a freshly started stream. */
  public long emittedAfter(long inputs) {
    long ahead = inputs - taps / 2;
    return ahead <= 0 ? 0 : (ahead * up + down - 1) / down;
  }

  private float dot(int from, float[] history, int at) {
    float a0 = 0;
    float a1 = 0;
    float a2 = 0;
    float a3 = 0;
    for (int k = 0; k < taps; k += 4) {
      a0 += bank[from + k] * history[at + k];
      a1 += bank[from + k + 1] * history[at + k + 1];
      a2 += bank[from + k + 2] * history[at + k + 2];
      a3 += bank[from + k + 3] * history[at + k + 3];
    }
    return (a0 + a1) + (a2 + a3);
  }

  /**
   * Phase {@code p} holds the kernel at offsets {@code p / L + T/2 − 1 − k} input samples from the
   * output instant, for {@code k = 0 … T−1} (oldest sample first): the T input samples within the
   * kernel's half-width {@code T/2} of that instant.
   */
  private float[] design() {
    double beta = 0.1102 * (ATTENUATION_DB - 8.7);
    double cutoff = (passbandHz + stopbandHz) / 2 / inputRate; // cycles per input sample
    double half = taps / 2.0;
    double norm = besselI0(beta);
    float[] coefficients = new float[up * taps];
    double[] phase = new double[taps];
    for (int p = 0; p < up; p++) {
      double sum = 0;
      for (int k = 0; k < taps; k++) {
        double t = (double) p / up + half - 1 - k;
        double u = t / half;
        double window = Math.abs(u) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - u * u)) / norm;
        phase[k] = 2 * cutoff * sinc(2 * cutoff * t) * window;
        sum += phase[k];
      }
      for (int k = 0; k < taps; k++) {
        coefficients[p * taps + k] = (float) (phase[k] / sum);
      }
    }
    return coefficients;
  }

  private static double sinc(double x) {
    return x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
  }

  /** The zeroth-order modified Bessel function of the first kind, by its power series. */
  private static double besselI0(double x) {
    double sum = 1;
    double term = 1;
    double quarter = x * x / 4;
    for (int k = 1; term > 1e-17 * sum; k++) {
      term *= quarter / ((double) k * k);
      sum += term;
    }
    return sum;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
