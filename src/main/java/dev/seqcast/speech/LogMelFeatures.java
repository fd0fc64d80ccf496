package dev.seqcast.speech;

import dev.seqcast.model.Normalisation;
import java.util.ArrayList;
import java.util.List;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Causal speech features, one frame per 10 ms hop of 16 kHz audio. Frame {@code k} is computed the
 * moment sample {@code 160(k+1) − 1} arrives, from the 25 ms (400-sample) window that ends with it
 * (samples before the stream's start count as zeros), so it uses no future audio: the algorithmic
 * latency is one window, of which the newest 10 ms is the hop the frame describes.
 *
 * <p>Per window: Hamming window, 512-point real FFT (JTransforms), power spectrum, 40 triangular
 * mel filters (HTK mel scale, 20 Hz to 8 kHz), natural log; plus the log energy of the window: 41
 * static features. Each static feature is normalised by the stream's own running mean and variance
 * (cumulative over the first {@code 1/alpha} frames, exponentially weighted with weight {@code
 * alpha} after), with a variance floor of {@code initialScale²}, clipped to {@code ±clip}. Deltas
 * look back only: {@code d_t = (z_t − z_{t−2}) / 2} on the normalised statics. A frame is {@code [z
 * (41) | d (41)]}: {@value #SIZE} features.
 *
 * <p>The parameters are immutable and shared; all per-stream memory is in {@link SpeechState}. One
 * instance per thread: it owns the FFT scratch buffers.
 */
public final class LogMelFeatures {

  /** Samples per hop (10 ms). */
  public static final int HOP = 160;

  /** Samples per window (25 ms). */
  public static final int WINDOW = 400;

  /** Mel bands. */
  public static final int BANDS = 40;

  /** Static features: the mel bands and the log energy. */
  public static final int STATIC = BANDS + 1;

  /** Features per frame: statics and their deltas. */
  public static final int SIZE = 2 * STATIC;

  /** FFT length: the window zero-padded to a power of two. */
  static final int FFT = 512;

  static final double LOWEST_HZ = 20;
  static final double HIGHEST_HZ = AudioChunks.SAMPLE_RATE / 2.0;
  private static final double LOG_FLOOR = 1e-10;

  /** Name of this feature pipeline in bundle headers ({@code normalisation.transform}). */
  public static final String TRANSFORM = "log-mel40+log-energy+delta2/running-mean-var";

  /** Running normaliser weight after 300 frames (3 s): it follows a changing noise floor. */
  public static final double DEFAULT_ALPHA = 1.0 / 300;

  /** The normalisation parameters speech models are trained with. */
  public static final Normalisation DEFAULT_NORMALISATION =
      new Normalisation(DEFAULT_ALPHA, 0.3, 8, TRANSFORM);

  private static final float[] HAMMING = hamming();
  private static final float[][] FILTERS = melFilters();
  private static final int[] FILTER_FROM = new int[BANDS];

  /**
   * One past each filter's last non-zero weight: a band sums over its triangle only, about 13 bins
   * on average instead of the rest of the spectrum (the zeros added nothing to the sum).
   */
  private static final int[] FILTER_TO = new int[BANDS];

  static {
    for (int b = 0; b < BANDS; b++) {
      int k = 0;
      while (FILTERS[b][k] == 0 && k < FILTERS[b].length - 1) {
        k++;
      }
      FILTER_FROM[b] = k;
      int end = FILTERS[b].length;
      while (end > k + 1 && FILTERS[b][end - 1] == 0) {
        end--;
      }
      FILTER_TO[b] = end;
    }
  }

  private final double alpha;
  private final double varianceFloor;
  private final float clip;
  private final FloatFFT_1D fft = new FloatFFT_1D(FFT);
  private final float[] spectrum = new float[FFT];
  private final float[] statics = new float[STATIC];

  /** Features with the normaliser of {@code normalisation} (alpha, initialScale, clip). */
  public LogMelFeatures(Normalisation normalisation) {
    if (!TRANSFORM.equals(normalisation.transform())) {
      throw new IllegalArgumentException(
          "speech features compute " + TRANSFORM + ", not " + normalisation.transform());
    }
    this.alpha = normalisation.alpha();
    this.varianceFloor = normalisation.initialScale() * normalisation.initialScale();
    this.clip = (float) normalisation.clip();
  }

  /** The names of the {@value #SIZE} features, in order, for bundle headers. */
  public static List<String> names() {
    List<String> names = new ArrayList<>();
    for (String prefix : new String[] {"", "d_"}) {
      for (int b = 0; b < BANDS; b++) {
        names.add(prefix + "mel" + b);
      }
      names.add(prefix + "log_energy");
    }
    return names;
  }

  /**
   * Appends one sample (scaled to {@code [-1, 1)}) to the stream; when it completes a hop, writes
   * the frame into {@code frame} ({@value #SIZE} floats) and returns true.
   */
  public boolean push(SpeechState s, float sample, float[] frame) {
    s.samples[s.sampleAt] = sample;
    s.sampleAt = (s.sampleAt + 1) % WINDOW;
    if (++s.pending < HOP) {
      return false;
    }
    s.pending = 0;
    compute(s, frame);
    s.frames++;
    return true;
  }

  private void compute(SpeechState s, float[] frame) {
    double energy = 0;
    int wrap = WINDOW - s.sampleAt; // the ring holds the oldest sample at sampleAt
    for (int i = 0; i < wrap; i++) {
      float x = s.samples[s.sampleAt + i];
      energy += (double) x * x;
      spectrum[i] = x * HAMMING[i];
    }
    for (int i = wrap; i < WINDOW; i++) {
      float x = s.samples[i - wrap];
      energy += (double) x * x;
      spectrum[i] = x * HAMMING[i];
    }
    java.util.Arrays.fill(spectrum, WINDOW, FFT, 0f);
    fft.realForward(spectrum);
    // realForward packs: a[0] = Re[0], a[1] = Re[N/2], a[2k], a[2k+1] = Re[k], Im[k].
    float nyquist = spectrum[1] * spectrum[1];
    spectrum[0] = spectrum[0] * spectrum[0];
    for (int k = 1; k < FFT / 2; k++) {
      float re = spectrum[2 * k];
      float im = spectrum[2 * k + 1];
      spectrum[k] = re * re + im * im;
    }
    spectrum[FFT / 2] = nyquist;
    for (int b = 0; b < BANDS; b++) {
      float[] filter = FILTERS[b];
      double sum = 0;
      for (int k = FILTER_FROM[b]; k < FILTER_TO[b]; k++) {
        sum += filter[k] * spectrum[k];
      }
      statics[b] = (float) Math.log(sum + LOG_FLOOR);
    }
    statics[BANDS] = (float) Math.log(energy + LOG_FLOOR);
    normaliseAndDelta(s, frame);
  }

  private void normaliseAndDelta(SpeechState s, float[] frame) {
    s.normalised++;
    double a = Math.max(1.0 / s.normalised, alpha);
    for (int j = 0; j < STATIC; j++) {
      double x = statics[j];
      double diff = x - s.mean[j];
      s.mean[j] += (float) (a * diff);
      s.variance[j] = (float) ((1 - a) * (s.variance[j] + a * diff * diff));
      float z = (float) ((x - s.mean[j]) / Math.sqrt(s.variance[j] + varianceFloor));
      z = Math.max(-clip, Math.min(clip, z));
      frame[j] = z;
      frame[STATIC + j] = (z - s.before2[j]) / 2;
      s.before2[j] = s.before1[j];
      s.before1[j] = z;
    }
  }

  /** Every frame of a whole recording, streamed from a fresh state: {@code [frames][SIZE]}. */
  public float[][] frames(float[] samples) {
    SpeechState s = new SpeechState();
    float[][] frames = new float[samples.length / HOP][];
    float[] frame = new float[SIZE];
    for (float sample : samples) {
      if (push(s, sample, frame)) {
        frames[(int) s.frames - 1] = frame.clone();
      }
    }
    return frames;
  }

  /** The centre frequency of mel band {@code band}, in Hz. */
  public static double centreHz(int band) {
    double low = mel(LOWEST_HZ);
    double high = mel(HIGHEST_HZ);
    return hz(low + (band + 1) * (high - low) / (BANDS + 1));
  }

  /**
   * The raw (unnormalised) statics of one {@value #WINDOW}-sample window: zeros are pushed first so
   * that the window ends exactly on a hop.
   */
  float[] rawStatics(float[] window) {
    if (window.length != WINDOW) {
      throw new IllegalArgumentException("a window has " + WINDOW + " samples");
    }
    SpeechState s = new SpeechState();
    float[] frame = new float[SIZE];
    for (int i = 0; i < (HOP - WINDOW % HOP) % HOP; i++) {
      push(s, 0f, frame);
    }
    for (float x : window) {
      push(s, x, frame);
    }
    return statics.clone();
  }

  static double mel(double hz) {
    return 2595 * Math.log10(1 + hz / 700);
  }

  static double hz(double mel) {
    return 700 * (Math.pow(10, mel / 2595) - 1);
  }

  private static float[] hamming() {
    float[] w = new float[WINDOW];
    for (int i = 0; i < WINDOW; i++) {
      w[i] = (float) (0.54 - 0.46 * Math.cos(2 * Math.PI * i / (WINDOW - 1)));
    }
    return w;
  }

  /** Triangular filters over FFT bins 0..FFT/2, peaks at the mel-spaced centres. */
  private static float[][] melFilters() {
    int bins = FFT / 2 + 1;
    double[] edges = new double[BANDS + 2];
    double low = mel(LOWEST_HZ);
    double high = mel(HIGHEST_HZ);
    for (int i = 0; i < edges.length; i++) {
      edges[i] = hz(low + i * (high - low) / (BANDS + 1));
    }
    float[][] filters = new float[BANDS][bins];
    for (int b = 0; b < BANDS; b++) {
      for (int k = 0; k < bins; k++) {
        double f = (double) k * AudioChunks.SAMPLE_RATE / FFT;
        double rise = (f - edges[b]) / (edges[b + 1] - edges[b]);
        double fall = (edges[b + 2] - f) / (edges[b + 2] - edges[b + 1]);
        filters[b][k] = (float) Math.max(0, Math.min(rise, fall));
      }
    }
    return filters;
  }
}
