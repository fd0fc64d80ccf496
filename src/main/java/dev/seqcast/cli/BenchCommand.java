package dev.seqcast.cli;

import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code seqcast bench …}: the benchmarks, each writing {@code target/bench/<name>.json} and
 * printing one summary line. They measure; they assert nothing.
 *
 * <p>The benchmarks are a separate artefact ({@code seqcast-bench.jar}, built from {@code
 * src/jmh}), not part of the product: this command only finds them. When a {@link Suite} is on the
 * class path its commands become subcommands here; otherwise {@link #delegate} runs the same
 * command line in a JVM of its own over {@code seqcast-bench.jar} beside the product jar, so the
 * product's own runtime class path never holds benchmark or JMH classes.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Run a benchmark (from seqcast-bench.jar, built beside seqcast.jar by `mvn package`):"
            + " each writes target/bench/<name>.json and prints one summary line.")
public final class BenchCommand implements Runnable {

  /** The jar the benchmarks are packaged in, beside the product jar. */
  public static final String BENCH_JAR = "seqcast-bench.jar";

  /**
   * The benchmarks, offered to the CLI through {@link ServiceLoader} by the bench artefact. Each
   * command is a picocli command object.
   */
  public interface Suite {
    /** The benchmark commands, in the order {@code bench --help} lists them. */
    List<Object> commands();
  }

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        spec.subcommands().isEmpty()
            ? "benchmarks are not installed here: "
                + BENCH_JAR
                + " was not found next to the"
                + " seqcast jar (mvn package builds it in target/)"
            : "Missing benchmark: choose one of " + spec.subcommands().keySet());
  }

  /** Adds the commands of every {@link Suite} on the class path under {@code bench}. */
  static void install(CommandLine bench) {
    for (Suite suite : ServiceLoader.load(Suite.class)) {
      for (Object command : suite.commands()) {
        bench.addSubcommand(command);
      }
    }
  }

  /** Whether the benchmarks are on this JVM's class path. */
  static boolean installed() {
    return ServiceLoader.load(Suite.class).findFirst().isPresent();
  }

  /**
   * Runs {@code args} (starting with {@code bench}) in a JVM of its own over the bench jar next to
   * this jar, with this JVM's options; returns its exit code, or -1 when there is no bench jar.
   */
  static int delegate(String[] args) throws InterruptedException {
    Path benchJar = benchJar();
    if (benchJar == null) {
      return -1;
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    command.add("-cp");
    command.add(benchJar.toString());
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    try {
      return new ProcessBuilder(command).inheritIO().start().waitFor();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot start the benchmarks in " + benchJar, e);
    }
  }

  private static Path benchJar() {
    try {
      Path self = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path candidate = self.getParent().resolve(BENCH_JAR);
      return Files.isRegularFile(candidate) ? candidate : null;
    } catch (URISyntaxException | RuntimeException e) {
      return null;
    }
  }
}
