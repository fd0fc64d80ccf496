package dev.seqcast.forecast.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.analysis.MultivariateFunction;

/**
 * Exponential smoothing state space models with additive errors (Hyndman, Koehler, Ord and Snyder,
 * "Forecasting with Exponential Smoothing", 2008): ETS(A,N,N), (A,A,N), (A,Ad,N) and, with a
 * season, (A,N,A), (A,A,A), (A,Ad,A), (A,N,M), (A,A,M), (A,Ad,M).
 *
 * <p>The initial states come from the book's heuristic, not from the optimiser: seasonal states
 * from a classical decomposition of the first (up to) three seasons, level and slope from a line
 * fitted to the first max(10, 2m) deseasonalised values. The smoothing weights (and the damping φ)
 * minimise the one-step squared error over the window, which for additive errors is maximum
 * likelihood; the model with the lowest AIC, {@code n log(SSE / n) + 2k} with k the smoothing
 * weights, φ and the free initial states, is the one kept. Weights are kept in the usual region 0
 * &lt; β &lt; α &lt; 1, 0 &lt; γ &lt; 1 − α by optimising α, β/α and γ/(1 − α) in boxes; φ ∈ [0.8,
 * 0.98].
 */
final class Ets {

  /** How the level moves between steps. */
  enum Trend {
    NONE("N"),
    ADDITIVE("A"),
    DAMPED("Ad");

    private final String code;

    Trend(String code) {
      this.code = code;
    }
  }

  /** How the seasonal states combine with level and trend. */
  enum Seasonality {
    NONE("N"),
    ADDITIVE("A"),
    MULTIPLICATIVE("M");

    private final String code;

    Seasonality(String code) {
      this.code = code;
    }
  }

  /** One member of the family. */
  record Spec(Trend trend, Seasonality seasonality) {

    /** Free parameters for the AIC: smoothing weights, φ and initial states. */
    int parameters(int season) {
      int k = 2; // alpha, initial level
      if (trend != Trend.NONE) {
        k += 2; // beta, initial slope
      }
      if (trend == Trend.DAMPED) {
        k += 1;
      }
      if (seasonality != Seasonality.NONE) {
        k += season; // gamma and season - 1 free initial states (they are normalised)
      }
      return k;
    }

    @Override
    public String toString() {
      return "ETS(A," + trend.code + "," + seasonality.code + ")";
    }
  }

  /**
   * A fitted model.
   *
   * @param spec the model
   * @param weights {@code [alpha, beta, gamma, phi]} (unused ones 0, phi 1 without damping)
   * @param sse one-step squared error over the window
   * @param aic {@code n log(SSE / n) + 2k}
   */
  record Fit(Spec spec, double[] weights, double sse, double aic) {}

  private static final double ALPHA_MIN = 1e-4;
  private static final double ALPHA_MAX = 1 - 1e-4;
  private static final double PHI_MIN = 0.8;
  private static final double PHI_MAX = 0.98;
  private static final int STARTS = 3;

  /** SSE of weights whose recursion leaves the numbers (a multiplicative base at or below 0). */
  private static final double DIVERGED = 1e300;

  private Ets() {}

  /** The members that can be fitted to {@code y} with {@code season} (1 = none). */
  static List<Spec> candidates(double[] y, int season) {
    List<Seasonality> seasonalities = new ArrayList<>(List.of(Seasonality.NONE));
    if (season > 1 && y.length >= 2 * season) {
      seasonalities.add(Seasonality.ADDITIVE);
      if (Arrays.stream(y).allMatch(v -> v > 0)) {
        seasonalities.add(Seasonality.MULTIPLICATIVE);
      }
    }
    List<Spec> specs = new ArrayList<>();
    for (Seasonality seasonality : seasonalities) {
      for (Trend trend : Trend.values()) {
        Spec spec = new Spec(trend, seasonality);
        if (spec.parameters(season) < y.length - 1) {
          specs.add(spec);
        }
      }
    }
    return specs;
  }

  /**
   * Fits every candidate and returns the one with the lowest AIC.
   *
   * @throws IllegalArgumentException if {@code y} has fewer than 4 values
   */
  static Fit select(double[] y, int season) {
    if (y.length < 4) {
      throw new IllegalArgumentException("ETS needs at least 4 points, got " + y.length);
    }
    Fit best = null;
    for (Spec spec : candidates(y, season)) {
      Fit fit = fit(y, spec, season);
      if (best == null || fit.aic() < best.aic()) {
        best = fit;
      }
    }
    return best;
  }

  /** Fits the weights of one model to {@code y}. */
  static Fit fit(double[] y, Spec spec, int season) {
    int m = spec.seasonality() == Seasonality.NONE ? 1 : season;
    Initial initial = Initial.of(y, spec, m);
    MultivariateFunction sse = raw -> sse(y, spec, initial, weights(spec, raw));
    BoxMinimiser.Minimum best =
        BoxMinimiser.minimise(sse, starts(spec, sse), lowerBounds(spec), upperBounds(spec), 3000);
    double floored = Math.max(best.value(), Double.MIN_NORMAL);
    double aic = y.length * Math.log(floored / y.length) + 2 * spec.parameters(season);
    return new Fit(spec, weights(spec, best.point()), best.value(), aic);
  }

  /** The fitted model's state after the last value of {@code y}, the window it was fitted on. */
  static State state(double[] y, Fit fit, int season) {
    int m = fit.spec().seasonality() == Seasonality.NONE ? 1 : season;
    State state = Initial.of(y, fit.spec(), m).state(fit.spec(), fit.weights());
    for (double v : y) {
      state.update(v);
    }
    return state;
  }

  private static double sse(double[] y, Spec spec, Initial initial, double[] weights) {
    State state = initial.state(spec, weights);
    double sum = 0;
    for (double v : y) {
      double e = state.update(v);
      if (!Double.isFinite(e)) {
        return DIVERGED;
      }
      sum += e * e;
    }
    return Double.isFinite(sum) ? Math.min(sum, DIVERGED) : DIVERGED;
  }

  /** Optimiser coordinates {@code [alpha, beta/alpha?, gamma/(1-alpha)?, phi?]} to weights. */
  private static double[] weights(Spec spec, double[] raw) {
    int i = 0;
    double alpha = raw[i++];
    double beta = spec.trend() == Trend.NONE ? 0 : alpha * raw[i++];
    double gamma = spec.seasonality() == Seasonality.NONE ? 0 : (1 - alpha) * raw[i++];
    double phi = spec.trend() == Trend.DAMPED ? raw[i] : 1;
    return new double[] {alpha, beta, gamma, phi};
  }

  private static double[] lowerBounds(Spec spec) {
    return bounds(spec, ALPHA_MIN, 0, PHI_MIN);
  }

  private static double[] upperBounds(Spec spec) {
    return bounds(spec, ALPHA_MAX, 1, PHI_MAX);
  }

  private static double[] bounds(Spec spec, double alpha, double share, double phi) {
    double[] b = new double[dimension(spec)];
    int i = 0;
    b[i++] = alpha;
    if (spec.trend() != Trend.NONE) {
      b[i++] = share;
    }
    if (spec.seasonality() != Seasonality.NONE) {
      b[i++] = share;
    }
    if (spec.trend() == Trend.DAMPED) {
      b[i] = phi;
    }
    return b;
  }

  private static int dimension(Spec spec) {
    return 1
        + (spec.trend() == Trend.NONE ? 0 : 1)
        + (spec.seasonality() == Seasonality.NONE ? 0 : 1)
        + (spec.trend() == Trend.DAMPED ? 1 : 0);
  }

  /**
   * The optimiser's starts: the {@value #STARTS} best points of a coarse grid. BOBYQA finds the
   * minimum of the basin it starts in, and the SSE surface of the seasonal models has more than
   * one.
   */
  private static List<double[]> starts(Spec spec, MultivariateFunction sse) {
    boolean trended = spec.trend() != Trend.NONE;
    boolean seasonal = spec.seasonality() != Seasonality.NONE;
    List<double[]> grid = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (double alpha : new double[] {0.1, 0.3, 0.5, 0.7, 0.9}) {
      for (double beta : trended ? new double[] {0.05, 0.3} : new double[] {0}) {
        for (double gamma : seasonal ? new double[] {0.1, 0.5, 0.9} : new double[] {0}) {
          double[] point = new double[dimension(spec)];
          int i = 0;
          point[i++] = alpha;
          if (trended) {
            point[i++] = beta;
          }
          if (seasonal) {
            point[i++] = gamma;
          }
          if (spec.trend() == Trend.DAMPED) {
            point[i] = 0.9;
          }
          grid.add(point);
          values.add(sse.value(point));
        }
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < grid.size(); i++) {
      order.add(i);
    }
    order.sort((a, b) -> Double.compare(values.get(a), values.get(b)));
    int starts = dimension(spec) == 1 ? 1 : STARTS; // Brent brackets the whole interval
    return order.subList(0, Math.min(starts, order.size())).stream().map(grid::get).toList();
  }

  /** The heuristic initial states of one model on one window. */
  private record Initial(double level, double slope, double[] seasonal) {

    static Initial of(double[] y, Spec spec, int season) {
      double[] seasonal = new double[season];
      boolean multiplicative = spec.seasonality() == Seasonality.MULTIPLICATIVE;
      if (spec.seasonality() == Seasonality.NONE) {
        seasonal[0] = 0;
      } else {
        seasonal =
            ClassicalDecomposition.seasonalFigure(
                y, Math.min(y.length, 3 * season), season, multiplicative);
      }
      int count = Math.min(Math.max(10, 2 * season), y.length);
      double[] adjusted = new double[count];
      for (int t = 0; t < count; t++) {
        double s = seasonal[t % season];
        adjusted[t] =
            switch (spec.seasonality()) {
              case NONE -> y[t];
              case ADDITIVE -> y[t] - s;
              case MULTIPLICATIVE -> y[t] / s;
            };
      }
      if (spec.trend() == Trend.NONE) {
        return new Initial(Arrays.stream(adjusted).average().orElseThrow(), 0, seasonal);
      }
      // Least-squares line through (1, adjusted[0]) .. (count, adjusted[count-1]); its value at
      // time 0 is the level before the first observation.
      double meanT = (count + 1) / 2.0;
      double meanY = Arrays.stream(adjusted).average().orElseThrow();
      double sxy = 0;
      double sxx = 0;
      for (int t = 0; t < count; t++) {
        double dt = t + 1 - meanT;
        sxy += dt * (adjusted[t] - meanY);
        sxx += dt * dt;
      }
      double slope = sxy / sxx;
      return new Initial(meanY - slope * meanT, slope, seasonal);
    }

    State state(Spec spec, double[] weights) {
      return new State(spec, weights, level, slope, seasonal.clone());
    }
  }

  /** Level, slope and seasonal states of one fitted model, positioned before the next value. */
  static final class State {
    private final Seasonality seasonality;
    private final boolean trended;
    private final double alpha;
    private final double beta;
    private final double gamma;
    private final double phi;
    private final double[] seasonal;
    private double level;
    private double slope;
    private int position; // index in `seasonal` of the next value

    private State(Spec spec, double[] weights, double level, double slope, double[] seasonal) {
      this.seasonality = spec.seasonality();
      this.trended = spec.trend() != Trend.NONE;
      this.alpha = weights[0];
      this.beta = weights[1];
      this.gamma = weights[2];
      this.phi = weights[3];
      this.level = level;
      this.slope = trended ? slope : 0;
      this.seasonal = seasonal;
    }

    /** Takes the next value and returns its one-step error (NaN if the recursion broke down). */
    double update(double value) {
      double s = seasonal[position];
      double damped = phi * slope;
      double base = level + damped;
      double e;
      switch (seasonality) {
        case NONE -> {
          e = value - base;
          level = base + alpha * e;
          slope = damped + beta * e;
        }
        case ADDITIVE -> {
          e = value - base - s;
          level = base + alpha * e;
          slope = damped + beta * e;
          seasonal[position] = s + gamma * e;
        }
        default -> {
          if (!(base > 0 && s > 0)) {
            return Double.NaN;
          }
          e = value - base * s;
          level = base + alpha * e / s;
          slope = damped + beta * e / s;
          seasonal[position] = s + gamma * e / base;
        }
      }
      if (!trended) {
        slope = 0;
      }
      position = (position + 1) % seasonal.length;
      return e;
    }

    /**
     * {@code forecasts[h-1]}: level plus the (damped) slope summed over h steps, with its season.
     */
    void forecast(double[] forecasts) {
      double steps = 0;
      double power = 1;
      for (int h = 0; h < forecasts.length; h++) {
        power *= phi;
        steps += power;
        double base = level + steps * slope;
        double s = seasonal[(position + h) % seasonal.length];
        forecasts[h] =
            switch (seasonality) {
              case NONE -> base;
              case ADDITIVE -> base + s;
              case MULTIPLICATIVE -> base * s;
            };
      }
    }
  }
}
