package dev.seqcast.cli;

import dev.seqcast.data.Series;
import dev.seqcast.data.SeriesCsv;
import dev.seqcast.kafka.ModelPublisher;
import dev.seqcast.model.BundleSigner;
import dev.seqcast.model.CellType;
import dev.seqcast.train.Trainer;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Trains a model offline from a CSV file and writes (and optionally publishes) its bundle. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description =
        "Train an LSTM or GRU one-step-ahead forecaster (DeepLearning4J; GRU through SameDiff) on"
            + " a CSV series, compare it on a held-out tail with the naive last-value forecast,"
            + " and write a model bundle.")
public final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "CSV",
      description = "Input CSV file with a header row and a date column.")
  Path data;

  @Option(
      names = "--column",
      defaultValue = "close",
      description = "Value column (default: ${DEFAULT-VALUE}).")
  String column;

  @Option(
      names = "--series-column",
      description = "Column holding series ids (e.g. symbol); default: the file is one series.")
  String seriesColumn;

  @Option(
      names = "--name",
      defaultValue = "sp500",
      description = "Model name (default: ${DEFAULT-VALUE}).")
  String name;

  @Option(
      names = "--model-version",
      defaultValue = "1",
      description =
          "Model version; publish a higher one to replace a running model (default: ${DEFAULT-VALUE}).")
  long version;

  @Option(
      names = "--cell",
      defaultValue = "lstm",
      description = "Recurrent cell: lstm or gru (default: ${DEFAULT-VALUE}).")
  String cell;

  @Option(
      names = "--hidden",
      defaultValue = "32",
      description = "Hidden units per layer (default: ${DEFAULT-VALUE}).")
  int hidden;

  @Option(
      names = "--layers",
      defaultValue = "1",
      description = "Stacked recurrent layers, 1 to 8 (default: ${DEFAULT-VALUE}).")
  int layers;

  @Option(
      names = "--epochs",
      defaultValue = "15",
      description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--tbptt",
      defaultValue = "50",
      description =
          "Truncated BPTT length for LSTM; GRU back-propagates through each whole training chunk"
              + " (default: ${DEFAULT-VALUE}).")
  int tbptt;

  @Option(
      names = "--holdout",
      defaultValue = "0.2",
      description =
          "Fraction of each series held out at its end for evaluation (default: ${DEFAULT-VALUE}).")
  double holdout;

  @Option(
      names = "--learning-rate",
      defaultValue = "0.001",
      description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
  double learningRate;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--out",
      defaultValue = "model.bundle",
      description = "Bundle file to write (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--sign-key",
      paramLabel = "KEY.pem",
      description =
          "Ed25519 private key (PKCS#8 PEM, e.g. from 'model keygen') to sign the bundle with;"
              + " the signed bundle is what is written and published (default: unsigned).")
  Path signKey;

  @Option(names = "--publish", description = "Also publish the bundle to the seqcast.models topic.")
  boolean publish;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "localhost:9092",
      description = "Kafka bootstrap servers for --publish (default: ${DEFAULT-VALUE}).")
  String bootstrapServers;

  @Override
  public Integer call() throws Exception {
    Trainer.Options options = options();
    if (!Files.isRegularFile(data)) {
      throw usage("--data '" + data + "' is not a readable file");
    }
    List<Series> series;
    try {
      series = SeriesCsv.load(data, column, seriesColumn, name);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage() + " (check --data, --column and --series-column)");
    }
    BundleSigner signer = KeyOptions.signer(spec.commandLine(), signKey);
    PrintWriter console = spec.commandLine().getOut();
    Progress progress = new Progress(console, "training");
    long started = System.nanoTime();
    Trainer.Result result =
        Trainer.train(
            series,
            Map.of("data", data.getFileName().toString(), "column", column),
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
    if (publish) {
      ModelPublisher.publish(bootstrapServers, ModelPublisher.key(name, version), bundle);
      console.printf("published %s to %s%n", ModelPublisher.key(name, version), bootstrapServers);
    }
    console.flush();
    return 0;
  }

  private Trainer.Options options() {
    CellType cellType;
    try {
      cellType = CellType.parse(cell);
    } catch (IllegalArgumentException e) {
      throw usage("--cell must be one of: lstm, gru (was '" + cell + "')");
    }
    if (version < 1) {
      throw usage("--model-version must be at least 1, was " + version);
    }
    if (name.isBlank() || name.contains("/")) {
      throw usage("--name must be non-empty and must not contain '/'");
    }
    try {
      return new Trainer.Options(
          name, version, cellType, hidden, layers, epochs, tbptt, holdout, learningRate, seed);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
