package dev.seqcast.forecast;

import dev.seqcast.model.AnomalyScore;
import dev.seqcast.model.ConformalInterval;

/**
 * What each prediction carries beyond the one-step forecast, and when a value is an anomaly.
 *
 * @param intervalCoverage target coverage of the conformal interval, in (0, 1)
 * @param intervalWindow recent absolute residuals per series the interval is calibrated on
 * @param horizon forecasts per tick: horizons 1..horizon
 * @param anomalyThreshold records with an {@link AnomalyScore} at least this go to {@code
 *     seqcast.anomalies}
 */
public record ForecastSettings(
    double intervalCoverage, int intervalWindow, int horizon, double anomalyThreshold) {

  /** Largest accepted horizon: each tick emits this many predictions at most. */
  public static final int MAX_HORIZON = 1_000;

  /** Validates the settings; the messages name the option to change. */
  public ForecastSettings {
    new ConformalInterval(intervalCoverage, intervalWindow); // throws with the reason
    if (horizon < 1 || horizon > MAX_HORIZON) {
      throw new IllegalArgumentException(
          "horizon must be between 1 and " + MAX_HORIZON + ", was " + horizon);
    }
    if (!(anomalyThreshold > 0) || Double.isInfinite(anomalyThreshold)) {
      throw new IllegalArgumentException(
          "anomaly threshold must be a positive number, was " + anomalyThreshold);
    }
  }

  /** 90% intervals over the last 100 residuals, horizon 1, the default anomaly threshold. */
  public static ForecastSettings defaults() {
    return new ForecastSettings(
        ConformalInterval.DEFAULT_COVERAGE,
        ConformalInterval.DEFAULT_WINDOW,
        1,
        AnomalyScore.DEFAULT_THRESHOLD);
  }

  /** A calibrator for these settings (one per thread: it holds a scratch buffer). */
  public ConformalInterval newCalibrator() {
    return new ConformalInterval(intervalCoverage, intervalWindow);
  }
}
