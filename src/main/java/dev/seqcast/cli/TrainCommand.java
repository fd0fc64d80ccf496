package dev.seqcast.cli;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.train.Backtest;
import dev.seqcast.forecast.train.HorizonMethod;
import dev.seqcast.forecast.train.HorizonTrainer;
import dev.seqcast.forecast.train.Trainer;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.BundleSigner;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.SmoothingSpec;
import dev.seqcast.speech.SpeechApp;
import dev.seqcast.speech.train.SpeechCorpus;
import dev.seqcast.speech.train.SpeechTrainer;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.TopicNames;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains a model offline from a CSV file or from the history of the ticks topic, and writes (and
 * optionally publishes) its bundle.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train a forecaster on a CSV series or the history of the ticks topic and write a model"
            + " bundle: the LSTM or GRU one-step-ahead log-return forecaster (DeepLearning4J;"
            + " GRU through SameDiff), compared on a held-out tail with the naive last-value"
            + " forecast, or with --neural es-lstm the smoothed multi-horizon forecaster.")
public final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--task",
      defaultValue = "forecast",
      description =
          "What to train: forecast (one-step-ahead forecaster on series) or speech (frame tagger"
              + " on a speech corpus directory, e.g. --data data/speech/train).")
  String task;

  /**
   * Where the history comes from: a file or a ticks topic, exactly one. Picocli refuses both on the
   * command line; a value from the environment fills the group when neither is given.
   */
  static final class Source {
    @Option(
        names = "--data",
        paramLabel = "CSV|DIR",
        description =
            "Input CSV file with a header row and a date column (or --from-topic); with"
                + " --task speech, a directory of corpus recordings (WAV + .tags + .segments.csv).")
    Path data;

    @Option(
        names = "--from-topic",
        paramLabel = "TOPIC",
        description =
            "Train on the history of this ticks topic (e.g. seqcast.ticks) instead of --data: one"
                + " bounded read up to --until, skipping what the predictor would dead-letter.")
    String fromTopic;

    /** A source given on the command line beats the other one's environment variable. */
    void settle(CommandLine.ParseResult given) {
      if (given.hasMatchedOption("--from-topic")) {
        data = null;
      }
      if (given.hasMatchedOption("--data")) {
        fromTopic = null;
      }
    }
  }

  @CommandLine.ArgGroup(exclusive = true)
  Source source = new Source();

  @Option(
      names = "--neural",
      defaultValue = "one-step",
      description =
          "With --task forecast: one-step (the log-return LSTM or GRU; the predictor rolls its"
              + " forecasts forward for later horizons) or es-lstm (per-series exponential"
              + " smoothing beneath a global LSTM whose head emits horizons 1..--horizon at once;"
              + " zeros and negatives allowed).")
  String neural;

  @Option(
      names = "--horizon",
      defaultValue = "6",
      description = "es-lstm: horizons 1..H the head emits; serve --horizon may not exceed it.")
  int horizon;

  @Option(
      names = "--season",
      defaultValue = "0",
      description =
          "es-lstm: observations per seasonal cycle; 0 = from the data's spacing (hourly 24,"
              + " daily 7, business days 5, weekly 52, monthly 12, quarterly 4, else 1 = none).")
  int season;

  @Option(
      names = "--members",
      description =
          "es-lstm: networks trained from consecutive seeds whose mean is the model"
              + " (default: 3).")
  Integer members;

  @Option(
      names = "--patience",
      description =
          "es-lstm: epochs without a better validation score before training stops"
              + " (default: 6).")
  Integer patience;

  @Option(
      names = "--sequence",
      defaultValue = "200",
      description = "With --task speech: frames (10 ms each) per training sequence.")
  int sequence;

  @Option(
      names = "--batch",
      defaultValue = "32",
      description = "With --task speech: sequences per minibatch.")
  int batch;

  @Option(
      names = "--until",
      paramLabel = "BOUND",
      description =
          "Where the --from-topic read stops: a time, ISO-8601 (2024-05-01T00:00:00Z, or a date"
              + " for midnight UTC) or epoch ms, compared with record timestamps; or exclusive end"
              + " offsets of every partition, PARTITION:OFFSET,... (e.g. 0:1200,1:980)"
              + " (default: the end of each partition when the read starts).")
  String until;

  @Option(
      names = "--series",
      paramLabel = "REGEX",
      description =
          "With --from-topic, train only on series whose whole id matches this regular"
              + " expression (default: every series).")
  String seriesRegex;

  @Option(names = "--column", defaultValue = "close", description = "Value column.")
  String column;

  @Option(
      names = "--series-column",
      description = "Column holding series ids (e.g. symbol); default: the file is one series.")
  String seriesColumn;

  @Option(names = "--name", defaultValue = "sp500", description = "Model name.")
  String name;

  @Option(
      names = "--model-version",
      defaultValue = "1",
      description = "Model version; publish a higher one to replace a running model.")
  long version;

  @Option(names = "--cell", defaultValue = "lstm", description = "Recurrent cell: lstm or gru.")
  CellType cell;

  @Option(names = "--hidden", defaultValue = "32", description = "Hidden units per layer.")
  int hidden;

  @Option(names = "--layers", defaultValue = "1", description = "Stacked recurrent layers, 1 to 8.")
  int layers;

  @Option(
      names = "--epochs",
      defaultValue = "15",
      description = "Training epochs; es-lstm: the most before early stopping (default there: 40).")
  int epochs;

  @Option(
      names = "--tbptt",
      defaultValue = "50",
      description =
          "Truncated BPTT length for LSTM; GRU back-propagates through each whole training chunk.")
  int tbptt;

  @Option(
      names = "--holdout",
      defaultValue = "0.2",
      description =
          "Fraction of each series held out at its end for evaluation; es-lstm: for early"
              + " stopping (default there: 0.15).")
  double holdout;

  @Option(
      names = "--learning-rate",
      defaultValue = "0.001",
      description = "Adam learning rate (default for es-lstm: 0.02).")
  double learningRate;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed.")
  long seed;

  @Option(names = "--out", defaultValue = "model.bundle", description = "Bundle file to write.")
  Path out;

  @Option(
      names = "--sign-key",
      paramLabel = "KEY.pem",
      description =
          "Ed25519 private key (PKCS#8 PEM, e.g. from 'model keygen') to sign the bundle with;"
              + " the signed bundle is what is written and published (default: unsigned).")
  Path signKey;

  @Option(
      names = "--publish",
      description = "Also publish the bundle to the models topic (--models-topic).")
  boolean publish;

  /** Kafka, for --from-topic and --publish. */
  @CommandLine.Mixin ConnectionOptions kafka;

  /** Where series id, value and event time are in topic records (with a topic source). */
  @CommandLine.Mixin TickMappingOptions tickMapping;

  /** The models topic --publish writes to; --from-topic names the topic it reads itself. */
  @CommandLine.Mixin TopicOptions topics;

  /** Set by {@link #call}: the topic names the options give. */
  private TopicNames names;

  @Override
  public Integer call() throws Exception {
    source.settle(spec.commandLine().getParseResult());
    names = topics.names(spec.commandLine());
    if ("speech".equals(task)) {
      return trainSpeech();
    }
    if (!"forecast".equals(task)) {
      throw usage("--task must be forecast or speech (was '" + task + "')");
    }
    if (neural.equals(HorizonMethod.NAME)) {
      return trainSmoothed();
    }
    if (!neural.equals("one-step")) {
      throw usage("--neural must be one-step or es-lstm (was '" + neural + "')");
    }
    if (given("--horizon", "--season", "--members", "--patience")) {
      throw usage("--horizon, --season, --members and --patience apply to --neural es-lstm only");
    }
    Trainer.Options options = options();
    checkSource();
    BundleSigner signer = KeyOptions.signer(spec.commandLine(), signKey);
    PrintWriter console = spec.commandLine().getOut();
    Map<String, Object> dataFacts = new LinkedHashMap<>();
    List<Series> series = loadSeries(Trainer.minimumPoints(options), false, dataFacts);
    Progress progress = new Progress(spec.commandLine().getErr(), "training");
    long started = System.nanoTime();
    Trainer.Result result =
        Trainer.train(
            series,
            dataFacts,
            options,
            (epoch, total, loss) ->
                progress.update(epoch, total, String.format("loss %.4f", loss)));
    byte[] bundle =
        signer == null ? result.bundle().encode() : signer.sign(result.bundle().encode());
    Files.write(out, bundle);
    double seconds = (System.nanoTime() - started) / 1e9;
    console.printf(
        "%nmodel %s v%d (%s, %d x hidden %d, %,d weights) written to %s%n",
        name,
        version,
        options.cell().wireName(),
        layers,
        hidden,
        result.bundle().header().weightCount(),
        out);
    console.printf(
        "  %-28s %s%n", "signature", signer == null ? "unsigned" : "signed by " + signer.keyId());
    console.printf(
        "  %-28s %,d train / %,d holdout%n", "rows", result.trainRows(), result.holdoutRows());
    console.printf("  %-28s %.4f%n", "holdout MAE, model", result.modelMae());
    console.printf("  %-28s %.4f%n", "holdout MAE, naive (last)", result.naiveMae());
    console.printf(
        "  %-28s %.4f (< 1 beats naive)%n",
        "ratio model/naive", result.modelMae() / result.naiveMae());
    console.printf("  %-28s %.3f%n", "directional accuracy", result.directionalAccuracy());
    console.printf("  %-28s %.1f s%n", "elapsed", seconds);
    publishIfAsked(bundle, name, console);
    console.flush();
    return 0;
  }

  /** Publishes {@code bundle} under {@code <model>/<version>} when --publish is given. */
  private void publishIfAsked(byte[] bundle, String model, PrintWriter console) throws Exception {
    if (publish) {
      KafkaConnection connection = kafka.connection(spec.commandLine());
      String models = names.models();
      ModelPublisher.publish(connection, models, ModelPublisher.key(model, version), bundle);
      console.printf(
          "published %s to %s on %s%n",
          ModelPublisher.key(model, version), models, connection.bootstrapServers());
    }
  }

  /** True when any of {@code options} was given (command line or environment). */
  private boolean given(String... options) {
    for (String option : options) {
      if (EnvironmentDefaults.isGiven(spec.commandLine(), option)) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code --neural es-lstm}: the smoothed multi-horizon forecaster ({@link HorizonTrainer}), with
   * the trainer's defaults for the horizon and season unless an option says otherwise.
   */
  private int trainSmoothed() throws Exception {
    options(); // name and version rules are shared
    if (cell != CellType.LSTM) {
      throw usage("es-lstm is an LSTM; --cell " + cell.wireName() + " needs --neural one-step");
    }
    if (given("--tbptt")) {
      throw usage("--tbptt applies to --neural one-step only");
    }
    if (horizon < 1 || season < 0) {
      throw usage("--horizon must be at least 1 and --season at least 0");
    }
    checkSource();
    BundleSigner signer = KeyOptions.signer(spec.commandLine(), signKey);
    PrintWriter console = spec.commandLine().getOut();
    Map<String, Object> dataFacts = new LinkedHashMap<>();
    // The points a series needs depend on the season, which may come from the data: the read
    // asks for what --season (or none) needs, and the trainer checks again with the season.
    List<Series> series =
        loadSeries(
            HorizonTrainer.minimumPoints(smoothedOptions(Math.max(season, 1))), true, dataFacts);
    int seasonUsed = season > 0 ? season : Backtest.seasonFromSpacing(series.get(0).timestamps());
    HorizonTrainer.Options options = smoothedOptions(seasonUsed);
    Progress progress = new Progress(spec.commandLine().getErr(), "training");
    long started = System.nanoTime();
    HorizonTrainer.Result result;
    try {
      result =
          HorizonTrainer.train(
              series,
              dataFacts,
              options,
              (epoch, total, loss) ->
                  progress.update(epoch, total, String.format("loss %.4f", loss)));
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage() + " (check --data, --horizon and --season)");
    }
    ModelBundle trained = result.bundle();
    byte[] bundle = signer == null ? trained.encode() : signer.sign(trained.encode());
    Files.write(out, bundle);
    SmoothingSpec smoothing = trained.header().smoothing();
    console.printf(
        "%nmodel %s v%d (es-lstm, %d x hidden %d, %,d weights, horizons 1..%d) written to %s%n",
        name,
        version,
        trained.header().layers(),
        trained.header().hiddenSize(),
        trained.header().weightCount(),
        smoothing.horizon(),
        out);
    console.printf(
        "  %-28s %s%n", "signature", signer == null ? "unsigned" : "signed by " + signer.keyId());
    console.printf(
        "  %-28s %s, season %d, level %.3g, trend %.3g, damping %.3g, seasonal %.3g%n",
        "smoothing",
        smoothing.transform().wireName(),
        smoothing.season(),
        smoothing.level(),
        smoothing.trend(),
        smoothing.damping(),
        smoothing.seasonal());
    console.printf(
        "  %-28s %d of %d (0: the smoothing alone)%n",
        "members kept", result.membersKept(), options.members());
    console.printf("  %-28s %.4f%n", "validation error, model", result.validationError());
    console.printf("  %-28s %.4f%n", "validation error, smoothing", result.smoothingError());
    console.printf("  %-28s (mean absolute error over horizons, in seasonal-naive units)%n", "");
    console.printf("  %-28s %d%n", "epochs", result.epochs());
    console.printf("  %-28s %.1f s%n", "elapsed", (System.nanoTime() - started) / 1e9);
    publishIfAsked(bundle, name, console);
    console.flush();
    return 0;
  }

  /** HorizonTrainer's defaults for the horizon and {@code seasonUsed}, then the options given. */
  private HorizonTrainer.Options smoothedOptions(int seasonUsed) {
    HorizonTrainer.Options d = HorizonTrainer.Options.defaults(name, horizon, seasonUsed);
    try {
      return new HorizonTrainer.Options(
          name,
          version,
          d.horizon(),
          d.season(),
          given("--hidden") ? hidden : d.hiddenSize(),
          layers,
          d.window(),
          d.batch(),
          members != null ? members : d.members(),
          given("--epochs") ? epochs : d.maxEpochs(),
          patience != null ? patience : d.patience(),
          given("--holdout") ? holdout : d.validation(),
          given("--learning-rate") ? learningRate : d.learningRate(),
          seed);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  /** {@code --task speech}: a frame tagger on a corpus directory. */
  private int trainSpeech() throws Exception {
    if (source.fromTopic != null || until != null || seriesRegex != null) {
      throw usage("--task speech trains on a corpus directory: give --data DIR, not --from-topic");
    }
    if (source.data == null || !Files.isDirectory(source.data)) {
      throw usage(
          "--task speech needs --data DIR, a directory of corpus recordings (e.g."
              + " data/speech/train); was "
              + source.data);
    }
    Trainer.Options checked = options(); // cell, version and name rules are shared
    String modelName =
        EnvironmentDefaults.isGiven(spec.commandLine(), "--name") ? name : SpeechApp.MODEL_NAME;
    SpeechTrainer.Options options;
    try {
      options =
          new SpeechTrainer.Options(
              modelName,
              version,
              checked.cell(),
              hidden,
              layers,
              epochs,
              sequence,
              batch,
              learningRate,
              seed);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    BundleSigner signer = KeyOptions.signer(spec.commandLine(), signKey);
    PrintWriter console = spec.commandLine().getOut();
    List<SpeechCorpus.Recording> recordings =
        InputFiles.corpus(spec.commandLine(), "--data", source.data);
    Progress progress = new Progress(spec.commandLine().getErr(), "training");
    long started = System.nanoTime();
    SpeechTrainer.Result result =
        SpeechTrainer.train(
            recordings,
            source.data.getFileName().toString(),
            options,
            (epoch, total, loss) ->
                progress.update(epoch, total, String.format("loss %.4f", loss)));
    byte[] bundle =
        signer == null ? result.bundle().encode() : signer.sign(result.bundle().encode());
    Files.write(out, bundle);
    console.printf(
        "%nspeech model %s v%d (%s, %d x hidden %d, %,d weights, classes %s) written to %s%n",
        modelName,
        version,
        options.cell().wireName(),
        layers,
        hidden,
        result.bundle().header().weightCount(),
        result.bundle().header().head().classes(),
        out);
    console.printf(
        "  %-28s %s%n", "signature", signer == null ? "unsigned" : "signed by " + signer.keyId());
    console.printf(
        "  %-28s %,d in %d recordings%n", "training frames", result.frames(), recordings.size());
    console.printf("  %-28s %.3f%n", "frame accuracy (training)", result.accuracy());
    console.printf("  %-28s %.1f s%n", "elapsed", (System.nanoTime() - started) / 1e9);
    console.printf(
        "  evaluate on held-out voices: seqcast backtest --task speech --model %s%n", out);
    publishIfAsked(bundle, modelName, console);
    console.flush();
    return 0;
  }

  /** Exactly one source of history, and only the options that apply to it. */
  private void checkSource() {
    if ((source.data == null) == (source.fromTopic == null)) {
      throw usage(
          source.data == null
              ? "give the training history: --data CSV for a file, or --from-topic TOPIC"
              : "--data and --from-topic are mutually exclusive: give one source of history");
    }
    CommandLine.ParseResult given = spec.commandLine().getParseResult();
    if (source.fromTopic == null && (until != null || seriesRegex != null)) {
      throw usage("--until and --series apply to --from-topic only, not to --data");
    }
    if (source.fromTopic != null
        && (given.hasMatchedOption("--column") || given.hasMatchedOption("--series-column"))) {
      throw usage("--column and --series-column apply to --data only, not to --from-topic");
    }
  }

  private Trainer.Options options() {
    if (version < 1) {
      throw usage("--model-version must be at least 1, was " + version);
    }
    if (name.isBlank() || name.contains("/")) {
      throw usage("--name must be non-empty and must not contain '/'");
    }
    try {
      return new Trainer.Options(
          name, version, cell, hidden, layers, epochs, tbptt, holdout, learningRate, seed);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /**
   * The training series, from the ticks topic (those with at least {@code minimumPoints}) or the
   * CSV file (with its gaps when {@code gaps}, else refusing them); what they are goes into {@code
   * dataFacts}.
   */
  private List<Series> loadSeries(int minimumPoints, boolean gaps, Map<String, Object> dataFacts)
      throws Exception {
    if (source.fromTopic != null) {
      TopicOptions.requireValid(spec.commandLine(), "--from-topic", source.fromTopic);
      TopicTrainingData.Loaded loaded =
          TopicTrainingData.load(
              kafka.connection(spec.commandLine()),
              source.fromTopic,
              until,
              seriesRegex,
              minimumPoints,
              tickMapping.mapping(spec.commandLine()),
              spec.commandLine());
      dataFacts.putAll(loaded.facts());
      return loaded.series();
    }
    if (!Files.isRegularFile(source.data)) {
      throw usage("--data '" + source.data + "' is not a readable file");
    }
    String check = "--data, --column and --series-column";
    List<Series> series =
        gaps
            ? InputFiles.seriesWithGaps(
                spec.commandLine(), source.data, column, seriesColumn, name, check)
            : InputFiles.seriesWithoutGaps(
                spec.commandLine(), source.data, column, seriesColumn, name, check);
    dataFacts.put("data", source.data.getFileName().toString());
    dataFacts.put("column", column);
    return series;
  }
}
