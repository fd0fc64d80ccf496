package dev.seqcast.forecast.train;

import java.util.List;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.apache.commons.math3.optim.univariate.BrentOptimizer;
import org.apache.commons.math3.optim.univariate.SearchInterval;
import org.apache.commons.math3.optim.univariate.UnivariateObjectiveFunction;

/**
 * Minimises a smooth function of a few parameters inside a box, as the smoothing baselines fit
 * their weights: Commons Math's BOBYQA (Brent's method for one parameter, which BOBYQA does not
 * take). BOBYQA can give up ("trust region step has failed to reduce Q") or run out of evaluations
 * on a flat or awkward surface; the best point evaluated so far is then the answer, so a fit never
 * fails for the optimiser's sake.
 */
final class BoxMinimiser {

  private static final double STOP_RADIUS = 1e-8;

  private BoxMinimiser() {}

  /** The best point found, and its value. */
  record Minimum(double[] point, double value) {}

  /**
   * Minimises {@code f} over {@code [lower, upper]}, from each of {@code starts} in turn (BOBYQA
   * finds the minimum of the basin it starts in); the best point over all runs is the answer.
   */
  static Minimum minimise(
      MultivariateFunction f, List<double[]> starts, double[] lower, double[] upper, int maxEval) {
    Tracked tracked = new Tracked(f);
    for (double[] start : starts) {
      tracked.value(start);
      try {
        if (start.length == 1) {
          new BrentOptimizer(1e-10, 1e-14)
              .optimize(
                  new MaxEval(maxEval),
                  new UnivariateObjectiveFunction(x -> tracked.value(new double[] {x})),
                  GoalType.MINIMIZE,
                  new SearchInterval(lower[0], upper[0], start[0]));
        } else {
          new BOBYQAOptimizer(2 * start.length + 1, initialRadius(lower, upper), STOP_RADIUS)
              .optimize(
                  new MaxEval(maxEval),
                  new ObjectiveFunction(tracked),
                  GoalType.MINIMIZE,
                  new InitialGuess(start),
                  new SimpleBounds(lower, upper));
        }
      } catch (MathIllegalStateException e) {
        // gave up or ran out of evaluations: the best point seen stands
      }
    }
    return new Minimum(tracked.bestPoint, tracked.bestValue);
  }

  /**
   * A tenth of the narrowest side of the box. BOBYQA's default (10, cut to a third of the narrowest
   * side) makes its first steps so long on a unit box that it can stop after a few dozen
   * evaluations well short of the minimum (seen on ETS(A,A,M) for the CO2 series: SSE 276 instead
   * of 263).
   */
  private static double initialRadius(double[] lower, double[] upper) {
    double narrowest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < lower.length; i++) {
      narrowest = Math.min(narrowest, upper[i] - lower[i]);
    }
    return narrowest / 10;
  }

  /** An objective that remembers the best point it was asked about. */
  private static final class Tracked implements MultivariateFunction {
    private final MultivariateFunction f;
    private double[] bestPoint;
    private double bestValue = Double.POSITIVE_INFINITY;

    Tracked(MultivariateFunction f) {
      this.f = f;
    }

    @Override
    public double value(double[] point) {
      double v = f.value(point);
      if (bestPoint == null || v < bestValue) {
        bestValue = v;
        bestPoint = point.clone();
      }
      return v;
    }
  }
}
