package dev.seqcast.forecast.train;

/**
 * A way of forecasting a series that a {@link Backtest} can evaluate: fitted once per fold on the
 * training window only, then fed the test values one at a time, forecasting horizons 1..H before
 * each. The backtest hands a method nothing from beyond the current forecast origin, so a method
 * cannot see the future even by mistake.
 */
public interface ForecastMethod {

  /** Short name for tables and charts, e.g. {@code naive} or {@code lstm}. */
  String name();

  /**
   * Fits the method on {@code window} (values in time order, the newest last) and returns it
   * positioned just after the window's last value.
   *
   * @param timestamps event times of {@code window}, epoch ms
   */
  Fitted fit(long[] timestamps, double[] window);

  /** A fitted method following one series. Confined to one thread. */
  interface Fitted {

    /** Forecasts {@code forecasts[h-1]}, the value {@code h} steps after the last one seen. */
    void forecast(double[] forecasts);

    /** Takes the next observed value: the forecast origin moves one step on. */
    void observe(double value);

    /**
     * Takes the next observed value with its event time (epoch ms), for methods that read the
     * calendar; the others ignore the time.
     */
    default void observe(long timestamp, double value) {
      observe(value);
    }

    /**
     * The size of the next forecasts' errors as the method sees it now, by which the backtest's
     * conformal step divides the residuals it calibrates on (and multiplies their quantile back):
     * what the live predictor does for a smoothed model. 1, raw residuals, for a method with no
     * scale of its own; NaN while it has none yet.
     */
    default double errorScale() {
      return 1;
    }
  }
}
