package dev.seqcast.bench;

import dev.seqcast.bench.AccuracySummary.Figure;
import dev.seqcast.bench.AccuracySummary.MethodScore;
import dev.seqcast.bench.AccuracySummary.SeriesScore;
import dev.seqcast.cli.Progress;
import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.train.Backtest;
import dev.seqcast.forecast.train.ForecastMethod;
import dev.seqcast.forecast.train.HorizonMethod;
import dev.seqcast.forecast.train.RollingOrigin;
import dev.seqcast.model.ConformalInterval;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The benchmark the forecaster is judged by: a rolling-origin backtest ({@link Backtest}) of the
 * seqcast method ({@link SeqcastMethod}) and every classical baseline on each series of the
 * real-series suite ({@link AccuracySuite}), with the suite's season, horizon and folds. Per
 * series: MASE at h = 1 and averaged over horizons for every method, seqcast over the best
 * baseline, interval coverage, fit time per fold. Over the suite: the geometric means of the ratios
 * and the goal line ({@link AccuracySummary}).
 *
 * <p>Gaps: every method sees a missing value as the last observed one and forecasts of missing
 * points are not scored (the rule of {@link Backtest}); a series starts at its first observed
 * value. A series seqcast refuses (it throws {@link IllegalArgumentException} fitting it, e.g. the
 * LSTM's log-returns on a zero or negative value) is reported as refused, its baselines still
 * scored, and counts as a miss.
 *
 * <p>JSON: per series, {@code mase_h1_vs_best_baseline} and {@code
 * mase_all_horizons_vs_best_baseline} (value seqcast, baseline the best baseline, ratio value /
 * baseline), {@code interval_coverage} (seqcast and the best baseline over all horizons), {@code
 * interval_score_h1_vs_naive} (the h = 1 intervals' mean scaled Winkler score, MSIS, of seqcast
 * over that of the naive forecast's conformal band, lower is better; widths and coverages in its
 * params) and {@code fit_seconds_per_fold} (seqcast, and all baselines together); then the summary
 * objects.
 */
@Command(
    name = "accuracy",
    mixinStandardHelpOptions = true,
    description =
        "Forecast accuracy on the real-series suite (data/accuracy-suite.csv): rolling-origin"
            + " backtest of seqcast and every baseline, MASE at h=1 and over all horizons,"
            + " seqcast / best baseline, interval coverage, fit time; geometric means and the goal"
            + " line. Writes accuracy.json and accuracy.md. The whole suite trains three networks"
            + " per fold and takes tens of minutes on two cores, most of it on the two hourly"
            + " series; --baselines-only under a minute.")
public final class AccuracyBench implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BenchOptions options;

  @Mixin SeqcastMethod seqcast;

  @Option(
      names = "--suite",
      defaultValue = "data/accuracy-suite.csv",
      paramLabel = "CSV",
      description = "The suite manifest; its data files are in the same directory.")
  Path suite;

  @Option(
      names = "--only",
      paramLabel = "REGEX",
      description =
          "Run only the series whose name (file stem/column[/series], e.g. stocks/price/IBM)"
              + " contains a match of REGEX.")
  String only;

  @Option(
      names = "--baselines-only",
      description = "Score the baselines only, without the seqcast method: seconds, not minutes.")
  boolean baselinesOnly;

  @Option(
      names = "--development",
      description =
          "Run on the development splits instead: each series cut before its first test block,"
              + " then backtested the same way (with fewer folds where the rest is too short for"
              + " all of them), so settings are chosen without the test points. Writes"
              + " accuracy-development.json and .md.")
  boolean development;

  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    List<AccuracySuite.Entry> chosen = entries(cli);
    if (!baselinesOnly) {
      try {
        seqcast.validate();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cli, e.getMessage());
      }
    }
    Path dataDir = suite.toAbsolutePath().getParent();
    List<AccuracySuite.Entry> entries = new ArrayList<>();
    List<Series> loaded = new ArrayList<>();
    long units = 0;
    for (AccuracySuite.Entry entry : chosen) {
      Series series = AccuracySuite.load(cli, dataDir, entry);
      if (development) {
        int testPoints =
            entry.folds() * Backtest.defaultBlock(series.size(), entry.folds(), entry.horizon());
        series = series.range(0, Math.max(0, series.size() - testPoints));
        AccuracySuite.Entry part = developmentEntry(entry, series.size(), foldMinimum(entry));
        if (part == null) {
          System.err.printf(
              "accuracy: %s left out: %d points before its test blocks, too few for one fold%n",
              entry.name(), series.size());
          continue;
        }
        entry = part;
      }
      entries.add(entry);
      loaded.add(series);
      units += (long) entry.folds() * (baselines(entry).size() + (baselinesOnly ? 0 : 1));
    }

    Map<String, HorizonMethod.Panel> panels =
        baselinesOnly ? Map.of() : panels(cli, dataDir, entries);

    long started = System.nanoTime();
    Progress progress = new Progress(new PrintWriter(System.err, true), "accuracy");
    long[] done = {0};
    long total = units;
    List<SeriesScore> scores = new ArrayList<>();
    List<Map<String, Object>> facts = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      AccuracySuite.Entry entry = entries.get(i);
      Series series = loaded.get(i);
      String task = String.format("[%d/%d] %s", i + 1, entries.size(), entry.name());
      long before = done[0];
      Backtest.Listener listener =
          (d, t, method) -> {
            done[0] = before + d;
            progress.update(done[0], total, task + " " + method);
          };
      Backtest.Settings settings = settings(entry, series);
      int order = arOrder(entry);
      int baselineMinimum = baselineMinimumTrain(entry);
      Backtest.Result baselineRun;
      try {
        baselineRun = Backtest.run(series, baselines(entry), settings, baselineMinimum, listener);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(
            cli, entry.name() + " (--suite line " + entry.line() + "): " + e.getMessage());
      }
      List<MethodScore> baselineScores = new ArrayList<>();
      baselineRun.methods().forEach(m -> baselineScores.add(MethodScore.of(m, entry.folds())));
      Outcome outcome = new Outcome(null, null);
      if (!baselinesOnly) {
        long afterBaselines = done[0];
        outcome =
            seqcastOn(
                entry,
                series,
                panels.get(AccuracySuite.panelName(entry)),
                settings,
                baselineMinimum,
                (detail, d) -> {
                  done[0] = afterBaselines + d;
                  progress.update(done[0], total, task + " seqcast" + detail);
                });
        done[0] = afterBaselines + entry.folds();
      }
      SeriesScore score =
          new SeriesScore(
              entry.name(), entry.frequency(), baselineScores, outcome.score(), outcome.refusal());
      scores.add(score);
      facts.add(facts(entry, series, settings, order));
      System.err.println(progressLine(task, score));
    }
    double seconds = (System.nanoTime() - started) / 1e9;

    AccuracySummary summary = new AccuracySummary(scores);
    String table = markdown(summary, entries, facts, seconds);
    System.out.print(table);
    String report = development ? "accuracy-development" : "accuracy";
    Files.createDirectories(options.outDir());
    Files.writeString(options.outDir().resolve(report + ".md"), table, StandardCharsets.UTF_8);
    BenchReport.write(
        options.outDir(),
        report,
        results(summary, facts, seconds),
        (development ? "development splits: " : "") + summaryLine(summary, seconds),
        System.out);
    return 0;
  }

  /** seqcast's scores on one series, or why it refused the series. */
  private record Outcome(MethodScore score, String refusal) {}

  /** Told of seqcast's progress: a detail (an epoch and its loss, or none) and folds done. */
  @FunctionalInterface
  private interface SeqcastProgress {
    void update(String detail, int foldsDone);
  }

  /**
   * The panels of the suite's series that share a file and column with others (a series column):
   * every series of that file and column, as a global model of the file would train on. On the
   * development splits each panel ends before the earliest first test block of any suite series in
   * it, so no test point of any series is trained on.
   */
  private Map<String, HorizonMethod.Panel> panels(
      CommandLine cli, Path dataDir, List<AccuracySuite.Entry> chosen) throws IOException {
    List<AccuracySuite.Entry> all = AccuracySuite.read(suite);
    Map<String, HorizonMethod.Panel> panels = new LinkedHashMap<>();
    for (AccuracySuite.Entry entry : chosen) {
      String name = AccuracySuite.panelName(entry);
      if (name == null || panels.containsKey(name)) {
        continue;
      }
      List<Series> members = AccuracySuite.loadPanel(cli, dataDir, entry);
      if (development) {
        long end = Long.MAX_VALUE;
        for (AccuracySuite.Entry other : all) {
          if (name.equals(AccuracySuite.panelName(other))) {
            Series s = AccuracySuite.select(cli, members, other);
            int testPoints =
                other.folds() * Backtest.defaultBlock(s.size(), other.folds(), other.horizon());
            end = Math.min(end, s.timestamps()[Math.max(0, s.size() - testPoints)]);
          }
        }
        List<Series> cut = new ArrayList<>();
        for (Series m : members) {
          Series before = m.upTo(end - 1);
          if (before.size() > 0) {
            cut.add(before);
          }
        }
        members = cut;
      }
      panels.put(name, new HorizonMethod.Panel(name, members));
    }
    return panels;
  }

  private Outcome seqcastOn(
      AccuracySuite.Entry entry,
      Series series,
      HorizonMethod.Panel panel,
      Backtest.Settings settings,
      int baselineMinimum,
      SeqcastProgress progress) {
    int minimum = seqcast.minimumTrain(entry.horizon(), entry.season());
    int firstTrain =
        RollingOrigin.plan(series.size(), entry.folds(), settings.block(), 0, 0).get(0).trainSize();
    // Trained with its panel, a series too short to train on alone is still forecast when the
    // panel's others are long enough (the panel refuses the fold otherwise).
    if (panel == null && firstTrain < minimum) {
      return new Outcome(
          null,
          String.format(
              Locale.ROOT,
              "the first fold trains on %d points, fewer than the %d its trainer needs",
              firstTrain,
              minimum));
    }
    int[] folds = {0};
    ForecastMethod method =
        seqcast.create(
            entry.name(),
            panel,
            entry.series(),
            entry.horizon(),
            entry.season(),
            (epoch, epochs, loss) ->
                progress.update(
                    String.format(Locale.ROOT, " epoch %d/%d loss %.4f", epoch, epochs, loss),
                    folds[0]));
    try {
      Backtest.Result run =
          Backtest.run(
              series,
              List.of(method),
              settings,
              panel == null ? Math.max(baselineMinimum, minimum) : baselineMinimum,
              (d, t, m) -> {
                folds[0] = d;
                progress.update("", d);
              });
      return new Outcome(MethodScore.of(run.methods().get(0), entry.folds()), null);
    } catch (IllegalArgumentException e) {
      // The method refuses the series, e.g. today's LSTM a zero or negative value.
      return new Outcome(null, e.getMessage());
    }
  }

  private List<AccuracySuite.Entry> entries(CommandLine cli) throws IOException {
    if (!Files.isRegularFile(suite)) {
      throw new CommandLine.ParameterException(cli, "--suite '" + suite + "' is not a file");
    }
    List<AccuracySuite.Entry> entries;
    try {
      entries = AccuracySuite.read(suite);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, "--suite: " + e.getMessage());
    }
    if (only == null) {
      return entries;
    }
    Pattern pattern;
    try {
      pattern = Pattern.compile(only);
    } catch (PatternSyntaxException e) {
      throw new CommandLine.ParameterException(
          cli, "--only '" + only + "' is not a regular expression: " + e.getDescription());
    }
    List<AccuracySuite.Entry> chosen =
        entries.stream().filter(e -> pattern.matcher(e.name()).find()).toList();
    if (chosen.isEmpty()) {
      throw new CommandLine.ParameterException(
          cli,
          "--only '"
              + only
              + "' matches no series; the suite has "
              + entries.stream().map(AccuracySuite.Entry::name).toList());
    }
    return chosen;
  }

  /** The fewest training points a fold needs: the baselines', and seqcast's when it runs. */
  private int foldMinimum(AccuracySuite.Entry entry) {
    int baselines = baselineMinimumTrain(entry);
    return baselinesOnly
        ? baselines
        : Math.max(baselines, seqcast.minimumTrain(entry.horizon(), entry.season()));
  }

  /**
   * {@code entry} for its development part of {@code size} points: its folds, or as many as leave
   * the first fold {@code minimumTrain} points; null when not even one fold does.
   */
  static AccuracySuite.Entry developmentEntry(
      AccuracySuite.Entry entry, int size, int minimumTrain) {
    for (int folds = entry.folds(); folds >= 1; folds--) {
      int block = Backtest.defaultBlock(size, folds, entry.horizon());
      if (size - folds * block >= minimumTrain) {
        return new AccuracySuite.Entry(
            entry.line(),
            entry.file(),
            entry.column(),
            entry.seriesColumn(),
            entry.series(),
            entry.frequency(),
            entry.season(),
            entry.horizon(),
            folds,
            entry.traits());
      }
    }
    return null;
  }

  /** The AR(p) baseline's order: one season and one more lag, at least 2 (as backtest's). */
  private static int arOrder(AccuracySuite.Entry entry) {
    return Math.max(2, entry.season() + 1);
  }

  private static List<ForecastMethod> baselines(AccuracySuite.Entry entry) {
    return Backtest.baselines(entry.season(), arOrder(entry));
  }

  /** The fewest training points the baselines need: two seasons and two AR fits' worth. */
  private static int baselineMinimumTrain(AccuracySuite.Entry entry) {
    return Math.max(2 * arOrder(entry) + 2, 2 * entry.season() + 2);
  }

  private static Backtest.Settings settings(AccuracySuite.Entry entry, Series series) {
    return new Backtest.Settings(
        entry.horizon(),
        entry.folds(),
        Backtest.defaultBlock(series.size(), entry.folds(), entry.horizon()),
        0,
        entry.season(),
        ConformalInterval.DEFAULT_COVERAGE,
        ConformalInterval.DEFAULT_WINDOW);
  }

  private static Map<String, Object> facts(
      AccuracySuite.Entry entry, Series series, Backtest.Settings settings, int order) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("series", entry.name());
    facts.put("frequency", entry.frequency());
    facts.put("points", series.size());
    facts.put("missing", series.missing());
    facts.put("traits", String.join(";", entry.traits()));
    facts.put("season", entry.season());
    facts.put("horizon", entry.horizon());
    facts.put("folds", entry.folds());
    facts.put("originsPerFold", settings.block());
    facts.put("arOrder", order);
    return facts;
  }

  private static String progressLine(String task, SeriesScore score) {
    MethodScore best = score.bestBaseline(Figure.H1);
    String ours =
        score.seqcast() != null
            ? String.format(
                Locale.ROOT,
                "seqcast %.3f (ratio %.3f, %.1f s/fold)",
                score.seqcast().maseH1(),
                score.ratio(Figure.H1),
                score.seqcast().fitSecondsPerFold())
            : "seqcast " + score.status();
    return String.format(
        Locale.ROOT,
        "  %s: MASE h=1 best baseline %.3f (%s), %s",
        task,
        best.maseH1(),
        best.method(),
        ours);
  }

  // ---- report ------------------------------------------------------------------------------

  /** Baseline columns of the per-method tables; AR(p) and Holt(-Winters) share a column. */
  private static final List<String> COLUMNS =
      List.of("naive", "seasonal-naive", "drift", "ar(p)", "holt-winters", "ets", "theta");

  private static String column(String method) {
    if (method.startsWith("ar(")) {
      return "ar(p)";
    }
    return method.equals("holt") ? "holt-winters" : method;
  }

  private String markdown(
      AccuracySummary summary,
      List<AccuracySuite.Entry> entries,
      List<Map<String, Object>> facts,
      double seconds) {
    StringBuilder md = new StringBuilder();
    md.append("# bench accuracy, ")
        .append(LocalDate.now(ZoneOffset.UTC))
        .append("\n\n")
        .append("Suite ")
        .append(suite)
        .append(
            development
                ? " on its development splits (each series before its first test block)"
                : "")
        .append(", ")
        .append(entries.size())
        .append(" series; seqcast = ")
        .append(baselinesOnly ? "not run (--baselines-only)" : seqcast.describe())
        .append(". MASE: mean absolute error over the fold window's in-sample mean absolute")
        .append(" seasonal difference. Ratio: seqcast / the best baseline on the same splits,")
        .append(" chosen per series after the fact (an oracle choice, which favours the")
        .append(" baselines). Coverage of the 90% conformal intervals at h=1 / over all")
        .append(" horizons. Wall time ")
        .append(String.format(Locale.ROOT, "%.0f s", seconds))
        .append(".\n\n");

    boolean withSeqcast = summary.assessed();
    List<String> header = new ArrayList<>(List.of("series", "freq", "points", "m", "H"));
    header.add("folds × origins");
    if (withSeqcast) {
      header.addAll(List.of("seqcast h=1", "best baseline h=1", "ratio h=1"));
      header.addAll(List.of("seqcast all h", "best baseline all h", "ratio all h"));
    } else {
      header.addAll(List.of("best baseline h=1", "best baseline all h"));
    }
    header.add("seasonal naive h=1 / all h");
    if (withSeqcast) {
      header.add("coverage seqcast h=1 / all h");
    }
    header.add("coverage best all-h baseline h=1 / all h");
    header.add(withSeqcast ? "MSIS h=1 seqcast / naive" : "MSIS h=1 naive");
    header.add(withSeqcast ? "fit s/fold seqcast / baselines" : "fit s/fold baselines");
    row(md, header);
    row(md, header.stream().map(h -> "---").toList());
    for (int i = 0; i < summary.series().size(); i++) {
      SeriesScore s = summary.series().get(i);
      Map<String, Object> f = facts.get(i);
      MethodScore bestH1 = s.bestBaseline(Figure.H1);
      MethodScore bestAll = s.bestBaseline(Figure.ALL_HORIZONS);
      MethodScore seasonal = s.seasonalNaive();
      MethodScore ours = s.seqcast();
      int missing = (int) f.get("missing");
      List<String> cells = new ArrayList<>();
      cells.add(s.name());
      cells.add(s.frequency());
      cells.add(f.get("points") + (missing > 0 ? " (" + missing + " missing)" : ""));
      cells.add(String.valueOf(f.get("season")));
      cells.add(String.valueOf(f.get("horizon")));
      cells.add(f.get("folds") + " × " + f.get("originsPerFold"));
      String bestH1Cell = number(bestH1.maseH1()) + " (" + bestH1.method() + ")";
      String bestAllCell = number(bestAll.maseAllHorizons()) + " (" + bestAll.method() + ")";
      if (withSeqcast) {
        cells.add(ours != null ? number(ours.maseH1()) : s.status());
        cells.add(bestH1Cell);
        cells.add(number(s.ratio(Figure.H1)));
        cells.add(ours != null ? number(ours.maseAllHorizons()) : "–");
        cells.add(bestAllCell);
        cells.add(number(s.ratio(Figure.ALL_HORIZONS)));
      } else {
        cells.add(bestH1Cell);
        cells.add(bestAllCell);
      }
      cells.add(
          number(seasonal.maseH1())
              + " / "
              + number(seasonal.maseAllHorizons())
              + (s.worseThanSeasonalNaive() ? " (seqcast worse)" : ""));
      if (withSeqcast) {
        cells.add(ours != null ? coverage(ours) : "–");
      }
      cells.add(coverage(bestAll));
      MethodScore naive = s.naive();
      String naiveScore = naive != null ? number(naive.scaledWinklerH1()) : "–";
      cells.add(
          withSeqcast
              ? (ours != null ? number(ours.scaledWinklerH1()) : "–") + " / " + naiveScore
              : naiveScore);
      String baselineFit =
          String.format(
              Locale.ROOT,
              "%.2f",
              s.baselines().stream().mapToDouble(MethodScore::fitSecondsPerFold).sum());
      if (withSeqcast) {
        cells.add(
            (ours != null ? String.format(Locale.ROOT, "%.1f", ours.fitSecondsPerFold()) : "–")
                + " / "
                + baselineFit);
      } else {
        cells.add(baselineFit);
      }
      row(md, cells);
    }
    for (Figure figure : Figure.values()) {
      md.append("\nMASE ")
          .append(figure == Figure.H1 ? "at h=1" : "averaged over horizons 1..H")
          .append(", every method (best baseline in bold):\n\n");
      List<String> methods = new ArrayList<>(List.of("series"));
      methods.addAll(COLUMNS);
      if (withSeqcast) {
        methods.add("seqcast");
      }
      row(md, methods);
      row(md, methods.stream().map(h -> "---").toList());
      for (SeriesScore s : summary.series()) {
        List<String> cells = new ArrayList<>(List.of(s.name()));
        MethodScore best = s.bestBaseline(figure);
        for (String col : COLUMNS) {
          MethodScore score =
              s.baselines().stream()
                  .filter(b -> column(b.method()).equals(col))
                  .findFirst()
                  .orElse(null);
          String value = score == null ? "–" : number(score.mase(figure));
          cells.add(score == best ? "**" + value + "**" : value);
        }
        if (withSeqcast) {
          cells.add(s.seqcast() != null ? number(s.seqcast().mase(figure)) : s.status());
        }
        row(md, cells);
      }
    }
    md.append("\n");
    if (summary.assessed()) {
      md.append(
          String.format(
              Locale.ROOT,
              "- geo-mean ratio seqcast / best baseline: h=1 %s, all horizons %s, over the %d of %d"
                  + " series seqcast ran on\n",
              number(summary.geoMeanRatio(Figure.H1)),
              number(summary.geoMeanRatio(Figure.ALL_HORIZONS)),
              summary.ran().size(),
              summary.series().size()));
      md.append(
          String.format(
              Locale.ROOT,
              "- seqcast worse than seasonal naive (h=1 or all horizons) on %d series; refused"
                  + " %d\n",
              summary.worseThanSeasonalNaive().size(),
              summary.refused().size()));
    }
    md.append(
        String.format(
            Locale.ROOT,
            "- the bar: geo-mean of best baseline / seasonal naive: h=1 %s, all horizons %s\n",
            number(summary.geoMeanBestBaselineVsSeasonalNaive(Figure.H1)),
            number(summary.geoMeanBestBaselineVsSeasonalNaive(Figure.ALL_HORIZONS))));
    md.append("\n").append(summary.goalLine()).append("\n");
    return md.toString();
  }

  private static void row(StringBuilder md, List<String> cells) {
    md.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  private static String number(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "–";
  }

  private static String coverage(MethodScore score) {
    return String.format(
        Locale.ROOT,
        "%s / %s",
        Double.isFinite(score.coverageH1())
            ? String.format(Locale.ROOT, "%.2f", score.coverageH1())
            : "–",
        Double.isFinite(score.coverageAllHorizons())
            ? String.format(Locale.ROOT, "%.2f", score.coverageAllHorizons())
            : "–");
  }

  private List<BenchResult> results(
      AccuracySummary summary, List<Map<String, Object>> facts, double seconds) {
    List<BenchResult> results = new ArrayList<>();
    Map<String, Object> method = baselinesOnly ? Map.of("method", "none") : seqcast.params();
    for (int i = 0; i < summary.series().size(); i++) {
      SeriesScore s = summary.series().get(i);
      MethodScore ours = s.seqcast();
      for (Figure figure : Figure.values()) {
        MethodScore best = s.bestBaseline(figure);
        Map<String, Object> params = new LinkedHashMap<>(facts.get(i));
        params.put("seqcast", s.status());
        params.put("bestBaseline", best.method());
        params.put("seasonalNaive", s.seasonalNaive().mase(figure));
        params.put("worseThanSeasonalNaive", s.worseThanSeasonalNaive());
        Map<String, Object> every = new LinkedHashMap<>();
        s.baselines().forEach(b -> every.put(b.method(), b.mase(figure)));
        params.put("mase", every);
        params.put("seqcastMethod", method);
        results.add(
            new BenchResult(
                "accuracy",
                figure == Figure.H1
                    ? "mase_h1_vs_best_baseline"
                    : "mase_all_horizons_vs_best_baseline",
                ours != null ? ours.mase(figure) : Double.NaN,
                best.mase(figure),
                s.ratio(figure),
                "mase",
                params));
      }
      MethodScore bestAll = s.bestBaseline(Figure.ALL_HORIZONS);
      Map<String, Object> coverage = new LinkedHashMap<>(facts.get(i));
      coverage.put("seqcast", s.status());
      coverage.put("bestBaseline", bestAll.method());
      coverage.put("target", ConformalInterval.DEFAULT_COVERAGE);
      coverage.put("seqcastH1", ours != null ? ours.coverageH1() : Double.NaN);
      coverage.put("bestBaselineH1", bestAll.coverageH1());
      results.add(
          new BenchResult(
              "accuracy",
              "interval_coverage",
              ours != null ? ours.coverageAllHorizons() : Double.NaN,
              bestAll.coverageAllHorizons(),
              Double.NaN,
              "share",
              coverage));
      MethodScore naive = s.naive();
      if (naive != null) {
        Map<String, Object> interval = new LinkedHashMap<>(facts.get(i));
        interval.put("seqcast", s.status());
        interval.put("baseline", naive.method());
        interval.put("target", ConformalInterval.DEFAULT_COVERAGE);
        interval.put("seqcastWidthH1", ours != null ? ours.widthH1() : Double.NaN);
        interval.put("naiveWidthH1", naive.widthH1());
        interval.put("seqcastCoverageH1", ours != null ? ours.coverageH1() : Double.NaN);
        interval.put("naiveCoverageH1", naive.coverageH1());
        double score = ours != null ? ours.scaledWinklerH1() : Double.NaN;
        results.add(
            new BenchResult(
                "accuracy",
                "interval_score_h1_vs_naive",
                score,
                naive.scaledWinklerH1(),
                score / naive.scaledWinklerH1(),
                "msis",
                interval));
      }
      double baselineFit = s.baselines().stream().mapToDouble(MethodScore::fitSecondsPerFold).sum();
      Map<String, Object> fit = new LinkedHashMap<>(facts.get(i));
      fit.put("seqcast", s.status());
      fit.put("seqcastMethod", method);
      results.add(
          new BenchResult(
              "accuracy",
              "fit_seconds_per_fold",
              ours != null ? ours.fitSecondsPerFold() : Double.NaN,
              baselineFit,
              ours != null ? ours.fitSecondsPerFold() / baselineFit : Double.NaN,
              "s",
              fit));
    }
    Map<String, Object> common = new LinkedHashMap<>();
    common.put("series", summary.series().size());
    common.put("ran", summary.ran().size());
    common.put("refused", summary.refused().stream().map(SeriesScore::name).toList());
    common.put("goal", AccuracySummary.GOAL_RATIO);
    common.put("seqcastMethod", method);
    common.put("wallSeconds", seconds);
    for (Figure figure : Figure.values()) {
      Map<String, Object> params = new LinkedHashMap<>(common);
      params.put("bestBaselineVsSeasonalNaive", summary.geoMeanBestBaselineVsSeasonalNaive(figure));
      results.add(
          new BenchResult(
              "accuracy",
              figure == Figure.H1 ? "geo_mean_ratio_h1" : "geo_mean_ratio_all_horizons",
              summary.geoMeanRatio(figure),
              AccuracySummary.GOAL_RATIO,
              summary.geoMeanRatio(figure) / AccuracySummary.GOAL_RATIO,
              "ratio",
              params));
    }
    Map<String, Object> worse = new LinkedHashMap<>(common);
    worse.put("names", summary.worseThanSeasonalNaive().stream().map(SeriesScore::name).toList());
    results.add(
        new BenchResult(
            "accuracy",
            "series_worse_than_seasonal_naive",
            summary.assessed() ? summary.worseThanSeasonalNaive().size() : Double.NaN,
            Double.NaN,
            Double.NaN,
            "series",
            worse));
    results.add(
        new BenchResult(
            "accuracy",
            "series_refused",
            summary.assessed() ? summary.refused().size() : Double.NaN,
            Double.NaN,
            Double.NaN,
            "series",
            common));
    Map<String, Object> goal = new LinkedHashMap<>(common);
    goal.put("line", summary.goalLine());
    results.add(
        new BenchResult(
            "accuracy",
            "goal_met",
            summary.assessed() ? (summary.goalMet() ? 1 : 0) : Double.NaN,
            Double.NaN,
            Double.NaN,
            "boolean",
            goal));
    return results;
  }

  private static String summaryLine(AccuracySummary summary, double seconds) {
    if (!summary.assessed()) {
      return String.format(
          Locale.ROOT,
          "baselines only on %d series in %.0f s; best baseline / seasonal naive geo-mean h=1 %s,"
              + " all horizons %s",
          summary.series().size(),
          seconds,
          number(summary.geoMeanBestBaselineVsSeasonalNaive(Figure.H1)),
          number(summary.geoMeanBestBaselineVsSeasonalNaive(Figure.ALL_HORIZONS)));
    }
    return String.format(
        Locale.ROOT,
        "seqcast / best baseline geo-mean MASE ratio h=1 %s, all horizons %s on %d of %d series"
            + " (%d refused, %d worse than seasonal naive) in %.0f s; goal %s",
        number(summary.geoMeanRatio(Figure.H1)),
        number(summary.geoMeanRatio(Figure.ALL_HORIZONS)),
        summary.ran().size(),
        summary.series().size(),
        summary.refused().size(),
        summary.worseThanSeasonalNaive().size(),
        seconds,
        summary.goalMet() ? "MET" : "MISSED");
  }
}
