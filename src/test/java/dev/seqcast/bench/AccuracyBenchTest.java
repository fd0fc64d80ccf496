package dev.seqcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** bench accuracy end to end on one or two small series of the real suite. */
class AccuracyBenchTest {

  @TempDir Path out;

  private static int run(String... args) {
    return new CommandLine(new AccuracyBench()).execute(args);
  }

  private JsonNode json() throws Exception {
    return new ObjectMapper().readTree(out.resolve("accuracy.json").toFile());
  }

  private static List<JsonNode> metric(JsonNode list, String metric) {
    List<JsonNode> found = new ArrayList<>();
    for (JsonNode node : list) {
      if (node.get("metric").asText().equals(metric)) {
        found.add(node);
      }
    }
    return found;
  }

  @Test
  void baselinesOnlyScoresEveryBaselineOnTheChosenSeriesAndAssessesNoGoal() throws Exception {
    assertEquals(
        0, run("--baselines-only", "--only", "us-births-quarterly", "--out-dir", out.toString()));

    JsonNode list = json();
    List<JsonNode> h1 = metric(list, "mase_h1_vs_best_baseline");
    assertEquals(1, h1.size());
    JsonNode row = h1.get(0);
    assertTrue(row.get("value").isNull(), "seqcast did not run");
    JsonNode params = row.get("params");
    assertEquals("us-births-quarterly/births", params.get("series").asText());
    assertEquals("not run", params.get("seqcast").asText());
    assertEquals(8, params.get("horizon").asInt());
    JsonNode mase = params.get("mase");
    List<String> methods = new ArrayList<>();
    mase.fieldNames().forEachRemaining(methods::add);
    assertEquals(
        List.of("naive", "seasonal-naive", "drift", "ar(5)", "holt-winters", "ets", "theta"),
        methods);
    // The best baseline is the lowest of them, and the figure reported is its MASE.
    double lowest = Double.MAX_VALUE;
    for (JsonNode v : mase) {
      lowest = Math.min(lowest, v.asDouble());
    }
    assertEquals(lowest, row.get("baseline").asDouble(), 1e-12);
    assertEquals(lowest, mase.get(params.get("bestBaseline").asText()).asDouble(), 1e-12);
    assertTrue(metric(list, "goal_met").get(0).get("value").isNull());

    String table = Files.readString(out.resolve("accuracy.md"));
    assertTrue(table.contains("| us-births-quarterly/births | quarterly | 80 |"), table);
    assertTrue(table.contains("NOT ASSESSED"), table);
  }

  @Test
  void theDevelopmentSplitsCutEachSeriesBeforeItsTestBlocksAndWriteTheirOwnReport()
      throws Exception {
    assertEquals(
        0,
        run(
            "--development",
            "--baselines-only",
            "--only",
            "us-births-quarterly",
            "--out-dir",
            out.toString()));

    // 80 quarters, 2 folds of 8: the 64 before the test blocks, backtested in 2 folds of 8 again.
    String table = Files.readString(out.resolve("accuracy-development.md"));
    assertTrue(table.contains("development splits"), table);
    assertTrue(table.contains("| us-births-quarterly/births | quarterly | 64 |"), table);
    assertTrue(table.contains("| 2 × 8 |"), table);
    assertFalse(Files.exists(out.resolve("accuracy.json")), "the test-split report is left alone");
    assertTrue(Files.exists(out.resolve("accuracy-development.json")));
  }

  @Test
  void aSeriesWithNegativesAndZerosIsScoredForSeqcast() throws Exception {
    // Global temperature anomalies are negative and pass through zero: the smoothed forecaster
    // takes them as they are.
    assertEquals(
        0,
        run(
            "--only",
            "global-temp",
            "--epochs",
            "1",
            "--members",
            "1",
            "--out-dir",
            out.toString()));

    JsonNode list = json();
    JsonNode row = metric(list, "mase_h1_vs_best_baseline").get(0);
    String status = row.get("params").get("seqcast").asText();
    assertTrue(row.get("value").asDouble() > 0, status);
    assertFalse(status.startsWith("refused"), status);
    assertEquals(0, metric(list, "series_refused").get(0).get("value").asInt());
  }

  @Test
  void aSeriesTooShortForSeqcastIsReportedAsRefusedWithItsBaselinesAndCountsAsAMiss()
      throws Exception {
    // So many folds that the first one trains on 30 points, fewer than the trainer needs.
    Files.copy(Path.of("data/global-temp.csv"), out.resolve("global-temp.csv"));
    Path suite = out.resolve("suite.csv");
    Files.writeString(
        suite,
        "file,column,series_column,series,frequency,season,horizon,folds,traits\n"
            + "global-temp.csv,temp,,,yearly,1,6,19,negatives\n");
    assertEquals(0, run("--suite", suite.toString(), "--out-dir", out.toString()));

    JsonNode list = json();
    JsonNode row = metric(list, "mase_h1_vs_best_baseline").get(0);
    assertTrue(row.get("value").isNull());
    assertTrue(row.get("baseline").asDouble() > 0, "the baselines are still scored");
    String status = row.get("params").get("seqcast").asText();
    assertTrue(status.startsWith("refused: ") && status.contains("fewer than"), status);
    assertEquals(1, metric(list, "series_refused").get(0).get("value").asInt());
    assertEquals(0, metric(list, "goal_met").get(0).get("value").asInt());
    String line = metric(list, "goal_met").get(0).get("params").get("line").asText();
    assertTrue(line.contains("MISSED by") && line.contains("refused 1 of 1 series"), line);
  }

  @Test
  void aMistakeOnTheCommandLineIsAUsageError() {
    assertEquals(2, run("--only", "no-such-series", "--out-dir", out.toString()));
    assertEquals(2, run("--only", "(", "--out-dir", out.toString()));
    assertEquals(2, run("--suite", out.resolve("missing.csv").toString()));
  }
}
