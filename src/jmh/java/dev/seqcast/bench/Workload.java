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
 * @param series distinct series ids ({@link BenchCluster#seriesId})
 * @param ticksPerSeries ticks per series
 * @param seed random seed of the walks
 */
public record Workload(int series, int ticksPerSeries, long seed) {

  /** Event time of the first tick: 2026-01-01T00:00:00Z. */
  static final long ORIGIN_MS = 1_767_225_600_000L;

  /** Checks the sizes. */
  public Workload {
    if (series < 1 || ticksPerSeries < 1) {
      throw new IllegalArgumentException("series and ticks per series must be at least 1");
    }
  }

  /** Ticks in the stream. */
  public long total() {
    return (long) series * ticksPerSeries;
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
      long ts = ORIGIN_MS + t * 60_000L;
      for (int s = 0; s < series; s++) {
        price[s] *= Math.exp(0.01 * random.nextGaussian());
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
    return String.format("%,d series x %,d ticks = %,d ticks", series, ticksPerSeries, total());
  }
}
