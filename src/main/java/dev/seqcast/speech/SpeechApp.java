package dev.seqcast.speech;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.OutputHead;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.TopicNames;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Starts the speech tagger as a running Kafka Streams application ({@link SpeechTopology}): its own
 * application id, state and model registry (speech-feature models with a classification head only),
 * its own meters ({@link SpeechMetrics}), on the one app lifecycle ({@link StreamsApp}).
 */
public final class SpeechApp {

  /** Default application id. */
  public static final String APPLICATION_ID = "seqcast-speech";

  /** Default model name. */
  public static final String MODEL_NAME = "speech";

  /**
   * How long an audio stream may send nothing before its state is dropped, by default, as {@code
   * serve --stream-ttl} writes it. Streams are sessions (a call, a microphone) whose ids do not
   * come back, and a stream's state holds only tens of milliseconds of context, so dropping it
   * after an hour's silence costs a returning stream nothing it would notice.
   */
  public static final String DEFAULT_STREAM_TTL_TEXT = "1h";

  /** {@link #DEFAULT_STREAM_TTL_TEXT} as a duration. */
  public static final Duration DEFAULT_STREAM_TTL = Duration.ofHours(1);

  private SpeechApp() {}

  /**
   * Builds and starts the tagger with the default application id and topic names, exactly-once and
   * the default commit interval; returns at once.
   *
   * @param trustedKeys keys bundles must be signed by, or null to accept any well-formed bundle
   * @param overrides extra Kafka Streams properties, applied last
   * @param meters where the {@link SpeechMetrics} and the Kafka client metrics are registered
   */
  public static StreamsApp start(
      KafkaConnection kafka,
      Path stateDir,
      String modelName,
      TrustedKeys trustedKeys,
      Map<String, String> overrides,
      MeterRegistry meters) {
    return start(
        new StreamsApp.Config(
            kafka,
            APPLICATION_ID,
            stateDir,
            StreamsConfig.EXACTLY_ONCE_V2,
            StreamsApp.Config.DEFAULT_COMMIT_INTERVAL_MS,
            1,
            overrides,
            TopicNames.defaults()),
        modelName,
        trustedKeys,
        meters);
  }

  /**
   * Builds and starts the tagger with the client settings and topics of {@code config} and the
   * default stream TTL; returns at once.
   */
  public static StreamsApp start(
      StreamsApp.Config config, String modelName, TrustedKeys trustedKeys, MeterRegistry meters) {
    return start(config, modelName, trustedKeys, meters, DEFAULT_STREAM_TTL);
  }

  /**
   * Builds and starts the tagger with the client settings and topics of {@code config}; returns at
   * once.
   *
   * @param streamTtl how long a stream may send nothing before its state is dropped; null = never
   */
  public static StreamsApp start(
      StreamsApp.Config config,
      String modelName,
      TrustedKeys trustedKeys,
      MeterRegistry meters,
      Duration streamTtl) {
    SpeechMetrics metrics = new SpeechMetrics(meters, config.topics().frames());
    metrics.expectModel(modelName);
    ModelRegistry registry =
        registry(
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
    return StreamsApp.start(
        "speech tagger",
        config,
        SpeechTopology.build(config.topics(), modelName, registry, metrics, streamTtl),
        registry,
        Set.of(modelName),
        meters,
        null,
        List.of());
  }

  /**
   * A registry of the models this pipeline serves (log-mel features, a classification head), as
   * every tagger instance builds it.
   *
   * @param trustedKeys keys bundles must be signed by, or null to accept any well-formed bundle
   */
  public static ModelRegistry registry(ModelRegistry.Listener listener, TrustedKeys trustedKeys) {
    return new ModelRegistry(
        LogMelFeatures.SIZE,
        LogMelFeatures.TRANSFORM,
        OutputHead.Kind.CLASSIFICATION,
        listener,
        trustedKeys);
  }
}
