package dev.seqcast.forecast.train;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.FeatureTransform;
import dev.seqcast.model.Forecaster;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.train.EpochListener;
import java.util.List;
import java.util.Map;

/**
 * The neural forecaster as a {@link ForecastMethod}: each fold trains a fresh model with {@link
 * Trainer} on the fold's window (the trainer keeps the window's last {@code holdout} share out of
 * the fit for its own report), then runs it exactly as the stream does, through {@link Forecaster}
 * and seqcast's own kernel: the state is warmed over the window, stepped on each observed value,
 * and multi-step forecasts roll a copy of it forward.
 */
public final class RecurrentMethod implements ForecastMethod {

  private final Trainer.Options options;
  private final EpochListener listener;

  /**
   * @param options training settings for every fold
   * @param listener told after each epoch of each fold
   */
  public RecurrentMethod(Trainer.Options options, EpochListener listener) {
    this.options = options;
    this.listener = listener;
  }

  @Override
  public String name() {
    return options.cell().wireName();
  }

  @Override
  public Fitted fit(long[] timestamps, double[] window) {
    Trainer.Result trained =
        Trainer.train(
            List.of(new Series(options.name(), timestamps, window)),
            Map.of("data", "backtest fold"),
            options,
            listener);
    Forecaster forecaster = new Forecaster(RecurrentModel.from(trained.bundle()));
    float[] state = forecaster.newRecurrentState();
    FeatureTransform.State features = forecaster.transform().newState();
    for (double value : window) {
      forecaster.observe(state, features, value);
    }
    return new Fitted() {
      @Override
      public void forecast(double[] forecasts) {
        forecaster.rollForward(state, features, forecasts);
      }

      @Override
      public void observe(double value) {
        forecaster.observe(state, features, value);
      }
    };
  }
}
