package dev.seqcast.bench;

import dev.seqcast.forecast.Prediction;
import dev.seqcast.forecast.PredictionSerde;
import dev.seqcast.streams.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads {@code seqcast.predictions} from the beginning with {@code isolation.level=read_committed}
 * in a background thread, as a downstream consumer would, and keeps every prediction per series in
 * arrival order plus each partition's arrival times (to measure how long output stalled around a
 * fault). Survives broker outages: it simply polls on. Thread-safe to observe.
 */
public final class PredictionCollector implements AutoCloseable {

  private final Thread thread;
  private final Map<String, List<Prediction>> bySeries = new HashMap<>();
  private final Map<Integer, List<Long>> arrivals = new HashMap<>();
  private final AtomicLong count = new AtomicLong();
  private volatile boolean stopping;
  private volatile RuntimeException failure;

  private PredictionCollector(String bootstrap) {
    thread = new Thread(() -> run(bootstrap), "seqcast-prediction-collector");
    thread.setDaemon(true);
  }

  /** Starts reading. */
  public static PredictionCollector start(String bootstrap) {
    PredictionCollector collector = new PredictionCollector(bootstrap);
    collector.thread.start();
    return collector;
  }

  private void run(String bootstrap) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "600000",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(Topics.PREDICTIONS).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (!stopping) {
        var records = consumer.poll(Duration.ofMillis(100));
        if (records.isEmpty()) {
          continue;
        }
        long now = System.nanoTime();
        synchronized (this) {
          for (ConsumerRecord<byte[], byte[]> r : records) {
            Prediction p = PredictionSerde.decode(r.value());
            bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
            arrivals.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(now);
          }
        }
        count.addAndGet(records.count());
      }
    } catch (RuntimeException e) {
      failure = e;
    }
  }

  /** Predictions read so far. */
  public long count() {
    check();
    return count.get();
  }

  /** Distinct (series, event time) pairs read so far: what at-least-once promises in full. */
  public synchronized long distinct() {
    check();
    long distinct = 0;
    for (List<Prediction> list : bySeries.values()) {
      distinct += list.stream().mapToLong(Prediction::ts).distinct().count();
    }
    return distinct;
  }

  /**
   * Waits until {@code target} predictions (distinct ones when {@code distinct}) were read; fails
   * only when nothing new arrived for {@code stall}, so a slow machine just takes longer.
   */
  public void await(long target, boolean distinct, Duration stall) throws InterruptedException {
    StallGuard guard = new StallGuard(stall);
    while (true) {
      long now = distinct ? distinct() : count();
      if (now >= target) {
        return;
      }
      guard.check(now, target, "committed predictions");
      Thread.sleep(100);
    }
  }

  /** A copy of everything read, per series in arrival order. */
  public synchronized Map<String, List<Prediction>> snapshot() {
    check();
    Map<String, List<Prediction>> copy = new HashMap<>();
    bySeries.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return copy;
  }

  /**
   * The longest time, over all partitions, between two consecutive arrivals on one partition, from
   * {@code fromNanos} on (measured to the first arrival after it): how long the slowest partition's
   * output stalled after a fault at {@code fromNanos}. NaN when no partition has an arrival after
   * it.
   */
  public synchronized double longestPartitionGapSeconds(long fromNanos, long untilNanos) {
    double longest = Double.NaN;
    for (List<Long> times : arrivals.values()) {
      long previous = fromNanos;
      for (long t : times) {
        if (t <= fromNanos) {
          continue;
        }
        if (previous > untilNanos) {
          break;
        }
        double gap = (t - previous) / 1e9;
        if (Double.isNaN(longest) || gap > longest) {
          longest = gap;
        }
        previous = t;
      }
    }
    return longest;
  }

  /** Seconds from {@code fromNanos} to the first arrival after it on any partition, or NaN. */
  public synchronized double firstArrivalAfterSeconds(long fromNanos) {
    long first = Long.MAX_VALUE;
    for (List<Long> times : arrivals.values()) {
      for (long t : times) {
        if (t > fromNanos) {
          first = Math.min(first, t);
          break;
        }
      }
    }
    return first == Long.MAX_VALUE ? Double.NaN : (first - fromNanos) / 1e9;
  }

  private void check() {
    if (failure != null) {
      throw new IllegalStateException("prediction collector failed", failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stopping = true;
    thread.join(30_000);
  }
}
