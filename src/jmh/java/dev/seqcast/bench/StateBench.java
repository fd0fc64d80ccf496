package dev.seqcast.bench;

import dev.seqcast.cli.Progress;
import dev.seqcast.forecast.PredictorTopology;
import dev.seqcast.kafka.LocalDirs;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.streams.StreamsApp;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The cost of keeping per-series state: load many series through the predictor, then measure the
 * serialized state per series (read back from the changelog), the changelog and RocksDB footprints,
 * and how long a fresh instance takes to restore the store from its changelog after the local state
 * directory is deleted (Kafka Streams reports RUNNING only once restoration is complete; a restore
 * listener also counts the records restored).
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description =
        "State per series, RocksDB size and restore time from the changelog after local state is"
            + " wiped, on an embedded broker. Writes state.json.")
public final class StateBench implements Callable<Integer> {

  @Mixin BenchOptions options;

  @Option(names = "--series", defaultValue = "1000000", description = "Distinct series.")
  int series;

  @Option(
      names = "--ticks-per-series",
      defaultValue = "2",
      description = "Ticks per series loaded.")
  int ticksPerSeries;

  @Option(
      names = "--guarantee",
      defaultValue = StreamsConfig.AT_LEAST_ONCE,
      description = "Processing guarantee while loading.")
  String guarantee;

  /** Give up when the loading app makes no progress for this long. */
  private static final Duration STALL = Duration.ofMinutes(2);

  private static final String APP_ID = "bench-state";

  @Override
  public Integer call() throws Exception {
    long ticks = (long) series * ticksPerSeries;
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("series", series);
    params.put("ticksPerSeries", ticksPerSeries);
    params.put("guarantee", guarantee);
    List<BenchResult> results = new ArrayList<>();
    Path stateDir = Files.createTempDirectory("seqcast-bench-state");
    try (BenchCluster cluster = BenchCluster.start(4)) {
      cluster.publish(BundledModels.sp500(CellType.LSTM));
      cluster.preload(series, ticks, 7);
      MeterRegistry meters = BenchCluster.meters();
      long loadStart = System.nanoTime();
      StreamsApp app =
          cluster.startApp(
              APP_ID, guarantee, 1000, RecurrentModel::newKernel, meters, stateDir, null);
      awaitLoaded(meters, ticks);
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      double deadLettered = BenchCluster.deadLettered(meters);
      app.close();

      long rocksDbBytes = directoryBytes(stateDir);
      long changelogBytes = changelogBytes(cluster.bootstrap());
      ChangelogContents changelog = readChangelog(cluster.bootstrap());

      // Restore: same application id, local state gone, so the store can only come back from the
      // changelog. startApp returns at RUNNING, which Kafka Streams reaches only once every active
      // task is restored; the listener also gives the restoration window alone and its count.
      LocalDirs.deleteQuietly(stateDir);
      RestoreClock clock = new RestoreClock();
      long restoreStart = System.nanoTime();
      StreamsApp restored =
          cluster.startApp(
              APP_ID,
              guarantee,
              1000,
              RecurrentModel::newKernel,
              BenchCluster.meters(),
              stateDir,
              clock);
      double restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
      long restoredBytes = directoryBytes(stateDir);
      restored.close();

      double stateBytesPerSeries = changelog.latestBytes() / (double) changelog.keys();
      double restoreRecordsPerSecond = clock.restored() / restoreSeconds;
      params.put("loadSeconds", loadSeconds);
      params.put("loadEventsPerSecond", ticks / loadSeconds);
      params.put("deadLettered", deadLettered);
      params.put("stateBytesPerSeries", stateBytesPerSeries);
      params.put(
          "stateValueBytesPerSeries", changelog.latestValueBytes() / (double) changelog.keys());
      params.put(
          "stateBytesMethod",
          "mean serialized key+value bytes of the newest changelog record per series, read back"
              + " from the changelog after loading (SeriesStateSerde output, no Kafka overhead)");
      params.put("changelogRecords", changelog.records());
      params.put("changelogKeys", changelog.keys());
      params.put("changelogBytes", changelogBytes);
      params.put(
          "changelogBytesMethod",
          "broker log size of the store's changelog partitions: every record written, superseded"
              + " ones included unless compaction has run, plus batch and record overhead");
      params.put("rocksDbBytes", rocksDbBytes);
      params.put("rocksDbBytesAfterRestore", restoredBytes);
      params.put("rocksDbMethod", "bytes of all files under the app's state dir after close");
      params.put("restoreSeconds", restoreSeconds);
      params.put(
          "restoreMethod",
          "from starting a fresh instance (same application id, local state deleted) until Kafka"
              + " Streams is RUNNING, which it reaches only after restoration completes");
      params.put("restoreListenerSeconds", clock.seconds());
      params.put("changelogRecordsRestored", clock.restored());
      params.put("restoreRecordsPerSecond", restoreRecordsPerSecond);
      params.put("restoredSeriesPerSecond", series / restoreSeconds);

      results.add(metric("state_bytes_per_series", stateBytesPerSeries, "bytes", params));
      results.add(
          metric("rocksdb_bytes_per_series", rocksDbBytes / (double) series, "bytes", params));
      results.add(
          metric("changelog_bytes_per_series", changelogBytes / (double) series, "bytes", params));
      results.add(metric("restore_seconds", restoreSeconds, "s", params));
      results.add(
          metric("restore_records_per_second", restoreRecordsPerSecond, "records/s", params));
      results.add(metric("load_events_per_second", ticks / loadSeconds, "events/s", params));
      BenchReport.write(
          options.outDir(),
          "state",
          results,
          String.format(
              "%,d series: %.0f state bytes/series, changelog %.0f MB, RocksDB %.1f MB;"
                  + " restore of %,d changelog records %.1f s after wiping local state"
                  + " (%,.0f records/s); loaded at %,.0f ticks/s",
              series,
              stateBytesPerSeries,
              changelogBytes / 1e6,
              rocksDbBytes / 1e6,
              clock.restored(),
              restoreSeconds,
              restoreRecordsPerSecond,
              ticks / loadSeconds),
          System.out);
    } finally {
      LocalDirs.deleteQuietly(stateDir);
    }
    return 0;
  }

  private static BenchResult metric(
      String metric, double value, String unit, Map<String, Object> params) {
    return new BenchResult("state", metric, value, Double.NaN, Double.NaN, unit, params);
  }

  /** Waits until every tick is predicted or dead-lettered; fails if progress stops. */
  private static void awaitLoaded(MeterRegistry meters, long ticks) throws InterruptedException {
    StallGuard guard = new StallGuard(STALL);
    Progress progress = new Progress(new PrintWriter(System.err, true), "  loading");
    while (true) {
      double done = BenchCluster.predicted(meters) + BenchCluster.deadLettered(meters);
      progress.update((long) Math.min(done, ticks), ticks, "ticks through the predictor");
      if (done >= ticks) {
        return;
      }
      guard.check(done, ticks, "loading");
      Thread.sleep(200);
    }
  }

  /** What the series store's changelog holds. */
  record ChangelogContents(long records, long keys, long latestBytes, long latestValueBytes) {}

  /**
   * Reads the whole changelog and keeps the size of each series' newest record: that is the state a
   * restore has to rebuild, without the superseded versions the log may still hold.
   */
  static ChangelogContents readChangelog(String bootstrap) {
    return readChangelog(bootstrap, APP_ID);
  }

  /** As {@link #readChangelog(String)}, for the series store of application {@code appId}. */
  static ChangelogContents readChangelog(String bootstrap, String appId) {
    Map<String, int[]> newest = new HashMap<>();
    long records = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                "10000"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(changelogTopic(appId)).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          records++;
          String key = new String(r.key(), StandardCharsets.UTF_8);
          if (r.value() == null) {
            newest.remove(key);
          } else {
            newest.put(key, new int[] {r.key().length, r.value().length});
          }
        }
      }
    }
    long bytes = 0;
    long valueBytes = 0;
    for (int[] sizes : newest.values()) {
      bytes += sizes[0] + sizes[1];
      valueBytes += sizes[1];
    }
    return new ChangelogContents(records, newest.size(), bytes, valueBytes);
  }

  private static String changelogTopic(String appId) {
    return appId + "-" + PredictorTopology.SERIES_STORE + "-changelog";
  }

  /**
   * Counts restored records and spans the restoration window over the series store's changelog
   * partitions; the models global store is restored too but is not what is measured. Called from
   * Kafka Streams' restoring thread, read by the benchmark thread once the app is RUNNING.
   */
  private static final class RestoreClock implements StateRestoreListener {
    private final AtomicLong restored = new AtomicLong();
    private final AtomicLong firstStart = new AtomicLong(Long.MAX_VALUE);
    private final AtomicLong lastEnd = new AtomicLong(Long.MIN_VALUE);

    @Override
    public void onRestoreStart(
        TopicPartition partition, String store, long startingOffset, long endingOffset) {
      if (store.equals(PredictorTopology.SERIES_STORE)) {
        firstStart.accumulateAndGet(System.nanoTime(), Math::min);
      }
    }

    @Override
    public void onBatchRestored(
        TopicPartition partition, String store, long batchEndOffset, long numRestored) {
      if (store.equals(PredictorTopology.SERIES_STORE)) {
        restored.addAndGet(numRestored);
      }
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
      if (store.equals(PredictorTopology.SERIES_STORE)) {
        lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
      }
    }

    long restored() {
      return restored.get();
    }

    /** First restore start to last restore end, or NaN when nothing was restored. */
    double seconds() {
      long start = firstStart.get();
      long end = lastEnd.get();
      return start == Long.MAX_VALUE || end < start ? Double.NaN : (end - start) / 1e9;
    }
  }

  static long directoryBytes(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files
          .filter(Files::isRegularFile)
          .mapToLong(
              f -> {
                try {
                  return Files.size(f);
                } catch (IOException e) {
                  return 0; // RocksDB removed it meanwhile
                }
              })
          .sum();
    }
  }

  /** Bytes on the broker of the series store's changelog partitions. */
  private static long changelogBytes(String bootstrap) throws Exception {
    return changelogBytes(bootstrap, APP_ID);
  }

  /** As {@link #changelogBytes(String)}, for the series store of application {@code appId}. */
  static long changelogBytes(String bootstrap, String appId) throws Exception {
    String changelog = changelogTopic(appId);
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      long bytes = 0;
      for (Map<String, LogDirDescription> dirs :
          admin.describeLogDirs(List.of(1)).allDescriptions().get().values()) {
        for (LogDirDescription dir : dirs.values()) {
          for (var e : dir.replicaInfos().entrySet()) {
            if (e.getKey().topic().equals(changelog)) {
              bytes += e.getValue().size();
            }
          }
        }
      }
      return bytes;
    }
  }
}
