package dev.seqcast.bench;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every benchmark command shares. */
public final class BenchOptions {

  @Option(
      names = "--out-dir",
      paramLabel = "DIR",
      defaultValue = "target/bench",
      description = "Where <name>.json and charts are written.")
  Path outDir;

  /** The output directory. */
  public Path outDir() {
    return outDir;
  }
}
