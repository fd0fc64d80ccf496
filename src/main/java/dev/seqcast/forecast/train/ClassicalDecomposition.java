package dev.seqcast.forecast.train;

/**
 * The seasonal figure of a classical decomposition (as R's {@code decompose}): a centred moving
 * average of one season (2×m for an even season) is the trend; each value's difference from it
 * (additive) or ratio to it (multiplicative), averaged per position in the season and normalised to
 * sum to zero or average one, is the figure. {@link Ets} initialises its seasonal states from it
 * and {@link Theta} deseasonalises with it.
 */
final class ClassicalDecomposition {

  private ClassicalDecomposition() {}

  /**
   * The seasonal figure of {@code y[0..length)}: {@code figure[p]} belongs to the values at indices
   * {@code p, p + season, ...}.
   *
   * @param multiplicative ratios to the trend (values must be positive) instead of differences
   * @throws IllegalArgumentException if {@code length} is shorter than two seasons
   */
  static double[] seasonalFigure(double[] y, int length, int season, boolean multiplicative) {
    if (season < 2 || length < 2 * season || length > y.length) {
      throw new IllegalArgumentException(
          "a decomposition with season " + season + " needs two seasons, got " + length);
    }
    int half = season / 2;
    boolean even = season % 2 == 0;
    double[] sum = new double[season];
    int[] count = new int[season];
    for (int i = half; i < length - half; i++) {
      double trend = 0;
      if (even) {
        trend += 0.5 * (y[i - half] + y[i + half]);
        for (int j = i - half + 1; j < i + half; j++) {
          trend += y[j];
        }
      } else {
        for (int j = i - half; j <= i + half; j++) {
          trend += y[j];
        }
      }
      trend /= season;
      int position = i % season;
      sum[position] += multiplicative ? y[i] / trend : y[i] - trend;
      count[position]++;
    }
    double[] figure = new double[season];
    double mean = 0;
    for (int p = 0; p < season; p++) {
      figure[p] = sum[p] / count[p];
      mean += figure[p] / season;
    }
    for (int p = 0; p < season; p++) {
      figure[p] = multiplicative ? figure[p] / mean : figure[p] - mean;
    }
    return figure;
  }
}
