package dev.seqcast.forecast;

import dev.seqcast.model.AnomalyScore;
import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.ExponentialSmoothing;
import dev.seqcast.model.FeatureTransform;

/**
 * Everything the predictor remembers about one series, stored as one entry of the RocksDB-backed,
 * changelogged {@code seqcast-series} store (serialised by {@link SeriesStateSerde}).
 *
 * <ul>
 *   <li>{@code modelName}, {@code modelVersion}: the model the recurrent state belongs to; "" and 0
 *       before any model.
 *   <li>{@code recurrent}: the model's recurrent vector ({@code [h | c]} for an LSTM).
 *   <li>{@code lastValue}, {@code variance}: the {@link FeatureTransform} state (normalisation) of
 *       a one-step model.
 *   <li>{@code smoothing}: for a smoothed multi-horizon model, its {@link ExponentialSmoothing}
 *       state (level, trend, seasonal indices and slot, scale statistic, counts, last event time)
 *       beside the recurrent vector; null for a one-step model.
 *   <li>a ring buffer of the last W raw values, used to re-warm a new model's state on a swap.
 *   <li>{@code lastForecast}: the forecast made at the last tick, scored when the next one arrives.
 *   <li>{@code residuals}: the last absolute one-step residuals, a primitive ring from which {@link
 *       ConformalInterval} sets the width of the forecast interval; {@code errorCount}: residuals
 *       scored so far; {@code residualsStandardised}: the ring holds residuals divided by the error
 *       scale of the forecast they scored (a smoothed model's), not raw ones (a one-step model's).
 *   <li>{@code drift}: the CUSUM of standardised residuals behind the drift part of the {@link
 *       AnomalyScore}.
 *   <li>{@code shadow}: the same for the shadow model while one runs, else null.
 *   <li>{@code emitted}: under at_least_once only, what the series emitted for its last {@link
 *       #REPLAY_WINDOW} ticks, so that a tick read again after a crash, whose state change had
 *       already reached the changelog, gets its prediction sent again instead of lost.
 * </ul>
 *
 * Mutable and confined to the stream thread that owns the series' partition.
 */
public final class SeriesState {

  static final float[] NO_RECURRENT = new float[0];

  /**
   * How many of its last ticks' emissions a series keeps under at_least_once. A tick's state record
   * and its prediction leave through the same producer microseconds apart; a crash can land between
   * their acknowledgements, so after a restart a few of a series' last ticks may be read again
   * against a state that already holds them. They are re-sent from here.
   */
  static final int REPLAY_WINDOW = 8;

  private static final Emitted[] NO_EMITTED = new Emitted[0];

  String modelName = "";
  long modelVersion;
  long steps;
  long lastTs = Long.MIN_VALUE;
  double lastValue = Double.NaN;
  double variance;
  float[] recurrent = NO_RECURRENT;
  ExponentialSmoothing.State smoothing;
  final double[] ring;
  int ringSize;
  int ringNext;
  double lastForecast = Double.NaN;
  ConformalInterval.Residuals residuals;
  boolean residualsStandardised;
  long errorCount;
  final AnomalyScore.Drift drift = new AnomalyScore.Drift();
  Shadow shadow;
  Emitted[] emitted = NO_EMITTED;
  int emittedCount;

  /**
   * The series' state under the shadow model, stepped on every tick beside the live state and never
   * emitted: its own recurrent vector, transform or smoothing state and last forecast (for
   * scoring).
   */
  static final class Shadow {
    long version;
    float[] recurrent;
    ExponentialSmoothing.State smoothing;
    double lastValue = Double.NaN;
    double variance;
    double lastForecast = Double.NaN;
  }

  /**
   * What the series emitted for one tick, identified by the input record it came from (partition,
   * offset) and its event time: the forecasts of horizons 1..H with their interval half-widths
   * (none if no model was loaded), the model, whether the tick started the state afresh, the gap
   * the tick found, and the anomaly if one was emitted. Enough to send the same records again, bit
   * for bit.
   */
  static final class Emitted {
    int partition;
    long offset;
    long ts;
    String model = "";
    long version;
    double[] values;
    double[] halfWidths;
    long gap;
    boolean anomaly;
    double forecast;
    double halfWidth;
    double score;
    double threshold;
    boolean drift;

    /** {@link Prediction#fresh()} of the tick's predictions: null, NEW or RESET. */
    String fresh;

    /** Sizes the forecast arrays for {@code horizons} forecasts, reusing them when they fit. */
    void horizons(int horizons) {
      if (values == null || values.length != horizons) {
        values = new double[horizons];
        halfWidths = new double[horizons];
      }
    }
  }

  /**
   * A state for a series never seen before, keeping the last {@code ringCapacity} values and the
   * last {@value ConformalInterval#DEFAULT_WINDOW} residuals.
   */
  public SeriesState(int ringCapacity) {
    this(ringCapacity, ConformalInterval.DEFAULT_WINDOW);
  }

  /**
   * A state for a series never seen before, keeping the last {@code ringCapacity} values and the
   * last {@code residualCapacity} absolute one-step residuals.
   */
  public SeriesState(int ringCapacity, int residualCapacity) {
    this.ring = new double[ringCapacity];
    this.residuals = new ConformalInterval.Residuals(residualCapacity);
  }

  /**
   * What {@code seqcast series reset} leaves of a series: no history, and the event time of its
   * last tick, so the reset state expires when the series would have. Its next tick starts afresh
   * and says {@link Prediction#RESET}.
   */
  SeriesState resetMarker() {
    SeriesState marker = new SeriesState(ring.length, residuals.capacity());
    marker.lastTs = lastTs;
    return marker;
  }

  /** True once the series has an accepted tick. */
  public boolean hasHistory() {
    return steps > 0;
  }

  /** Event time of the last accepted tick; {@link Long#MIN_VALUE} before the first. */
  public long lastTs() {
    return lastTs;
  }

  /** Number of accepted ticks. */
  public long steps() {
    return steps;
  }

  /** Name of the model the recurrent state belongs to; empty if none. */
  public String modelName() {
    return modelName;
  }

  /** Version of the model the recurrent state belongs to; 0 if none. */
  public long modelVersion() {
    return modelVersion;
  }

  /** The recurrent vector (a live view; empty before any model). */
  public float[] recurrent() {
    return recurrent;
  }

  /** Number of values held in the ring buffer. */
  public int recentCount() {
    return ringSize;
  }

  /** The {@code i}-th most recent value held, oldest first: {@code i} in {@code [0, count)}. */
  public double recent(int i) {
    int oldest = ringSize < ring.length ? 0 : ringNext;
    return ring[(oldest + i) % ring.length];
  }

  /** The smoothing state of a smoothed model (a live view); null under a one-step model. */
  public ExponentialSmoothing.State smoothing() {
    return smoothing;
  }

  /** Version of the shadow model the shadow state belongs to; 0 when no shadow runs. */
  public long shadowVersion() {
    return shadow == null ? 0 : shadow.version;
  }

  /** The forecast made at the last tick; NaN if none was made. */
  public double lastForecast() {
    return lastForecast;
  }

  /** One-step errors scored so far. */
  public long errorCount() {
    return errorCount;
  }

  /**
   * True when {@link #residuals()} holds residuals divided by their forecast's error scale (a
   * smoothed model's), false when raw.
   */
  public boolean residualsStandardised() {
    return residualsStandardised;
  }

  /** The series' recent absolute one-step residuals (a live view). */
  public ConformalInterval.Residuals residuals() {
    return residuals;
  }

  /** The CUSUM state of the series' anomaly score (a live view). */
  public AnomalyScore.Drift drift() {
    return drift;
  }

  void remember(long ts, double value) {
    ring[ringNext] = value;
    ringNext = (ringNext + 1) % ring.length;
    ringSize = Math.min(ringSize + 1, ring.length);
    lastTs = ts;
    steps++;
  }

  /**
   * The slot for the emissions of the tick being processed, oldest first; the oldest is reused once
   * {@code window} are held (a smaller window than stored drops the oldest).
   */
  Emitted nextEmitted(int window) {
    if (emitted.length != window) {
      Emitted[] resized = new Emitted[window];
      int keep = Math.min(emittedCount, window);
      System.arraycopy(emitted, emittedCount - keep, resized, 0, keep);
      emitted = resized;
      emittedCount = keep;
    }
    Emitted slot;
    if (emittedCount < window) {
      slot = emitted[emittedCount] == null ? new Emitted() : emitted[emittedCount];
      emittedCount++;
    } else {
      slot = emitted[0];
      System.arraycopy(emitted, 1, emitted, 0, window - 1);
    }
    emitted[emittedCount - 1] = slot;
    slot.anomaly = false;
    return slot;
  }

  /** The kept emissions of the tick read from {@code partition} at {@code offset}, else null. */
  Emitted emitted(int partition, long offset, long ts) {
    for (int i = 0; i < emittedCount; i++) {
      Emitted e = emitted[i];
      if (e.offset == offset && e.partition == partition && e.ts == ts) {
        return e;
      }
    }
    return null;
  }

  /** Forgets every kept emission (the window is 0 under exactly_once_v2). */
  void dropEmitted() {
    emitted = NO_EMITTED;
    emittedCount = 0;
  }

  /** Number of ticks whose emissions are kept. */
  int emittedCount() {
    return emittedCount;
  }

  FeatureTransform.State transformState() {
    return FeatureTransform.State.of(lastValue, variance);
  }

  void transformState(FeatureTransform.State state) {
    lastValue = state.lastValue();
    variance = state.variance();
  }
}
