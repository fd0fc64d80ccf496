package dev.seqcast.bench;

import dev.seqcast.forecast.Prediction;
import dev.seqcast.forecast.PredictionSerde;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.streams.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Produce→prediction latency at a fixed offered load: a producer thread sends ticks on a schedule
 * with the record timestamp set to the send time; a read_committed consumer of {@code
 * seqcast.predictions} records {@code receive time − record timestamp} (predictions carry their
 * tick's timestamp) into an HdrHistogram. One fresh broker and app per (guarantee, rate).
 */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description =
        "Produce-to-prediction latency p50/p99/p99.9 at fixed offered loads, under at_least_once"
            + " and exactly_once_v2, on an embedded broker. Writes latency.json.")
public final class LatencyBench implements Callable<Integer> {

  @Mixin BenchOptions options;

  @Option(
      names = "--rates",
      split = ",",
      defaultValue = "2000,10000",
      description = "Offered loads, ticks/s.")
  List<Integer> rates;

  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "Seconds of load per run; the first 3 are warm-up.")
  int seconds;

  @Option(names = "--series", defaultValue = "1000", description = "Distinct series.")
  int series;

  @Option(
      names = "--commit-interval-ms",
      defaultValue = "100",
      description = "Kafka Streams commit interval.")
  long commitIntervalMs;

  private static final int WARMUP_SECONDS = 3;

  /** One run's latency distributions. */
  private record Measured(Histogram endToEnd, Histogram toProcessor, double achievedRate) {
    long p(double percentile) {
      return endToEnd.getValueAtPercentile(percentile);
    }
  }

  @Override
  public Integer call() throws Exception {
    List<BenchResult> results = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    Map<String, List<Double>> chart = new LinkedHashMap<>();
    chart.put("passthrough p99", new ArrayList<>());
    chart.put("seqcast p50", new ArrayList<>());
    chart.put("seqcast p99", new ArrayList<>());
    chart.put("seqcast p99.9", new ArrayList<>());
    StringBuilder summary = new StringBuilder();
    // One unmeasured run first: whichever variant ran first would otherwise also pay for the JIT
    // warm-up of the broker and the client stack in this JVM.
    System.err.println("  warm-up run (not reported)");
    run(StreamsConfig.AT_LEAST_ONCE, rates.get(0), model -> new NoOpKernel());
    for (String guarantee : List.of(StreamsConfig.AT_LEAST_ONCE, StreamsConfig.EXACTLY_ONCE_V2)) {
      for (int rate : rates) {
        // The passthrough of identical shape (no model step) runs first under the same load: its
        // latency is what the broker, the clients and Kafka Streams cost on this machine.
        Measured base = run(guarantee, rate, model -> new NoOpKernel());
        Measured seqcast = run(guarantee, rate, RecurrentModel::newKernel);
        double goal = guarantee.equals(StreamsConfig.AT_LEAST_ONCE) ? 10 : commitIntervalMs + 20;
        double p99 = seqcast.p(99);
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("guarantee", guarantee);
        params.put("commitIntervalMs", commitIntervalMs);
        params.put("offeredRate", rate);
        params.put("achievedRate", seqcast.achievedRate());
        params.put("series", series);
        params.put("seconds", seconds);
        params.put("warmupSeconds", WARMUP_SECONDS);
        params.put("count", seqcast.endToEnd().getTotalCount());
        params.put("p50", (double) seqcast.p(50));
        params.put("p999", (double) seqcast.p(99.9));
        params.put("max", (double) seqcast.endToEnd().getMaxValue());
        // The predictor stamps each prediction with tick send -> processing time; the rest of the
        // end-to-end latency is output batching, transaction commit and the consumer's fetch.
        params.put("p50ToProcessor", (double) seqcast.toProcessor().getValueAtPercentile(50));
        params.put("p99ToProcessor", (double) seqcast.toProcessor().getValueAtPercentile(99));
        params.put("passthroughP50", (double) base.p(50));
        params.put("passthroughP99", (double) base.p(99));
        params.put("passthroughP999", (double) base.p(99.9));
        params.put("passthroughCount", base.endToEnd().getTotalCount());
        results.add(
            new BenchResult(
                "latency", "p99_latency_ms_vs_goal", p99, goal, p99 / goal, "ms", params));
        results.add(
            new BenchResult(
                "latency",
                "p99_latency_ms_vs_passthrough",
                p99,
                base.p(99),
                p99 / Math.max(1, base.p(99)),
                "ms",
                params));
        String label = (guarantee.equals(StreamsConfig.AT_LEAST_ONCE) ? "alo" : "eos") + "@" + rate;
        labels.add(label);
        chart.get("passthrough p99").add((double) base.p(99));
        chart.get("seqcast p50").add((double) seqcast.p(50));
        chart.get("seqcast p99").add(p99);
        chart.get("seqcast p99.9").add((double) seqcast.p(99.9));
        summary.append(
            String.format(
                "%s p99 %.0f ms (goal %.0f, passthrough %d); ", label, p99, goal, base.p(99)));
        System.out.printf(
            "  %s %,d/s: p50 %d ms, p99 %.0f ms, p99.9 %d ms, max %d ms (%,d predictions);"
                + " to processor p50 %d ms, p99 %d ms; passthrough p50 %d ms, p99 %d ms,"
                + " p99.9 %d ms%n",
            guarantee,
            rate,
            seqcast.p(50),
            p99,
            seqcast.p(99.9),
            seqcast.endToEnd().getMaxValue(),
            seqcast.endToEnd().getTotalCount(),
            seqcast.toProcessor().getValueAtPercentile(50),
            seqcast.toProcessor().getValueAtPercentile(99),
            base.p(50),
            base.p(99),
            base.p(99.9));
      }
    }
    BenchReport.write(
        options.outDir(),
        "latency",
        results,
        summary.toString().trim() + " commit interval " + commitIntervalMs + " ms",
        System.out);
    Charts.bars(
        options.outDir().resolve("latency.png"),
        "Produce to prediction latency (alo = at_least_once, eos = exactly_once_v2)",
        "ms",
        labels,
        chart,
        false);
    return 0;
  }

  /** One run on a fresh broker and app. */
  private Measured run(String guarantee, int rate, Function<RecurrentModel, StepKernel> kernels)
      throws Exception {
    Histogram histogram = new Histogram(60_000, 3);
    Histogram toProcessor = new Histogram(60_000, 3);
    Deserializer<Prediction> predictions = new PredictionSerde().deserializer();
    try (BenchCluster cluster = BenchCluster.start(Topics.DEFAULT_PARTITIONS)) {
      cluster.publish(BundledModels.sp500(CellType.LSTM));
      cluster.startApp(
          "bench-latency", guarantee, commitIntervalMs, kernels, BenchCluster.meters());
      try (KafkaConsumer<byte[], byte[]> consumer = cluster.latestPredictions("bench-latency")) {
        AtomicLong sent = new AtomicLong();
        long start = System.currentTimeMillis();
        long warmEnd = start + WARMUP_SECONDS * 1000L;
        long end = start + seconds * 1000L;
        Thread producer =
            new Thread(() -> cluster.produceAtRate(series, rate, end, sent), "bench-load");
        producer.start();
        while (System.currentTimeMillis() < end + 2_000) {
          for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(20))) {
            long now = System.currentTimeMillis();
            if (r.timestamp() >= warmEnd) {
              histogram.recordValue(Math.max(0, Math.min(60_000, now - r.timestamp())));
              double processorMs = predictions.deserialize(r.topic(), r.value()).latencyMs();
              toProcessor.recordValue(Math.max(0, Math.min(60_000, Math.round(processorMs))));
            }
          }
        }
        producer.join();
        return new Measured(histogram, toProcessor, sent.get() / (double) seconds);
      }
    }
  }
}
