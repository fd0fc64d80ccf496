package dev.seqcast.train;

import java.util.Arrays;

/**
 * A split-conformal forecast interval from a series' recent absolute residuals: the half-width is
 * the {@code ceil((n + 1) c) / n} empirical quantile of the last {@code n} absolute errors (at most
 * {@code window}), for target coverage {@code c}. No interval until {@code minimum} residuals were
 * seen. Feed it only residuals whose actual value is already known at the forecast origin. Not
 * thread-safe.
 */
public final class ResidualQuantileInterval {

  private final double coverage;
  private final int minimum;
  private final double[] ring;
  private final double[] sorted;
  private int size;
  private int next;

  /**
   * @param coverage target coverage in (0, 1), e.g. 0.9
   * @param window residuals kept, the newest
   * @param minimum residuals needed before an interval is given
   */
  public ResidualQuantileInterval(double coverage, int window, int minimum) {
    if (!(coverage > 0 && coverage < 1)) {
      throw new IllegalArgumentException("coverage must be in (0, 1), was " + coverage);
    }
    this.coverage = coverage;
    this.minimum = Math.max(1, minimum);
    this.ring = new double[window];
    this.sorted = new double[window];
  }

  /** Records the absolute error of a forecast whose actual value is now known. */
  public void add(double residual) {
    ring[next] = Math.abs(residual);
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
  }

  /** Half the interval's width, or NaN while too few residuals are known. */
  public double halfWidth() {
    if (size < minimum) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil((size + 1) * coverage);
    if (rank > size) {
      return Double.NaN;
    }
    System.arraycopy(ring, 0, sorted, 0, size);
    Arrays.sort(sorted, 0, size);
    return sorted[rank - 1];
  }
}
