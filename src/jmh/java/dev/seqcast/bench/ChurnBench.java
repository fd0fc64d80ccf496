package dev.seqcast.bench;

import dev.seqcast.forecast.PredictorSettings;
import dev.seqcast.forecast.SeriesExpiry;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.forecast.data.PrometheusSource;
import dev.seqcast.kafka.LocalDirs;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Series that come and go, as Prometheus label churn makes them: about {@code --live} series tick
 * at each one-minute event-time step, each lives for {@code --lifetime} ticks and never returns.
 * The same ticks go through the predictor twice on one embedded broker, without a TTL and with
 * {@code --series-ttl}, sampling the series held in the store ({@code seqcast_state_series}, exact)
 * and the RocksDB directory as the ticks are processed; after each run the changelog's live keys
 * (what a restore must rebuild once compaction has run) and its bytes are read back.
 */
@Command(
    name = "churn",
    mixinStandardHelpOptions = true,
    description =
        "Series churn with and without --series-ttl: series held in the store over time, the"
            + " changelog's live keys and bytes, on an embedded broker. Writes churn.json and"
            + " churn.png.")
public final class ChurnBench implements Callable<Integer> {

  @Mixin BenchOptions options;

  @Option(names = "--live", defaultValue = "200", description = "Series ticking at each step.")
  int live;

  @Option(
      names = "--lifetime",
      defaultValue = "40",
      description = "Ticks (one-minute steps) each series lives before it stops for good.")
  int lifetime;

  @Option(names = "--steps", defaultValue = "600", description = "One-minute event-time steps.")
  int steps;

  @Option(
      names = "--ttl",
      defaultValue = "10m",
      description = "The --series-ttl of the second run, in event time.")
  String ttl;

  /** Checkpoints of the processed ticks at which the two runs are compared. */
  private static final int CHECKPOINTS = 24;

  /** Give up when a run makes no progress for this long. */
  private static final Duration STALL = Duration.ofMinutes(2);

  /** After the last tick: long enough for the scan to sweep the whole store more than once. */
  private static final Duration SWEEP = Duration.ofSeconds(4);

  private static final long STEP_MS = 60_000L;

  @Override
  public Integer call() throws Exception {
    if (live < 1 || lifetime < 1 || steps < 1) {
      throw new IllegalArgumentException("--live, --lifetime and --steps must be at least 1");
    }
    Duration ttlDuration = PrometheusSource.parseDuration(ttl);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("live", live);
    params.put("lifetime", lifetime);
    params.put("steps", steps);
    params.put("ttl", ttlDuration.toString());
    params.put("stepMs", STEP_MS);
    params.put("guarantee", StreamsConfig.EXACTLY_ONCE_V2);
    try (BenchCluster cluster = BenchCluster.start(4)) {
      cluster.publish(BundledModels.sp500(CellType.LSTM));
      Load load = produce(cluster);
      params.put("distinctSeries", load.series());
      params.put("ticks", load.ticks());
      Run never = run(cluster, "bench-churn-never", SeriesExpiry.never(), load.ticks());
      Run expiring = run(cluster, "bench-churn-ttl", SeriesExpiry.after(ttlDuration), load.ticks());

      List<Double> x = new ArrayList<>();
      for (int k = 1; k <= CHECKPOINTS; k++) {
        x.add((double) load.ticks() * k / CHECKPOINTS);
      }
      List<Double> heldNever = never.heldAt(x);
      List<Double> heldExpiring = expiring.heldAt(x);
      params.put("ticksProcessed", x);
      params.put("seriesHeldWithoutTtl", heldNever);
      params.put("seriesHeldWithTtl", heldExpiring);
      params.put("rocksDbBytesWithoutTtl", never.rocksAt(x));
      params.put("rocksDbBytesWithTtl", expiring.rocksAt(x));
      params.put(
          "seriesHeldMethod",
          "seqcast_state_series (exact per-task count kept with the store), sampled every 200 ms"
              + " while the ticks are processed, read at each checkpoint as the first sample at or"
              + " past it; the end value after a further "
              + SWEEP.toSeconds()
              + " s for the scan");
      params.put(
          "changelogMethod",
          "live keys = keys whose newest changelog record is not a tombstone (what a restore"
              + " rebuilds once compaction has run); bytes = broker log size, tombstones and"
              + " superseded records included as compaction has not run");
      params.put("without", never.figures());
      params.put("with", expiring.figures());

      List<BenchResult> results = new ArrayList<>();
      results.add(metric("series_held_end_without_ttl", never.heldAtEnd, "series", params));
      results.add(metric("series_held_end_with_ttl", expiring.heldAtEnd, "series", params));
      results.add(metric("series_held_max_with_ttl", expiring.heldMax(), "series", params));
      results.add(metric("changelog_live_keys_without_ttl", never.liveKeys, "keys", params));
      results.add(metric("changelog_live_keys_with_ttl", expiring.liveKeys, "keys", params));
      results.add(metric("changelog_bytes_without_ttl", never.changelogBytes, "bytes", params));
      results.add(metric("changelog_bytes_with_ttl", expiring.changelogBytes, "bytes", params));
      results.add(metric("series_evicted_with_ttl", expiring.evicted, "series", params));

      Path chart = options.outDir().resolve("churn.png");
      Charts.lines(
          chart,
          String.format(
              "Series churn: %,d live, each for %d ticks; --series-ttl %s", live, lifetime, ttl),
          "ticks processed",
          x,
          "series held in the store",
          Map.of("no TTL", heldNever, "--series-ttl " + ttl, heldExpiring),
          "RocksDB directory, MB",
          Map.of(
              "RocksDB, no TTL",
              mb(never.rocksAt(x)),
              "RocksDB, --series-ttl " + ttl,
              mb(expiring.rocksAt(x))));
      params.put("chart", chart.toString());
      BenchReport.write(
          options.outDir(),
          "churn",
          results,
          String.format(
              "%,d series through, ~%d live for %d ticks each: without a TTL the store ends holding"
                  + " %,.0f series (half-way %,.0f, still growing), with --series-ttl %s %,.0f"
                  + " (at most %,.0f; %,.0f evicted); changelog live keys %,d vs %,d (%s)",
              load.series(),
              live,
              lifetime,
              never.heldAtEnd,
              heldNever.get(CHECKPOINTS / 2 - 1),
              ttl,
              expiring.heldAtEnd,
              expiring.heldMax(),
              expiring.evicted,
              never.liveKeys,
              expiring.liveKeys,
              chart),
          System.out);
    }
    return 0;
  }

  private static BenchResult metric(
      String metric, double value, String unit, Map<String, Object> params) {
    return new BenchResult("churn", metric, value, Double.NaN, Double.NaN, unit, params);
  }

  private static List<Double> mb(List<Double> bytes) {
    return bytes.stream().map(b -> b / 1e6).toList();
  }

  /** The ticks written: how many, over how many distinct series (each ticked at least once). */
  private record Load(long ticks, int series) {}

  /**
   * Series {@code i} is born at step {@code i·lifetime/live − lifetime} and ticks at each step of
   * its life, so about {@code live} series tick at every step and {@code live/lifetime} new ones
   * appear per step. Record timestamps are the event times, which end now: the broker's retention
   * never deletes them during the run.
   */
  private Load produce(BenchCluster cluster) {
    long origin = System.currentTimeMillis() - (steps + 1L) * STEP_MS;
    Random random = new Random(17);
    Map<Integer, Double> price = new LinkedHashMap<>();
    long ticks = 0;
    int distinct = 0;
    try (KafkaProducer<byte[], byte[]> producer = cluster.producer(20)) {
      for (int t = 0; t < steps; t++) {
        long ts = origin + t * STEP_MS;
        int from = Math.max(0, (int) ((long) t * live / lifetime) - 2);
        int to = (int) ((long) (t + lifetime) * live / lifetime) + 2;
        for (int i = from; i <= to; i++) {
          long birth = Math.floorDiv((long) i * lifetime, live) - lifetime;
          if (t < birth || t >= birth + lifetime) {
            continue;
          }
          Double last = price.get(i);
          distinct += last == null ? 1 : 0;
          double p = (last == null ? 100.0 : last) * Math.exp(0.01 * random.nextGaussian());
          price.put(i, p);
          producer.send(
              new ProducerRecord<>(
                  Topics.TICKS,
                  null,
                  ts,
                  BenchCluster.seriesId(i).getBytes(StandardCharsets.UTF_8),
                  TickCodec.encodeValue(ts, p)));
          ticks++;
        }
        price.keySet().removeIf(i -> i < from);
      }
      producer.flush();
    }
    return new Load(ticks, distinct);
  }

  /** One pass of the ticks through a predictor: samples while it ran, figures after it stopped. */
  private static final class Run {
    final List<double[]> samples = new ArrayList<>(); // processed, held, RocksDB bytes
    double heldAtEnd;
    double evicted;
    long liveKeys;
    long changelogBytes;
    double seconds;

    double heldMax() {
      return samples.stream().mapToDouble(s -> s[1]).max().orElse(Double.NaN);
    }

    List<Double> heldAt(List<Double> checkpoints) {
      return at(checkpoints, 1);
    }

    List<Double> rocksAt(List<Double> checkpoints) {
      return at(checkpoints, 2);
    }

    private List<Double> at(List<Double> checkpoints, int column) {
      List<Double> values = new ArrayList<>();
      for (double checkpoint : checkpoints) {
        double value = samples.get(samples.size() - 1)[column];
        for (double[] s : samples) {
          if (s[0] >= checkpoint) {
            value = s[column];
            break;
          }
        }
        values.add(value);
      }
      return values;
    }

    Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("seriesHeldAtEnd", heldAtEnd);
      f.put("seriesHeldMax", heldMax());
      f.put("seriesEvicted", evicted);
      f.put("changelogLiveKeys", liveKeys);
      f.put("changelogBytes", changelogBytes);
      f.put("seconds", seconds);
      return f;
    }
  }

  private static Run run(BenchCluster cluster, String appId, SeriesExpiry expiry, long ticks)
      throws Exception {
    Run run = new Run();
    Path stateDir = Files.createTempDirectory("seqcast-bench-churn");
    try {
      MeterRegistry meters = BenchCluster.meters();
      long started = System.nanoTime();
      StreamsApp app =
          cluster.startApp(
              appId,
              StreamsConfig.EXACTLY_ONCE_V2,
              100,
              RecurrentModel::newKernel,
              meters,
              stateDir,
              null,
              PredictorSettings.defaults().withExpiry(expiry));
      StallGuard guard = new StallGuard(STALL);
      while (true) {
        double done = BenchCluster.predicted(meters) + BenchCluster.deadLettered(meters);
        run.samples.add(new double[] {done, held(meters), StateBench.directoryBytes(stateDir)});
        if (done >= ticks) {
          break;
        }
        guard.check(done, ticks, appId);
        Thread.sleep(200);
      }
      run.seconds = (System.nanoTime() - started) / 1e9;
      Thread.sleep(SWEEP.toMillis());
      run.heldAtEnd = held(meters);
      run.samples.add(new double[] {ticks, run.heldAtEnd, StateBench.directoryBytes(stateDir)});
      var evicted = meters.find("seqcast.series.evicted").tag("reason", "expired").counter();
      run.evicted = evicted == null ? 0 : evicted.count();
      app.close();
      run.liveKeys = StateBench.readChangelog(cluster.bootstrap(), appId).keys();
      run.changelogBytes = StateBench.changelogBytes(cluster.bootstrap(), appId);
      System.out.printf(
          "  %s: %,d ticks in %.1f s, %,.0f series held at the end, %,.0f evicted%n",
          appId, ticks, run.seconds, run.heldAtEnd, run.evicted);
      return run;
    } finally {
      LocalDirs.deleteQuietly(stateDir);
    }
  }

  private static double held(MeterRegistry meters) {
    Gauge gauge = meters.find("seqcast.state.series").gauge();
    return gauge == null ? 0 : gauge.value();
  }
}
