package dev.seqcast.forecast.train;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.ExponentialSmoothing;
import dev.seqcast.model.HorizonForecaster;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.train.EpochListener;
import java.util.List;
import java.util.Map;

/**
 * The smoothed multi-horizon forecaster as a {@link ForecastMethod}: each fold trains a fresh model
 * with {@link HorizonTrainer} on the fold's window (which keeps the window's last part for early
 * stopping), then runs it as the stream does, through {@link HorizonForecaster}: both states are
 * warmed over the window tick by tick, each observed value steps them, and horizons 1..H are read
 * off the head at once.
 */
public final class HorizonMethod implements ForecastMethod {

  /** The name in backtest tables. */
  public static final String NAME = "es-lstm";

  private final HorizonTrainer.Options options;
  private final EpochListener listener;

  /**
   * @param options training settings for every fold (their horizon must cover the backtest's)
   * @param listener told after each epoch of each fold
   */
  public HorizonMethod(HorizonTrainer.Options options, EpochListener listener) {
    this.options = options;
    this.listener = listener;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Fitted fit(long[] timestamps, double[] window) {
    HorizonTrainer.Result trained =
        HorizonTrainer.train(
            List.of(new Series(options.name(), timestamps, window)),
            Map.of("data", "backtest fold"),
            options,
            listener);
    HorizonForecaster forecaster = new HorizonForecaster(RecurrentModel.from(trained.bundle()));
    float[] recurrent = forecaster.newRecurrentState();
    ExponentialSmoothing.State smoothing = forecaster.newSmoothingState();
    for (int t = 0; t < window.length; t++) {
      forecaster.observe(recurrent, smoothing, window[t], timestamps[t], null);
    }
    long[] last = {timestamps[timestamps.length - 1]};
    long spacing = forecaster.inputs().spec().spacingMillis();
    return new Fitted() {
      @Override
      public void forecast(double[] forecasts) {
        forecaster.forecast(recurrent, smoothing, forecasts);
      }

      @Override
      public void observe(long timestamp, double value) {
        forecaster.observe(recurrent, smoothing, value, timestamp, null);
        last[0] = timestamp;
      }

      @Override
      public void observe(double value) {
        observe(last[0] + spacing, value);
      }

      @Override
      public double errorScale() {
        return forecaster.errorScale(smoothing);
      }
    };
  }
}
