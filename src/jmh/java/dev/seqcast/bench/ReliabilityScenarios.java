package dev.seqcast.bench;

import dev.seqcast.forecast.Prediction;
import dev.seqcast.kafka.BoundedTopicReader;
import dev.seqcast.kafka.EmbeddedKafkaCluster;
import dev.seqcast.kafka.LocalDirs;
import dev.seqcast.kafka.ReadBound;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.Topics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The fault scenarios behind {@code bench reliability} and the reliability integration tests: each
 * runs the predictor as child JVMs ({@link ServeProcess}) against real brokers ({@link
 * EmbeddedKafkaCluster}), injects faults while ticks stream in, reads the committed predictions
 * like a downstream consumer ({@link PredictionCollector}) and compares them with an uninterrupted
 * reference run over the same ticks ({@link OutputComparison}). The tests run them small and assert
 * on the comparison; the benchmark runs them at full size and reports the figures.
 */
public final class ReliabilityScenarios {

  /** Kafka client settings every instance gets: see docs/reliability.md for why. */
  public static final Map<String, String> CLIENT_ENVIRONMENT =
      Map.of(
          // A killed instance's partitions move after this long, not after the 45 s default.
          "SEQCAST_KAFKA_SESSION_TIMEOUT_MS", "10000");

  /** Give up when the predictions stop growing for this long: something is broken. */
  private static final Duration STALL = Duration.ofMinutes(3);

  private static final Duration START = Duration.ofMinutes(3);

  /**
   * What every scenario shares.
   *
   * @param workload the ticks
   * @param ticksPerSecond feed rate of the faulted runs (the reference run is fed at full speed)
   * @param seed chooses the random kill moments
   * @param workDir where state directories and instance logs go
   * @param log progress lines
   * @param jvmOptions extra JVM options of the instances
   * @param serveEnvironment extra {@code SEQCAST_*} variables of the instances, e.g. {@code
   *     SEQCAST_SERIES_TTL}
   */
  public record Settings(
      Workload workload,
      double ticksPerSecond,
      long seed,
      Path workDir,
      PrintStream log,
      List<String> jvmOptions,
      Map<String, String> serveEnvironment) {

    /** Settings whose instances run with the default options. */
    public Settings(
        Workload workload,
        double ticksPerSecond,
        long seed,
        Path workDir,
        PrintStream log,
        List<String> jvmOptions) {
      this(workload, ticksPerSecond, seed, workDir, log, jvmOptions, Map.of());
    }
  }

  /**
   * One scenario's outcome.
   *
   * @param name scenario name
   * @param comparison its predictions against the reference run's
   * @param faults the faults injected, in order, each with when it happened
   * @param figures measured times and counts (seconds unless the name says otherwise)
   */
  public record Result(
      String name, OutputComparison comparison, List<String> faults, Map<String, Object> figures) {}

  private ReliabilityScenarios() {}

  /**
   * The reference: one instance, exactly-once, never disturbed, over the whole workload on a
   * single-node broker. Returns its predictions per series in order.
   */
  public static Map<String, List<Prediction>> reference(Settings s) throws Exception {
    try (Stage stage = Stage.start(1, s, "reference")) {
      stage.feed(0, 1.0);
      stage.launch("reference", StreamsConfig.EXACTLY_ONCE_V2, 0);
      stage.collector.await(s.workload().total(), false, STALL);
      stage.settle();
      Map<String, List<Prediction>> reference = stage.collector.snapshot();
      long count = reference.values().stream().mapToLong(List::size).sum();
      if (count != s.workload().total()) {
        throw new IllegalStateException(
            "reference run produced " + count + " predictions for " + s.workload().total());
      }
      return reference;
    }
  }

  /**
   * Crash equivalence: one instance, killed with SIGKILL at {@code kills} random moments and
   * restarted each time; before the second restart its state directory is wiped too, so that run
   * must restore everything from the changelog.
   */
  public static Result crash(
      Settings s, Map<String, List<Prediction>> reference, String guarantee, int kills)
      throws Exception {
    String name = "crash-" + guarantee.replace('_', '-');
    try (Stage stage = Stage.start(1, s, name)) {
      Random random = new Random(s.seed());
      ServeProcess app = stage.launch("app", guarantee, 0);
      app.awaitRunning(START);
      long total = s.workload().total();
      List<Double> restarts = new ArrayList<>();
      // Kill k at a random point inside the k-th of `kills` equal slices of 10%..85% of the
      // output, then after a random sub-second delay so it lands anywhere in a commit interval;
      // the feed runs 10% ahead of each kill point, so input is still arriving.
      double slice = 0.75 / kills;
      double[] fractions = new double[kills];
      for (int k = 0; k < kills; k++) {
        fractions[k] = 0.10 + slice * k + slice * (0.2 + 0.6 * random.nextDouble());
      }
      stage.feed(s.ticksPerSecond(), fractions[0] + 0.1);
      for (int k = 0; k < kills; k++) {
        stage.collector.await((long) (fractions[k] * total), !exactlyOnce(guarantee), STALL);
        Thread.sleep(random.nextInt(500));
        long committed = stage.collector.count();
        app.kill();
        boolean wipe = k == 1;
        if (wipe) {
          LocalDirs.deleteQuietly(stage.stateDir("app"));
        }
        stage.fault(
            String.format(
                "SIGKILL #%d after %,d committed predictions (%.0f%%)%s",
                k + 1,
                committed,
                100.0 * committed / total,
                wipe ? "; state directory wiped before restart" : ""));
        app = stage.launch("app", guarantee, 0);
        restarts.add(app.awaitRunning(START));
        stage.openFeed(k + 1 < kills ? fractions[k + 1] + 0.1 : 1.0);
      }
      stage.figures.put("restartToRunningSeconds", restarts);
      stage.figures.put("kills", kills);
      return stage.finish(name, reference, exactlyOnce(guarantee));
    }
  }

  /**
   * Scale-out and failover on a 3-node cluster (replication factor 3, min.insync.replicas 2): two
   * instances with standby replicas, a third added mid-stream, one killed with SIGKILL, then one
   * broker shut down.
   */
  public static Result failover(Settings s, Map<String, List<Prediction>> reference)
      throws Exception {
    String name = "failover";
    String eos = StreamsConfig.EXACTLY_ONCE_V2;
    try (Stage stage = Stage.start(3, s, name)) {
      long total = s.workload().total();
      ServeProcess a = stage.launch("a", eos, 1);
      ServeProcess b = stage.launch("b", eos, 1);
      a.awaitRunning(START);
      b.awaitRunning(START);
      // Each fault comes at a quarter of the output more, with the feed held 10% ahead of it, so
      // input is still arriving when it strikes and the instances must carry on with it.
      stage.feed(s.ticksPerSecond(), 0.35);

      stage.collector.await(total / 4, false, STALL);
      long added = System.nanoTime();
      ServeProcess c = stage.launch("c", eos, 1);
      double cRunning = c.awaitRunning(START);
      double allReady = stage.awaitReady(added, List.of(a, b, c));
      stage.fault("third instance added at 25% of the output");
      stage.figures.put("scaleOutNewInstanceRunningSeconds", cRunning);
      stage.figures.put("scaleOutAllReadySeconds", allReady);

      stage.openFeed(0.60);
      stage.collector.await(total / 2, false, STALL);
      long killed = System.nanoTime();
      b.kill();
      stage.fault("instance b killed with SIGKILL at 50% of the output");
      stage.openFeed(0.85);
      stage.collector.await(total * 3 / 4, false, STALL);
      stage.figures.put(
          "killLongestPartitionStallSeconds",
          stage.collector.longestPartitionGapSeconds(killed, System.nanoTime()));
      stage.figures.put("killSurvivorsReadySeconds", stage.awaitReady(killed, List.of(a, c)));

      long brokerDown = System.nanoTime();
      stage.cluster.stop(1);
      stage.fault("broker node 2 of 3 shut down at 75% of the output (stays down)");
      stage.openFeed(1.0);
      stage.collector.await(total * 9 / 10, false, STALL);
      stage.figures.put(
          "brokerLossLongestPartitionStallSeconds",
          stage.collector.longestPartitionGapSeconds(brokerDown, System.nanoTime()));
      Result result = stage.finish(name, reference, true);
      result.figures().put("instancesAliveAtEnd", List.of(a.isAlive(), c.isAlive()));
      return result;
    }
  }

  /**
   * Broker outage: every broker of the cluster shut down for {@code outage} mid-stream, then
   * started again on the same ports and log directories; the instances must ride it out.
   */
  public static Result outage(
      Settings s, Map<String, List<Prediction>> reference, int brokers, Duration outage)
      throws Exception {
    String name = "outage";
    String eos = StreamsConfig.EXACTLY_ONCE_V2;
    try (Stage stage = Stage.start(brokers, s, name)) {
      long total = s.workload().total();
      ServeProcess app = stage.launch("app", eos, 0);
      app.awaitRunning(START);
      stage.feed(s.ticksPerSecond(), 1.0); // the producer keeps retrying through the outage
      stage.collector.await(total * 3 / 10, false, STALL);
      long down = System.nanoTime();
      stage.cluster.stopAll();
      double stopSeconds = (System.nanoTime() - down) / 1e9;
      Thread.sleep(outage.toMillis());
      boolean aliveDuringOutage = app.isAlive();
      long up = System.nanoTime();
      stage.cluster.startAll();
      double startSeconds = (System.nanoTime() - up) / 1e9;
      stage.fault(
          String.format(
              "all %d brokers shut down at 30%% of the output, unreachable for %.1f s"
                  + " (shutdown took %.1f s, restart on the same ports and log dirs %.1f s)",
              brokers, stopSeconds + outage.toMillis() / 1e3, stopSeconds, startSeconds));
      stage.collector.await(stage.collector.count() + 1, false, STALL);
      stage.figures.put("outputResumedAfterBrokersBackSeconds", (System.nanoTime() - up) / 1e9);
      Result result = stage.finish(name, reference, true);
      result.figures().put("appAliveDuringOutage", aliveDuringOutage);
      result.figures().put("appAliveAtEnd", app.isAlive());
      result.figures().put("appLaunches", 1);
      result.figures().put("streamThreadsReplaced", app.logCount("stream thread failed"));
      result.figures().put("streamsErrorState", app.logCount("-> ERROR"));
      return result;
    }
  }

  /**
   * Local state loss: the instance is stopped cleanly at half the output, its state directory
   * deleted, and a fresh instance restores the state from the changelog.
   */
  public static Result stateLoss(Settings s, Map<String, List<Prediction>> reference)
      throws Exception {
    String name = "state-loss";
    String eos = StreamsConfig.EXACTLY_ONCE_V2;
    try (Stage stage = Stage.start(1, s, name)) {
      long total = s.workload().total();
      ServeProcess app = stage.launch("app", eos, 0);
      app.awaitRunning(START);
      stage.feed(s.ticksPerSecond(), 0.6);
      stage.collector.await(total / 2, false, STALL);
      app.stop();
      long before = stage.collector.count();
      LocalDirs.deleteQuietly(stage.stateDir("app"));
      stage.fault(
          String.format(
              "stopped after %,d predictions; state directory deleted before restart", before));
      app = stage.launch("app", eos, 0);
      stage.figures.put("restartWithEmptyStateToRunningSeconds", app.awaitRunning(START));
      stage.openFeed(1.0);
      return stage.finish(name, reference, true);
    }
  }

  private static boolean exactlyOnce(String guarantee) {
    return guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2);
  }

  /** A cluster, its topics and model, a collector, the feed and the instances of one scenario. */
  private static final class Stage implements AutoCloseable {
    final Settings settings;
    final String name;
    final EmbeddedKafkaCluster cluster;
    final PredictionCollector collector;
    final Path dir;
    final List<ServeProcess> instances = new ArrayList<>();
    final List<String> faults = new ArrayList<>();
    final Map<String, Object> figures = new LinkedHashMap<>();
    final long startedNanos = System.nanoTime();
    TickFeeder feeder;

    private Stage(
        Settings settings,
        String name,
        EmbeddedKafkaCluster cluster,
        PredictionCollector collector,
        Path dir) {
      this.settings = settings;
      this.name = name;
      this.cluster = cluster;
      this.collector = collector;
      this.dir = dir;
    }

    static Stage start(int brokers, Settings s, String name) throws Exception {
      Path dir = s.workDir().resolve(name);
      LocalDirs.deleteQuietly(dir);
      Files.createDirectories(dir);
      s.log().printf("  %s: starting %d broker(s)%n", name, brokers);
      EmbeddedKafkaCluster cluster = EmbeddedKafkaCluster.start(brokers, Map.of());
      try {
        Topics.createAll(
            cluster.connection(), Topics.DEFAULT_PARTITIONS, cluster.replicationFactor());
        ModelPublisher.publish(cluster.connection(), BundledModels.sp500(CellType.LSTM));
        return new Stage(
            s, name, cluster, PredictionCollector.start(cluster.bootstrapServers()), dir);
      } catch (Exception e) {
        cluster.close();
        throw e;
      }
    }

    Path stateDir(String instance) {
      return dir.resolve("state-" + instance);
    }

    ServeProcess launch(String instance, String guarantee, int standbys) throws IOException {
      ServeProcess process =
          ServeProcess.start(
              new ServeProcess.Spec(
                  instance,
                  cluster.bootstrapServers(),
                  "seqcast-" + name,
                  stateDir(instance),
                  guarantee,
                  standbys,
                  environment(),
                  dir,
                  settings.jvmOptions()));
      instances.add(process);
      return process;
    }

    private Map<String, String> environment() {
      Map<String, String> environment = new LinkedHashMap<>(CLIENT_ENVIRONMENT);
      environment.putAll(settings.serveEnvironment());
      return environment;
    }

    /** Starts the feed at {@code perSecond}, held at {@code upTo} (a fraction of the ticks). */
    void feed(double perSecond, double upTo) {
      feeder =
          TickFeeder.start(
              cluster.bootstrapServers(), settings.workload().records(), perSecond, ticks(upTo));
    }

    /** Lets the feed go on up to {@code upTo}, a fraction of the ticks. */
    void openFeed(double upTo) {
      feeder.openTo(ticks(upTo));
    }

    private long ticks(double fraction) {
      return (long) Math.ceil(Math.min(1.0, fraction) * settings.workload().total());
    }

    void fault(String what) {
      String line = String.format("t+%.1f s: %s", (System.nanoTime() - startedNanos) / 1e9, what);
      faults.add(line);
      settings.log().printf("  %s: %s%n", name, line);
    }

    /** Seconds from {@code sinceNanos} until every one of {@code processes} answers ready. */
    double awaitReady(long sinceNanos, List<ServeProcess> processes)
        throws TimeoutException, InterruptedException {
      long deadline = System.nanoTime() + START.toNanos();
      while (!processes.stream().allMatch(ServeProcess::isReady)) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("instances not ready after " + START);
        }
        Thread.sleep(100);
      }
      return (System.nanoTime() - sinceNanos) / 1e9;
    }

    /** Lets any surplus (duplicates) arrive after the expected count was reached. */
    void settle() throws InterruptedException {
      Thread.sleep(2_000);
    }

    Result finish(String scenario, Map<String, List<Prediction>> reference, boolean exactlyOnce)
        throws Exception {
      long total = settings.workload().total();
      collector.await(total, !exactlyOnce, STALL);
      feeder.awaitDone(60_000);
      settle();
      OutputComparison comparison = OutputComparison.of(reference, collector.snapshot());
      figures.put("seriesHeldAtEnd", sumOverInstances("seqcast_state_series", ""));
      figures.put(
          "seriesExpiredSinceLastStart",
          sumOverInstances("seqcast_series_evicted_total", "reason=\"expired\""));
      figures.put("deadLettersByReason", deadLettersByReason());
      figures.put("ticksSent", feeder.acked());
      figures.put("ticksFailed", feeder.failed());
      figures.put("scenarioSeconds", (System.nanoTime() - startedNanos) / 1e9);
      settings.log().printf("  %s: %s%n", scenario, comparison);
      return new Result(scenario, comparison, List.copyOf(faults), figures);
    }

    /** A meter summed over the instances still running (their last launch each). */
    long sumOverInstances(String meter, String labels) {
      double sum = 0;
      for (ServeProcess p : instances) {
        double value = p.metric(meter, labels);
        sum += Double.isNaN(value) ? 0 : value;
      }
      return Math.round(sum);
    }

    /**
     * Dead letters by reason: every tick of the workload is valid, so any here are replays the
     * predictor refused as {@code duplicate} (at-least-once after a crash).
     */
    Map<String, Long> deadLettersByReason() {
      Map<String, Long> counts = new java.util.TreeMap<>();
      try (BoundedTopicReader reader =
          BoundedTopicReader.open(cluster.connection(), Topics.DLQ, new ReadBound.EndAtStart())) {
        reader.read(
            r -> {
              var header = r.headers().lastHeader(DeadLetterHeaders.REASON);
              String reason =
                  header == null
                      ? "(none)"
                      : new String(header.value(), java.nio.charset.StandardCharsets.UTF_8);
              counts.merge(reason, 1L, Long::sum);
            },
            (done, all, records) -> {});
      }
      return counts;
    }

    @Override
    public void close() throws Exception {
      for (ServeProcess p : instances) {
        p.close();
      }
      if (feeder != null) {
        feeder.close();
      }
      collector.close();
      cluster.close();
      try (var entries = Files.list(dir)) {
        entries
            .filter(p -> p.getFileName().toString().startsWith("state-"))
            .forEach(LocalDirs::deleteQuietly); // the instance logs stay for a post-mortem
      }
    }
  }
}
