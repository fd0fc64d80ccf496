package dev.seqcast.cli;

import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.speech.LogMelFeatures;
import dev.seqcast.speech.train.AnchorVads;
import dev.seqcast.speech.train.SpeechBacktest;
import dev.seqcast.speech.train.SpeechCorpus;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options and run of {@code backtest --task speech}: frame F1, ROC-AUC, segment F1 and compute
 * per SNR on held-out voices and speakers, next to a tuned energy-threshold VAD and the Silero and
 * WebRTC VADs when Node.js is there; the work is in {@link SpeechBacktest} and {@link AnchorVads}.
 */
final class SpeechBacktestOptions {

  /** Held-out recordings when {@code --data} is not given. */
  static final Path DEFAULT_DATA = Path.of("data/speech/test");

  @Option(
      names = "--model",
      paramLabel = "BUNDLE",
      description = "speech: the tagger bundle (default: the bundled speech GRU).")
  Path model;

  @Option(
      names = "--train-data",
      paramLabel = "DIR",
      defaultValue = "data/speech/train",
      description = "speech: recordings the energy VAD's threshold is tuned on.")
  Path trainData;

  @Option(
      names = "--anchors",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "speech: also run Silero VAD and WebRTC VAD on the same recordings through"
              + " scripts/anchor-vads.mjs when node is on the PATH (default: yes; --no-anchors"
              + " skips them).")
  boolean anchors;

  @Option(
      names = "--anchor-cache",
      paramLabel = "DIR",
      defaultValue = "target/anchor-vads",
      description =
          "speech: where the anchors' npm packages are installed (once, npm install"
              + " --ignore-scripts) and their outputs written.")
  Path anchorCache;

  @Option(
      names = "--plot",
      paramLabel = "PNG",
      description =
          "speech: also draw one held-out recording with true and predicted tags (default:"
              + " none).")
  Path plot;

  @Option(
      names = "--plot-recording",
      paramLabel = "NAME",
      defaultValue = "es-m4-snr5",
      description = "speech: which recording --plot draws, file name without .wav.")
  String plotRecording;

  /** Runs the speech backtest on the held-out recordings in {@code data}. */
  int run(CommandLine cli, Path data) throws Exception {
    RecurrentModel tagger = RecurrentModel.from(load(cli));
    if (!LogMelFeatures.TRANSFORM.equals(tagger.normalisation().transform())
        || !tagger.head().isClassification()) {
      throw usage(cli, "--model " + model + " is not a speech tagger (see train --task speech)");
    }
    List<SpeechCorpus.Recording> test = InputFiles.corpus(cli, "--data", data);
    List<SpeechCorpus.Recording> train = InputFiles.corpus(cli, "--train-data", trainData);
    AnchorVads.Outcome outcome = AnchorVads.Outcome.notRun("skipped (--no-anchors)");
    if (anchors) {
      List<Path> wavs = new ArrayList<>(AnchorVads.files(trainData, train));
      wavs.addAll(AnchorVads.files(data, test));
      AnchorVads.Setup defaults = AnchorVads.Setup.defaults();
      PrintWriter err = cli.getErr();
      outcome =
          AnchorVads.run(
              wavs,
              new AnchorVads.Setup(defaults.script(), anchorCache, defaults.searchPath()),
              line -> {
                err.println("backtest speech: " + line);
                err.flush();
              });
    }
    SpeechBacktest.Report report = SpeechBacktest.run(tagger, train, test, outcome);
    PrintWriter console = cli.getOut();
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
              .orElseThrow(
                  () -> usage(cli, "--plot-recording " + plotRecording + " is not in " + data));
      SpeechBacktest.plot(tagger, chosen, report.energyThreshold(), plot);
      console.printf("plot of %s written to %s%n", chosen.name(), plot);
    }
    console.flush();
    return 0;
  }

  private ModelBundle load(CommandLine cli) throws Exception {
    if (model == null) {
      return BundledModels.speech(CellType.GRU);
    }
    return InputFiles.bundle(cli, "--model", model);
  }

  private static CommandLine.ParameterException usage(CommandLine cli, String message) {
    return new CommandLine.ParameterException(cli, message);
  }
}
