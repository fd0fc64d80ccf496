package dev.seqcast.forecast;

/**
 * A tick whose value its forecast did not expect, emitted on {@code seqcast.anomalies} ({@code
 * docs/schemas/anomaly.schema.json}) when its {@link dev.seqcast.model.AnomalyScore} reaches the
 * threshold.
 *
 * @param series series id (also the record key)
 * @param ts event time of the tick, epoch milliseconds
 * @param observed the tick's value
 * @param forecast what had been forecast for it, one step ahead
 * @param lo lower end of that forecast's interval
 * @param hi upper end of that forecast's interval
 * @param score the anomaly score: in half-widths of the interval, at least {@code threshold}
 * @param kind {@code jump} when the value alone is far outside the interval, {@code drift} when the
 *     residuals leaned one way for a while (the CUSUM part of the score)
 * @param threshold the threshold in force
 * @param model name of the model that made the forecast
 * @param modelVersion version of that model
 */
public record Anomaly(
    String series,
    long ts,
    double observed,
    double forecast,
    double lo,
    double hi,
    double score,
    String kind,
    double threshold,
    String model,
    long modelVersion) {

  /** The score came from the value's own distance to its forecast. */
  public static final String JUMP = "jump";

  /** The score came from residuals leaning one way (the CUSUM). */
  public static final String DRIFT = "drift";
}
