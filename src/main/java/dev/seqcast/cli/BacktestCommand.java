package dev.seqcast.cli;

import dev.seqcast.model.BundleException;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.speech.LogMelFeatures;
import dev.seqcast.speech.SpeechBacktest;
import dev.seqcast.speech.SpeechCorpus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Offline evaluation; the work is in {@link SpeechBacktest}. */
@Command(
    name = "backtest",
    mixinStandardHelpOptions = true,
    description =
        "Evaluate a model offline. --task speech: frame and segment F1 per SNR on held-out voices"
            + " against a tuned energy-threshold VAD, throughput and per-frame compute time.")
public final class BacktestCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--task",
      defaultValue = "speech",
      description = "What to evaluate: speech (default: ${DEFAULT-VALUE}).")
  String task;

  @Option(
      names = "--model",
      paramLabel = "BUNDLE",
      description = "Speech model bundle (default: the bundled speech GRU).")
  Path model;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "data/speech/test",
      description = "Held-out recordings (default: ${DEFAULT-VALUE}).")
  Path data;

  @Option(
      names = "--train-data",
      paramLabel = "DIR",
      defaultValue = "data/speech/train",
      description =
          "Recordings the energy VAD's threshold is tuned on (default: ${DEFAULT-VALUE}).")
  Path trainData;

  @Option(
      names = "--plot",
      paramLabel = "PNG",
      description =
          "Also draw one held-out recording with true and predicted tags (default: none).")
  Path plot;

  @Option(
      names = "--plot-recording",
      paramLabel = "NAME",
      defaultValue = "es-m4-snr5",
      description =
          "Which recording --plot draws, file name without .wav (default: ${DEFAULT-VALUE}).")
  String plotRecording;

  @Override
  public Integer call() throws Exception {
    if (!"speech".equals(task)) {
      throw usage("--task must be speech (was '" + task + "')");
    }
    RecurrentModel tagger = RecurrentModel.from(load());
    if (!LogMelFeatures.TRANSFORM.equals(tagger.normalisation().transform())
        || !tagger.head().isClassification()) {
      throw usage("--model " + model + " is not a speech tagger (see train --task speech)");
    }
    List<SpeechCorpus.Recording> test = corpus(data, "--data");
    List<SpeechCorpus.Recording> train = corpus(trainData, "--train-data");
    SpeechBacktest.Report report = SpeechBacktest.run(tagger, train, test);
    PrintWriter console = spec.commandLine().getOut();
    console.printf(
        "speech backtest: model %s v%d (%s, hidden %d) on %d held-out recordings in %s%n%n",
        tagger.name(),
        tagger.version(),
        tagger.cell().wireName(),
        tagger.hiddenSize(),
        test.size(),
        data);
    console.print(report.markdown());
    if (plot != null) {
      SpeechCorpus.Recording chosen =
          test.stream()
              .filter(r -> r.name().equals(plotRecording))
              .findFirst()
              .orElseThrow(() -> usage("--plot-recording " + plotRecording + " is not in " + data));
      SpeechBacktest.plot(tagger, chosen, report.energyThreshold(), plot);
      console.printf("plot of %s written to %s%n", chosen.name(), plot);
    }
    console.flush();
    return 0;
  }

  private ModelBundle load() throws Exception {
    if (model == null) {
      return BundledModels.speech(CellType.GRU);
    }
    if (!Files.isRegularFile(model)) {
      throw usage("--model '" + model + "' is not a readable file");
    }
    try {
      return ModelBundle.decode(Files.readAllBytes(model));
    } catch (BundleException e) {
      throw usage("--model " + model + " is not a valid bundle: " + e.getMessage());
    }
  }

  private List<SpeechCorpus.Recording> corpus(Path dir, String option) throws Exception {
    try {
      return SpeechCorpus.load(dir);
    } catch (IllegalArgumentException e) {
      throw usage(option + ": " + e.getMessage());
    }
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
