package dev.seqcast.forecast;

import dev.seqcast.model.AnomalyScore;
import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.FeatureTransform;
import dev.seqcast.model.Forecaster;

/**
 * What an accepted value does to a series' state under its live model, in one place for the
 * predictor and the offline anomaly evaluation ({@code bench anomalies}), so what is measured
 * offline is what runs live:
 *
 * <ol>
 *   <li>score the forecast made at the previous value: residual = value − forecast, judged against
 *       the interval that forecast carried ({@link AnomalyScore});
 *   <li>add the residual to the series' residual ring, which calibrates the next interval ({@link
 *       ConformalInterval});
 *   <li>advance the recurrent state by one step and forecast the next value ({@link Forecaster}).
 * </ol>
 *
 * The figures of the last {@link #apply} are read through the accessors. Confined to one thread
 * (one stream task) like the forecaster and calibrator it holds; {@link #apply} allocates nothing
 * beyond what reading the transform state does, unless the residual window changed.
 */
public final class SeriesUpdate {

  private final Forecaster forecaster;
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
    this.intervals = intervals;
  }

  /**
   * A state for a new series, already belonging to this update's model (as the predictor's re-warm
   * over an empty ring leaves it), keeping the last {@code ringCapacity} values.
   */
  public SeriesState newSeries(int ringCapacity) {
    SeriesState state = new SeriesState(ringCapacity, intervals.window());
    state.recurrent = forecaster.newRecurrentState();
    state.transformState(forecaster.transform().newState());
    state.modelName = forecaster.model().name();
    state.modelVersion = forecaster.model().version();
    return state;
  }

  /** The forecaster stepping the series. */
  public Forecaster forecaster() {
    return forecaster;
  }

  /** The interval calibrator. */
  public ConformalInterval intervals() {
    return intervals;
  }

  /**
   * Applies one accepted {@code value} to {@code state} (whose recurrent state belongs to this
   * update's model): scores the previous forecast, calibrates, steps. Does not touch the ring of
   * recent values or the event time (the caller's {@code remember}).
   */
  public void apply(SeriesState state, double value) {
    if (state.residuals.capacity() != intervals.window()) {
      ConformalInterval.Residuals resized = new ConformalInterval.Residuals(intervals.window());
      resized.copyFrom(state.residuals);
      state.residuals = resized;
    }
    forecastForValue = state.lastForecast;
    halfWidthForValue = intervals.halfWidth(state.residuals);
    residual = value - forecastForValue;
    score = Double.NaN;
    if (!Double.isNaN(forecastForValue)) {
      score = AnomalyScore.score(residual, halfWidthForValue, state.drift);
      state.residuals.add(residual);
      state.errorCount++;
    }
    FeatureTransform.State features = state.transformState();
    forecast = forecaster.step(state.recurrent, features, value);
    state.transformState(features);
    state.lastForecast = forecast;
    halfWidth = intervals.halfWidth(state.residuals);
  }

  /**
   * Forecasts horizons 1..{@code forecasts.length} from {@code state} after {@link #apply}, by
   * rolling a copy of it forward; {@code state} is not changed.
   */
  public void rollForward(SeriesState state, double[] forecasts) {
    forecaster.rollForward(state.recurrent, state.transformState(), forecasts);
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
