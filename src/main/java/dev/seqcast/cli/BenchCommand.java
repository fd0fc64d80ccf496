package dev.seqcast.cli;

import dev.seqcast.bench.AnomalyBench;
import dev.seqcast.bench.KernelBench;
import dev.seqcast.bench.LatencyBench;
import dev.seqcast.bench.PipelineBench;
import dev.seqcast.bench.ReliabilityBench;
import dev.seqcast.bench.SoakBench;
import dev.seqcast.bench.SpeechBench;
import dev.seqcast.bench.StateBench;
import dev.seqcast.bench.SwapBench;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Benchmarks, each writing {@code target/bench/<name>.json} and printing one summary line. They
 * measure; they assert nothing. Ratios compare figures measured in the same run.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Run a benchmark: kernel (JMH, step kernels vs DL4J), pipeline (throughput on a real"
            + " broker vs a passthrough of identical shape), latency (produce to prediction at fixed"
            + " load), state (bytes per series, restore time), swap (publish to predictions with"
            + " the new version), anomalies (detection F1 on real series with injected anomalies"
            + " vs a static threshold and a rolling z-score), reliability (faults: crashes,"
            + " failover, outage, state loss), soak (heap and p99 over minutes at 80%% of the"
            + " measured maximum), speech (tagger frames/s and chunk-to-tag latency of live"
            + " microphones).",
    subcommands = {
      KernelBench.class,
      PipelineBench.class,
      LatencyBench.class,
      StateBench.class,
      SwapBench.class,
      AnomalyBench.class,
      ReliabilityBench.class,
      SoakBench.class,
      SpeechBench.class
    })
public final class BenchCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing benchmark: choose one of " + spec.subcommands().keySet());
  }
}
