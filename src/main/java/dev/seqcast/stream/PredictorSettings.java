package dev.seqcast.stream;

/**
 * What the predictor topology needs to know, beyond Kafka Streams' own configuration.
 *
 * @param modelName the model every series is predicted with
 * @param ringSize how many recent values each series keeps for re-warming after a model swap
 * @param maxTickBytes largest accepted tick value; larger ones are dead-lettered as oversized
 */
public record PredictorSettings(String modelName, int ringSize, int maxTickBytes) {

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
  }

  /** Defaults for everything. */
  public static PredictorSettings defaults() {
    return new PredictorSettings(DEFAULT_MODEL, DEFAULT_RING_SIZE, TickCodec.DEFAULT_MAX_BYTES);
  }
}
