package dev.seqcast.forecast;

import dev.seqcast.model.AnomalyScore;
import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.FeatureTransform;
import dev.seqcast.model.Forecaster;
import dev.seqcast.model.HorizonForecaster;
import dev.seqcast.model.RecurrentModel;

/**
 * What an accepted value does to a series' state under its live model, in one place for the
 * predictor and the offline anomaly evaluation ({@code bench anomalies}), so what is measured
 * offline is what runs live:
 *
 * <ol>
 *   <li>score the forecast made at the previous value: residual = value − forecast, judged against
 *       the interval that forecast carried ({@link AnomalyScore});
 *   <li>add the residual to the series' residual ring, which calibrates the next interval ({@link
 *       ConformalInterval}); under a smoothed model the ring holds residuals divided by the error
 *       scale of the forecast they scored ({@link HorizonForecaster#errorScale}), and the interval
 *       is their quantile times the current scale, so it widens with the series' volatility at once
 *       instead of a window of residuals behind;
 *   <li>advance the series' states by one tick and forecast: a one-step model ({@link Forecaster})
 *       steps its recurrent and transform state once and forecasts the next value, rolling a copy
 *       forward for later horizons; a smoothed multi-horizon model ({@link HorizonForecaster})
 *       observes the tick into its recurrent and smoothing state (stepping over a gap by its rule)
 *       and reads every horizon off its head.
 * </ol>
 *
 * The figures of the last {@link #apply} are read through the accessors. Confined to one thread
 * (one stream task) like the forecaster and calibrator it holds; {@link #apply} allocates nothing
 * beyond what reading the transform state does, unless the residual window changed.
 */
public final class SeriesUpdate {

  private final Forecaster forecaster;
  private final HorizonForecaster horizonForecaster;
  private final double[] headForecasts;
  private final ConformalInterval intervals;
  private double forecastForValue;
  private double halfWidthForValue;
  private double residual;
  private double score;
  private double forecast;
  private double halfWidth;

  /** Updates series with {@code forecaster}'s model and {@code intervals}' calibration. */
  public SeriesUpdate(Forecaster forecaster, ConformalInterval intervals) {
    this.forecaster = forecaster;
    this.horizonForecaster = null;
    this.headForecasts = null;
    this.intervals = intervals;
  }

  /** Updates series with a smoothed multi-horizon model and {@code intervals}' calibration. */
  public SeriesUpdate(HorizonForecaster forecaster, ConformalInterval intervals) {
    this.forecaster = null;
    this.horizonForecaster = forecaster;
    this.headForecasts = new double[forecaster.horizon()];
    this.intervals = intervals;
  }

  /**
   * A state for a new series, already belonging to this update's model (as the predictor's re-warm
   * over an empty ring leaves it), keeping the last {@code ringCapacity} values.
   */
  public SeriesState newSeries(int ringCapacity) {
    SeriesState state = new SeriesState(ringCapacity, intervals.window());
    if (horizonForecaster != null) {
      state.recurrent = horizonForecaster.newRecurrentState();
      state.smoothing = horizonForecaster.newSmoothingState();
    } else {
      state.recurrent = forecaster.newRecurrentState();
      state.transformState(forecaster.transform().newState());
    }
    state.residualsStandardised = standardises();
    state.modelName = model().name();
    state.modelVersion = model().version();
    return state;
  }

  /** The model stepping the series. */
  public RecurrentModel model() {
    return horizonForecaster != null ? horizonForecaster.model() : forecaster.model();
  }

  /** The one-step forecaster stepping the series; null under a smoothed model. */
  public Forecaster forecaster() {
    return forecaster;
  }

  /** The smoothed multi-horizon forecaster stepping the series; null under a one-step model. */
  public HorizonForecaster horizonForecaster() {
    return horizonForecaster;
  }

  /** The interval calibrator. */
  public ConformalInterval intervals() {
    return intervals;
  }

  /**
   * Applies one accepted {@code value} to {@code state} under a one-step model, which reads neither
   * event times nor tick features; see {@link #apply(SeriesState, long, double, double[])}.
   */
  public void apply(SeriesState state, double value) {
    apply(state, Long.MIN_VALUE, value, null);
  }

  /**
   * Applies one accepted tick to {@code state} (whose model states belong to this update's model):
   * scores the previous forecast, calibrates, steps. Does not touch the ring of recent values or
   * the series' event time (the caller's {@code remember}).
   *
   * @param ts the tick's event time, after the series' last (read by a smoothed model only)
   * @param value the tick's value, one the model accepts
   * @param ticks the tick's features in the smoothed model's {@code tickFeatures} order, NaN where
   *     missing; null for none
   */
  public void apply(SeriesState state, long ts, double value, double[] ticks) {
    if (state.residuals.capacity() != intervals.window()) {
      ConformalInterval.Residuals resized = new ConformalInterval.Residuals(intervals.window());
      resized.copyFrom(state.residuals);
      state.residuals = resized;
    }
    double scaleForValue = errorScale(state);
    if (state.residualsStandardised != standardises()) {
      // A model of the other kind wrote the ring (a swap, or a state from before standardising).
      // Raw residuals carry over to a smoothed model at its current scale; standardised ones
      // cannot go back to raw, the scale that divided them left with the smoothing state a swap to
      // a one-step model dropped, so that ring starts afresh.
      if (standardises()) {
        state.residuals.rescale(1 / scaleForValue);
      } else {
        state.residuals.clear();
      }
      state.residualsStandardised = standardises();
    }
    forecastForValue = state.lastForecast;
    halfWidthForValue = intervals.halfWidth(state.residuals) * scaleForValue;
    residual = value - forecastForValue;
    score = Double.NaN;
    if (!Double.isNaN(forecastForValue)) {
      score = AnomalyScore.score(residual, halfWidthForValue, state.drift);
      // NaN (no scale yet) is not added: the ring ignores non-finite residuals
      state.residuals.add(residual / scaleForValue);
      state.errorCount++;
    }
    if (horizonForecaster != null) {
      horizonForecaster.step(state.recurrent, state.smoothing, value, ts, ticks, headForecasts);
      forecast = headForecasts[0];
    } else {
      FeatureTransform.State features = state.transformState();
      forecast = forecaster.step(state.recurrent, features, value);
      state.transformState(features);
    }
    state.lastForecast = forecast;
    halfWidth = intervals.halfWidth(state.residuals) * errorScale(state);
  }

  /** Whether the ring holds standardised residuals under this update's model: a smoothed one. */
  private boolean standardises() {
    return horizonForecaster != null;
  }

  /**
   * What the ring's residuals are divided by for the forecast {@code state} makes now: the smoothed
   * model's error scale (NaN before it has one), 1 under a one-step model.
   */
  private double errorScale(SeriesState state) {
    return horizonForecaster != null && state.smoothing != null
        ? horizonForecaster.errorScale(state.smoothing)
        : 1;
  }

  /**
   * The forecasts of horizons 1..{@code forecasts.length} after {@link #apply}: a smoothed model's
   * straight from its head (at most its horizon), a one-step model's by rolling a copy of {@code
   * state} forward; {@code state} is not changed.
   */
  public void horizons(SeriesState state, double[] forecasts) {
    if (horizonForecaster != null) {
      System.arraycopy(headForecasts, 0, forecasts, 0, forecasts.length);
      return;
    }
    if (forecasts.length > 1) {
      forecaster.rollForward(state.recurrent, state.transformState(), forecasts);
    }
    forecasts[0] = forecast;
  }

  /**
   * Half-width of the interval around the forecast {@code horizon} steps ahead: the calibrated
   * one-step half-width for horizon 1, widened by √horizon beyond (errors of a random walk add up
   * that way; only horizon 1 carries the conformal guarantee). NaN without an interval.
   */
  public double halfWidth(int horizon) {
    return horizon == 1 ? halfWidth : halfWidth * Math.sqrt(horizon);
  }

  /** The forecast that had been made for the value just applied; NaN if none was. */
  public double forecastForValue() {
    return forecastForValue;
  }

  /** Half-width of that forecast's interval; NaN if it had none. */
  public double halfWidthForValue() {
    return halfWidthForValue;
  }

  /** Value minus the forecast made for it; NaN if none was made. */
  public double residual() {
    return residual;
  }

  /** The value's anomaly score ({@link AnomalyScore}); NaN while its forecast had no interval. */
  public double score() {
    return score;
  }

  /** The forecast of the next value. */
  public double forecast() {
    return forecast;
  }
}
