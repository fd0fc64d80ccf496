package dev.seqcast.stream;

import java.util.Set;

/**
 * What the predictor topology needs to know, beyond Kafka Streams' own configuration.
 *
 * @param modelName the model every series is predicted with
 * @param ringSize how many recent values each series keeps for re-warming after a model swap
 * @param maxTickBytes largest accepted tick value; larger ones are dead-lettered as oversized
 * @param metricsSeries series whose actual and forecast values are exported as metrics (an explicit
 *     allow-list: label cardinality stays bounded)
 */
public record PredictorSettings(
    String modelName, int ringSize, int maxTickBytes, Set<String> metricsSeries) {

  /** Default model name: the bundled S&amp;P 500 model. */
  public static final String DEFAULT_MODEL = "sp500";

  /** Default ring buffer length. */
  public static final int DEFAULT_RING_SIZE = 64;

  /** Validates the settings. */
  public PredictorSettings {
    if (modelName == null || modelName.isBlank()) {
      throw new IllegalArgumentException("model name must not be empty");
    }
    if (ringSize < 1) {
      throw new IllegalArgumentException("ring size must be at least 1, was " + ringSize);
    }
    if (maxTickBytes < 16) {
      throw new IllegalArgumentException("max tick bytes must be at least 16, was " + maxTickBytes);
    }
    metricsSeries = Set.copyOf(metricsSeries);
  }

  /** Settings with no series allow-listed for metrics. */
  public PredictorSettings(String modelName, int ringSize, int maxTickBytes) {
    this(modelName, ringSize, maxTickBytes, Set.of());
  }

  /** These settings with {@code series} allow-listed for per-series metrics. */
  public PredictorSettings withMetricsSeries(Set<String> series) {
    return new PredictorSettings(modelName, ringSize, maxTickBytes, series);
  }

  /** Defaults for everything. */
  public static PredictorSettings defaults() {
    return new PredictorSettings(DEFAULT_MODEL, DEFAULT_RING_SIZE, TickCodec.DEFAULT_MAX_BYTES);
  }
}
