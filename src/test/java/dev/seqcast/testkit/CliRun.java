package dev.seqcast.testkit;

import dev.seqcast.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import picocli.CommandLine;

/**
 * One run of the seqcast command line in this JVM, with what it printed.
 *
 * @param exit the exit code {@code java -jar seqcast.jar} would return
 * @param out standard output
 * @param err standard error
 */
public record CliRun(int exit, String out, String err) {

  /** Runs {@code seqcast <args>} and captures its output. */
  public static CliRun of(String... args) {
    return withEnvironment(System.getenv(), args);
  }

  /** Runs {@code seqcast <args>} as if the process environment were {@code environment}. */
  public static CliRun withEnvironment(Map<String, String> environment, String... args) {
    CommandLine cli = Main.commandLine(environment);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new CliRun(exit, out.toString(), err.toString());
  }

  /** The same run with every run of whitespace collapsed: picocli wraps long lines. */
  public CliRun flattened() {
    return new CliRun(exit, out.replaceAll("\\s+", " "), err.replaceAll("\\s+", " "));
  }

  /** Both streams, for messages that may go to either. */
  public String all() {
    return out + err;
  }

  /** This run, after checking it exited 0 (the failure message shows both streams). */
  public CliRun ok() {
    if (exit != 0) {
      throw new AssertionError("exit " + exit + "\nout:\n" + out + "\nerr:\n" + err);
    }
    return this;
  }
}
