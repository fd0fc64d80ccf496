package dev.seqcast.forecast;

import dev.seqcast.model.BundleException;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.Scorecard;
import dev.seqcast.streams.SharedMeters;
import dev.seqcast.streams.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The predictor's meters, created up front so the per-event path only increments. In Prometheus
 * they read (see {@code docs/observability.md}):
 *
 * <ul>
 *   <li>{@code seqcast_events_total{topic,outcome}}, {@code seqcast_dead_letters_total{reason}}
 *   <li>{@code seqcast_step_seconds} and {@code seqcast_prediction_latency_seconds} histograms
 *   <li>{@code seqcast_model_version{model}}, {@code seqcast_model_swaps_total{model}}, {@code
 *       seqcast_model_refusals_total{reason}}
 *   <li>{@code seqcast_forecast_abs_error}, {@code seqcast_forecast_squared_error} summaries and
 *       {@code seqcast_forecast_interval_total{model,result}} per model
 *   <li>{@code seqcast_anomaly_score} histogram and {@code seqcast_anomalies_total} per model
 *   <li>{@code seqcast_forecast_value{series,kind}} for allow-listed series only
 *   <li>{@code seqcast_state_series{store}} (exact) and {@code
 *       seqcast_series_evicted_total{reason}}
 * </ul>
 *
 * Labels take bounded values: enums, model names, and series ids only from the explicit allow-list.
 * Counters with a fixed label set are registered at zero so dashboards and alerts see them before
 * the first event. Thread-safe.
 */
public final class PredictorMetrics {

  /** Model refusal reasons besides the bundle's own ({@link BundleException.Reason}). */
  public static final Set<String> REGISTRY_REFUSALS = SharedMeters.REGISTRY_REFUSALS;

  private final MeterRegistry registry;
  private final Set<String> seriesAllowList;
  private final String ticksTopic;
  private final Counter predicted;
  private final Counter withoutModel;
  private final Counter replayed;
  private final Counter deadLettered;
  private final Counter controlled;
  private final Map<String, Counter> evictions = new ConcurrentHashMap<>();
  private final Map<DlqReason, Counter> deadLetters;
  private final Timer step;
  private final Timer latency;
  private final Map<String, ModelMeters> models = new ConcurrentHashMap<>();
  private final Map<String, ModelMeters> shadows = new ConcurrentHashMap<>();
  private final Map<String, SeriesGauges> series = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> seriesCounts = new ConcurrentHashMap<>();

  /**
   * Why a series' state was dropped: the {@code reason} of {@code seqcast_series_evicted_total}.
   */
  public static final String EXPIRED = "expired";

  /** The state was removed by {@code seqcast series delete}. */
  public static final String DELETED = "deleted";

  /** The state was started afresh by {@code seqcast series reset}. */
  public static final String RESET = "reset";

  private static final List<String> EVICTION_REASONS = List.of(EXPIRED, DELETED, RESET);

  /** Registers the meters on {@code registry}, with no series allow-listed. */
  public PredictorMetrics(MeterRegistry registry) {
    this(registry, Set.of());
  }

  /**
   * Registers the meters on {@code registry}, counting events under the default ticks topic.
   *
   * @param seriesAllowList series whose actual and forecast values are exported as gauges
   */
  public PredictorMetrics(MeterRegistry registry, Set<String> seriesAllowList) {
    this(registry, seriesAllowList, Topics.TICKS);
  }

  /**
   * Registers the meters on {@code registry}.
   *
   * @param seriesAllowList series whose actual and forecast values are exported as gauges
   * @param ticksTopic the topic ticks are read from, the {@code topic} label of the event counts
   */
  public PredictorMetrics(MeterRegistry registry, Set<String> seriesAllowList, String ticksTopic) {
    this.registry = registry;
    this.ticksTopic = ticksTopic;
    this.seriesAllowList = Set.copyOf(seriesAllowList);
    predicted = outcome("predicted");
    withoutModel = outcome("no_model");
    replayed = outcome("replayed");
    deadLettered = outcome("dead_lettered");
    controlled = outcome("control");
    for (String reason : EVICTION_REASONS) {
      evictions.put(
          reason,
          Counter.builder("seqcast.series.evicted")
              .description(
                  "Series states dropped: expired (quiet longer than --series-ttl), deleted or"
                      + " reset by an operator")
              .tag("reason", reason)
              .register(registry));
    }
    deadLetters = SharedMeters.deadLetters(registry);
    SharedMeters.registerRefusals(registry);
    Gauge.builder(
            "seqcast.state.series",
            seriesCounts,
            counts -> counts.values().stream().mapToLong(AtomicLong::get).sum())
        .description("Series held in this instance's local state (active tasks), exact")
        .tag("store", "seqcast-series")
        .register(registry);
    step =
        Timer.builder("seqcast.step")
            .description("Time to advance one series by one tick: state read, step, state write")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(500))
            .maximumExpectedValue(Duration.ofMillis(100))
            .register(registry);
    latency =
        Timer.builder("seqcast.prediction.latency")
            .description("From a tick's Kafka record timestamp to its forecast being made")
            .publishPercentileHistogram()
            // An exact le="0.05" bucket: the latency alerts count predictions slower than 50 ms.
            .serviceLevelObjectives(Duration.ofMillis(50))
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
  }

  private Counter outcome(String outcome) {
    return SharedMeters.events(registry, ticksTopic, outcome);
  }

  /** A tick produced a prediction {@code latencyMs} after its record timestamp. */
  public void predicted(long stepNanos, double latencyMs) {
    predicted.increment();
    step.record(stepNanos, TimeUnit.NANOSECONDS);
    latency.record((long) (latencyMs * 1e6), TimeUnit.NANOSECONDS);
  }

  /** A tick was accepted before any model existed: state updated, nothing emitted. */
  public void acceptedWithoutModel() {
    withoutModel.increment();
  }

  /**
   * A tick read again after a crash (at_least_once) whose state already held it: its kept
   * predictions were sent again.
   */
  public void replayed() {
    replayed.increment();
  }

  /** A control record (reset, delete) was applied; it produces nothing. */
  public void controlApplied() {
    controlled.increment();
  }

  /**
   * A series' state was dropped, for {@code reason}: {@link #EXPIRED}, {@link #DELETED} or {@link
   * #RESET}.
   */
  public void evicted(String reason) {
    evictions.get(reason).increment();
  }

  /** A record went to the dead-letter topic. */
  public void deadLettered(DlqReason reason) {
    deadLetters.get(reason).increment();
    deadLettered.increment();
  }

  /** A model bundle was refused. */
  public void modelRefused(String reason) {
    SharedMeters.refusals(registry, reason).increment();
  }

  /** Model {@code name} at {@code version} became current. */
  public void modelSwapped(String name, long version) {
    ModelMeters meters = model(name);
    meters.version.set(version);
    meters.swaps.increment();
  }

  /** The meters of model {@code name}, created on first use; callers may keep the result. */
  public ModelMeters model(String name) {
    return models.computeIfAbsent(name, n -> new ModelMeters(n, null));
  }

  /**
   * The meters of shadow version {@code version} of model {@code name}: its forecast errors as
   * {@code seqcast_shadow_forecast_abs_error} and {@code seqcast_shadow_forecast_squared_error}
   * with labels {@code model} and {@code version}, beside the live model's.
   */
  public ModelMeters shadow(String name, long version) {
    return shadows.computeIfAbsent(
        name + "/" + version, key -> new ModelMeters(name, Long.toString(version)));
  }

  /** Running totals of one model version's scored forecasts. */
  private static final class Score {
    final LongAdder count = new LongAdder();
    final DoubleAdder absSum = new DoubleAdder();
    final DoubleAdder squaredSum = new DoubleAdder();
  }

  /** A snapshot of every model version's totals, live and shadow. */
  public List<Scorecard> scorecards() {
    List<Scorecard> cards = new ArrayList<>();
    for (ModelMeters meters : models.values()) {
      meters.addScorecards(cards);
    }
    for (ModelMeters meters : shadows.values()) {
      meters.addScorecards(cards);
    }
    return cards;
  }

  /**
   * Counts the series of stream task {@code taskId} in {@code seqcast_state_series} until {@link
   * #untrackSeriesCount}; the gauge is the sum over this instance's tasks.
   */
  public void trackSeriesCount(String taskId, AtomicLong count) {
    seriesCounts.put(taskId, count);
  }

  /** Stops counting the task's series (it was closed or moved to another instance). */
  public void untrackSeriesCount(String taskId, AtomicLong count) {
    seriesCounts.remove(taskId, count);
  }

  /** The gauges of {@code seriesId} if it is allow-listed, else null. */
  public SeriesGauges series(String seriesId) {
    if (!seriesAllowList.contains(seriesId)) {
      return null;
    }
    return series.computeIfAbsent(seriesId, SeriesGauges::new);
  }

  /** Online forecast quality and version of one model. */
  public final class ModelMeters {
    private final String name;
    private final String role;
    private final Map<Long, Score> scores = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final Counter swaps;
    private final DistributionSummary absError;
    private final DistributionSummary squaredError;
    private final Counter inside;
    private final Counter outside;
    private final DistributionSummary anomalyScore;
    private final Counter anomalies;

    /** Live meters when {@code shadowVersion} is null, else the shadow version's. */
    private ModelMeters(String name, String shadowVersion) {
      this.name = name;
      this.role = shadowVersion == null ? "live" : "shadow";
      String prefix = shadowVersion == null ? "seqcast." : "seqcast.shadow.";
      Tags tags = Tags.of("model", name);
      if (shadowVersion == null) {
        SharedMeters.version(registry, name, version);
        swaps = SharedMeters.swaps(registry, name);
      } else {
        tags = tags.and("version", shadowVersion);
        swaps = null;
      }
      absError =
          DistributionSummary.builder(prefix + "forecast.abs.error")
              .description("Absolute one-step forecast error, in the series' units")
              .tags(tags)
              .register(registry);
      squaredError =
          DistributionSummary.builder(prefix + "forecast.squared.error")
              .description("Squared one-step forecast error, in the series' units squared")
              .tags(tags)
              .register(registry);
      inside = shadowVersion == null ? interval(name, "inside") : null;
      outside = shadowVersion == null ? interval(name, "outside") : null;
      anomalyScore =
          shadowVersion == null
              ? DistributionSummary.builder("seqcast.anomaly.score")
                  .description(
                      "Anomaly score of each scored tick whose forecast had an interval, in"
                          + " half-widths of that interval")
                  .tags(tags)
                  .serviceLevelObjectives(0.5, 1, 1.5, 2, 3, 4, 6, 10, 20)
                  .register(registry)
              : null;
      anomalies =
          shadowVersion == null
              ? Counter.builder("seqcast.anomalies")
                  .description("Ticks whose anomaly score reached the threshold")
                  .tags(tags)
                  .register(registry)
              : null;
    }

    private void addScorecards(List<Scorecard> cards) {
      scores.forEach(
          (v, score) ->
              cards.add(
                  new Scorecard(
                      name,
                      role,
                      v,
                      score.count.sum(),
                      score.absSum.sum(),
                      score.squaredSum.sum())));
    }

    private Counter interval(String name, String result) {
      return Counter.builder("seqcast.forecast.interval")
          .description("Scored forecasts with an interval, by whether the actual value fell in it")
          .tag("model", name)
          .tag("result", result)
          .register(registry);
    }

    /**
     * Scores one forecast against the value that arrived.
     *
     * @param modelVersion the version the forecast is booked to (the one running when scored)
     * @param error actual minus forecast
     * @param halfWidth half the width of the forecast's interval, or NaN if it had none
     */
    public void scored(long modelVersion, double error, double halfWidth) {
      double abs = Math.abs(error);
      absError.record(abs);
      squaredError.record(error * error);
      Score score = scores.get(modelVersion);
      if (score == null) {
        score = scores.computeIfAbsent(modelVersion, v -> new Score());
      }
      score.count.increment();
      score.absSum.add(abs);
      score.squaredSum.add(error * error);
      if (!Double.isNaN(halfWidth) && inside != null) {
        (abs <= halfWidth ? inside : outside).increment();
      }
    }

    /** A live forecast's anomaly {@code score} was computed; {@code anomaly} if it was one. */
    public void anomalyScored(double score, boolean anomaly) {
      anomalyScore.record(score);
      if (anomaly) {
        anomalies.increment();
      }
    }
  }

  /**
   * Latest values of one allow-listed series, aligned for comparison: {@code actual} is the newest
   * tick's value, {@code predicted}, {@code lo} and {@code hi} the forecast and interval that had
   * been made for that tick, {@code next} the forecast just made for the tick to come.
   */
  public final class SeriesGauges {
    private volatile double actual = Double.NaN;
    private volatile double predicted = Double.NaN;
    private volatile double lo = Double.NaN;
    private volatile double hi = Double.NaN;
    private volatile double next = Double.NaN;

    private SeriesGauges(String id) {
      gauge(id, "actual", g -> g.actual);
      gauge(id, "predicted", g -> g.predicted);
      gauge(id, "lo", g -> g.lo);
      gauge(id, "hi", g -> g.hi);
      gauge(id, "next", g -> g.next);
    }

    private void gauge(String id, String kind, ToDoubleFunction<SeriesGauges> f) {
      Gauge.builder("seqcast.forecast.value", this, f)
          .description("Latest actual value and forecast of an allow-listed series")
          .tag("series", id)
          .tag("kind", kind)
          .register(registry);
    }

    /**
     * Records one tick: its value, what had been forecast for it (NaN when nothing was) with that
     * forecast's interval (NaN when it had none), and the forecast just made for the next tick.
     */
    public void update(
        double actualValue, double forecastForIt, double low, double high, double nextForecast) {
      actual = actualValue;
      predicted = forecastForIt;
      lo = low;
      hi = high;
      next = nextForecast;
    }
  }
}
