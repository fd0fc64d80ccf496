package dev.seqcast.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic's history once, from the beginning of every partition up to end offsets fixed when
 * it opens ({@link ReadBound}), and then stops, however many records keep arriving. Partitions are
 * assigned, not subscribed: there is no consumer group and nothing is committed. Only committed
 * transactional data is read ({@code read_committed}), as the predictor reads it under
 * exactly-once.
 *
 * <p>Confined to the thread that opens it.
 */
public final class BoundedTopicReader implements AutoCloseable {

  /** Told after each poll how far the read has come. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param offsetsDone offsets passed so far, over all partitions
     * @param offsetsTotal offsets to pass in all; transaction markers and aborted records take
     *     offsets too, so this can exceed the records delivered
     * @param records records delivered so far
     */
    void progress(long offsetsDone, long offsetsTotal, long records);
  }

  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final long STALL_NANOS = Duration.ofSeconds(60).toNanos();

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final String topic;
  private final SortedMap<Integer, Long> starts;
  private final SortedMap<Integer, Long> ends;

  private BoundedTopicReader(
      KafkaConsumer<byte[], byte[]> consumer,
      String topic,
      SortedMap<Integer, Long> starts,
      SortedMap<Integer, Long> ends) {
    this.consumer = consumer;
    this.topic = topic;
    this.starts = starts;
    this.ends = ends;
  }

  /**
   * Connects, finds the topic's partitions and fixes where the read starts (each partition's
   * beginning) and stops ({@code bound}).
   *
   * @throws IllegalArgumentException if the topic does not exist or {@code bound} does not fit it
   * @throws IllegalStateException if Kafka does not answer
   */
  public static BoundedTopicReader open(KafkaConnection kafka, String topic, ReadBound bound) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "seqcast-history-reader");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    // Records deleted by retention while reading are simply not there to read.
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      List<TopicPartition> partitions = partitions(consumer, kafka.bootstrapServers(), topic);
      Map<Integer, Long> endOffsets = byPartition(consumer.endOffsets(partitions));
      Map<Integer, Long> firstAtOrAfter = new HashMap<>();
      if (bound instanceof ReadBound.BeforeTime time) {
        Map<TopicPartition, Long> query = new HashMap<>();
        partitions.forEach(tp -> query.put(tp, time.epochMs()));
        consumer
            .offsetsForTimes(query)
            .forEach(
                (tp, found) -> {
                  if (found != null) {
                    firstAtOrAfter.put(tp.partition(), found.offset());
                  }
                });
      }
      SortedMap<Integer, Long> ends = bound.resolve(endOffsets, firstAtOrAfter);
      SortedMap<Integer, Long> starts =
          new TreeMap<>(byPartition(consumer.beginningOffsets(partitions)));
      starts.replaceAll((p, start) -> Math.min(start, ends.get(p)));
      return new BoundedTopicReader(consumer, topic, starts, ends);
    } catch (TimeoutException e) {
      consumer.close();
      throw new IllegalStateException(
          "Kafka at " + kafka.bootstrapServers() + " did not answer (check --bootstrap-servers)",
          e);
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
  }

  private static List<TopicPartition> partitions(
      KafkaConsumer<byte[], byte[]> consumer, String bootstrapServers, String topic) {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, METADATA_TIMEOUT);
    if (infos == null || infos.isEmpty()) {
      throw new IllegalArgumentException(
          "topic '" + topic + "' does not exist at " + bootstrapServers);
    }
    List<TopicPartition> partitions = new ArrayList<>();
    infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
    return partitions;
  }

  private static Map<Integer, Long> byPartition(Map<TopicPartition, Long> offsets) {
    Map<Integer, Long> result = new HashMap<>();
    offsets.forEach((tp, offset) -> result.put(tp.partition(), offset));
    return result;
  }

  /** Where each partition's read starts: its beginning when the reader opened. */
  public SortedMap<Integer, Long> starts() {
    return starts;
  }

  /** Where each partition's read stops: the exclusive end offset the bound resolved to. */
  public SortedMap<Integer, Long> ends() {
    return ends;
  }

  /** Offsets between the starts and the ends, over all partitions. */
  public long offsetsTotal() {
    long total = 0;
    for (Map.Entry<Integer, Long> e : ends.entrySet()) {
      total += e.getValue() - starts.get(e.getKey());
    }
    return total;
  }

  /**
   * Hands every committed record below the ends to {@code handler}, each partition in offset order,
   * and returns once every partition reached its end.
   *
   * @return records delivered
   * @throws IllegalStateException if no partition moves for a minute (e.g. Kafka went away)
   */
  public long read(Consumer<ConsumerRecord<byte[], byte[]>> handler, Listener listener) {
    Map<TopicPartition, Long> pending = new HashMap<>();
    ends.forEach(
        (p, end) -> {
          if (starts.get(p) < end) {
            pending.put(new TopicPartition(topic, p), end);
          }
        });
    consumer.assign(pending.keySet());
    pending.forEach((tp, end) -> consumer.seek(tp, starts.get(tp.partition())));
    long total = offsetsTotal();
    long records = 0;
    long doneAtLastMove = -1;
    long lastMove = System.nanoTime();
    listener.progress(0, total, 0);
    while (!pending.isEmpty()) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        if (record.offset() < ends.get(record.partition())) {
          handler.accept(record);
          records++;
        }
      }
      long done = total;
      List<TopicPartition> finished = new ArrayList<>();
      for (Iterator<Map.Entry<TopicPartition, Long>> it = pending.entrySet().iterator();
          it.hasNext(); ) {
        Map.Entry<TopicPartition, Long> e = it.next();
        long position = consumer.position(e.getKey());
        if (position >= e.getValue()) {
          finished.add(e.getKey());
          it.remove();
        } else {
          done -= e.getValue() - Math.max(position, starts.get(e.getKey().partition()));
        }
      }
      consumer.pause(finished);
      listener.progress(done, total, records);
      long now = System.nanoTime();
      if (done != doneAtLastMove) {
        doneAtLastMove = done;
        lastMove = now;
      } else if (now - lastMove > STALL_NANOS) {
        throw new IllegalStateException(
            "reading "
                + topic
                + " made no progress for a minute with partitions "
                + pending.keySet()
                + " short of their end offsets; is Kafka still reachable?");
      }
    }
    return records;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
