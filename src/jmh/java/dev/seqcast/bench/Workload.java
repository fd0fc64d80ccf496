package dev.seqcast.bench;

import dev.seqcast.forecast.TickCodec;
import dev.seqcast.streams.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A deterministic tick stream for the reliability runs: {@code series} seeded random walks, {@code
 * ticksPerSeries} ticks each, interleaved one event-time step (one minute) at a time. The same
 * parameters always give the same bytes, so a faulted run and its reference read identical input.
 *
 * <p>With {@code churn}, series come and go, for runs with series expiry: every fourth series (0,
 * 4, ...) is quiet for the middle third of the steps and then returns, and the next ones (1, 5,
 * ...) stop after two thirds and never return.
 *
 * @param series distinct series ids ({@link BenchCluster#seriesId})
 * @param ticksPerSeries ticks per series (steps of the stream)
 * @param seed random seed of the walks
 * @param churn whether series go quiet and stop as described
 */
public record Workload(int series, int ticksPerSeries, long seed, boolean churn) {

  /** Event time of the first tick: 2026-01-01T00:00:00Z. */
  static final long ORIGIN_MS = 1_767_225_600_000L;

  /** Checks the sizes. */
  public Workload {
    if (series < 1 || ticksPerSeries < 1) {
      throw new IllegalArgumentException("series and ticks per series must be at least 1");
    }
  }

  /** A workload in which every series ticks at every step. */
  public Workload(int series, int ticksPerSeries, long seed) {
    this(series, ticksPerSeries, seed, false);
  }

  /** Ticks in the stream. */
  public long total() {
    long total = 0;
    for (int s = 0; s < series; s++) {
      for (int t = 0; t < ticksPerSeries; t++) {
        total += ticks(s, t) ? 1 : 0;
      }
    }
    return total;
  }

  /** Whether series {@code s} ticks at step {@code t}. */
  public boolean ticks(int s, int t) {
    int third = ticksPerSeries / 3;
    if (!churn || s % 4 > 1) {
      return true;
    }
    return s % 4 == 0 ? t < third || t >= 2 * third : t < 2 * third;
  }

  /** Event time of step {@code t}. */
  public static long eventTime(int t) {
    return ORIGIN_MS + t * 60_000L;
  }

  /**
   * The ticks in send order; record timestamps are left to the producer (send time), so the
   * broker's time-based retention never deletes them during a run.
   */
  public List<ProducerRecord<byte[], byte[]>> records() {
    Random random = new Random(seed);
    double[] price = new double[series];
    java.util.Arrays.fill(price, 100.0);
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>((int) total());
    for (int t = 0; t < ticksPerSeries; t++) {
      long ts = eventTime(t);
      for (int s = 0; s < series; s++) {
        price[s] *= Math.exp(0.01 * random.nextGaussian());
        if (!ticks(s, t)) {
          continue;
        }
        records.add(
            new ProducerRecord<>(
                Topics.TICKS,
                BenchCluster.seriesId(s).getBytes(StandardCharsets.UTF_8),
                TickCodec.encodeValue(ts, price[s])));
      }
    }
    return records;
  }

  @Override
  public String toString() {
    return String.format(
        "%,d series x %,d ticks%s = %,d ticks",
        series, ticksPerSeries, churn ? " with churn" : "", total());
  }
}
