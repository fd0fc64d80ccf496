package dev.seqcast.bench;

import dev.seqcast.cli.BenchCommand;
import java.util.List;

/** The benchmarks this artefact offers to {@code seqcast bench}, in the order its help lists. */
public final class Benchmarks implements BenchCommand.Suite {

  @Override
  public List<Object> commands() {
    return List.of(
        new KernelBench(),
        new PipelineBench(),
        new LatencyBench(),
        new StateBench(),
        new SwapBench(),
        new AccuracyBench(),
        new AnomalyBench(),
        new ReliabilityBench(),
        new SoakBench(),
        new SpeechBench(),
        new ResamplerBench(),
        new ChurnBench());
  }
}
