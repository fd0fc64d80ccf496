package dev.seqcast.stream;

import dev.seqcast.model.FeatureTransform;

/**
 * Everything the predictor remembers about one series, stored as one entry of the RocksDB-backed,
 * changelogged {@code seqcast-series} store (serialised by {@link SeriesStateSerde}).
 *
 * <ul>
 *   <li>{@code modelName}, {@code modelVersion}: the model the recurrent state belongs to; "" and 0
 *       before any model.
 *   <li>{@code recurrent}: the model's recurrent vector ({@code [h | c]} for an LSTM).
 *   <li>{@code lastValue}, {@code variance}: the {@link FeatureTransform} state (normalisation).
 *   <li>a ring buffer of the last W raw values, used to re-warm a new model's state on a swap.
 *   <li>{@code lastForecast}: the forecast made at the last tick, scored when the next one arrives.
 *   <li>{@code errorVariance}, {@code errorCount}: an exponentially weighted mean of squared
 *       one-step errors, which sets the width of the forecast interval.
 *   <li>{@code shadow}: the same for the shadow model while one runs, else null.
 * </ul>
 *
 * Mutable and confined to the stream thread that owns the series' partition.
 */
public final class SeriesState {

  static final float[] NO_RECURRENT = new float[0];

  /** Two-sided standard normal quantile for a nominal 90% interval. */
  static final double Z90 = 1.6448536269514722;

  /** One-step errors a series needs before its forecasts carry an interval. */
  static final int MIN_ERRORS_FOR_INTERVAL = 10;

  /** Weight of the newest squared error in {@code errorVariance}: about the last 20 ticks. */
  static final double ERROR_WEIGHT = 0.05;

  String modelName = "";
  long modelVersion;
  long steps;
  long lastTs = Long.MIN_VALUE;
  double lastValue = Double.NaN;
  double variance;
  float[] recurrent = NO_RECURRENT;
  final double[] ring;
  int ringSize;
  int ringNext;
  double lastForecast = Double.NaN;
  double errorVariance;
  long errorCount;
  Shadow shadow;

  /**
   * The series' state under the shadow model, stepped on every tick beside the live state and never
   * emitted: its own recurrent vector, transform state and last forecast (for scoring).
   */
  static final class Shadow {
    long version;
    float[] recurrent;
    double lastValue = Double.NaN;
    double variance;
    double lastForecast = Double.NaN;
  }

  /** A state for a series never seen before, keeping the last {@code ringCapacity} values. */
  public SeriesState(int ringCapacity) {
    this.ring = new double[ringCapacity];
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
   * Half the width of the nominal 90% interval around the next forecast: z·σ with σ² the weighted
   * mean squared one-step error. NaN until {@value #MIN_ERRORS_FOR_INTERVAL} errors were scored.
   */
  public double intervalHalfWidth() {
    return errorCount < MIN_ERRORS_FOR_INTERVAL ? Double.NaN : Z90 * Math.sqrt(errorVariance);
  }

  /** Scores the last forecast against the value that arrived. */
  void recordError(double error) {
    // Saturated: two forecasts near Double.MAX_VALUE apart would square to infinity and make every
    // later interval [-inf, inf].
    double squared = Math.min(Double.MAX_VALUE, error * error);
    errorVariance =
        errorCount == 0 ? squared : (1 - ERROR_WEIGHT) * errorVariance + ERROR_WEIGHT * squared;
    errorCount++;
  }

  void remember(long ts, double value) {
    ring[ringNext] = value;
    ringNext = (ringNext + 1) % ring.length;
    ringSize = Math.min(ringSize + 1, ring.length);
    lastTs = ts;
    steps++;
  }

  FeatureTransform.State transformState() {
    return FeatureTransform.State.of(lastValue, variance);
  }

  void transformState(FeatureTransform.State state) {
    lastValue = state.lastValue();
    variance = state.variance();
  }
}
