package dev.seqcast.streams;

import dev.seqcast.kafka.Causes;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.ModelBundle;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes model bundles to the compacted models topic ({@code seqcast.models} unless renamed).
 *
 * <p>Record key = {@code <name>/<version>}, so compaction keeps every version of every model (a
 * newer version never erases an older one, which keeps rollback possible and means a refused bundle
 * can never destroy the last good one); value = the encoded bundle.
 */
public final class ModelPublisher {

  /** How long a publish keeps retrying a retriable refusal (a topic still being set up). */
  private static final Duration RETRY_WINDOW = Duration.ofSeconds(30);

  private static final Duration RETRY_PAUSE = Duration.ofMillis(200);

  private ModelPublisher() {}

  /** The record key of a bundle. */
  public static String key(String name, long version) {
    return name + "/" + version;
  }

  /** Publishes {@code bundle} to the default models topic and waits for the acknowledgement. */
  public static RecordMetadata publish(KafkaConnection kafka, ModelBundle bundle)
      throws ExecutionException, InterruptedException {
    return publish(kafka, Topics.MODELS, bundle);
  }

  /** Publishes {@code bundle} to {@code topic} and waits for the broker's acknowledgement. */
  public static RecordMetadata publish(KafkaConnection kafka, String topic, ModelBundle bundle)
      throws ExecutionException, InterruptedException {
    return publish(
        kafka, topic, key(bundle.header().name(), bundle.header().version()), bundle.encode());
  }

  /** As {@link #publishControl(KafkaConnection, String, String, ModelControl)} on the default. */
  public static RecordMetadata publishControl(
      KafkaConnection kafka, String name, ModelControl control)
      throws ExecutionException, InterruptedException {
    return publishControl(kafka, Topics.MODELS, name, control);
  }

  /**
   * Writes the control record of model {@code name} to the models topic {@code topic}: which
   * version is live (pinned, or newest when {@code control.live()} is null) and which runs in
   * shadow. Every instance applies it at once.
   */
  public static RecordMetadata publishControl(
      KafkaConnection kafka, String topic, String name, ModelControl control)
      throws ExecutionException, InterruptedException {
    return publish(kafka, topic, ModelControl.key(name), control.encode());
  }

  /**
   * Publishes raw bytes under {@code key} to the models topic {@code topic}; used to ship bundles
   * exactly as they are.
   *
   * @throws IllegalStateException when the principal may not write the topic, saying which grant is
   *     missing
   */
  public static RecordMetadata publish(
      KafkaConnection kafka, String topic, String key, byte[] bytes)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + RETRY_WINDOW.toNanos();
    while (true) {
      try {
        return publishOnce(kafka, topic, key, bytes);
      } catch (ExecutionException | KafkaException e) {
        // A topic created a moment ago can still be unknown to the broker that leads it; the
        // producer may give such a send up instead of retrying it. Sending the same key and bytes
        // again is harmless on a compacted topic, so a retriable refusal is retried here.
        if (!(retriableCause(e) != null && System.nanoTime() < deadline)) {
          throw e;
        }
        Thread.sleep(RETRY_PAUSE.toMillis());
      }
    }
  }

  private static RecordMetadata publishOnce(
      KafkaConnection kafka, String topic, String key, byte[] bytes)
      throws ExecutionException, InterruptedException {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 64 << 20);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer())) {
      return producer.send(new ProducerRecord<>(topic, key, bytes)).get();
    } catch (ExecutionException | KafkaException e) {
      // The refusal arrives wrapped in the send's future, thrown by send() itself, or - when the
      // idempotent producer's initialisation was refused first - inside "Cannot execute
      // transactional method because we are in an error state"; which one is a race.
      AuthorizationException refused = authorizationCause(e);
      if (refused != null) {
        throw notAuthorized(kafka, topic, refused);
      }
      throw e;
    }
  }

  /** The retriable failure anywhere in {@code e}'s cause chain, or null. */
  static RetriableException retriableCause(Throwable e) {
    return Causes.find(e, RetriableException.class);
  }

  /** The authorization failure anywhere in {@code e}'s cause chain, or null. */
  static AuthorizationException authorizationCause(Throwable e) {
    return Causes.find(e, AuthorizationException.class);
  }

  /**
   * Kafka reports a missing grant as {@code Cluster authorization failed} when the principal may
   * write no topic at all (its idempotent producer is refused first), which names neither the topic
   * nor the fix.
   */
  private static IllegalStateException notAuthorized(
      KafkaConnection kafka, String topic, AuthorizationException refused) {
    return new IllegalStateException(
        "not authorized to write "
            + topic
            + " on "
            + kafka.bootstrapServers()
            + ": grant this principal WRITE on topic "
            + topic
            + " (see docs/security.md)",
        refused);
  }
}
