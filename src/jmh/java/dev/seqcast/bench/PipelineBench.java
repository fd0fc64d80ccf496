package dev.seqcast.bench;

import dev.seqcast.cli.Progress;
import dev.seqcast.forecast.PredictorSettings;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CalendarTerm;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.SmoothingSpec;
import dev.seqcast.model.StepKernel;
import dev.seqcast.streams.StreamsApp;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Sustained throughput of the predictor topology on a real broker against a passthrough topology of
 * identical shape (same serdes, same per-key state read and write, same output record, a no-op
 * step), and against the same topology stepping through DL4J's {@code rnnTimeStep}. The variants
 * run one after another on the same pre-loaded topic, each under its own application id.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description =
        "Throughput of the predictor vs a passthrough of identical shape and vs DL4J per event, on"
            + " an embedded broker with pre-loaded ticks. Writes pipeline.json.")
public final class PipelineBench implements Callable<Integer> {

  @Mixin BenchOptions options;

  @Option(names = "--series", defaultValue = "10000", description = "Distinct series (keys).")
  int series;

  @Option(
      names = "--ticks",
      defaultValue = "1000000",
      description = "Ticks pre-loaded and processed per variant.")
  long ticks;

  @Option(
      names = "--dl4j-ticks",
      defaultValue = "20000",
      description = "Ticks the DL4J variant processes before it is stopped; it is ~30x slower.")
  long dl4jTicks;

  @Option(
      names = "--guarantee",
      defaultValue = StreamsConfig.AT_LEAST_ONCE,
      description = "Processing guarantee: at_least_once or exactly_once_v2.")
  String guarantee;

  @Option(
      names = "--commit-interval-ms",
      defaultValue = "100",
      description = "Kafka Streams commit interval.")
  long commitIntervalMs;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions of the ticks topic.")
  int partitions;

  @Option(
      names = "--rounds",
      defaultValue = "2",
      description = "Rounds of passthrough then seqcast; each variant's best round is reported.")
  int rounds;

  @Option(
      names = "--cell",
      defaultValue = "lstm",
      description = "Bundled model to run: lstm or gru.")
  String cell;

  @Option(
      names = "--neural",
      defaultValue = "one-step",
      description =
          "Model to run: one-step (the bundled log-return model of --cell) or es-lstm (a smoothed"
              + " multi-horizon LSTM of the trainer's default shape, 3 members x 32 units, 6"
              + " horizons, seeded weights, spaced like the pre-loaded ticks).")
  String neural;

  /** Seconds between one series' pre-loaded ticks ({@link BenchCluster#preload}). */
  private static final long TICK_SPACING_MS = 1_000;

  /**
   * The es-lstm model: the shape {@code train --neural es-lstm} gives by default (three members of
   * 32 units merged into one LSTM of 96, horizons 1..6) on the calendar of second-spaced data, with
   * seeded weights; the throughput of a step does not depend on what the weights learnt.
   */
  static ModelBundle smoothedBundle() {
    SmoothingSpec spec =
        new SmoothingSpec(
            SmoothingSpec.Transform.ADDITIVE,
            1,
            0.3,
            0,
            1,
            0,
            0.05,
            1e-9,
            8,
            6,
            TICK_SPACING_MS,
            TICK_SPACING_MS + TICK_SPACING_MS / 2,
            6,
            CalendarTerm.forSpacing(TICK_SPACING_MS),
            List.of());
    ModelHeader header =
        ModelHeader.smoothed(
            PredictorSettings.DEFAULT_MODEL,
            1,
            CellType.LSTM,
            96,
            1,
            spec,
            Map.of("data", "bench pipeline"),
            Map.of(),
            Instant.parse("2026-01-01T00:00:00Z"));
    Random random = new Random(42);
    float[] weights = new float[header.weightCount()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextGaussian() * 0.1);
    }
    return new ModelBundle(header, weights);
  }

  /** One variant's measured run. */
  record Run(String variant, long processed, double seconds, double sustainedPerSecond) {}

  @Override
  public Integer call() throws Exception {
    ModelBundle bundle =
        switch (neural) {
          case "one-step" -> BundledModels.sp500(CellType.parse(cell));
          case "es-lstm" -> smoothedBundle();
          default ->
              throw new picocli.CommandLine.ParameterException(
                  new picocli.CommandLine(this),
                  "--neural must be one-step or es-lstm (was '" + neural + "')");
        };
    boolean smoothed = bundle.header().smoothing() != null;
    List<Run> runs = new ArrayList<>();
    try (BenchCluster cluster = BenchCluster.start(partitions)) {
      cluster.publish(bundle);
      long loadStart = System.nanoTime();
      cluster.preload(series, ticks, 42);
      double loadSeconds = (System.nanoTime() - loadStart) / 1e9;
      System.out.printf(
          "pre-loaded %,d ticks over %,d series in %.1f s%n", ticks, series, loadSeconds);
      // Alternate the two in rounds and keep each one's best: the first run also pays for JIT
      // warm-up of the whole client stack, which would otherwise count against whichever is first.
      Run bestPassthrough = null;
      Run bestSeqcast = null;
      for (int round = 1; round <= rounds; round++) {
        Run p = run(cluster, "passthrough", round, ticks, model -> new NoOpKernel());
        Run k = run(cluster, "seqcast", round, ticks, RecurrentModel::newKernel);
        bestPassthrough = best(bestPassthrough, p);
        bestSeqcast = best(bestSeqcast, k);
      }
      runs.add(bestPassthrough);
      runs.add(bestSeqcast);
      if (bundle.header().cell() == CellType.LSTM && !smoothed) {
        runs.add(
            run(cluster, "dl4j", 1, Math.min(dl4jTicks, ticks), m -> new Dl4jStepKernel(bundle)));
      }
    }
    Run passthrough = runs.get(0);
    Run seqcast = runs.get(1);
    List<BenchResult> results = new ArrayList<>();
    for (Run r : runs) {
      Map<String, Object> params = params(bundle);
      params.put("variant", r.variant());
      params.put("rounds", r.variant().equals("dl4j") ? 1 : rounds);
      params.put("processed", r.processed());
      params.put("seconds", r.seconds());
      params.put("overallPerSecond", r.processed() / r.seconds());
      results.add(
          new BenchResult(
              "pipeline",
              "events_per_second_vs_passthrough",
              r.sustainedPerSecond(),
              passthrough.sustainedPerSecond(),
              r.sustainedPerSecond() / passthrough.sustainedPerSecond(),
              "events/s",
              params));
    }
    String summary =
        String.format(
            "seqcast %,.0f events/s vs passthrough %,.0f = %.2f (%s, %s, %,d series, %,d ticks)",
            seqcast.sustainedPerSecond(),
            passthrough.sustainedPerSecond(),
            seqcast.sustainedPerSecond() / passthrough.sustainedPerSecond(),
            smoothed
                ? "es-lstm " + bundle.header().hiddenSize() + " units"
                : bundle.header().cell().wireName(),
            guarantee,
            series,
            ticks);
    if (runs.size() > 2) {
      summary +=
          String.format(
              "; dl4j per event %,.0f events/s (kernel %.0fx faster end to end)",
              runs.get(2).sustainedPerSecond(),
              seqcast.sustainedPerSecond() / runs.get(2).sustainedPerSecond());
    }
    BenchReport.write(options.outDir(), "pipeline", results, summary, System.out);
    Charts.bars(
        options.outDir().resolve("pipeline.png"),
        "Predictor throughput, " + guarantee + " (" + series + " series)",
        "events/s",
        runs.stream().map(Run::variant).toList(),
        Map.of("events/s", runs.stream().map(Run::sustainedPerSecond).toList()),
        false);
    return 0;
  }

  private Map<String, Object> params(ModelBundle bundle) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("cell", bundle.header().cell().wireName());
    params.put("neural", bundle.header().smoothing() != null ? "es-lstm" : "one-step");
    params.put("hidden", bundle.header().hiddenSize());
    params.put("series", series);
    params.put("ticks", ticks);
    params.put("partitions", partitions);
    params.put("guarantee", guarantee);
    params.put("commitIntervalMs", commitIntervalMs);
    params.put("streamThreads", 1);
    params.put("cores", Runtime.getRuntime().availableProcessors());
    return params;
  }

  private static Run best(Run a, Run b) {
    return a == null || b.sustainedPerSecond() > a.sustainedPerSecond() ? b : a;
  }

  private Run run(
      BenchCluster cluster,
      String variant,
      int round,
      long target,
      Function<RecurrentModel, StepKernel> kernels)
      throws Exception {
    return sustained(
        cluster,
        variant,
        "bench-" + variant + "-" + round,
        guarantee,
        commitIntervalMs,
        target,
        kernels);
  }

  /**
   * Runs one variant under its own application id until it has predicted {@code target} of the
   * pre-loaded ticks. Sustained rate is measured from the 10% mark to the end, so start-up and the
   * first poll's warm-up are excluded. Each run needs its own application id: a reused id resumes
   * from the committed offsets at the end of the topic and has nothing left to read.
   */
  static Run sustained(
      BenchCluster cluster,
      String variant,
      String applicationId,
      String guarantee,
      long commitIntervalMs,
      long target,
      Function<RecurrentModel, StepKernel> kernels)
      throws Exception {
    MeterRegistry meters = BenchCluster.meters();
    long started = System.nanoTime();
    StreamsApp app = cluster.startApp(applicationId, guarantee, commitIntervalMs, kernels, meters);
    long warmMark = target / 10;
    long warmAt = 0;
    double warmCount = 0;
    double done;
    StallGuard guard = new StallGuard(Duration.ofMinutes(2));
    Progress progress = new Progress(new PrintWriter(System.err, true), "  " + variant);
    while ((done = BenchCluster.predicted(meters)) < target) {
      guard.check(done, target, applicationId);
      long now = System.nanoTime();
      if (warmAt == 0 && done >= warmMark) {
        warmAt = now;
        warmCount = done;
      }
      progress.update(
          (long) done,
          target,
          String.format("predicted, %,.0f dead-lettered", BenchCluster.deadLettered(meters)));
      Thread.sleep(20);
    }
    long end = System.nanoTime();
    progress.update(target, target, "predicted");
    app.close();
    double seconds = (end - started) / 1e9;
    double sustained = (done - warmCount) / ((end - warmAt) / 1e9);
    System.out.printf(
        "  %s: %,.0f events in %.1f s, sustained %,.0f events/s%n",
        variant, done, seconds, sustained);
    return new Run(variant, (long) done, seconds, sustained);
  }
}
