package dev.seqcast.forecast.train;

import java.util.Arrays;

/**
 * The classical Theta method (Assimakopoulos and Nikolopoulos, 2000) as the M4 competition's
 * "Theta" benchmark runs it: when the window is seasonal by a 90% autocorrelation test at lag m
 * (and all values are positive, with at least three seasons), it is divided by the multiplicative
 * seasonal figure of a classical decomposition; the forecast is the mean of the theta = 0 line (the
 * least-squares line, extrapolated) and simple exponential smoothing of the theta = 2 line (twice
 * the values minus the line), multiplied back by the figure. Its slope is therefore half the
 * line's.
 *
 * <p>Fitted on the window: the figure, the line and the smoothing weight. Each new value is
 * deseasonalised with the figure, turned into its theta = 2 value with the fitted line, and
 * smoothed into the level; nothing else changes.
 */
final class Theta {

  /** One-sided 90% critical value of the normal distribution, as the M4 seasonality test uses. */
  private static final double CRITICAL = 1.645;

  private Theta() {}

  /**
   * Whether {@code y} is seasonal with period {@code season}: at least three seasons long, and the
   * autocorrelation at lag {@code season} exceeds {@code 1.645 / sqrt(n) * sqrt(1 + 2 * sum of the
   * squared autocorrelations at lags 1 .. season - 1)} in absolute value.
   */
  static boolean seasonal(double[] y, int season) {
    int n = y.length;
    if (season < 2 || n < 3 * season) {
      return false;
    }
    double mean = Arrays.stream(y).average().orElseThrow();
    double variance = 0;
    for (double v : y) {
      variance += (v - mean) * (v - mean);
    }
    if (variance == 0) {
      return false;
    }
    double squares = 0;
    double atSeason = 0;
    for (int lag = 1; lag <= season; lag++) {
      double c = 0;
      for (int t = lag; t < n; t++) {
        c += (y[t] - mean) * (y[t - lag] - mean);
      }
      double r = c / variance;
      if (lag < season) {
        squares += r * r;
      } else {
        atSeason = r;
      }
    }
    double limit = CRITICAL / Math.sqrt(n) * Math.sqrt(1 + 2 * squares);
    return Math.abs(atSeason) > limit;
  }

  /** Fits Theta to {@code window} with calendar season {@code season} (1 = none). */
  static ForecastMethod.Fitted fit(double[] window, int season) {
    int n = window.length;
    if (n < 4) {
      throw new IllegalArgumentException("Theta needs at least 4 points, got " + n);
    }
    boolean deseasonalise = Arrays.stream(window).allMatch(v -> v > 0) && seasonal(window, season);
    double[] figure =
        deseasonalise
            ? ClassicalDecomposition.seasonalFigure(window, n, season, true)
            : new double[] {1};
    double[] adjusted = new double[n];
    for (int t = 0; t < n; t++) {
      adjusted[t] = window[t] / figure[t % figure.length];
    }
    double meanT = (n - 1) / 2.0;
    double meanY = Arrays.stream(adjusted).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (int t = 0; t < n; t++) {
      sxy += (t - meanT) * (adjusted[t] - meanY);
      sxx += (t - meanT) * (t - meanT);
    }
    double slope = sxy / sxx;
    double intercept = meanY - slope * meanT;
    double[] thetaTwo = new double[n];
    for (int t = 0; t < n; t++) {
      thetaTwo[t] = 2 * adjusted[t] - (intercept + slope * t);
    }
    Ets.Fit ses = Ets.fit(thetaTwo, new Ets.Spec(Ets.Trend.NONE, Ets.Seasonality.NONE), 1);
    Ets.State smoothed = Ets.state(thetaTwo, ses, 1);
    return new ForecastMethod.Fitted() {
      private int next = n; // index of the next value, counted from the window's start

      @Override
      public void forecast(double[] forecasts) {
        smoothed.forecast(forecasts); // the smoothed theta = 2 line: flat at its level
        for (int h = 0; h < forecasts.length; h++) {
          int t = next + h;
          double line = intercept + slope * t;
          forecasts[h] = (0.5 * line + 0.5 * forecasts[h]) * figure[t % figure.length];
        }
      }

      @Override
      public void observe(double value) {
        double a = value / figure[next % figure.length];
        smoothed.update(2 * a - (intercept + slope * next));
        next++;
      }
    };
  }
}
