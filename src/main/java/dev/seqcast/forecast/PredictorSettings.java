package dev.seqcast.forecast;

import dev.seqcast.model.TrustedKeys;
import java.util.List;
import java.util.Set;

/**
 * What the predictor topology needs to know, beyond Kafka Streams' own configuration.
 *
 * @param modelName the model of every series no route matches (all series when there are none)
 * @param ringSize how many recent values each series keeps for re-warming after a model swap
 * @param maxTickBytes largest accepted tick value; larger ones are dead-lettered as oversized
 * @param metricsSeries series whose actual and forecast values are exported as metrics (an explicit
 *     allow-list: label cardinality stays bounded)
 * @param routes series-to-model routes tried before {@code modelName} (see {@link ModelRouting})
 * @param trustedKeys keys model bundles must be signed by, or null to accept unsigned bundles
 * @param forecast intervals, horizons and the anomaly threshold
 * @param tickMapping where series id, value and event time are in a tick record
 * @param expiry when a quiet series' state is dropped ({@link SeriesExpiry#never()} by default)
 */
public record PredictorSettings(
    String modelName,
    int ringSize,
    int maxTickBytes,
    Set<String> metricsSeries,
    List<ModelRouting.Route> routes,
    TrustedKeys trustedKeys,
    ForecastSettings forecast,
    TickMapping tickMapping,
    SeriesExpiry expiry) {

  /** Default model name: the bundled S&amp;P 500 model. */
  public static final String DEFAULT_MODEL = "sp500";

  /** Default ring buffer length. */
  public static final int DEFAULT_RING_SIZE = 64;

  /** Validates the settings. */
  public PredictorSettings {
    if (modelName == null || modelName.isBlank()) {
      throw new IllegalArgumentException("model name must not be empty");
    }
    if (ringSize < 1 || ringSize > SeriesStateSerde.MAX_RING) {
      throw new IllegalArgumentException(
          "ring size must be between 1 and " + SeriesStateSerde.MAX_RING + ", was " + ringSize);
    }
    if (maxTickBytes < 16) {
      throw new IllegalArgumentException("max tick bytes must be at least 16, was " + maxTickBytes);
    }
    if (forecast == null || tickMapping == null || expiry == null) {
      throw new IllegalArgumentException(
          "forecast settings, tick mapping and expiry must not be null");
    }
    metricsSeries = Set.copyOf(metricsSeries);
    routes = List.copyOf(routes);
  }

  /** Settings with no routes, accepting unsigned model bundles. */
  public PredictorSettings(
      String modelName, int ringSize, int maxTickBytes, Set<String> metricsSeries) {
    this(
        modelName,
        ringSize,
        maxTickBytes,
        metricsSeries,
        List.of(),
        null,
        ForecastSettings.defaults(),
        TickMapping.defaults(),
        SeriesExpiry.never());
  }

  /** Settings with no series allow-listed for metrics, no routes, accepting unsigned bundles. */
  public PredictorSettings(String modelName, int ringSize, int maxTickBytes) {
    this(modelName, ringSize, maxTickBytes, Set.of());
  }

  /** These settings with {@code series} allow-listed for per-series metrics. */
  public PredictorSettings withMetricsSeries(Set<String> series) {
    return new PredictorSettings(
        modelName,
        ringSize,
        maxTickBytes,
        series,
        routes,
        trustedKeys,
        forecast,
        tickMapping,
        expiry);
  }

  /** These settings with {@code newRoutes} routing series to models. */
  public PredictorSettings withRoutes(List<ModelRouting.Route> newRoutes) {
    return new PredictorSettings(
        modelName,
        ringSize,
        maxTickBytes,
        metricsSeries,
        newRoutes,
        trustedKeys,
        forecast,
        tickMapping,
        expiry);
  }

  /** These settings accepting only model bundles signed by {@code keys} (null: any bundle). */
  public PredictorSettings withTrustedKeys(TrustedKeys keys) {
    return new PredictorSettings(
        modelName,
        ringSize,
        maxTickBytes,
        metricsSeries,
        routes,
        keys,
        forecast,
        tickMapping,
        expiry);
  }

  /** These settings with other intervals, horizons or anomaly threshold. */
  public PredictorSettings withForecast(ForecastSettings settings) {
    return new PredictorSettings(
        modelName,
        ringSize,
        maxTickBytes,
        metricsSeries,
        routes,
        trustedKeys,
        settings,
        tickMapping,
        expiry);
  }

  /** These settings reading ticks laid out as {@code mapping} says. */
  public PredictorSettings withTickMapping(TickMapping mapping) {
    return new PredictorSettings(
        modelName,
        ringSize,
        maxTickBytes,
        metricsSeries,
        routes,
        trustedKeys,
        forecast,
        mapping,
        expiry);
  }

  /** These settings dropping quiet series' state as {@code newExpiry} says. */
  public PredictorSettings withExpiry(SeriesExpiry newExpiry) {
    return new PredictorSettings(
        modelName,
        ringSize,
        maxTickBytes,
        metricsSeries,
        routes,
        trustedKeys,
        forecast,
        tickMapping,
        newExpiry);
  }

  /** The routing these settings describe. */
  public ModelRouting routing() {
    return new ModelRouting(modelName, routes);
  }

  /** Defaults for everything. */
  public static PredictorSettings defaults() {
    return new PredictorSettings(DEFAULT_MODEL, DEFAULT_RING_SIZE, TickCodec.DEFAULT_MAX_BYTES);
  }
}
