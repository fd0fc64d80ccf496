package dev.seqcast.stream;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.metrics.PredictorMetrics;
import dev.seqcast.metrics.Readiness;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The predictor as a running Kafka Streams application: configuration in one place, the {@link
 * PredictorTopology}, a model registry and metrics. {@code serve} and {@code demo} both run it.
 */
public final class PredictorApp implements AutoCloseable, Readiness {

  private static final Logger LOG = LoggerFactory.getLogger(PredictorApp.class);

  /** How often each instance writes its forecast-error scorecards to the model events topic. */
  public static final Duration SCORECARD_INTERVAL = Duration.ofSeconds(30);

  /**
   * Everything needed to run the predictor.
   *
   * @param kafka where Kafka is and the client settings (security …) every client gets
   * @param applicationId Kafka Streams application id (consumer group, state directory name)
   * @param stateDir where RocksDB state lives
   * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
   * @param commitIntervalMs commit interval; under exactly-once it bounds output visibility delay
   * @param streamThreads stream threads in this instance
   * @param predictor topology settings
   * @param overrides extra Kafka Streams/client properties, applied last
   */
  public record Config(
      KafkaConnection kafka,
      String applicationId,
      Path stateDir,
      String processingGuarantee,
      long commitIntervalMs,
      int streamThreads,
      PredictorSettings predictor,
      Map<String, String> overrides) {

    /** Default application id. */
    public static final String DEFAULT_APPLICATION_ID = "seqcast-predictor";

    /** Default commit interval under exactly-once, in milliseconds. */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;

    /** Defaults for everything but where Kafka and the state live. */
    public static Config defaults(KafkaConnection kafka, Path stateDir) {
      return new Config(
          kafka,
          DEFAULT_APPLICATION_ID,
          stateDir,
          StreamsConfig.EXACTLY_ONCE_V2,
          DEFAULT_COMMIT_INTERVAL_MS,
          1,
          PredictorSettings.defaults(),
          Map.of());
    }

    /** This configuration with other topology settings. */
    public Config withPredictor(PredictorSettings settings) {
      return new Config(
          kafka,
          applicationId,
          stateDir,
          processingGuarantee,
          commitIntervalMs,
          streamThreads,
          settings,
          overrides);
    }

    /** The Kafka Streams properties for this configuration. */
    public Properties streamsProperties() {
      Properties props = new Properties();
      props.putAll(kafka.clientConfig());
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervalMs));
      props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
      // A prediction is worth most when fresh: send within a few ms rather than fill batches.
      props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
      props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
      props.putAll(overrides);
      return props;
    }
  }

  private final KafkaStreams streams;
  private final ModelRegistry registry;
  private final KafkaStreamsMetrics clientMetrics;
  private final ModelEvents events;
  private final Set<String> models;
  private final PredictorMetrics metrics;
  private final ScheduledExecutorService scorecards;

  private PredictorApp(
      KafkaStreams streams,
      ModelRegistry registry,
      KafkaStreamsMetrics clientMetrics,
      ModelEvents events,
      Set<String> models,
      PredictorMetrics metrics,
      ScheduledExecutorService scorecards) {
    this.streams = streams;
    this.registry = registry;
    this.clientMetrics = clientMetrics;
    this.events = events;
    this.models = models;
    this.metrics = metrics;
    this.scorecards = scorecards;
  }

  /** Builds and starts the predictor; returns at once (see {@link #awaitRunning}). */
  public static PredictorApp start(Config config, MeterRegistry meters) {
    return start(config, meters, RecurrentModel::newKernel);
  }

  /**
   * Starts the predictor with another source of step kernels (see {@link
   * PredictorTopology#build(PredictorSettings, ModelRegistry, PredictorMetrics, Function)}).
   */
  public static PredictorApp start(
      Config config, MeterRegistry meters, Function<RecurrentModel, StepKernel> kernels) {
    return start(config, meters, kernels, null);
  }

  /**
   * As {@link #start(Config, MeterRegistry, Function)}, with a listener told about changelog
   * restoration; Kafka Streams accepts one only before the client starts, hence this overload.
   *
   * @param restoreListener notified of every store restoration, or {@code null} for none
   */
  public static PredictorApp start(
      Config config,
      MeterRegistry meters,
      Function<RecurrentModel, StepKernel> kernels,
      StateRestoreListener restoreListener) {
    PredictorMetrics metrics = new PredictorMetrics(meters, config.predictor().metricsSeries());
    Set<String> models = config.predictor().routing().models();
    models.forEach(metrics::model); // version 0 until the first version loads
    ModelEvents events =
        new ModelEvents(
            config.kafka(),
            config.applicationId() + "@" + ManagementFactory.getRuntimeMXBean().getName());
    ModelRegistry registry =
        new ModelRegistry(
            1,
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
            config.predictor().trustedKeys());
    KafkaStreams streams =
        new KafkaStreams(
            PredictorTopology.build(config.predictor(), registry, metrics, kernels),
            config.streamsProperties());
    KafkaStreamsMetrics clientMetrics = Supervision.supervise(streams, meters, "predictor", LOG);
    if (restoreListener != null) {
      streams.setGlobalStateRestoreListener(restoreListener);
    }
    streams.start();
    ScheduledExecutorService scorecards =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "seqcast-scorecards");
              t.setDaemon(true);
              return t;
            });
    long every = SCORECARD_INTERVAL.toMillis();
    scorecards.scheduleAtFixedRate(
        () -> events.scorecards(metrics.scorecards()), every, every, TimeUnit.MILLISECONDS);
    return new PredictorApp(streams, registry, clientMetrics, events, models, metrics, scorecards);
  }

  /**
   * Why this instance should not receive traffic yet, or null when it is ready: Kafka Streams is
   * RUNNING and every model series can be routed to is loaded. Backs {@code /health/ready}.
   */
  @Override
  public String notReadyReason() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      return "Kafka Streams is " + state;
    }
    for (String model : models) {
      if (registry.current(model) == null) {
        return "no valid version of model '" + model + "' loaded yet";
      }
    }
    return null;
  }

  /** Waits until Kafka Streams is RUNNING. */
  public void awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (!streams.state().isRunningOrRebalancing()
          && streams.state() != KafkaStreams.State.CREATED) {
        throw new IllegalStateException("predictor stopped while starting: " + streams.state());
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(
            "predictor not RUNNING after " + timeout + ": " + streams.state());
      }
      Thread.sleep(50);
    }
  }

  /** The model registry of this instance. */
  public ModelRegistry registry() {
    return registry;
  }

  /** The underlying Kafka Streams client. */
  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Stops processing, commits, and leaves the consumer group so that the partitions move to the
   * remaining instances (or to this one when it restarts) at once rather than after the session
   * timeout.
   */
  @Override
  public void close() {
    streams.close(
        CloseOptions.timeout(Duration.ofSeconds(30))
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    clientMetrics.close();
    scorecards.shutdownNow();
    events.scorecards(metrics.scorecards()); // the final totals
    events.close();
  }
}
