package dev.seqcast.speech;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.metrics.Readiness;
import dev.seqcast.metrics.SpeechMetrics;
import dev.seqcast.model.OutputHead;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.stream.ModelRegistry;
import dev.seqcast.stream.PredictorApp;
import dev.seqcast.stream.PredictorSettings;
import dev.seqcast.stream.Supervision;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The speech tagger as a running Kafka Streams application ({@link SpeechTopology}): its own
 * application id, state and model registry (speech-feature models with a classification head only),
 * the same client configuration as the forecaster, its own meters ({@link SpeechMetrics}) and
 * readiness.
 */
public final class SpeechApp implements AutoCloseable, Readiness {

  private static final Logger LOG = LoggerFactory.getLogger(SpeechApp.class);

  /** Default application id. */
  public static final String APPLICATION_ID = "seqcast-speech";

  /** Default model name. */
  public static final String MODEL_NAME = "speech";

  private final KafkaStreams streams;
  private final ModelRegistry registry;
  private final KafkaStreamsMetrics clientMetrics;
  private final String modelName;

  private SpeechApp(
      KafkaStreams streams,
      ModelRegistry registry,
      KafkaStreamsMetrics clientMetrics,
      String modelName) {
    this.streams = streams;
    this.registry = registry;
    this.clientMetrics = clientMetrics;
    this.modelName = modelName;
  }

  /**
   * Builds and starts the tagger with the default application id, exactly-once and the default
   * commit interval; returns at once.
   *
   * @param trustedKeys keys bundles must be signed by, or null to accept any well-formed bundle
   * @param overrides extra Kafka Streams properties, applied last
   * @param meters where the {@link SpeechMetrics} and the Kafka client metrics are registered
   */
  public static SpeechApp start(
      KafkaConnection kafka,
      Path stateDir,
      String modelName,
      TrustedKeys trustedKeys,
      Map<String, String> overrides,
      MeterRegistry meters) {
    return start(
        new PredictorApp.Config(
            kafka,
            APPLICATION_ID,
            stateDir,
            StreamsConfig.EXACTLY_ONCE_V2,
            PredictorApp.Config.DEFAULT_COMMIT_INTERVAL_MS,
            1,
            PredictorSettings.defaults(),
            overrides),
        modelName,
        trustedKeys,
        meters);
  }

  /**
   * Builds and starts the tagger with the client, application id, state, guarantee, commit interval
   * and threads of {@code config} (its forecaster settings are not used); returns at once.
   */
  public static SpeechApp start(
      PredictorApp.Config config, String modelName, TrustedKeys trustedKeys, MeterRegistry meters) {
    SpeechMetrics metrics = new SpeechMetrics(meters);
    metrics.expectModel(modelName);
    ModelRegistry registry =
        new ModelRegistry(
            LogMelFeatures.SIZE,
            LogMelFeatures.TRANSFORM,
            OutputHead.Kind.CLASSIFICATION,
            new ModelRegistry.Listener() {
              @Override
              public void refused(String source, String reason, String detail) {
                metrics.modelRefused(reason);
              }

              @Override
              public void live(RecurrentModel model, String why) {
                metrics.modelSwapped(model.name(), model.version());
              }
            },
            trustedKeys);
    KafkaStreams streams =
        new KafkaStreams(
            SpeechTopology.build(modelName, registry, metrics), config.streamsProperties());
    KafkaStreamsMetrics clientMetrics =
        Supervision.supervise(streams, meters, "speech tagger", LOG);
    streams.start();
    return new SpeechApp(streams, registry, clientMetrics, modelName);
  }

  /**
   * Why this instance should not receive traffic yet, or null when it is ready: Kafka Streams is
   * RUNNING and a valid version of the speech model is loaded. Backs {@code /health/ready}.
   */
  @Override
  public String notReadyReason() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      return "Kafka Streams is " + state;
    }
    if (registry.current(modelName) == null) {
      return "no valid version of model '" + modelName + "' loaded yet";
    }
    return null;
  }

  /** Waits until Kafka Streams is RUNNING. */
  public void awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      if (streams.state().hasCompletedShutdown() || streams.state() == KafkaStreams.State.ERROR) {
        throw new IllegalStateException("speech tagger stopped while starting: " + streams.state());
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("speech tagger not RUNNING after " + timeout);
      }
      Thread.sleep(50);
    }
  }

  /** The model registry of this instance. */
  public ModelRegistry registry() {
    return registry;
  }

  /** Stops processing, commits and leaves the consumer group. */
  @Override
  public void close() {
    streams.close(
        CloseOptions.timeout(Duration.ofSeconds(30))
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    clientMetrics.close();
  }
}
