package dev.seqcast.testkit;

import dev.seqcast.kafka.KafkaConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Producing and reading records on a real broker, for integration tests. */
public final class KafkaTestSupport {

  private KafkaTestSupport() {}

  /** Sends all records and waits until the broker acknowledged them. */
  public static void produce(String bootstrap, Collection<ProducerRecord<byte[], byte[]>> records) {
    produce(KafkaConnection.to(bootstrap), records);
  }

  /** As {@link #produce(String, Collection)}, over {@code kafka} (e.g. a secured connection). */
  public static void produce(
      KafkaConnection kafka, Collection<ProducerRecord<byte[], byte[]>> records) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    // One request in flight: with more, a batch refused while a new topic's leader is elected can
    // be overtaken and then retried as out of order for ever (KAFKA-14359), losing records.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      records.forEach(r -> sent.add(producer.send(r)));
      producer.flush();
      for (Future<RecordMetadata> ack : sent) {
        ack.get(); // a refused record fails the test here, not as a timeout later
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException("the broker refused a test record: " + e.getCause(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A record with a UTF-8 key. */
  public static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(
        topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), value);
  }

  /**
   * Reads committed records of {@code topic} from the beginning until {@code count} arrived, then
   * keeps polling a little longer to catch any surplus (which the caller can assert against).
   */
  public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
      String bootstrap, String topic, int count, Duration timeout) throws TimeoutException {
    return readCommitted(KafkaConnection.to(bootstrap), topic, count, timeout);
  }

  /** As {@link #readCommitted(String, String, int, Duration)}, over {@code kafka}. */
  public static List<ConsumerRecord<byte[], byte[]>> readCommitted(
      KafkaConnection kafka, String topic, int count, Duration timeout) throws TimeoutException {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + timeout.toNanos();
      while (records.size() < count) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException(
              "read " + records.size() + " of " + count + " records from " + topic);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      long grace = System.nanoTime() + 1_000_000_000L;
      while (System.nanoTime() < grace) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
