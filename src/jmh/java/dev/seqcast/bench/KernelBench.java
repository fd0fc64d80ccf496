package dev.seqcast.bench;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelHeader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Runs {@link KernelBenchmark} and {@link FmaBaseline} under JMH (forked JVMs, GC profiler for
 * bytes per step), then the seqcast kernel again on the Vector API path, and writes {@code
 * kernel.json} plus a chart.
 */
@Command(
    name = "kernel",
    mixinStandardHelpOptions = true,
    description =
        "JMH: ns per step of seqcast's LSTM/GRU kernels vs DL4J at batch 1 and 64, bytes"
            + " allocated per step, and the arithmetic bound from a measured multiply-add rate."
            + " Writes kernel.json and kernel.png.")
public final class KernelBench implements Callable<Integer> {

  @Mixin BenchOptions options;

  @Option(names = "--cells", split = ",", defaultValue = "lstm,gru", description = "Cells.")
  List<String> cells;

  @Option(
      names = "--hidden",
      split = ",",
      defaultValue = "16,32,64,128",
      description = "Hidden sizes.")
  List<String> hidden;

  @Option(names = "--input", split = ",", defaultValue = "1,8", description = "Input sizes.")
  List<String> input;

  @Option(names = "--warmup", defaultValue = "2", description = "Warm-up iterations of 1 s.")
  int warmup;

  @Option(names = "--iterations", defaultValue = "3", description = "Measured iterations of 1 s.")
  int iterations;

  @Option(
      names = "--no-vector",
      description = "Skip the second run of the seqcast kernel on the Vector API path.")
  boolean noVector;

  /** Figures of one shape. */
  private static final class Row {
    double seqcast = Double.NaN;
    double seqcastBytes = Double.NaN;
    double vector = Double.NaN;
    double dl4j1 = Double.NaN;
    double dl4j1Bytes = Double.NaN;
    double dl4j64 = Double.NaN;
  }

  @Override
  public Integer call() throws Exception {
    Collection<RunResult> main =
        new Runner(jmh(".*(KernelBenchmark|FmaBaseline).*").addProfiler(GCProfiler.class).build())
            .run();
    Collection<RunResult> vector =
        noVector
            ? List.of()
            : new Runner(
                    jmh(".*KernelBenchmark.seqcast")
                        .jvmArgsAppend(
                            "--add-modules=jdk.incubator.vector", "-Dseqcast.kernel=vector")
                        .build())
                .run();

    Map<String, Row> rows = new LinkedHashMap<>();
    double dotNs = Double.NaN;
    double axpyNs = Double.NaN;
    int fmaLength = 0;
    for (RunResult r : main) {
      String method = method(r);
      double score = r.getPrimaryResult().getScore();
      if (method.equals("dot") || method.equals("axpy")) {
        fmaLength = Integer.parseInt(r.getParams().getParam("length"));
        if (method.equals("dot")) {
          dotNs = score;
        } else {
          axpyNs = score;
        }
        continue;
      }
      Row row = rows.computeIfAbsent(key(r), k -> new Row());
      double bytes = allocatedBytesPerOp(r);
      switch (method) {
        case "seqcast" -> {
          row.seqcast = score;
          row.seqcastBytes = bytes;
        }
        case "dl4jBatch1" -> {
          row.dl4j1 = score;
          row.dl4j1Bytes = bytes;
        }
        case "dl4jBatch64" -> row.dl4j64 = score;
        default -> throw new IllegalStateException("unexpected benchmark " + method);
      }
    }
    for (RunResult r : vector) {
      rows.computeIfAbsent(key(r), k -> new Row()).vector = r.getPrimaryResult().getScore();
    }

    // Best measured multiply-add rate (per ns) on this JVM and machine.
    double macPerNs = Math.max(fmaLength / dotNs, fmaLength / axpyNs);
    List<BenchResult> results = new ArrayList<>();
    Map<String, Object> fma = new LinkedHashMap<>();
    fma.put("length", fmaLength);
    fma.put("dotNs", dotNs);
    fma.put("axpyNs", axpyNs);
    results.add(
        new BenchResult(
            "kernel",
            "fma_rate_axpy_vs_dot",
            fmaLength / axpyNs,
            fmaLength / dotNs,
            dotNs / axpyNs,
            "multiply-adds/ns",
            fma));
    String headline = "";
    List<String> labels = new ArrayList<>();
    Map<String, List<Double>> chart = new LinkedHashMap<>();
    chart.put("seqcast (scalar)", new ArrayList<>());
    chart.put("seqcast (Vector API)", new ArrayList<>());
    chart.put("arithmetic bound", new ArrayList<>());
    Map<String, List<Double>> speedup = new LinkedHashMap<>();
    speedup.put("DL4J batch 1 / seqcast", new ArrayList<>());
    speedup.put("DL4J batch 64 per row / seqcast", new ArrayList<>());
    for (Map.Entry<String, Row> e : rows.entrySet()) {
      String[] parts = e.getKey().split("/");
      CellType cell = CellType.parse(parts[0]);
      int h = Integer.parseInt(parts[1]);
      int n = Integer.parseInt(parts[2]);
      Row row = e.getValue();
      long macs = multiplyAdds(cell, n, h);
      double boundNs = macs / macPerNs;
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("cell", cell.wireName());
      params.put("hidden", h);
      params.put("input", n);
      params.put("parameters", ModelHeader.ofShape("p", cell, n, h, 1, 1).weightCount());
      params.put("multiplyAdds", macs);
      params.put("seqcastBytesPerStep", row.seqcastBytes);
      params.put("vectorNsPerStep", row.vector);
      params.put("dl4jBatch1BytesPerStep", row.dl4j1Bytes);
      params.put("dl4jBatch64NsPerRow", row.dl4j64);
      params.put("boundNs", boundNs);
      params.put("ratioToBound", row.seqcast / boundNs);
      params.put("vectorRatioToBound", row.vector / boundNs);
      results.add(
          new BenchResult(
              "kernel",
              "ns_per_step_speedup_vs_dl4j_batch1",
              row.seqcast,
              row.dl4j1,
              row.dl4j1 / row.seqcast,
              "ns",
              params));
      labels.add(e.getKey());
      chart.get("seqcast (scalar)").add(row.seqcast);
      chart.get("seqcast (Vector API)").add(Double.isNaN(row.vector) ? 0 : row.vector);
      chart.get("arithmetic bound").add(boundNs);
      speedup.get("DL4J batch 1 / seqcast").add(row.dl4j1 / row.seqcast);
      speedup.get("DL4J batch 64 per row / seqcast").add(row.dl4j64 / row.seqcast);
      if (cell == CellType.LSTM && h == 64 && n == 8) {
        headline =
            String.format(
                "lstm h64 n8: seqcast %.0f ns/step (vector %.0f), DL4J batch-1 %.0f ns = %.0fx,"
                    + " %.2fx the arithmetic bound (%.0f ns), %.0f B/step",
                row.seqcast,
                row.vector,
                row.dl4j1,
                row.dl4j1 / row.seqcast,
                row.seqcast / boundNs,
                boundNs,
                row.seqcastBytes);
      }
    }
    if (headline.isEmpty()) {
      headline = rows.size() + " shapes measured";
    }
    BenchReport.write(options.outDir(), "kernel", results, headline, System.out);
    Charts.bars(
        options.outDir().resolve("kernel.png"),
        "seqcast kernel: one step + head, per series (cell/hidden/input)",
        "ns per step",
        labels,
        chart,
        false);
    Charts.bars(
        options.outDir().resolve("kernel-speedup.png"),
        "How many times faster seqcast's kernel is than DL4J (cell/hidden/input)",
        "speedup (x)",
        labels,
        speedup,
        false);
    return 0;
  }

  /** Multiply-adds of one step of a one-layer model plus a one-output head. */
  static long multiplyAdds(CellType cell, int n, int h) {
    return (long) cell.gates() * h * (n + h) + h;
  }

  private ChainedOptionsBuilder jmh(String include) {
    return new OptionsBuilder()
        .include(include)
        .param("cell", cells.toArray(String[]::new))
        .param("hidden", hidden.toArray(String[]::new))
        .param("input", input.toArray(String[]::new))
        .forks(1)
        .warmupIterations(warmup)
        .warmupTime(TimeValue.seconds(1))
        .measurementIterations(iterations)
        .measurementTime(TimeValue.seconds(1))
        .shouldFailOnError(true);
  }

  private static String method(RunResult r) {
    String label = r.getParams().getBenchmark();
    return label.substring(label.lastIndexOf('.') + 1);
  }

  private static String key(RunResult r) {
    return r.getParams().getParam("cell")
        + "/"
        + r.getParams().getParam("hidden")
        + "/"
        + r.getParams().getParam("input");
  }

  private static double allocatedBytesPerOp(RunResult r) {
    for (Map.Entry<String, Result> e : r.getSecondaryResults().entrySet()) {
      if (e.getKey().endsWith("gc.alloc.rate.norm")) {
        return e.getValue().getScore();
      }
    }
    return Double.NaN;
  }
}
