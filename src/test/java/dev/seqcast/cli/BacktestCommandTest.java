package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqcast.testkit.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backtest command: mistakes exit non-zero with a hint; a small run writes its report. */
class BacktestCommandTest {

  @TempDir Path tmp;

  private static CliRun run(String... args) {
    return CliRun.of(args).flattened();
  }

  @Test
  void aBadHorizonIsAUsageErrorWithAnExample() {
    CliRun run = run("backtest", "--data", "data/co2-concentration.csv", "--horizon", "0");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--horizon must be at least 1"), run.err());
    assertTrue(run.err().contains("e.g. --horizon 6"), run.err());
  }

  @Test
  void aMissingFileSaysHowToNameAFileOrATopic() {
    CliRun run = run("backtest", "--data", tmp.resolve("nope.csv").toString());
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("is not a readable file"), run.err());
    assertTrue(run.err().contains("topic:NAME"), run.err());
  }

  @Test
  void anUnknownCellNamesTheChoices() {
    CliRun run = run("backtest", "--data", "data/co2-concentration.csv", "--cell", "rnn");
    assertEquals(2, run.exit());
    assertTrue(
        run.err().contains("Invalid value for option '--cell': expected lstm or gru, was 'rnn'"),
        run.err());
  }

  @Test
  void aMissingColumnAndTooManyFoldsExplainThemselves() {
    CliRun column = run("backtest", "--data", "data/co2-concentration.csv", "--column", "co2");
    assertEquals(2, column.exit());
    assertTrue(column.err().contains("no column 'co2'"), column.err());
    assertTrue(column.err().contains("--column"), column.err());

    CliRun folds =
        run(
            "backtest",
            "--data",
            "data/co2-concentration.csv",
            "--column",
            "CO2",
            "--folds",
            "60",
            "--block",
            "12");
    assertEquals(2, folds.exit());
    assertTrue(folds.err().contains("use fewer --folds or a smaller --block"), folds.err());
  }

  @Test
  void severalSeriesNeedAChoice() {
    CliRun run =
        run(
            "backtest",
            "--data",
            "data/stocks.csv",
            "--column",
            "price",
            "--series-column",
            "symbol");
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("choose one with --series ID"), run.err());
    assertTrue(run.err().contains("MSFT"), run.err());
  }

  @Test
  void theSmoothedForecasterIsTheDefaultNeuralMethodAndIsAnLstm() throws Exception {
    Path report = tmp.resolve("es");
    CliRun run =
        CliRun.of(
                "backtest",
                "--data",
                "data/co2-concentration.csv",
                "--column",
                "CO2",
                "--horizon",
                "3",
                "--folds",
                "1",
                "--block",
                "12",
                "--window",
                "240",
                "--epochs",
                "1",
                "--hidden",
                "4",
                "--report",
                report.toString())
            .ok();
    assertTrue(run.out().contains("es-lstm"), run.out());
    JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
    JsonNode methods = summary.get("methods");
    assertEquals("es-lstm", methods.get(methods.size() - 1).get("method").asText());
    assertEquals(
        12, methods.get(methods.size() - 1).get("horizons").get(0).get("forecasts").asInt());

    CliRun gru = run("backtest", "--data", "data/co2-concentration.csv", "--cell", "gru");
    assertEquals(2, gru.exit());
    assertTrue(gru.err().contains("--neural one-step"), gru.err());
    CliRun unknown = run("backtest", "--data", "data/co2-concentration.csv", "--neural", "tcn");
    assertEquals(2, unknown.exit());
    assertTrue(unknown.err().contains("es-lstm, one-step or none"), unknown.err());
  }

  @Test
  void aSeriesTooShortAloneIsBacktestedWithTheOtherSeriesOfItsFile() throws Exception {
    // GOOG's 68 months leave 50 for the fold's training; the trainer needs 59 of one series
    Path report = tmp.resolve("panel");
    List<String> args =
        List.of(
            "backtest",
            "--data",
            "data/stocks.csv",
            "--column",
            "price",
            "--series-column",
            "symbol",
            "--series",
            "GOOG",
            "--horizon",
            "18",
            "--folds",
            "1",
            "--season",
            "12",
            "--epochs",
            "1",
            "--members",
            "1",
            "--hidden",
            "4",
            "--report",
            report.toString());
    CliRun panel = CliRun.of(args.toArray(String[]::new)).ok();
    assertTrue(panel.out().contains("es-lstm"), panel.out());
    JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
    assertEquals("5 series trained together", summary.get("panel").asText());
    JsonNode methods = summary.get("methods");
    assertEquals("es-lstm", methods.get(methods.size() - 1).get("method").asText());

    List<String> aloneArgs = new ArrayList<>(args);
    aloneArgs.add("--alone");
    CliRun alone = run(aloneArgs.toArray(String[]::new));
    assertEquals(2, alone.exit());
    assertTrue(alone.err().contains("59 needed"), alone.err());
  }

  @Test
  void aSeriesStartingWithEmptyCellsStartsAtItsFirstValue() throws Exception {
    Path report = tmp.resolve("gaps");
    CliRun run =
        CliRun.of(
                "backtest",
                "--data",
                "data/wage-rigidity.csv",
                "--column",
                "all_workers",
                "--neural",
                "none",
                "--horizon",
                "6",
                "--folds",
                "1",
                "--report",
                report.toString())
            .ok();
    assertTrue(run.err().contains("11 empty cells before it dropped"), run.err());
    JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
    assertEquals(11, summary.get("leadingMissingDropped").asInt());
  }

  @Test
  void aSmallBacktestOnTheCo2SeriesWritesTheReport() throws Exception {
    Path report = tmp.resolve("report");
    CliRun run =
        CliRun.of(
                "backtest",
                "--data",
                "data/co2-concentration.csv",
                "--column",
                "CO2",
                "--neural",
                "one-step",
                "--cell",
                "gru",
                "--horizon",
                "3",
                "--folds",
                "2",
                "--block",
                "12",
                "--window",
                "240",
                "--epochs",
                "1",
                "--hidden",
                "4",
                "--report",
                report.toString())
            .ok();
    assertTrue(run.out().contains("holt-winters"), run.out());
    for (String file :
        new String[] {
          "index.html", "summary.json", "forecast-h1.png", "forecast-h3.png", "error-by-horizon.png"
        }) {
      assertTrue(Files.size(report.resolve(file)) > 0, file);
    }
    String html = Files.readString(report.resolve("index.html"));
    assertTrue(html.contains("seasonal-naive") && html.contains("MASE"), "tables in the page");

    JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
    assertEquals(741, summary.get("points").asInt());
    assertEquals(2, summary.get("folds").size());
    JsonNode methods = summary.get("methods");
    assertEquals(8, methods.size());
    assertEquals("gru", methods.get(7).get("method").asText());
    for (JsonNode method : methods) {
      JsonNode horizons = method.get("horizons");
      assertEquals(3, horizons.size());
      // 24 origins; horizon h has a target for 24 - (h - 1) of them
      assertEquals(24, horizons.get(0).get("forecasts").asInt());
      assertEquals(22, horizons.get(2).get("forecasts").asInt());
      assertTrue(horizons.get(0).get("mase").asDouble() > 0);
    }
  }

  @Test
  void neuralNoneRunsTheBaselinesAloneOnASeriesWithZeros() throws Exception {
    Path report = tmp.resolve("report");
    // A daily count that is 0 on most days.
    List<String> csv = new ArrayList<>(List.of("date,count"));
    LocalDate day = LocalDate.of(2020, 1, 1);
    for (int t = 0; t < 200; t++) {
      csv.add(day.plusDays(t) + "," + (t % 7 == 5 ? 3 + t % 4 : t % 11 == 0 ? 1 : 0));
    }
    Path data = tmp.resolve("counts.csv");
    Files.write(data, csv);
    CliRun run =
        CliRun.of(
                "backtest",
                "--data",
                data.toString(),
                "--column",
                "count",
                "--neural",
                "none",
                "--horizon",
                "7",
                "--folds",
                "1",
                "--block",
                "28",
                "--report",
                report.toString())
            .ok();
    assertTrue(run.out().contains("ets") && run.out().contains("theta"), run.out());
    JsonNode summary = new ObjectMapper().readTree(report.resolve("summary.json").toFile());
    assertEquals(7, summary.get("settings").get("season").asInt(), "daily data: a weekly season");
    List<String> names = new ArrayList<>();
    summary.get("methods").forEach(m -> names.add(m.get("method").asText()));
    assertEquals(
        List.of("naive", "seasonal-naive", "drift", "ar(8)", "holt-winters", "ets", "theta"),
        names);
    assertFalse(summary.has("hidden"), "no network was trained");
  }
}
