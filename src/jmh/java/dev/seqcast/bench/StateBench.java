package dev.seqcast.bench;

import dev.seqcast.kafka.LocalDirs;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.stream.PredictorApp;
import dev.seqcast.stream.PredictorTopology;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The cost of keeping per-series state: load many series through the predictor, then measure the
 * changelog bytes per series, the RocksDB footprint, and how long a fresh instance takes to restore
 * the store from its changelog after the local state directory is deleted (Kafka Streams reports
 * RUNNING only once restoration is complete).
 */
@Command(
    name = "state",
    mixinStandardHelpOptions = true,
    description =
        "State per series, RocksDB size and restore time from the changelog after local state is"
            + " wiped, on an embedded broker. Writes state.json.")
public final class StateBench implements Callable<Integer> {

  @Mixin BenchOptions options;

  @Option(
      names = "--series",
      defaultValue = "1000000",
      description = "Distinct series (default: ${DEFAULT-VALUE}).")
  int series;

  @Option(
      names = "--ticks-per-series",
      defaultValue = "2",
      description = "Ticks per series loaded (default: ${DEFAULT-VALUE}).")
  int ticksPerSeries;

  @Option(
      names = "--guarantee",
      defaultValue = StreamsConfig.AT_LEAST_ONCE,
      description = "Processing guarantee while loading (default: ${DEFAULT-VALUE}).")
  String guarantee;

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
      PredictorApp app =
          cluster.startApp(
              "bench-state", guarantee, 1000, RecurrentModel::newKernel, meters, stateDir);
      while (BenchCluster.predicted(meters) < ticks) {
        Thread.sleep(200);
      }
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      app.close();
      long rocksDbBytes = directoryBytes(stateDir);
      long changelogBytes = changelogBytes(cluster.bootstrap());
      LocalDirs.deleteQuietly(stateDir);
      long restoreStart = System.nanoTime();
      PredictorApp restored =
          cluster.startApp(
              "bench-state",
              guarantee,
              1000,
              RecurrentModel::newKernel,
              BenchCluster.meters(),
              stateDir);
      double restoreSeconds = (System.nanoTime() - restoreStart) / 1e9;
      long restoredBytes = directoryBytes(stateDir);
      restored.close();
      params.put("loadSeconds", loadSeconds);
      params.put("loadEventsPerSecond", ticks / loadSeconds);
      params.put("rocksDbBytes", rocksDbBytes);
      params.put("rocksDbBytesAfterRestore", restoredBytes);
      params.put("changelogBytes", changelogBytes);
      params.put("restoreSeconds", restoreSeconds);
      params.put("restoredSeriesPerSecond", series / restoreSeconds);
      double perSeries = changelogBytes / (double) series;
      results.add(
          new BenchResult(
              "state",
              "changelog_bytes_per_series",
              perSeries,
              Double.NaN,
              Double.NaN,
              "bytes",
              params));
      results.add(
          new BenchResult(
              "state",
              "rocksdb_bytes_per_series",
              rocksDbBytes / (double) series,
              Double.NaN,
              Double.NaN,
              "bytes",
              params));
      results.add(
          new BenchResult(
              "state", "restore_seconds", restoreSeconds, Double.NaN, Double.NaN, "s", params));
      BenchReport.write(
          options.outDir(),
          "state",
          results,
          String.format(
              "%,d series: %.0f changelog bytes/series (%.0f MB), RocksDB %.0f MB, restore %.1f s"
                  + " after wiping local state (%,.0f series/s)",
              series,
              perSeries,
              changelogBytes / 1e6,
              rocksDbBytes / 1e6,
              restoreSeconds,
              series / restoreSeconds),
          System.out);
    } finally {
      LocalDirs.deleteQuietly(stateDir);
    }
    return 0;
  }

  private static long directoryBytes(Path dir) throws IOException {
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
    String changelog = "bench-state-" + PredictorTopology.SERIES_STORE + "-changelog";
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
