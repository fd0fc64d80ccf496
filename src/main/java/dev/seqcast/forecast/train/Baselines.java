package dev.seqcast.forecast.train;

import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.stat.regression.OLSMultipleLinearRegression;

/**
 * The classical forecasts a neural model must beat, each a {@link ForecastMethod}:
 *
 * <ul>
 *   <li>{@link #naive()}: the last value, for every horizon.
 *   <li>{@link #seasonalNaive(int)}: the value one season before the target.
 *   <li>{@link #drift()}: the last value plus h times the average step since the window's start.
 *   <li>{@link #autoregressive(int)}: a linear AR(p) with intercept, fitted by ordinary least
 *       squares (Apache Commons Math), iterated for h &gt; 1.
 *   <li>{@link #holtWinters(int)}: additive Holt-Winters (ETS(A,A,A); Holt's linear trend when the
 *       season is 1), its three smoothing weights chosen by minimising the one-step squared error
 *       on the window with Commons Math's BOBYQA ({@link BoxMinimiser}). Implemented here because
 *       Maven Central has no maintained Java ETS library.
 *   <li>{@link #ets(int)}: the additive-error exponential smoothing model (no, linear or damped
 *       trend; no, additive or multiplicative season) with the lowest AIC on the window, see {@link
 *       Ets}.
 *   <li>{@link #theta(int)}: the classical Theta method as the M4 benchmark, see {@link Theta}.
 * </ul>
 *
 * Seasons count observations (12 for monthly data with a yearly cycle).
 */
public final class Baselines {

  private Baselines() {}

  /** The last observed value. */
  public static ForecastMethod naive() {
    return seasonalNaive("naive", 1);
  }

  /** The observed value one season before each target ({@code season} ≥ 1). */
  public static ForecastMethod seasonalNaive(int season) {
    return seasonalNaive("seasonal-naive", season);
  }

  private static ForecastMethod seasonalNaive(String name, int season) {
    return method(
        name,
        (ts, window) -> {
          double[] last = Arrays.copyOfRange(window, window.length - season, window.length);
          return new ForecastMethod.Fitted() {
            private int next; // index in `last` of the value one season before the next target

            @Override
            public void forecast(double[] forecasts) {
              for (int h = 0; h < forecasts.length; h++) {
                forecasts[h] = last[(next + h) % season];
              }
            }

            @Override
            public void observe(double value) {
              last[next] = value;
              next = (next + 1) % season;
            }
          };
        });
  }

  /** The last value plus h times the mean step from the window's first value to the last seen. */
  public static ForecastMethod drift() {
    return method(
        "drift",
        (ts, window) ->
            new ForecastMethod.Fitted() {
              private final double first = window[0];
              private double last = window[window.length - 1];
              private long steps = window.length - 1;

              @Override
              public void forecast(double[] forecasts) {
                double slope = steps == 0 ? 0 : (last - first) / steps;
                for (int h = 0; h < forecasts.length; h++) {
                  forecasts[h] = last + (h + 1) * slope;
                }
              }

              @Override
              public void observe(double value) {
                last = value;
                steps++;
              }
            });
  }

  /**
   * AR(p) with intercept by least squares: {@code y_t = c + phi_1 y_{t-1} + ... + phi_p y_{t-p}}.
   */
  public static ForecastMethod autoregressive(int order) {
    return method(
        "ar(" + order + ")",
        (ts, window) -> {
          double[] coefficients = fitAutoregressive(window, order);
          double[] recent = Arrays.copyOfRange(window, window.length - order, window.length);
          return new ForecastMethod.Fitted() {
            @Override
            public void forecast(double[] forecasts) {
              double[] lags = new double[order + forecasts.length];
              System.arraycopy(recent, 0, lags, 0, order);
              for (int h = 0; h < forecasts.length; h++) {
                double y = coefficients[0];
                for (int i = 1; i <= order; i++) {
                  y += coefficients[i] * lags[order + h - i];
                }
                lags[order + h] = y;
                forecasts[h] = y;
              }
            }

            @Override
            public void observe(double value) {
              System.arraycopy(recent, 1, recent, 0, order - 1);
              recent[order - 1] = value;
            }
          };
        });
  }

  /**
   * Least-squares AR(p) coefficients of {@code y}: {@code [c, phi_1, ..., phi_p]}.
   *
   * @throws IllegalArgumentException if {@code y} is too short to fit {@code order} lags
   */
  public static double[] fitAutoregressive(double[] y, int order) {
    int rows = y.length - order;
    if (order < 1 || rows <= order + 1) {
      throw new IllegalArgumentException(
          "AR(" + order + ") needs more than " + (2 * order + 1) + " points, got " + y.length);
    }
    double[] target = new double[rows];
    double[][] lags = new double[rows][order];
    for (int r = 0; r < rows; r++) {
      int t = r + order;
      target[r] = y[t];
      for (int i = 1; i <= order; i++) {
        lags[r][i - 1] = y[t - i];
      }
    }
    OLSMultipleLinearRegression regression = new OLSMultipleLinearRegression();
    regression.newSampleData(target, lags);
    return regression.estimateRegressionParameters();
  }

  /** Additive Holt-Winters with weights fitted on the window; {@code season} 1 = no season. */
  public static ForecastMethod holtWinters(int season) {
    return method(
        season > 1 ? "holt-winters" : "holt",
        (ts, window) -> {
          double[] weights = fitHoltWinters(window, season);
          HoltWinters model = HoltWinters.initial(window, season, weights);
          for (int t = model.start(); t < window.length; t++) {
            model.update(window[t]);
          }
          return new ForecastMethod.Fitted() {
            @Override
            public void forecast(double[] forecasts) {
              model.forecast(forecasts);
            }

            @Override
            public void observe(double value) {
              model.update(value);
            }
          };
        });
  }

  /**
   * Holt-Winters weights {@code [alpha, beta, gamma]} in [0, 1] minimising the one-step squared
   * error over {@code y}.
   */
  static double[] fitHoltWinters(double[] y, int season) {
    if (y.length < 2 * season + 2) {
      throw new IllegalArgumentException(
          "Holt-Winters with season " + season + " needs " + (2 * season + 2) + " points");
    }
    MultivariateFunction sse =
        w -> {
          HoltWinters model = HoltWinters.initial(y, season, w);
          double[] next = new double[1];
          double sum = 0;
          for (int t = model.start(); t < y.length; t++) {
            model.forecast(next);
            double e = y[t] - next[0];
            sum += e * e;
            model.update(y[t]);
          }
          return sum;
        };
    return BoxMinimiser.minimise(
            sse,
            List.of(new double[] {0.3, 0.05, 0.1}),
            new double[] {0, 0, 0},
            new double[] {1, 1, 1},
            2000)
        .point();
  }

  /** Additive Holt-Winters state: level, trend and one seasonal term per position in the season. */
  static final class HoltWinters {
    private final double alpha;
    private final double beta;
    private final double gamma;
    private final double[] seasonal;
    private double level;
    private double trend;
    private int position; // index in `seasonal` of the next observation
    private final int start;

    private HoltWinters(double[] weights, int season, int start) {
      this.alpha = weights[0];
      this.beta = weights[1];
      this.gamma = season > 1 ? weights[2] : 0;
      this.seasonal = new double[season];
      this.start = start;
    }

    /**
     * Classical initialisation from the first two seasons (two points without a season): level and
     * trend from the seasons' means, seasonal terms from the first season's deviations from that
     * line. The state is positioned after the first season.
     */
    static HoltWinters initial(double[] y, int season, double[] weights) {
      if (season == 1) {
        HoltWinters model = new HoltWinters(weights, 1, 2);
        model.level = y[1];
        model.trend = y[1] - y[0];
        return model;
      }
      HoltWinters model = new HoltWinters(weights, season, season);
      double first = 0;
      double second = 0;
      for (int i = 0; i < season; i++) {
        first += y[i];
        second += y[season + i];
      }
      first /= season;
      second /= season;
      model.trend = (second - first) / season;
      double centre = (season - 1) / 2.0;
      for (int i = 0; i < season; i++) {
        model.seasonal[i] = y[i] - (first + (i - centre) * model.trend);
      }
      model.level = first + centre * model.trend;
      return model;
    }

    /** Index of the first value after the initialisation. */
    int start() {
      return start;
    }

    void forecast(double[] forecasts) {
      int season = seasonal.length;
      for (int h = 0; h < forecasts.length; h++) {
        forecasts[h] = level + (h + 1) * trend + seasonal[(position + h) % season];
      }
    }

    void update(double value) {
      double s = seasonal[position];
      double previousLevel = level;
      level = alpha * (value - s) + (1 - alpha) * (level + trend);
      trend = beta * (level - previousLevel) + (1 - beta) * trend;
      if (seasonal.length > 1) {
        seasonal[position] = gamma * (value - level) + (1 - gamma) * s;
      }
      position = (position + 1) % seasonal.length;
    }
  }

  /**
   * Exponential smoothing with additive errors, the member of the ETS family with the lowest AIC on
   * the window ({@code season} 1 = non-seasonal members only); {@link
   * ForecastMethod.Fitted#observe} runs the fitted model's recursion one step.
   */
  public static ForecastMethod ets(int season) {
    return method(
        "ets",
        (ts, window) -> {
          Ets.State state = Ets.state(window, Ets.select(window, season), season);
          return new ForecastMethod.Fitted() {
            @Override
            public void forecast(double[] forecasts) {
              state.forecast(forecasts);
            }

            @Override
            public void observe(double value) {
              state.update(value);
            }
          };
        });
  }

  /**
   * The classical Theta method, deseasonalised when the window passes the seasonality test at lag
   * {@code season} (1 = never).
   */
  public static ForecastMethod theta(int season) {
    return method("theta", (ts, window) -> Theta.fit(window, season));
  }

  /** Fits a method's state from its window. */
  @FunctionalInterface
  interface Fit {
    ForecastMethod.Fitted fit(long[] timestamps, double[] window);
  }

  static ForecastMethod method(String name, Fit fit) {
    return new ForecastMethod() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Fitted fit(long[] timestamps, double[] window) {
        return fit.fit(timestamps, window);
      }
    };
  }
}
