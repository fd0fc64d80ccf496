package dev.seqcast.cli;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.train.Backtest;
import dev.seqcast.forecast.train.BacktestReport;
import dev.seqcast.forecast.train.ForecastMethod;
import dev.seqcast.forecast.train.HorizonMethod;
import dev.seqcast.forecast.train.HorizonTrainer;
import dev.seqcast.forecast.train.RecurrentMethod;
import dev.seqcast.forecast.train.Trainer;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ConformalInterval;
import dev.seqcast.train.EpochListener;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Offline evaluation. {@code --task forecast}: rolling-origin backtest of the neural forecaster
 * against classical baselines on one series (the evaluation lives in {@link Backtest}, the report
 * in {@link BacktestReport}). {@code --task speech}: the speech tagger on held-out voices and
 * speakers next to reference VADs, see {@link SpeechBacktestOptions}.
 */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description =
        "Rolling-origin backtest: train the neural forecaster on a window (by default es-lstm:"
            + " exponential smoothing with an LSTM emitting every horizon at once), forecast the"
            + " next block for horizons 1..H through the streaming code; compare with naive,"
            + " seasonal naive, drift, AR(p), Holt-Winters, ETS chosen by AIC and Theta on the"
            + " same splits; write an HTML report with charts and a JSON summary. --task speech:"
            + " frame F1, ROC-AUC and segment F1 per SNR on held-out voices and speakers, and"
            + " compute per 10 ms, next to a tuned energy-threshold VAD and, when node is on the"
            + " PATH, Silero VAD and WebRTC VAD on the same recordings.")
public final class BacktestCommand implements Callable<Integer> {

  private static final String TOPIC_PREFIX = "topic:";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--task",
      defaultValue = "forecast",
      description = "What to backtest: forecast or speech.")
  String task;

  @Option(
      names = "--data",
      paramLabel = "CSV|topic:TOPIC|DIR",
      description =
          "forecast (required): a CSV file with a header row and a date column, or topic:NAME"
              + " (e.g. topic:seqcast.ticks) to read a ticks topic up to --until. speech: the"
              + " directory of held-out recordings (default: data/speech/test).")
  String data;

  @Option(names = "--column", defaultValue = "close", description = "CSV value column.")
  String column;

  @Option(
      names = "--series-column",
      description = "CSV column holding series ids (default: the file is one series).")
  String seriesColumn;

  @Option(
      names = "--series",
      paramLabel = "ID",
      description = "The series to backtest when the data holds several (default: the only one).")
  String seriesId;

  @Option(
      names = "--alone",
      description =
          "es-lstm: train each fold on the backtested series only. By default, when the data"
              + " holds several series, each fold trains one global model on all of them cut at"
              + " the fold's last event time, as `train` does, and runs it on the chosen series.")
  boolean alone;

  @Option(
      names = "--until",
      paramLabel = "BOUND",
      description =
          "Where a topic read stops, as for 'train --until' (default: the end of each partition"
              + " when the read starts).")
  String until;

  @Option(
      names = "--neural",
      defaultValue = "es-lstm",
      description =
          "The neural method: es-lstm (per-series exponential smoothing beneath a global LSTM"
              + " that emits horizons 1..H at once), one-step (the log-return LSTM or GRU that"
              + " rolls its own forecasts forward) or none (baselines only).")
  String neural;

  @Option(
      names = "--cell",
      defaultValue = "lstm",
      description = "Recurrent cell of --neural one-step: lstm or gru; es-lstm is an LSTM.")
  CellType cell;

  @Option(
      names = "--horizon",
      defaultValue = "6",
      description = "Forecast horizons 1..H, in steps.")
  int horizon;

  @Option(
      names = "--folds",
      defaultValue = "3",
      description =
          "Test blocks; the model is retrained once per fold, so each costs a training run.")
  int folds;

  @Option(
      names = "--block",
      defaultValue = "0",
      description =
          "Forecast origins per fold; 0 = a fifth of the series split over the folds, at least"
              + " --horizon.")
  int block;

  @Option(
      names = "--window",
      defaultValue = "0",
      description = "Training points per fold, the newest before the block; 0 = all of them.")
  int window;

  @Option(
      names = "--season",
      defaultValue = "0",
      description =
          "Observations per seasonal cycle; 0 = from the data's spacing (hourly 24, daily 7,"
              + " business days 5, weekly 52, monthly 12, quarterly 4, else 1 = none)"
              + ".")
  int season;

  @Option(
      names = "--ar-order",
      defaultValue = "0",
      description = "Lags of the AR(p) baseline; 0 = season + 1, at least 2.")
  int arOrder;

  @Option(
      names = "--coverage",
      defaultValue = "0.9",
      description = "Target coverage of the forecast intervals.")
  double coverage;

  @Option(
      names = "--epochs",
      description =
          "Training epochs per fold; for es-lstm the most before early stopping"
              + " (default: es-lstm 40, one-step 5).")
  Integer epochs;

  @Option(
      names = "--patience",
      defaultValue = "6",
      description = "es-lstm: epochs without a better validation score before training stops.")
  int patience;

  @Option(
      names = "--members",
      description =
          "es-lstm: networks trained from consecutive seeds whose mean is the model (one"
              + " block-diagonal LSTM of members x hidden units) (default: 3).")
  Integer members;

  @Option(
      names = "--hidden",
      description = "Hidden units per layer (default: es-lstm 32, one-step 16).")
  Integer hidden;

  @Option(names = "--layers", defaultValue = "1", description = "Stacked recurrent layers.")
  int layers;

  @Option(names = "--tbptt", defaultValue = "50", description = "Truncated BPTT length for LSTM.")
  int tbptt;

  @Option(
      names = "--learning-rate",
      description = "Adam learning rate (default: es-lstm 0.02, one-step 0.003).")
  Double learningRate;

  @Option(
      names = "--holdout",
      description =
          "Share of each fold's window the trainer keeps out of the fit: es-lstm's early"
              + " stopping, one-step's own check (default: es-lstm 0.15, one-step 0.1).")
  Double holdout;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
  long seed;

  @Option(
      names = "--report",
      defaultValue = "backtest-report",
      paramLabel = "DIR",
      description = "Directory for index.html, summary.json and the PNG charts.")
  Path report;

  /** Kafka, for --data topic:NAME. */
  @CommandLine.Mixin ConnectionOptions kafka;

  /** Where series id, value and event time are in topic records (with a topic source). */
  @CommandLine.Mixin TickMappingOptions tickMapping;

  /** The options of --task speech. */
  @CommandLine.Mixin SpeechBacktestOptions speech;

  @Override
  public Integer call() throws Exception {
    if (task.equals("speech")) {
      return speech.run(
          spec.commandLine(), data == null ? SpeechBacktestOptions.DEFAULT_DATA : Path.of(data));
    }
    if (!task.equals("forecast")) {
      throw usage("--task must be forecast or speech (was '" + task + "')");
    }
    if (data == null) {
      throw usage(
          "--task forecast needs --data CSV or --data topic:NAME (e.g. --data"
              + " data/co2-concentration.csv --column co2)");
    }
    if (horizon < 1) {
      throw usage("--horizon must be at least 1, was " + horizon + "; e.g. --horizon 6");
    }
    if (folds < 1 || block < 0 || window < 0 || season < 0 || arOrder < 0) {
      throw usage("--folds must be at least 1; --block, --window, --season, --ar-order >= 0");
    }
    if (!List.of("es-lstm", "one-step", "none").contains(neural)) {
      throw usage("--neural must be es-lstm, one-step or none (was '" + neural + "')");
    }
    if (neural.equals("es-lstm") && cell != CellType.LSTM) {
      throw usage("es-lstm is an LSTM; --cell " + cell.wireName() + " needs --neural one-step");
    }
    Trainer.Options options = neural.equals("one-step") ? trainerOptions() : null;
    PrintWriter console = spec.commandLine().getOut();
    Map<String, Object> facts = new LinkedHashMap<>();
    Series series = load(options != null ? Trainer.minimumPoints(options) : horizon + 2, facts);
    int firstObserved = series.firstObserved();
    if (firstObserved == series.size()) {
      throw usage("series '" + series.id() + "' has no value in --column " + column);
    }
    if (firstObserved > 0) {
      // a series starts at its first value, as bench accuracy starts it; later gaps are carried
      series = series.range(firstObserved, series.size());
      facts.put("leadingMissingDropped", firstObserved);
      spec.commandLine()
          .getErr()
          .printf(
              "series '%s' starts at its first value: %d empty cells before it dropped%n",
              series.id(), firstObserved);
    }

    int seasonUsed = season > 0 ? season : Backtest.seasonFromSpacing(series.timestamps());
    int order = arOrder > 0 ? arOrder : Math.max(2, seasonUsed + 1);
    int blockUsed = block > 0 ? block : Backtest.defaultBlock(series.size(), folds, horizon);
    Backtest.Settings settings;
    try {
      settings =
          new Backtest.Settings(
              horizon,
              folds,
              blockUsed,
              window,
              seasonUsed,
              coverage,
              ConformalInterval.DEFAULT_WINDOW);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    HorizonTrainer.Options horizonOptions = horizonOptions(seasonUsed);
    HorizonMethod.Panel panel =
        neural.equals("es-lstm") && !alone && loaded.size() > 1
            ? new HorizonMethod.Panel(data + "/" + column, loaded)
            : null;
    if (panel != null) {
      facts.put("panel", panel.members().size() + " series trained together");
    }
    int minimumTrain = Math.max(2 * order + 2, 2 * seasonUsed + 2);
    minimumTrain =
        switch (neural) {
          // with a panel, a fold its companions cannot make long enough is refused by the panel
          case "es-lstm" ->
              panel != null
                  ? minimumTrain
                  : Math.max(minimumTrain, HorizonTrainer.minimumPoints(horizonOptions));
          case "one-step" -> Math.max(minimumTrain, Trainer.minimumPoints(options));
          default -> minimumTrain;
        };

    Progress progress = new Progress(spec.commandLine().getErr(), "backtest " + series.id());
    List<ForecastMethod> methods = new ArrayList<>(Backtest.baselines(seasonUsed, order));
    // (method, fold) pairs done and in all; the trainer's epochs are shown between them
    int[] units = {0, folds * (methods.size() + (neural.equals("none") ? 0 : 1))};
    String trained = neural.equals("es-lstm") ? HorizonMethod.NAME : cell.wireName();
    EpochListener listener =
        (epoch, total, loss) ->
            progress.update(
                units[0],
                units[1],
                String.format("%s epoch %d/%d loss %.4f", trained, epoch, total, loss));
    switch (neural) {
      case "es-lstm" ->
          methods.add(new HorizonMethod(horizonOptions, listener, panel, series.id()));
      case "one-step" -> methods.add(new RecurrentMethod(options, listener));
      default -> {}
    }
    Backtest.Result result;
    try {
      result =
          Backtest.run(
              series,
              methods,
              settings,
              minimumTrain,
              (done, total, method) -> {
                units[0] = done;
                progress.update(done, total, method);
              });
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    facts.put("neural", neural);
    if (neural.equals("es-lstm")) {
      facts.put("hidden", horizonOptions.hiddenSize());
      facts.put("layers", horizonOptions.layers());
      facts.put("maxEpochs", horizonOptions.maxEpochs());
      facts.put("trainingWindow", horizonOptions.window());
    } else if (neural.equals("one-step")) {
      facts.put("cell", options.cell().wireName());
      facts.put("hidden", options.hiddenSize());
      facts.put("layers", layers);
      facts.put("epochs", options.epochs());
    }
    facts.put("arOrder", order);
    Path page = BacktestReport.write(result, facts, report);
    console.printf(
        "%nbacktest of %s: %d points, %d folds of %d origins, horizons 1..%d%n",
        series.id(), series.size(), folds, blockUsed, horizon);
    console.printf(
        "  %-16s %10s %10s %10s %9s %9s%n",
        "method", "MASE h=1", "MASE h=" + horizon, "dir h=1", "cover h=1", "MSIS h=1");
    for (Backtest.MethodResult method : result.methods()) {
      console.printf(
          "  %-16s %10.3f %10.3f %10.3f %9.3f %9.3f%n",
          method.name(),
          method.byHorizon().get(0).mase(),
          method.byHorizon().get(horizon - 1).mase(),
          method.byHorizon().get(0).directionalAccuracy(),
          method.byHorizon().get(0).coverage(),
          method.byHorizon().get(0).scaledWinkler());
    }
    console.printf("report written to %s%n", page);
    console.flush();
    return 0;
  }

  /**
   * @param minimumPoints fewest points a series read from a topic needs (shorter ones are left out)
   */
  private Series load(int minimumPoints, Map<String, Object> facts) throws Exception {
    List<Series> series;
    if (data.startsWith(TOPIC_PREFIX)) {
      String topic = data.substring(TOPIC_PREFIX.length());
      TopicOptions.requireValid(spec.commandLine(), "--data topic:NAME", topic);
      TopicTrainingData.Loaded loaded =
          TopicTrainingData.load(
              kafka.connection(spec.commandLine()),
              topic,
              until,
              null,
              minimumPoints,
              tickMapping.mapping(spec.commandLine()),
              spec.commandLine());
      series = loaded.series();
      facts.putAll(loaded.facts());
    } else {
      Path file = Path.of(data);
      if (!Files.isRegularFile(file)) {
        throw usage(
            "--data '"
                + data
                + "' is not a readable file; give a CSV file, or topic:NAME to read a topic");
      }
      if (until != null) {
        throw usage("--until applies to --data topic:NAME only");
      }
      series =
          InputFiles.seriesWithGaps(
              spec.commandLine(),
              file,
              column,
              seriesColumn,
              null,
              "--data, --column and --series-column");
      facts.put("data", file.getFileName().toString());
      facts.put("column", column);
    }
    loaded = series;
    return pick(series);
  }

  /** Every series the data held, the chosen one among them. */
  private List<Series> loaded = List.of();

  private Series pick(List<Series> series) {
    List<String> ids = series.stream().map(Series::id).toList();
    if (seriesId != null) {
      return series.stream()
          .filter(s -> s.id().equals(seriesId))
          .findFirst()
          .orElseThrow(
              () -> usage("--series '" + seriesId + "' is not in the data; it has " + ids));
    }
    if (series.size() != 1) {
      throw usage(
          "the data holds " + ids.size() + " series " + ids + "; choose one with --series ID");
    }
    return series.get(0);
  }

  private Trainer.Options trainerOptions() {
    try {
      return new Trainer.Options(
          "backtest",
          1,
          cell,
          hidden != null ? hidden : 16,
          layers,
          epochs != null ? epochs : 5,
          tbptt,
          holdout != null ? holdout : 0.1,
          learningRate != null ? learningRate : 0.003,
          seed);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** es-lstm's settings: the trainer's defaults for this horizon and season, then the options. */
  private HorizonTrainer.Options horizonOptions(int seasonUsed) {
    try {
      return HorizonTrainer.Options.defaults("backtest", horizon, seasonUsed)
          .with(hidden, layers, members, epochs, patience, holdout, learningRate, seed);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
