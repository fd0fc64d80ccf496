package dev.seqcast.speech;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.OutputHead;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.stream.ModelRegistry;
import dev.seqcast.stream.PredictorApp;
import dev.seqcast.stream.PredictorSettings;
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
 * the same client configuration as the forecaster.
 */
public final class SpeechApp implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SpeechApp.class);

  /** Default application id. */
  public static final String APPLICATION_ID = "seqcast-speech";

  /** Default model name. */
  public static final String MODEL_NAME = "speech";

  private final KafkaStreams streams;
  private final ModelRegistry registry;

  private SpeechApp(KafkaStreams streams, ModelRegistry registry) {
    this.streams = streams;
    this.registry = registry;
  }

  /**
   * Builds and starts the tagger with the default application id, exactly-once and the default
   * commit interval; returns at once.
   *
   * @param trustedKeys keys bundles must be signed by, or null to accept any well-formed bundle
   * @param overrides extra Kafka Streams properties, applied last
   */
  public static SpeechApp start(
      KafkaConnection kafka,
      Path stateDir,
      String modelName,
      TrustedKeys trustedKeys,
      Map<String, String> overrides) {
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
        trustedKeys);
  }

  /**
   * Builds and starts the tagger with the client, application id, state, guarantee, commit interval
   * and threads of {@code config} (its forecaster settings are not used); returns at once.
   */
  public static SpeechApp start(
      PredictorApp.Config config, String modelName, TrustedKeys trustedKeys) {
    ModelRegistry registry =
        new ModelRegistry(
            LogMelFeatures.SIZE,
            LogMelFeatures.TRANSFORM,
            OutputHead.Kind.CLASSIFICATION,
            (source, reason, detail) -> {},
            trustedKeys);
    KafkaStreams streams =
        new KafkaStreams(SpeechTopology.build(modelName, registry), config.streamsProperties());
    streams.setStateListener((now, before) -> LOG.info("speech tagger {} -> {}", before, now));
    streams.start();
    return new SpeechApp(streams, registry);
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
  }
}
