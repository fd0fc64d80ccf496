package dev.seqcast.bench;

import dev.seqcast.forecast.train.ForecastMethod;
import dev.seqcast.forecast.train.HorizonMethod;
import dev.seqcast.forecast.train.HorizonTrainer;
import dev.seqcast.train.EpochListener;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The forecaster {@code bench accuracy} scores as "seqcast", and its options: the one place that
 * chooses it. It is the smoothed multi-horizon forecaster ({@link HorizonMethod}, es-lstm), trained
 * afresh per fold by {@link HorizonTrainer} on the fold's window and run through the streaming
 * forecaster. Every setting left unset is the trainer's default for the series' horizon and season
 * ({@link HorizonTrainer.Options#defaults}), the same for every series: nothing is tuned per
 * series.
 */
public final class SeqcastMethod {

  @Option(
      names = "--epochs",
      description = "Most training epochs per member before early stopping (default: 40).")
  Integer epochs;

  @Option(
      names = "--patience",
      description = "Epochs without a better validation score before a member stops (default: 6).")
  Integer patience;

  @Option(names = "--members", description = "Networks whose mean is the model (default: 3).")
  Integer members;

  @Option(names = "--hidden", description = "Hidden units per member (default: 32).")
  Integer hidden;

  @Option(names = "--learning-rate", description = "Adam learning rate (default: 0.02).")
  Double learningRate;

  @Option(names = "--seed", description = "Random seed of every fold's fit (default: 42).")
  Long seed;

  /**
   * The trainer's settings for a series of {@code horizon} and {@code season}.
   *
   * @throws IllegalArgumentException when an option is out of range
   */
  HorizonTrainer.Options options(String modelName, int horizon, int season) {
    return HorizonTrainer.Options.defaults(modelName, horizon, season)
        .with(hidden, null, members, epochs, patience, null, learningRate, seed);
  }

  /** Checks the options once, before any series is loaded. */
  void validate() {
    options("accuracy", 1, 1);
  }

  /**
   * A fresh method for the series {@code series} (its name appears in a refusal), telling {@code
   * listener} after each epoch of each fold; with a {@code panel}, the method trains on the panel
   * as one global model (the series being its member {@code member}), the model named after the
   * panel so that the panel's series share each training.
   */
  ForecastMethod create(
      String series,
      HorizonMethod.Panel panel,
      String member,
      int horizon,
      int season,
      EpochListener listener) {
    // A model name may not hold '/', which separates name and version on the models topic.
    if (panel == null) {
      return new HorizonMethod(options(series.replace('/', '.'), horizon, season), listener);
    }
    return new HorizonMethod(
        options(panel.name().replace('/', '.'), horizon, season), listener, panel, member);
  }

  /** The fewest training points a fold must have for the method. */
  int minimumTrain(int horizon, int season) {
    return HorizonTrainer.minimumPoints(options("accuracy", horizon, season));
  }

  /** What the method is, for the report. */
  String describe() {
    HorizonTrainer.Options d = options("accuracy", 1, 1);
    return String.format(
        "es-lstm (HorizonMethod): per-series exponential smoothing beneath %d LSTM member(s) of %d"
            + " units emitting horizons 1..H at once, at most %d epochs per member with patience"
            + " %d, learning rate %s, seed %d",
        d.members(), d.hiddenSize(), d.maxEpochs(), d.patience(), d.learningRate(), d.seed());
  }

  /** The settings, for the JSON. */
  Map<String, Object> params() {
    HorizonTrainer.Options d = options("accuracy", 1, 1);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("method", HorizonMethod.NAME);
    params.put("members", d.members());
    params.put("hidden", d.hiddenSize());
    params.put("layers", d.layers());
    params.put("maxEpochs", d.maxEpochs());
    params.put("patience", d.patience());
    params.put("validation", d.validation());
    params.put("learningRate", d.learningRate());
    params.put("seed", d.seed());
    return params;
  }
}
