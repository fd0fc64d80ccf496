package dev.seqcast.forecast.train;

/**
 * Accumulates the accuracy of one method at one horizon over many forecasts:
 *
 * <ul>
 *   <li>MAE and RMSE in the series' units;
 *   <li>MASE: each absolute error divided by the in-sample mean absolute seasonal difference of the
 *       window the method was fitted on, then averaged (below 1 beats the in-sample seasonal naive
 *       forecast; comparable across series and folds);
 *   <li>sMAPE, in percent: {@code 200 |F - A| / (|A| + |F|)} averaged (a point with {@code A = F =
 *       0} counts as 0);
 *   <li>directional accuracy: the share of forecasts whose move from the last observed value has
 *       the sign of the actual move (a forecast of no move is right only when nothing moved);
 *   <li>interval coverage: the share of actual values inside the forecast's interval, over the
 *       forecasts that had one;
 *   <li>interval width {@code hi - lo}, averaged, in the series' units;
 *   <li>Winkler's interval score of a central interval at coverage {@code 1 - a}: its width plus
 *       {@code 2/a} times the distance by which the actual value fell outside it, averaged (lower
 *       is better; it rewards narrow bands and punishes misses by how far they missed), and the
 *       same divided by the MASE scale (M4's MSIS), comparable across series.
 * </ul>
 *
 * Not thread-safe.
 */
public final class ForecastMetrics {

  private long count;
  private double absSum;
  private double squaredSum;
  private double scaledSum;
  private double smapeSum;
  private long directionHits;
  private long withInterval;
  private long covered;
  private double widthSum;
  private double winklerSum;
  private double scaledWinklerSum;
  private final double missWeight;

  /** Metrics of forecasts whose intervals target {@code coverage}, e.g. 0.9. */
  public ForecastMetrics(double coverage) {
    if (!(coverage > 0 && coverage < 1)) {
      throw new IllegalArgumentException("coverage must be in (0, 1), was " + coverage);
    }
    this.missWeight = 2 / (1 - coverage);
  }

  /**
   * Adds one forecast.
   *
   * @param actual the value that came
   * @param forecast the forecast of it
   * @param lastObserved the last value known when the forecast was made
   * @param scale the fitted window's mean absolute seasonal difference (MASE denominator)
   * @param lo lower interval bound, NaN if the forecast had no interval
   * @param hi upper interval bound, NaN if none
   */
  public void add(
      double actual, double forecast, double lastObserved, double scale, double lo, double hi) {
    double error = actual - forecast;
    double abs = Math.abs(error);
    count++;
    absSum += abs;
    squaredSum += error * error;
    scaledSum += abs / scale;
    double denominator = Math.abs(actual) + Math.abs(forecast);
    smapeSum += denominator == 0 ? 0 : 200 * abs / denominator;
    if (Math.signum(forecast - lastObserved) == Math.signum(actual - lastObserved)) {
      directionHits++;
    }
    if (!Double.isNaN(lo) && !Double.isNaN(hi)) {
      withInterval++;
      if (actual >= lo && actual <= hi) {
        covered++;
      }
      double width = hi - lo;
      double miss = Math.max(0, lo - actual) + Math.max(0, actual - hi);
      double winkler = width + missWeight * miss;
      widthSum += width;
      winklerSum += winkler;
      scaledWinklerSum += winkler / scale;
    }
  }

  /** Forecasts added. */
  public long count() {
    return count;
  }

  /** Mean absolute error; NaN if empty. */
  public double mae() {
    return absSum / count;
  }

  /** Root mean squared error; NaN if empty. */
  public double rmse() {
    return Math.sqrt(squaredSum / count);
  }

  /** Mean absolute scaled error; NaN if empty. */
  public double mase() {
    return scaledSum / count;
  }

  /** Symmetric mean absolute percentage error, percent; NaN if empty. */
  public double smape() {
    return smapeSum / count;
  }

  /** Share of forecasts with the right direction of move; NaN if empty. */
  public double directionalAccuracy() {
    return (double) directionHits / count;
  }

  /** Forecasts that carried an interval. */
  public long intervalCount() {
    return withInterval;
  }

  /** Share of actual values inside their interval; NaN if no forecast had one. */
  public double coverage() {
    return withInterval == 0 ? Double.NaN : (double) covered / withInterval;
  }

  /** Mean interval width {@code hi - lo}, series' units; NaN if no forecast had an interval. */
  public double intervalWidth() {
    return withInterval == 0 ? Double.NaN : widthSum / withInterval;
  }

  /** Mean Winkler interval score, series' units; NaN if no forecast had an interval. */
  public double winkler() {
    return withInterval == 0 ? Double.NaN : winklerSum / withInterval;
  }

  /**
   * Mean Winkler score divided by the MASE scale (mean scaled interval score); NaN if no forecast
   * had an interval.
   */
  public double scaledWinkler() {
    return withInterval == 0 ? Double.NaN : scaledWinklerSum / withInterval;
  }

  /**
   * The MASE denominator of a fitted window: the mean absolute difference between values one {@code
   * season} apart (1 = consecutive), over the pairs where neither value is missing (NaN). Never
   * zero, so a flat window does not divide by zero.
   */
  public static double scale(double[] window, int season) {
    int lag = Math.min(season, window.length - 1);
    double sum = 0;
    int pairs = 0;
    for (int t = lag; t < window.length; t++) {
      double difference = Math.abs(window[t] - window[t - lag]);
      if (!Double.isNaN(difference)) {
        sum += difference;
        pairs++;
      }
    }
    return pairs == 0 ? Double.MIN_NORMAL : Math.max(sum / pairs, Double.MIN_NORMAL);
  }
}
