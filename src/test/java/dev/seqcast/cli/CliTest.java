package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.testkit.CliRun;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/** CLI mistakes print what was wrong and how to fix it, with a non-zero exit. */
class CliTest {

  @TempDir Path tmp;

  /** picocli wraps long lines; compare the text, not the layout. */
  private static CliRun run(String... args) {
    return CliRun.of(args).flattened();
  }

  @Test
  void noCommandListsTheCommands() {
    CliRun run = run();
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("Missing command"), run.err());
    assertTrue(run.err().contains("demo") && run.err().contains("train"), run.err());
  }

  @Test
  void unknownOptionIsAUsageError() {
    CliRun run = run("demo", "--evnts", "5");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--evnts"), run.err());
  }

  @Test
  void aUsageErrorIsItsMessageThenOneLineNamingTheCommandsHelp() {
    CliRun unknown = CliRun.of("demo", "--evnts", "5");
    assertEquals(2, unknown.exit());
    assertEquals(
        List.of(
            "Unknown options: '--evnts', '5'",
            "Possible solutions: --events",
            "try 'seqcast demo --help'"),
        unknown.err().lines().toList());
    assertEquals("", unknown.out());

    // nested commands name their full path; so do the benchmarks and mistakes found by a command
    for (String[] args :
        new String[][] {
          {"model", "publish"},
          {"bench", "kernel", "--warmup", "x"},
          {"train", "--data", "data/sp500-2000.csv", "--layers", "0"},
          {"model", "show", "sp500/x"}
        }) {
      CliRun run = CliRun.of(args);
      List<String> lines = run.err().lines().toList();
      String command = String.join(" ", List.of(args).subList(0, args[0].equals("train") ? 1 : 2));
      assertEquals(2, run.exit(), run.err());
      assertEquals(2, lines.size(), "the message and the hint only:\n" + run.err());
      assertEquals("try 'seqcast " + command + " --help'", lines.get(1));
      assertFalse(run.all().contains("Usage:"), "no usage text:\n" + run.all());
    }
  }

  @Test
  void aMistypedCommandGetsASuggestion() {
    CliRun run = CliRun.of("model", "publsh");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("Did you mean: model publish"), run.err());
    assertTrue(run.err().endsWith("try 'seqcast model --help'" + System.lineSeparator()));
  }

  @Test
  void versionIsTheProjectsVersion() throws Exception {
    Document pom =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(Path.of("pom.xml").toFile());
    String version = XPathFactory.newInstance().newXPath().evaluate("/project/version", pom);
    assertFalse(version.isBlank());
    CliRun run = CliRun.of("--version").ok();
    assertEquals("seqcast " + version, run.out().strip());
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
    CliRun run = run("bench");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("kernel") && run.err().contains("pipeline"), run.err());
  }

  @Test
  void trainRejectsAnImpossibleLayerCount() {
    CliRun run = run("train", "--data", "data/sp500-2000.csv", "--layers", "0");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("layers must be between 1 and 8"), run.err());
  }

  @Test
  void trainExplainsAMissingFileAndABadColumn() {
    CliRun missing = run("train", "--data", tmp.resolve("nope.csv").toString());
    assertEquals(2, missing.exit());
    assertTrue(
        missing.err().contains("nope.csv") && missing.err().contains("not a readable file"),
        missing.err());

    CliRun column = run("train", "--data", "data/sp500-2000.csv", "--column", "closing");
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
  void trainNeedsExactlyOneSourceOfHistoryAndNamesBoth() {
    CliRun neither = run("train");
    assertEquals(2, neither.exit());
    assertTrue(
        neither.err().contains("--data CSV") && neither.err().contains("--from-topic TOPIC"),
        neither.err());

    CliRun both = run("train", "--data", "data/sp500-2000.csv", "--from-topic", "seqcast.ticks");
    assertEquals(2, both.exit());
    assertTrue(both.err().contains("are mutually exclusive (specify only one)"), both.err());
  }

  @Test
  void trainRefusesOptionsOfTheOtherSource() {
    CliRun until = run("train", "--data", "data/sp500-2000.csv", "--until", "0:10");
    assertEquals(2, until.exit());
    assertTrue(
        until.err().contains("--until and --series apply to --from-topic only"), until.err());

    CliRun column = run("train", "--from-topic", "seqcast.ticks", "--column", "price");
    assertEquals(2, column.exit());
    assertTrue(
        column.err().contains("--column and --series-column apply to --data only"), column.err());
  }

  @Test
  void trainFromTopicExplainsABadBoundOrPatternBeforeConnecting() {
    // Port 1 has no broker: these must be refused before any connection is tried.
    CliRun bound =
        run(
            "train",
            "--from-topic",
            "seqcast.ticks",
            "--bootstrap-servers",
            "localhost:1",
            "--until",
            "yesterday");
    assertEquals(2, bound.exit());
    assertTrue(bound.err().contains("--until: 'yesterday' is not an ISO-8601 time"), bound.err());
    assertTrue(bound.err().contains("0:1200,1:980"), "shows the offsets form: " + bound.err());

    CliRun pattern =
        run(
            "train",
            "--from-topic",
            "seqcast.ticks",
            "--bootstrap-servers",
            "localhost:1",
            "--series",
            "(AAPL");
    assertEquals(2, pattern.exit());
    assertTrue(
        pattern.err().contains("--series '(AAPL' is not a regular expression"), pattern.err());
  }

  @Test
  void serveRejectsAnUnknownProcessingGuarantee() {
    CliRun run = run("serve", "--processing-guarantee", "exactly_once");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("exactly_once_v2 or at_least_once"), run.err());
  }

  @Test
  void serveRefusesANegativeStandbyCountAndDocumentsTheDefault() {
    CliRun run = run("serve", "--standby-replicas", "-1");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--standby-replicas must be 0 or more, was -1"), run.err());
    assertTrue(
        run("serve", "--help")
            .flattened()
            .out()
            .contains("effect with a single instance. (env SEQCAST_STANDBY_REPLICAS; default: 1)"));
  }

  @Test
  void demoAndBrokerRefuseATakenPortWithAHint() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      String port = Integer.toString(taken.getLocalPort());
      CliRun broker = run("broker", "--port", port);
      assertEquals(1, broker.exit());
      assertTrue(broker.err().contains("port " + port + " is already in use"), broker.err());
      CliRun demo = run("demo", "--port", port, "--events", "10", "--metrics-port", "0");
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
        CliRun run = run(command);
        assertEquals(1, run.exit(), command[0] + ": " + run.err());
        assertTrue(
            run.err().contains("cannot serve metrics on port " + port)
                && run.err().contains("pass --metrics-port with a free port, or 0"),
            run.err());
      }
    }
  }

  @Test
  void aMalformedRouteIsAUsageErrorWithAnExample() {
    CliRun noModel = run("serve", "--route", "cpu.*");
    assertEquals(2, noModel.exit());
    assertTrue(noModel.err().contains("must look like REGEX=MODEL"), noModel.err());
    CliRun badRegex = run("serve", "--route", "cpu[=monitoring");
    assertEquals(2, badRegex.exit());
    assertTrue(badRegex.err().contains("invalid regex"), badRegex.err());
  }

  @Test
  void metricsOptionsAreValidated() {
    CliRun badPort = run("serve", "--metrics-port", "70000");
    assertEquals(2, badPort.exit());
    assertTrue(badPort.err().contains("--metrics-port must be between 0 and 65535"), badPort.err());
    CliRun emptySeries = run("demo", "--metrics-series", "sp500,,AAPL");
    assertEquals(2, emptySeries.exit());
    assertTrue(emptySeries.err().contains("--metrics-series"), emptySeries.err());
  }

  @Test
  void demoValidatesItsNumbers() {
    assertEquals(2, run("demo", "--events", "0").exit());
    assertEquals(2, run("demo", "--rate", "-1").exit());
    CliRun badCell = run("demo", "--cell", "rnn");
    assertEquals(2, badCell.exit());
    assertTrue(
        badCell
            .err()
            .contains("Invalid value for option '--cell': expected lstm or gru, was 'rnn'"),
        badCell.err());
  }

  @Test
  void intervalHorizonAndThresholdOptionsAreValidatedBeforeAnythingStarts() {
    CliRun coverage = run("serve", "--interval-coverage", "1.5").flattened();
    assertEquals(2, coverage.exit());
    assertTrue(coverage.err().contains("coverage must be in (0, 1)"), coverage.err());
    assertTrue(coverage.err().contains("--interval-coverage"), coverage.err());
    CliRun window = run("demo", "--interval-coverage", "0.99", "--interval-window", "50");
    assertEquals(2, window.exit());
    assertTrue(window.flattened().err().contains("needs at least 99"), window.err());
    assertEquals(2, run("serve", "--horizon", "0").exit());
    assertEquals(2, run("demo", "--anomaly-threshold", "-1").exit());
  }

  @Test
  void ingestPrometheusExplainsABadUrlStepOrUnreachableServer() {
    CliRun noScheme =
        run("ingest-prometheus", "--url", "localhost:9090", "--query", "up").flattened();
    assertEquals(2, noScheme.exit());
    assertTrue(noScheme.err().contains("http(s) URL with a host"), noScheme.err());
    assertTrue(noScheme.err().contains("http://localhost:9090"), noScheme.err());
    CliRun badStep =
        run("ingest-prometheus", "--url", "http://localhost:1", "--query", "up", "--step", "5x")
            .flattened();
    assertEquals(2, badStep.exit());
    assertTrue(badStep.err().contains("--step: '5x' is not a duration"), badStep.err());
    assertEquals(
        2,
        run("ingest-prometheus", "--url", "http://localhost:1", "--query", "up", "--step", "0s")
            .exit());
    CliRun unreachable =
        run("ingest-prometheus", "--url", "http://127.0.0.1:1", "--query", "up").flattened();
    assertEquals(2, unreachable.exit());
    assertTrue(unreachable.err().contains("cannot reach Prometheus"), unreachable.err());
    assertTrue(unreachable.err().contains("Prometheus is running"), unreachable.err());
    assertEquals(2, run("ingest-prometheus", "--query", "up").exit(), "--url is required");
  }

  @Test
  void commandsThatNeedEveryValueRefuseACsvWithAGapNamingItsLineAndColumn() throws Exception {
    StringBuilder csv = new StringBuilder("date,close\n");
    for (int day = 1; day <= 28; day++) {
      csv.append(String.format("2001-02-%02d,%s%n", day, day == 3 ? "" : 100 + day));
    }
    Path gap = Files.writeString(tmp.resolve("gap.csv"), csv);
    String expected = gap + " line 4 column 'close': empty cell, the first of 1";
    for (String[] args :
        new String[][] {
          {"train", "--data", gap.toString(), "--epochs", "1"},
          {"replay", "--data", gap.toString(), "--bootstrap-servers", "localhost:1"}
        }) {
      CliRun run = run(args);
      assertEquals(2, run.exit(), args[0] + ": " + run.all());
      assertTrue(run.err().startsWith(expected), args[0] + ": " + run.err());
      assertTrue(run.err().contains("missing values are not supported"), run.err());
    }
  }

  @Test
  void demoRefusesABadDataDirectoryBeforeStartingABroker() throws Exception {
    CliRun missing = run("demo", "--data-dir", tmp.resolve("none").toString());
    assertEquals(2, missing.exit(), missing.all());
    assertTrue(missing.err().contains("bundled data not found under"), missing.err());

    Path data = Files.createDirectory(tmp.resolve("data"));
    Files.writeString(data.resolve("sp500-2000.csv"), "date,close\n2000-01-03,1e\n");
    Files.copy(Path.of("data/stocks.csv"), data.resolve("stocks.csv"));
    CliRun corrupt = run("demo", "--data-dir", data.toString());
    assertEquals(2, corrupt.exit(), corrupt.all());
    assertTrue(
        corrupt.err().contains("sp500-2000.csv line 2 column 'close': '1e' is not a finite number"),
        corrupt.err());
    assertFalse(corrupt.out().contains("broker ready"), corrupt.out());

    CliRun noSpeech = run("demo", "--speech", "--data-dir", data.toString());
    assertEquals(2, noSpeech.exit(), noSpeech.all());
    assertTrue(noSpeech.err().contains("--data-dir: "), noSpeech.err());
    assertTrue(noSpeech.err().contains("is not a directory of speech recordings"), noSpeech.err());
  }

  @Test
  void aMalformedTickMappingIsAUsageErrorNamingItsOption() {
    CliRun format = run("serve", "--time-format", "unix");
    assertEquals(2, format.exit(), format.all());
    assertTrue(format.err().contains("--time-format: unknown time format 'unix'"), format.err());

    CliRun path = run("serve", "--value-field", "quote..px");
    assertEquals(2, path.exit(), path.all());
    assertTrue(path.err().contains("--value-field: value field 'quote..px'"), path.err());

    CliRun key =
        run(
            "train",
            "--from-topic",
            "seqcast.ticks",
            "--key-field",
            "",
            "--bootstrap-servers",
            "localhost:1");
    assertEquals(2, key.exit(), key.all());
    assertTrue(key.err().contains("--key-field: key field must name a field"), key.err());
  }
}
