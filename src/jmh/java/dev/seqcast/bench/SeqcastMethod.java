package dev.seqcast.bench;

import dev.seqcast.forecast.train.ForecastMethod;
import dev.seqcast.forecast.train.RecurrentMethod;
import dev.seqcast.forecast.train.Trainer;
import dev.seqcast.model.CellType;
import dev.seqcast.train.EpochListener;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The forecaster {@code bench accuracy} scores as "seqcast", and its options: the one place that
 * chooses it. Today it is the LSTM of {@link RecurrentMethod}, trained afresh per fold by {@link
 * Trainer} and run through the streaming kernel. The defaults (8 epochs per fold) are set so the
 * whole suite finishes in bounded time on two cores: 4 minutes when they are quiet, under 20 when
 * other builds load them (docs/accuracy.md); they are the same for every series, nothing is tuned
 * per series.
 */
public final class SeqcastMethod {

  @Option(
      names = "--epochs",
      defaultValue = "8",
      description = "Training epochs per fold of the seqcast method.")
  int epochs;

  @Option(names = "--hidden", defaultValue = "16", description = "Hidden units per layer.")
  int hidden;

  @Option(names = "--layers", defaultValue = "1", description = "Stacked recurrent layers.")
  int layers;

  @Option(names = "--tbptt", defaultValue = "50", description = "Truncated BPTT length.")
  int tbptt;

  @Option(names = "--learning-rate", defaultValue = "0.003", description = "Adam learning rate.")
  double learningRate;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed of every fold's fit.")
  long seed;

  /** Share of each fold's window the trainer keeps out of the fit for its own check. */
  private static final double HOLDOUT = 0.1;

  /**
   * The trainer's settings.
   *
   * @throws IllegalArgumentException when an option is out of range
   */
  Trainer.Options options() {
    return options("accuracy");
  }

  private Trainer.Options options(String modelName) {
    return new Trainer.Options(
        modelName, 1, CellType.LSTM, hidden, layers, epochs, tbptt, HOLDOUT, learningRate, seed);
  }

  /**
   * A fresh method for the series {@code series} (its name appears in a refusal), telling {@code
   * listener} after each epoch of each fold.
   */
  ForecastMethod create(String series, EpochListener listener) {
    // A model name may not hold '/', which separates name and version on the models topic.
    return new RecurrentMethod(options(series.replace('/', '.')), listener);
  }

  /** The fewest training points a fold must have for the method. */
  int minimumTrain() {
    return Trainer.minimumPoints(options());
  }

  /** What the method is, for the report. */
  String describe() {
    return String.format(
        "lstm (RecurrentMethod): hidden %d, %d layer(s), %d epochs per fold, tbptt %d, learning"
            + " rate %s, seed %d",
        hidden, layers, epochs, tbptt, learningRate, seed);
  }

  /** The settings, for the JSON. */
  Map<String, Object> params() {
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("method", "lstm");
    params.put("hidden", hidden);
    params.put("layers", layers);
    params.put("epochs", epochs);
    params.put("tbptt", tbptt);
    params.put("learningRate", learningRate);
    params.put("seed", seed);
    return params;
  }
}
