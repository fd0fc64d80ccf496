package dev.seqcast.forecast;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.streams.ModelEvents;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.TopicNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Starts the predictor as a running Kafka Streams application: the {@link PredictorTopology}, a
 * model registry, metrics and the scorecards it publishes, on the one app lifecycle ({@link
 * StreamsApp}). {@code serve} and {@code demo} both run it.
 */
public final class PredictorApp {

  /** How often each instance writes its forecast-error scorecards to the model events topic. */
  public static final Duration SCORECARD_INTERVAL = Duration.ofSeconds(30);

  /**
   * Everything needed to run the predictor.
   *
   * @param app the Kafka Streams client settings and the topics
   * @param predictor topology settings
   */
  public record Config(StreamsApp.Config app, PredictorSettings predictor) {

    /** Default application id. */
    public static final String DEFAULT_APPLICATION_ID = "seqcast-predictor";

    /** Defaults for everything but where Kafka and the state live. */
    public static Config defaults(KafkaConnection kafka, Path stateDir) {
      return new Config(
          StreamsApp.Config.defaults(kafka, DEFAULT_APPLICATION_ID, stateDir),
          PredictorSettings.defaults());
    }

    /** This configuration with other topology settings. */
    public Config withPredictor(PredictorSettings settings) {
      return new Config(app, settings);
    }

    /** This configuration on other topics. */
    public Config withTopics(TopicNames names) {
      return new Config(app.withTopics(names), predictor);
    }
  }

  private PredictorApp() {}

  /** Builds and starts the predictor; returns at once (see {@link #awaitRunning}). */
  public static StreamsApp start(Config config, MeterRegistry meters) {
    return start(config, meters, RecurrentModel::newKernel);
  }

  /**
   * Starts the predictor with another source of step kernels (see {@link
   * PredictorTopology#build(TopicNames, PredictorSettings, ModelRegistry, PredictorMetrics,
   * Function)}).
   */
  public static StreamsApp start(
      Config config, MeterRegistry meters, Function<RecurrentModel, StepKernel> kernels) {
    return start(config, meters, kernels, null);
  }

  /**
   * As {@link #start(Config, MeterRegistry, Function)}, with a listener told about changelog
   * restoration; Kafka Streams accepts one only before the client starts, hence this overload.
   *
   * @param restoreListener notified of every store restoration, or {@code null} for none
   */
  public static StreamsApp start(
      Config config,
      MeterRegistry meters,
      Function<RecurrentModel, StepKernel> kernels,
      StateRestoreListener restoreListener) {
    TopicNames topics = config.app().topics();
    PredictorMetrics metrics =
        new PredictorMetrics(meters, config.predictor().metricsSeries(), topics.ticks());
    Set<String> models = config.predictor().routing().models();
    models.forEach(metrics::model); // version 0 until the first version loads
    ModelEvents events =
        new ModelEvents(
            config.app().kafka(),
            topics.modelEvents(),
            config.app().applicationId() + "@" + ManagementFactory.getRuntimeMXBean().getName());
    ModelRegistry registry =
        registry(
            new ModelRegistry.Listener() {
              @Override
              public void refused(String source, String reason, String detail) {
                metrics.modelRefused(reason);
                events.refused(source, reason, detail);
              }

              @Override
              public void live(RecurrentModel model, String why) {
                metrics.modelSwapped(model.name(), model.version());
                events.live(model, why);
              }

              @Override
              public void shadow(String name, RecurrentModel model, String why) {
                events.shadow(name, model, why);
              }
            },
            config.predictor().trustedKeys(),
            config.predictor().forecast().horizon());
    ScheduledExecutorService scorecards =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "seqcast-scorecards");
              t.setDaemon(true);
              return t;
            });
    AutoCloseable finalScorecards =
        () -> {
          scorecards.shutdownNow();
          events.scorecards(metrics.scorecards()); // the final totals
          events.close();
        };
    StreamsApp app =
        StreamsApp.start(
            "predictor",
            config.app(),
            PredictorTopology.build(topics, config.predictor(), registry, metrics, kernels),
            registry,
            models,
            meters,
            restoreListener,
            List.of(finalScorecards));
    long every = SCORECARD_INTERVAL.toMillis();
    scorecards.scheduleAtFixedRate(
        () -> events.scorecards(metrics.scorecards()), every, every, TimeUnit.MILLISECONDS);
    return app;
  }

  /**
   * A registry of the models this pipeline serves ({@link ForecasterFit}), as every predictor
   * instance emitting {@code horizon} forecasts per tick builds it.
   *
   * @param trustedKeys keys bundles must be signed by, or null to accept any well-formed bundle
   */
  public static ModelRegistry registry(
      ModelRegistry.Listener listener, TrustedKeys trustedKeys, int horizon) {
    return new ModelRegistry(new ForecasterFit(horizon), listener, trustedKeys);
  }
}
