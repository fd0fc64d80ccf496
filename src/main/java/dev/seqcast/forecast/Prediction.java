package dev.seqcast.forecast;

/**
 * A forecast emitted on {@code seqcast.predictions} ({@code docs/schemas/prediction.schema.json}).
 *
 * @param series series id (also the record key)
 * @param ts event time of the tick this forecast follows, epoch milliseconds
 * @param horizon steps ahead; 1 = the series' next tick
 * @param value forecast of the series' value {@code horizon} ticks after {@code ts}, in the series'
 *     own units
 * @param lo lower end of the conformal interval around {@code value} at the target coverage (0.9 by
 *     default; widened by √horizon beyond horizon 1); NaN (absent on the wire) until the series has
 *     enough scored forecasts
 * @param hi upper end of that interval; NaN when {@code lo} is
 * @param observed the tick's own value, so a consumer can compare without a join
 * @param model name of the model that made the forecast
 * @param modelVersion version of that model
 * @param latencyMs wall-clock time from the tick's Kafka record timestamp (its produce time, by
 *     default) to the moment the forecast was made, in milliseconds
 * @param fresh null when the series' state carried on from its previous tick; {@link #NEW} or
 *     {@link #RESET} when this tick started the state afresh
 * @param gap steps of the series' nominal spacing the tick found missed since the series' previous
 *     tick, which a smoothed forecaster stepped over by its gap rule; 0 (absent on the wire) for a
 *     regular tick and for every tick of a one-step model
 */
public record Prediction(
    String series,
    long ts,
    int horizon,
    double value,
    double lo,
    double hi,
    double observed,
    String model,
    long modelVersion,
    double latencyMs,
    String fresh,
    long gap) {

  /**
   * {@code fresh} of the first forecast from a state started from nothing: a series never seen, or
   * one whose state was deleted or had expired (one value for all three on purpose: whether the
   * expiry scan had already removed an expired state must not change the output).
   */
  public static final String NEW = "new";

  /** {@code fresh} of the first forecast after {@code seqcast series reset}. */
  public static final String RESET = "reset";

  /** A forecast after a regular tick (no gap) of a state that carried on. */
  public Prediction(
      String series,
      long ts,
      int horizon,
      double value,
      double lo,
      double hi,
      double observed,
      String model,
      long modelVersion,
      double latencyMs) {
    this(series, ts, horizon, value, lo, hi, observed, model, modelVersion, latencyMs, null, 0);
  }

  /** True when the forecast carries an interval. */
  public boolean hasInterval() {
    return !Double.isNaN(lo) && !Double.isNaN(hi);
  }
}
