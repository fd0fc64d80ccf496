package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** CLI mistakes print what was wrong and how to fix it, with a non-zero exit. */
class CliTest {

  @TempDir Path tmp;

  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    // picocli wraps long lines; compare the text, not the layout
    return new Run(
        exit, out.toString().replaceAll("\\s+", " "), err.toString().replaceAll("\\s+", " "));
  }

  @Test
  void noCommandListsTheCommands() {
    Run run = run();
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("Missing command"), run.err());
    assertTrue(run.err().contains("demo") && run.err().contains("train"), run.err());
  }

  @Test
  void unknownOptionIsAUsageError() {
    Run run = run("demo", "--evnts", "5");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--evnts"), run.err());
  }

  @Test
  void everyCommandsHelpShowsItsDefaults() {
    assertTrue(run("demo", "--help").out().contains("default: 1000"));
    assertTrue(run("broker", "--help").out().contains("default: 9092"));
    assertTrue(run("serve", "--help").out().contains("default: exactly_once_v2"));
    assertTrue(run("train", "--help").out().contains("default: 32"));
    assertTrue(run("bench", "kernel", "--help").out().contains("default: 16,32,64,128"));
    assertTrue(run("bench", "pipeline", "--help").out().contains("default: 1000000"));
  }

  @Test
  void benchWithoutABenchmarkNamesTheChoices() {
    Run run = run("bench");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("kernel") && run.err().contains("pipeline"), run.err());
  }

  @Test
  void trainRejectsAnImpossibleLayerCount() {
    Run run = run("train", "--data", "data/sp500-2000.csv", "--layers", "0");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("layers must be between 1 and 8"), run.err());
  }

  @Test
  void trainExplainsAMissingFileAndABadColumn() {
    Run missing = run("train", "--data", tmp.resolve("nope.csv").toString());
    assertEquals(2, missing.exit());
    assertTrue(
        missing.err().contains("nope.csv") && missing.err().contains("not a readable file"),
        missing.err());

    Run column = run("train", "--data", "data/sp500-2000.csv", "--column", "closing");
    assertEquals(2, column.exit());
    assertTrue(column.err().contains("no column 'closing'"), column.err());
    assertTrue(column.err().contains("close"), "lists the available columns: " + column.err());
  }

  @Test
  void trainRejectsImpossibleSettings() {
    assertEquals(2, run("train", "--data", "data/sp500-2000.csv", "--hidden", "0").exit());
    assertEquals(2, run("train", "--data", "data/sp500-2000.csv", "--cell", "rnn").exit());
    assertEquals(2, run("train", "--data", "data/sp500-2000.csv", "--holdout", "1.5").exit());
  }

  @Test
  void serveRejectsAnUnknownProcessingGuarantee() {
    Run run = run("serve", "--processing-guarantee", "exactly_once");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("exactly_once_v2 or at_least_once"), run.err());
  }

  @Test
  void demoAndBrokerRefuseATakenPortWithAHint() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      Run broker = run("broker", "--port", port);
      assertEquals(1, broker.exit());
      assertTrue(broker.err().contains("port " + port + " is already in use"), broker.err());
      Run demo = run("demo", "--port", port, "--events", "10", "--metrics-port", "0");
      assertEquals(1, demo.exit());
      assertTrue(demo.err().contains("already in use"), demo.err());
    }
  }

  @Test
  void aTakenMetricsPortFailsFastWithAHint() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      String port = Integer.toString(taken.getLocalPort());
      for (String[] command :
          new String[][] {
            {"demo", "--metrics-port", port},
            {"serve", "--metrics-port", port, "--bootstrap-servers", "localhost:1"}
          }) {
        Run run = run(command);
        assertEquals(1, run.exit(), command[0] + ": " + run.err());
        assertTrue(
            run.err().contains("cannot serve metrics on port " + port)
                && run.err().contains("pass --metrics-port with a free port, or 0"),
            run.err());
      }
    }
  }

  @Test
  void metricsOptionsAreValidated() {
    Run badPort = run("serve", "--metrics-port", "70000");
    assertEquals(2, badPort.exit());
    assertTrue(badPort.err().contains("--metrics-port must be between 0 and 65535"), badPort.err());
    Run emptySeries = run("demo", "--metrics-series", "sp500,,AAPL");
    assertEquals(2, emptySeries.exit());
    assertTrue(emptySeries.err().contains("--metrics-series"), emptySeries.err());
  }

  @Test
  void demoValidatesItsNumbers() {
    assertEquals(2, run("demo", "--events", "0").exit());
    assertEquals(2, run("demo", "--rate", "-1").exit());
    Run badCell = run("demo", "--cell", "rnn");
    assertEquals(2, badCell.exit());
    assertTrue(badCell.err().contains("--cell must be one of: lstm, gru"), badCell.err());
  }
}
