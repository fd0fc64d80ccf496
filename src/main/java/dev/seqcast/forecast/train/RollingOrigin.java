package dev.seqcast.forecast.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The splits of a rolling-origin evaluation: {@code folds} consecutive test blocks of {@code block}
 * points at the end of a series; each fold fits on the points before its block (all of them, or the
 * last {@code window}) and forecasts from every origin in its block. A fold's training points all
 * come before its first origin, so nothing it is tested on was fitted.
 */
public final class RollingOrigin {

  /**
   * One fold.
   *
   * @param trainFrom first training index
   * @param origin first forecast origin: the first index forecast, one past the last training index
   * @param testTo one past the last origin of the block
   */
  public record Fold(int trainFrom, int origin, int testTo) {
    /** Training points. */
    public int trainSize() {
      return origin - trainFrom;
    }
  }

  private RollingOrigin() {}

  /**
   * The folds for a series of {@code size} points.
   *
   * @param window training points per fold, 0 for all points before the block
   * @param minimumTrain fewest training points a fold may have
   * @throws IllegalArgumentException if the series is too short for these settings
   */
  public static List<Fold> plan(int size, int folds, int block, int window, int minimumTrain) {
    if (folds < 1 || block < 1) {
      throw new IllegalArgumentException("folds and block must be at least 1");
    }
    int firstOrigin = size - folds * block;
    int firstTrain = window > 0 ? Math.min(window, firstOrigin) : firstOrigin;
    if (firstTrain < minimumTrain) {
      throw new IllegalArgumentException(
          String.format(
              "%d points leave %d for the first fold's training (%d folds of %d), fewer than the"
                  + " %d needed; use fewer --folds or a smaller --block",
              size, firstOrigin, folds, block, minimumTrain));
    }
    List<Fold> plan = new ArrayList<>();
    for (int k = 0; k < folds; k++) {
      int origin = firstOrigin + k * block;
      int from = window > 0 ? Math.max(0, origin - window) : 0;
      plan.add(new Fold(from, origin, origin + block));
    }
    return plan;
  }
}
