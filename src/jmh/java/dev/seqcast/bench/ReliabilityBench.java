package dev.seqcast.bench;

import dev.seqcast.forecast.Prediction;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The full-size fault runs of docs/reliability.md: an uninterrupted reference run, then crash
 * equivalence under exactly-once and at-least-once, scale-out and failover on a 3-node cluster, an
 * outage of every broker, and local state loss, each compared with the reference. It measures and
 * reports; the pass/fail contract is the reliability integration test, which runs the same
 * scenarios small. Exits 1 when any scenario broke its promise.
 */
@Command(
    name = "reliability",
    mixinStandardHelpOptions = true,
    description =
        "Fault runs with the predictor as child JVMs on embedded KRaft brokers: SIGKILL and"
            + " restart (exactly-once and at-least-once), scale-out, instance and broker loss on"
            + " 3 nodes, every broker down, local state wiped; each run's committed predictions"
            + " compared with an uninterrupted run. Writes reliability.json.")
public final class ReliabilityBench implements Callable<Integer> {

  @Mixin BenchOptions options;

  @Option(names = "--series", defaultValue = "200", description = "Distinct series.")
  int series;

  @Option(names = "--ticks-per-series", defaultValue = "500", description = "Ticks per series.")
  int ticksPerSeries;

  @Option(
      names = "--rate",
      defaultValue = "2000",
      description = "Ticks per second fed during the faulted runs.")
  double rate;

  @Option(names = "--kills", defaultValue = "3", description = "SIGKILLs per crash run.")
  int kills;

  @Option(
      names = "--outage-seconds",
      defaultValue = "30",
      description = "How long every broker stays down.")
  int outageSeconds;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the random kill moments.")
  long seed;

  @Option(
      names = "--work-dir",
      defaultValue = "target/reliability",
      description = "State directories and instance logs.")
  Path workDir;

  @Override
  public Integer call() throws Exception {
    Workload workload = new Workload(series, ticksPerSeries, 11);
    ReliabilityScenarios.Settings settings =
        new ReliabilityScenarios.Settings(workload, rate, seed, workDir, System.out, List.of());
    System.out.println("reliability: " + workload + ", fed at " + rate + " ticks/s");
    long started = System.nanoTime();
    Map<String, List<Prediction>> reference = ReliabilityScenarios.reference(settings);
    double referenceSeconds = (System.nanoTime() - started) / 1e9;

    List<ReliabilityScenarios.Result> results = new ArrayList<>();
    results.add(
        ReliabilityScenarios.crash(settings, reference, StreamsConfig.EXACTLY_ONCE_V2, kills));
    results.add(
        ReliabilityScenarios.crash(settings, reference, StreamsConfig.AT_LEAST_ONCE, kills));
    results.add(ReliabilityScenarios.failover(settings, reference));
    results.add(
        ReliabilityScenarios.outage(settings, reference, 3, Duration.ofSeconds(outageSeconds)));
    results.add(ReliabilityScenarios.stateLoss(settings, reference));

    List<BenchResult> report = new ArrayList<>();
    int broken = 0;
    long faults = 0;
    long compared = 0;
    long lost = 0;
    long duplicates = 0;
    for (ReliabilityScenarios.Result r : results) {
      OutputComparison c = r.comparison();
      boolean atLeastOnce = r.name().contains("at-least-once");
      boolean kept = atLeastOnce ? c.noneLostOrAltered() : c.identical();
      broken += kept ? 0 : 1;
      faults += r.faults().size();
      compared += c.received();
      lost += c.missing();
      duplicates += c.duplicates();
      Map<String, Object> params = new LinkedHashMap<>();
      params.put("scenario", r.name());
      params.put("promise", atLeastOnce ? "no loss, duplicates allowed" : "identical output");
      params.put("kept", kept);
      params.put("workload", workload.toString());
      params.put("ticksPerSecond", rate);
      params.put("expected", c.expected());
      params.put("received", c.received());
      params.put("identical", c.identical());
      params.put("missing", c.missing());
      params.put("duplicates", c.duplicates());
      params.put("mismatched", c.mismatched());
      params.put("outOfOrderSeries", c.outOfOrder());
      params.put("firstDifference", c.firstDifference());
      params.put("faults", r.faults());
      params.putAll(r.figures());
      params.put("referenceSeconds", referenceSeconds);
      report.add(
          new BenchResult(
              "reliability",
              r.name() + "_missing_predictions",
              c.missing(),
              c.expected(),
              c.missing() / (double) c.expected(),
              "predictions",
              params));
    }
    BenchReport.write(
        options.outDir(),
        "reliability",
        report,
        String.format(
            "%d scenarios, %d faults injected, %,d predictions compared with the reference of"
                + " %,d: %,d lost, %,d duplicates (at-least-once), %d scenario(s) broke their"
                + " promise",
            results.size(), faults, compared, workload.total(), lost, duplicates, broken),
        System.out);
    return broken == 0 ? 0 : 1;
  }
}
