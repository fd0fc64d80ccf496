package dev.seqcast.bench;

import dev.seqcast.cli.InputFiles;
import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.AnomalyScore;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.RecurrentModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Anomaly detection quality on the bundled real series with injected anomalies ({@link
 * AnomalyEvaluation}): the predictor's score against a static threshold and a rolling z-score. Each
 * detector's threshold is chosen for the best F1 on the tuning seeds; precision, recall, F1 and
 * delay are then reported on different test seeds, so no detector is scored on what tuned it.
 */
@Command(
    name = "anomalies",
    mixinStandardHelpOptions = true,
    description =
        "Anomaly detection on the bundled S&P 500, CO2 and stock series with injected spikes,"
            + " level shifts and drifts: the predictor's anomaly score vs a static threshold and"
            + " a rolling z-score (precision, recall, F1, delay). Writes anomalies.json.")
public final class AnomalyBench implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BenchOptions options;

  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "Directory of the bundled CSV files.")
  Path dataDir;

  @Option(
      names = "--tune-seeds",
      defaultValue = "5",
      description = "Injection seeds used to choose each detector's threshold.")
  int tuneSeeds;

  @Option(
      names = "--test-seeds",
      defaultValue = "5",
      description = "Other injection seeds the results are reported on.")
  int testSeeds;

  @Option(
      names = "--cell",
      defaultValue = "lstm",
      description = "Bundled model run by the predictor's detector: lstm or gru.")
  String cell;

  /** Thresholds tried for every detector. */
  private static double[] grid() {
    double[] grid = new double[80];
    for (int i = 0; i < grid.length; i++) {
      grid[i] = 0.5 + 0.25 * i;
    }
    return grid;
  }

  @Override
  public Integer call() throws Exception {
    if (tuneSeeds < 1 || testSeeds < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--tune-seeds and --test-seeds must be at least 1");
    }
    List<Series> series = new ArrayList<>();
    series.addAll(
        InputFiles.seriesWithoutGaps(
            spec.commandLine(),
            dataDir.resolve("sp500-2000.csv"),
            "close",
            null,
            "sp500",
            "--data-dir"));
    series.addAll(
        InputFiles.seriesWithoutGaps(
            spec.commandLine(),
            dataDir.resolve("co2-concentration.csv"),
            "CO2",
            null,
            "co2",
            "--data-dir"));
    series.addAll(
        InputFiles.seriesWithoutGaps(
            spec.commandLine(),
            dataDir.resolve("stocks.csv"),
            "price",
            "symbol",
            null,
            "--data-dir"));
    RecurrentModel model = RecurrentModel.from(BundledModels.sp500(CellType.parse(cell)));
    AnomalyEvaluation evaluation = new AnomalyEvaluation(model);
    double[] grid = grid();
    int detectors = AnomalyEvaluation.DETECTORS.size();

    // Tune: the F1 of each detector at each threshold over the tuning seeds.
    AnomalyEvaluation.Tally[][] tune = run(evaluation, series, 0, tuneSeeds, grid);
    double[] chosen = new double[detectors];
    for (int d = 0; d < detectors; d++) {
      int best = 0;
      for (int g = 1; g < grid.length; g++) {
        if (tune[d][g].f1() > tune[d][best].f1()) {
          best = g;
        }
      }
      chosen[d] = grid[best];
    }
    // Test: fresh seeds, the chosen thresholds, plus the predictor's shipped default.
    double[] testGrid = new double[detectors + 1];
    System.arraycopy(chosen, 0, testGrid, 0, detectors);
    testGrid[detectors] = AnomalyScore.DEFAULT_THRESHOLD;
    AnomalyEvaluation.Tally[][] test = run(evaluation, series, 1_000, testSeeds, testGrid);

    List<BenchResult> results = new ArrayList<>();
    Map<String, AnomalyEvaluation.Tally> tallies = new LinkedHashMap<>();
    for (int d = 0; d < detectors; d++) {
      tallies.put(AnomalyEvaluation.DETECTORS.get(d), test[d][d]);
    }
    AnomalyEvaluation.Tally ours = test[0][0];
    AnomalyEvaluation.Tally atDefault = test[0][detectors];
    for (int d = 0; d < detectors; d++) {
      String name = AnomalyEvaluation.DETECTORS.get(d);
      results.add(
          result("f1_" + name, test[d][d], test[d][d].f1(), Double.NaN, chosen[d], series, model));
    }
    results.add(
        result(
            "f1_seqcast_default_threshold",
            atDefault,
            atDefault.f1(),
            Double.NaN,
            AnomalyScore.DEFAULT_THRESHOLD,
            series,
            model));
    double static_ = tallies.get("static-threshold").f1();
    double zscore = tallies.get("rolling-zscore").f1();
    results.add(
        result("f1_ratio_vs_static_threshold", ours, ours.f1(), static_, chosen[0], series, model));
    results.add(
        result("f1_ratio_vs_rolling_zscore", ours, ours.f1(), zscore, chosen[0], series, model));
    BenchReport.write(
        options.outDir(),
        "anomalies",
        results,
        String.format(
            "F1 seqcast %.3f (threshold %.2f; %.3f at the default %.1f), static threshold %.3f,"
                + " rolling z-score %.3f on %d test events",
            ours.f1(),
            chosen[0],
            atDefault.f1(),
            AnomalyScore.DEFAULT_THRESHOLD,
            static_,
            zscore,
            ours.events),
        System.out);
    return 0;
  }

  /** Tallies per detector and threshold over seeds {@code first .. first + count - 1}. */
  private static AnomalyEvaluation.Tally[][] run(
      AnomalyEvaluation evaluation,
      List<Series> series,
      int first,
      int count,
      double[] thresholds) {
    int detectors = AnomalyEvaluation.DETECTORS.size();
    AnomalyEvaluation.Tally[][] tallies = new AnomalyEvaluation.Tally[detectors][thresholds.length];
    for (int d = 0; d < detectors; d++) {
      for (int g = 0; g < thresholds.length; g++) {
        tallies[d][g] = new AnomalyEvaluation.Tally();
      }
    }
    for (int seed = first; seed < first + count; seed++) {
      Random random = new Random(seed);
      for (Series s : series) {
        AnomalyEvaluation.Injected injected = AnomalyEvaluation.inject(s, random);
        double[][] scores =
            evaluation.scores(
                injected, ConformalInterval.DEFAULT_COVERAGE, ConformalInterval.DEFAULT_WINDOW);
        for (int d = 0; d < detectors; d++) {
          for (int g = 0; g < thresholds.length; g++) {
            AnomalyEvaluation.score(injected, scores[d], thresholds[g], tallies[d][g]);
          }
        }
      }
    }
    return tallies;
  }

  private static BenchResult result(
      String metric,
      AnomalyEvaluation.Tally tally,
      double value,
      double baseline,
      double threshold,
      List<Series> series,
      RecurrentModel model) {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("threshold", threshold);
    params.put("precision", tally.precision());
    params.put("recall", tally.recall());
    params.put("meanDelayPoints", tally.meanDelay());
    params.put("events", tally.events);
    params.put("alarmEpisodes", tally.episodes);
    for (AnomalyEvaluation.Kind kind : AnomalyEvaluation.Kind.values()) {
      String k = kind.name().toLowerCase(java.util.Locale.ROOT);
      params.put("recall_" + k, tally.recall(kind));
      params.put("meanDelayPoints_" + k, tally.meanDelay(kind));
    }
    params.put("series", series.stream().map(Series::id).toList());
    params.put("model", model.name() + " v" + model.version() + " " + model.cell().wireName());
    return new BenchResult(
        "anomalies",
        metric,
        value,
        baseline,
        Double.isNaN(baseline) || baseline == 0 ? Double.NaN : value / baseline,
        "f1",
        params);
  }
}
