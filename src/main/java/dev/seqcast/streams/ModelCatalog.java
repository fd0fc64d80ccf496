package dev.seqcast.streams;

import dev.seqcast.kafka.KafkaConnection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * What {@code seqcast.models} holds, read once: every record from the beginning up to the end
 * offsets captured when the read starts, the way compaction will leave it (the last value of each
 * key; a tombstone removes the key). Never an endless consumer: records published during the read
 * are not waited for. Uses no consumer group. Bundles are returned as raw bytes, valid or not.
 */
public final class ModelCatalog {

  /**
   * One record of the models topic.
   *
   * @param key record key, normally {@code <name>/<version>}; null if the record had none
   * @param value the bundle bytes as published
   * @param partition partition of the record
   * @param offset offset of the record
   * @param timestamp record timestamp (when it was published, for producer-stamped topics)
   */
  public record StoredBundle(
      String key, byte[] value, int partition, long offset, Instant timestamp) {

    /** The model name the key announces, or the whole key when it has no {@code /}. */
    public String keyName() {
      int slash = key == null ? -1 : key.lastIndexOf('/');
      return slash < 0 ? String.valueOf(key) : key.substring(0, slash);
    }

    /** The version the key announces, or -1 when the key has none. */
    public long keyVersion() {
      int slash = key == null ? -1 : key.lastIndexOf('/');
      try {
        return slash < 0 ? -1 : Long.parseLong(key.substring(slash + 1));
      } catch (NumberFormatException e) {
        return -1;
      }
    }
  }

  private static final Comparator<StoredBundle> BY_NAME_AND_VERSION =
      Comparator.comparing(StoredBundle::keyName)
          .thenComparingLong(StoredBundle::keyVersion)
          .thenComparingLong(StoredBundle::offset);

  private ModelCatalog() {}

  /**
   * Reads the models topic, sorted by name, then version.
   *
   * @param topic the models topic
   * @param timeout bound on the whole read, including reaching the cluster
   * @throws IllegalStateException with a one-line explanation when the topic does not exist or
   *     cannot be read within {@code timeout}
   */
  public static List<StoredBundle> read(KafkaConnection kafka, String topic, Duration timeout) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 64 << 20);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "seqcast-model-catalog");
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
      if (partitions == null || partitions.isEmpty()) {
        throw new IllegalStateException(
            "topic "
                + topic
                + " does not exist on "
                + kafka.bootstrapServers()
                + "; publish a model first ('seqcast model publish') or create the topics"
                + " ('seqcast serve --create-topics')");
      }
      List<TopicPartition> assigned = new ArrayList<>();
      partitions.forEach(p -> assigned.add(new TopicPartition(p.topic(), p.partition())));
      consumer.assign(assigned);
      consumer.seekToBeginning(assigned);
      Map<TopicPartition, Long> end = consumer.endOffsets(assigned, timeout);
      Map<String, StoredBundle> latest = new LinkedHashMap<>();
      while (!reachedEnd(consumer, end, remaining(deadline))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + topic + " up to " + end + " within " + timeout);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition partition = new TopicPartition(record.topic(), record.partition());
          if (record.offset() >= end.get(partition)) {
            continue; // published after the read began
          }
          String slot = record.key() != null ? record.key() : "\0" + record.offset();
          if (record.value() == null) {
            latest.remove(slot);
          } else {
            latest.put(
                slot,
                new StoredBundle(
                    record.key(),
                    record.value(),
                    record.partition(),
                    record.offset(),
                    Instant.ofEpochMilli(record.timestamp())));
          }
        }
      }
      List<StoredBundle> bundles = new ArrayList<>(latest.values());
      bundles.sort(BY_NAME_AND_VERSION);
      return bundles;
    } catch (org.apache.kafka.common.errors.TimeoutException e) {
      throw new IllegalStateException(
          "could not read "
              + topic
              + " from "
              + kafka.bootstrapServers()
              + " within "
              + timeout.toSeconds()
              + " s ("
              + e.getMessage()
              + "); check --bootstrap-servers");
    } catch (KafkaException e) {
      throw new IllegalStateException(
          "could not read " + topic + " from " + kafka.bootstrapServers() + ": " + e.getMessage());
    }
  }

  private static Duration remaining(long deadline) {
    return Duration.ofNanos(Math.max(1_000_000L, deadline - System.nanoTime()));
  }

  private static boolean reachedEnd(
      KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> end, Duration timeout) {
    for (Map.Entry<TopicPartition, Long> partition : end.entrySet()) {
      if (consumer.position(partition.getKey(), timeout) < partition.getValue()) {
        return false;
      }
    }
    return true;
  }
}
