package dev.seqcast.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.streams.StreamsApp;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sustained load for minutes: first measures the predictor's maximum throughput on a pre-loaded
 * burst (as {@code bench pipeline} does), then offers a fraction of it (80% by default) as a paced
 * live stream to a fresh broker and app, and samples per interval the JVM heap (used, and used
 * after each garbage collection — the live set's trend) and produce→prediction latency. Stability
 * is reported as the heap-after-GC slope and p99 of the first third of the run against the last.
 *
 * <p>By default the predictor runs as {@code seqcast serve} in its own JVM, so its heap is the
 * predictor's alone and its live set is measured after a forced full collection. With {@code
 * --shared-jvm} broker, app, producer and latency consumer share this JVM and the heap figures are
 * the whole process's; a leak in any of them shows as a slope.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description =
        "Sustained load at a fraction of the measured maximum throughput for --minutes, sampling"
            + " heap and produce-to-prediction p99 per interval. Writes soak.json and soak.png.")
public final class SoakBench implements Callable<Integer> {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin BenchOptions options;

  @Mixin LiveLoadOptions kafka;

  @Option(names = "--minutes", defaultValue = "10", description = "Minutes of sustained load.")
  double minutes;

  @Option(
      names = "--warmup-minutes",
      defaultValue = "1",
      description =
          "Minutes of the same load before sampling starts, while the JIT compiles the hot path.")
  double warmupMinutes;

  @Option(
      names = "--interval-seconds",
      defaultValue = "30",
      description = "Seconds per sample of heap and latency.")
  int intervalSeconds;

  @Option(
      names = "--load-fraction",
      defaultValue = "0.8",
      description = "Offered load as a fraction of the measured maximum.")
  double loadFraction;

  @Option(
      names = "--burst-ticks",
      defaultValue = "300000",
      description = "Pre-loaded ticks the maximum throughput is measured on.")
  long burstTicks;

  @Option(names = "--series", defaultValue = "1000", description = "Distinct series.")
  int series;

  @Option(
      names = "--shared-jvm",
      description =
          "Run the predictor inside this JVM, beside broker and load generator, instead of as"
              + " `seqcast serve` in its own; heap figures are then the whole process's.")
  boolean sharedJvm;

  /** One interval's figures. */
  record Sample(
      double minute,
      double usedHeapMb,
      double heapAfterGcMb,
      double p50Ms,
      double p99Ms,
      double maxMs,
      long predictions,
      double offeredPerSecond,
      double predictedPerSecond,
      long lag,
      String streamsState) {}

  @Override
  public Integer call() throws Exception {
    if (minutes <= 0
        || warmupMinutes < 0
        || intervalSeconds <= 0
        || loadFraction <= 0
        || loadFraction > 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--minutes and --interval-seconds must be positive, --warmup-minutes not negative and"
              + " --load-fraction in (0, 1]");
    }
    ModelBundle bundle = BundledModels.sp500(CellType.LSTM);
    double max;
    try (BenchCluster cluster = BenchCluster.start(kafka.partitions)) {
      cluster.publish(bundle);
      cluster.preload(series, burstTicks, 42);
      max =
          PipelineBench.sustained(
                  cluster,
                  "max",
                  "bench-soak-max",
                  kafka.guarantee,
                  kafka.commitIntervalMs,
                  burstTicks,
                  RecurrentModel::newKernel)
              .sustainedPerSecond();
    }
    int rate = (int) Math.round(max * loadFraction);
    System.out.printf(
        "maximum %,.0f events/s on a %,d-tick burst; soaking at %,d events/s (%.0f%%) for %.1f"
            + " min%n",
        max, burstTicks, rate, loadFraction * 100, minutes);
    List<Sample> samples = soak(bundle, rate);
    return report(samples, max, rate);
  }

  /** The predictor under load, in this JVM or in its own. */
  private interface Predictor extends AutoCloseable {
    /** Kafka Streams' state, or whether the separate process reports ready. */
    String state();

    /** Heap used now, in bytes. */
    double usedHeapBytes() throws Exception;

    /** The interval's heap-after-GC figure in bytes (NaN when none), then starts a new interval. */
    double heapAfterGcBytes() throws Exception;
  }

  private List<Sample> soak(ModelBundle bundle, int rate) throws Exception {
    List<Sample> samples = new ArrayList<>();
    try (BenchCluster cluster = BenchCluster.start(kafka.partitions)) {
      cluster.publish(bundle);
      try (Predictor predictor = sharedJvm ? inThisJvm(cluster) : inOwnJvm(cluster);
          KafkaConsumer<byte[], byte[]> consumer = cluster.latestPredictions("bench-soak")) {
        AtomicLong sent = new AtomicLong();
        long loadStart = System.currentTimeMillis();
        long start = loadStart + Math.round(warmupMinutes * 60_000);
        long end = start + Math.round(minutes * 60_000);
        Thread producer =
            new Thread(() -> cluster.produceAtRate(series, rate, end, sent), "bench-soak-load");
        producer.start();
        Histogram latency = new Histogram(600_000, 3);
        long predicted = 0;
        while (System.currentTimeMillis() < start) { // warm-up: load offered, nothing sampled
          predicted += consumer.poll(Duration.ofMillis(20)).count();
        }
        long intervalMs = intervalSeconds * 1000L;
        long nextSample = start + intervalMs;
        long sentBefore = sent.get();
        long predictedBefore = predicted;
        predictor.heapAfterGcBytes();
        while (System.currentTimeMillis() < end) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
            long ms = System.currentTimeMillis() - r.timestamp();
            latency.recordValue(Math.max(0, Math.min(600_000, ms)));
            predicted++;
          }
          long now = System.currentTimeMillis();
          if (now >= nextSample) {
            long sentNow = sent.get();
            double seconds = (now - (nextSample - intervalMs)) / 1000.0;
            Sample sample =
                new Sample(
                    (now - start) / 60_000.0,
                    predictor.usedHeapBytes() / 1e6,
                    predictor.heapAfterGcBytes() / 1e6,
                    latency.getValueAtPercentile(50),
                    latency.getValueAtPercentile(99),
                    latency.getMaxValue(),
                    latency.getTotalCount(),
                    (sentNow - sentBefore) / seconds,
                    (predicted - predictedBefore) / seconds,
                    sentNow - predicted,
                    predictor.state());
            samples.add(sample);
            System.out.printf(
                "  %5.1f min: heap %,.0f MB (after GC %,.0f MB), p50 %.0f ms, p99 %.0f ms, max"
                    + " %.0f ms, offered %,.0f/s, predicted %,.0f/s, lag %,d, %s%n",
                sample.minute(),
                sample.usedHeapMb(),
                sample.heapAfterGcMb(),
                sample.p50Ms(),
                sample.p99Ms(),
                sample.maxMs(),
                sample.offeredPerSecond(),
                sample.predictedPerSecond(),
                sample.lag(),
                sample.streamsState());
            latency.reset();
            sentBefore = sentNow;
            predictedBefore = predicted;
            nextSample += intervalMs;
          }
        }
        producer.join();
      }
    }
    return samples;
  }

  /** The app in this JVM; heap after GC is the smallest occupancy after any collection. */
  private Predictor inThisJvm(BenchCluster cluster) throws Exception {
    StreamsApp app =
        cluster.startApp(
            "bench-soak",
            kafka.guarantee,
            kafka.commitIntervalMs,
            RecurrentModel::newKernel,
            BenchCluster.meters());
    HeapAfterGc afterGc = new HeapAfterGc();
    return new Predictor() {
      @Override
      public String state() {
        return app.streams().state().toString();
      }

      @Override
      public double usedHeapBytes() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      }

      @Override
      public double heapAfterGcBytes() {
        double bytes = afterGc.minimumSinceReset();
        afterGc.reset();
        return bytes;
      }

      @Override
      public void close() {
        afterGc.close(); // the cluster closes the app
      }
    };
  }

  /**
   * {@code seqcast serve} in its own JVM ({@link ServeProcess}), watched over local JMX. Heap after
   * GC is the live set: at the end of each interval a full collection is requested ({@code
   * MemoryMXBean.gc()}, one serial full GC whose pause the latency figures include) and the heap
   * occupancy right after it is read.
   */
  private Predictor inOwnJvm(BenchCluster cluster) throws Exception {
    int jmxPort;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      jmxPort = free.getLocalPort();
    }
    Path stateDir = Files.createTempDirectory("seqcast-soak-state");
    ServeProcess serve =
        ServeProcess.start(
            new ServeProcess.Spec(
                "soak-predictor",
                cluster.bootstrap(),
                "bench-soak",
                stateDir,
                kafka.guarantee,
                0,
                Map.of("SEQCAST_COMMIT_INTERVAL_MS", Long.toString(kafka.commitIntervalMs)),
                options.outDir(),
                List.of(
                    "-Dcom.sun.management.jmxremote.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                    "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                    "-Djava.rmi.server.hostname=127.0.0.1",
                    "-Dcom.sun.management.jmxremote.authenticate=false",
                    "-Dcom.sun.management.jmxremote.ssl=false")));
    JMXConnector jmx;
    MemoryMXBean memory;
    try {
      serve.awaitRunning(Duration.ofMinutes(2));
      while (!serve.isReady()) {
        Thread.sleep(100);
      }
      jmx =
          JMXConnectorFactory.connect(
              new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi"));
      memory =
          ManagementFactory.newPlatformMXBeanProxy(
              jmx.getMBeanServerConnection(),
              ManagementFactory.MEMORY_MXBEAN_NAME,
              MemoryMXBean.class);
    } catch (Exception e) {
      serve.close();
      throw e;
    }
    System.out.printf(
        "predictor: seqcast serve in its own JVM (pid %d, log %s)%n", serve.pid(), serve.log());
    return new Predictor() {
      @Override
      public String state() {
        return serve.isReady() ? "RUNNING" : "NOT READY";
      }

      @Override
      public double usedHeapBytes() {
        return memory.getHeapMemoryUsage().getUsed();
      }

      @Override
      public double heapAfterGcBytes() {
        memory.gc();
        return memory.getHeapMemoryUsage().getUsed();
      }

      @Override
      public void close() throws Exception {
        jmx.close();
        serve.stop();
        dev.seqcast.kafka.LocalDirs.deleteQuietly(stateDir);
      }
    };
  }

  private int report(List<Sample> samples, double max, int rate) throws Exception {
    if (samples.size() < 3) {
      throw new IllegalStateException(
          "only " + samples.size() + " samples: run longer or sample more often");
    }
    int third = samples.size() / 3;
    List<Sample> first = samples.subList(0, third);
    List<Sample> last = samples.subList(samples.size() - third, samples.size());
    double p99First = mean(first, Sample::p99Ms);
    double p99Last = mean(last, Sample::p99Ms);
    double heapFirst = mean(first, Sample::heapAfterGcMb);
    double heapLast = mean(last, Sample::heapAfterGcMb);
    double slope = slope(samples);
    double offered = mean(samples, Sample::offeredPerSecond);
    double predicted = mean(samples, Sample::predictedPerSecond);
    boolean alwaysRunning = samples.stream().allMatch(s -> s.streamsState().equals("RUNNING"));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("minutes", minutes);
    params.put("warmupMinutes", warmupMinutes);
    params.put("intervalSeconds", intervalSeconds);
    params.put("loadFraction", loadFraction);
    params.put("maxEventsPerSecond", max);
    params.put("offeredRate", rate);
    params.put("achievedOfferedPerSecond", offered);
    params.put("predictedPerSecond", predicted);
    params.put("burstTicks", burstTicks);
    params.put("series", series);
    kafka.describe(params);
    params.put("predictorJvm", sharedJvm ? "shared with broker and load" : "own (seqcast serve)");
    params.put(
        "heapAfterGc",
        sharedJvm
            ? "smallest occupancy after any collection in the interval, whole process"
            : "predictor's live set: heap used right after a full collection requested over JMX");
    if (sharedJvm) {
      params.put("maxHeapMb", Runtime.getRuntime().maxMemory() / 1e6);
    }
    params.put("heapAfterGcSlopeMbPerMinute", slope);
    params.put("streamsAlwaysRunning", alwaysRunning);
    params.put("finalLag", samples.get(samples.size() - 1).lag());
    params.put("samples", samples.stream().map(SoakBench::asMap).toList());
    List<BenchResult> results =
        List.of(
            new BenchResult(
                "soak",
                "p99_latency_ms_last_third_vs_first_third",
                p99Last,
                p99First,
                p99Last / p99First,
                "ms",
                params),
            new BenchResult(
                "soak",
                "heap_after_gc_mb_last_third_vs_first_third",
                heapLast,
                heapFirst,
                heapLast / heapFirst,
                "MB",
                Map.of("heapAfterGcSlopeMbPerMinute", slope)),
            new BenchResult(
                "soak",
                "offered_events_per_second_vs_max",
                offered,
                max,
                offered / max,
                "events/s",
                Map.of("predictedPerSecond", predicted)));
    String summary =
        String.format(
            "%.1f min at %,.0f events/s (%.0f%% of max %,.0f): p99 %.0f ms first third, %.0f ms"
                + " last third; %s %.0f -> %.0f MB (slope %+.2f MB/min); streams %s",
            minutes,
            offered,
            100 * offered / max,
            max,
            p99First,
            p99Last,
            sharedJvm ? "heap after GC" : "predictor live set after full GC",
            heapFirst,
            heapLast,
            slope,
            alwaysRunning ? "RUNNING throughout" : "NOT always RUNNING");
    BenchReport.write(options.outDir(), "soak", results, summary, System.out);
    List<Double> x = samples.stream().map(Sample::minute).toList();
    Map<String, List<Double>> heap = new LinkedHashMap<>();
    heap.put("heap used, MB", samples.stream().map(Sample::usedHeapMb).toList());
    heap.put(
        sharedJvm ? "heap after GC, MB" : "live set after full GC, MB",
        samples.stream().map(Sample::heapAfterGcMb).toList());
    Charts.lines(
        options.outDir().resolve("soak.png"),
        String.format(
            "Soak: %,.0f events/s (%.0f%% of measured max), %s, predictor %s",
            offered,
            100 * offered / max,
            kafka.guarantee,
            sharedJvm ? "in the bench JVM" : "own JVM"),
        "minutes",
        x,
        "heap, MB",
        heap,
        "p99 produce to prediction, ms",
        Map.of("p99 latency, ms", samples.stream().map(Sample::p99Ms).toList()));
    return 0;
  }

  private static Map<String, Object> asMap(Sample s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("minute", s.minute());
    m.put("usedHeapMb", s.usedHeapMb());
    // No collection in an interval leaves no after-GC figure: JSON null rather than NaN.
    m.put("heapAfterGcMb", Double.isFinite(s.heapAfterGcMb()) ? s.heapAfterGcMb() : null);
    m.put("p50Ms", s.p50Ms());
    m.put("p99Ms", s.p99Ms());
    m.put("maxMs", s.maxMs());
    m.put("predictions", s.predictions());
    m.put("offeredPerSecond", s.offeredPerSecond());
    m.put("predictedPerSecond", s.predictedPerSecond());
    m.put("lag", s.lag());
    m.put("streamsState", s.streamsState());
    return m;
  }

  private static double mean(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> f) {
    return samples.stream().mapToDouble(f).filter(Double::isFinite).average().orElse(Double.NaN);
  }

  /** Least-squares slope of heap after GC over minutes, skipping intervals without a GC. */
  static double slope(List<Sample> samples) {
    double n = 0;
    double sx = 0;
    double sy = 0;
    double sxx = 0;
    double sxy = 0;
    for (Sample s : samples) {
      if (!Double.isFinite(s.heapAfterGcMb())) {
        continue;
      }
      n++;
      sx += s.minute();
      sy += s.heapAfterGcMb();
      sxx += s.minute() * s.minute();
      sxy += s.minute() * s.heapAfterGcMb();
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
  }

  /**
   * The smallest heap occupancy right after a garbage collection since the last reset: after a
   * young collection only survivors and the old generation remain, so its trend is the live set's.
   */
  private static final class HeapAfterGc implements AutoCloseable {
    private final Set<String> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .map(MemoryPoolMXBean::getName)
            .collect(Collectors.toSet());
    private final AtomicLong minimum = new AtomicLong(Long.MAX_VALUE);
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener =
        (notification, handback) -> {
          if (notification
              .getType()
              .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used =
                info.getGcInfo().getMemoryUsageAfterGc().entrySet().stream()
                    .filter(e -> heapPools.contains(e.getKey()))
                    .mapToLong(e -> e.getValue().getUsed())
                    .sum();
            minimum.accumulateAndGet(used, Math::min);
          }
        };

    HeapAfterGc() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(listener, null, null);
          emitters.add(emitter);
        }
      }
    }

    void reset() {
      minimum.set(Long.MAX_VALUE);
    }

    /** Bytes, or NaN when no collection ran since the reset. */
    double minimumSinceReset() {
      long m = minimum.get();
      return m == Long.MAX_VALUE ? Double.NaN : m;
    }

    @Override
    public void close() {
      for (NotificationEmitter emitter : emitters) {
        try {
          emitter.removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException e) {
          // never added
        }
      }
    }
  }
}
