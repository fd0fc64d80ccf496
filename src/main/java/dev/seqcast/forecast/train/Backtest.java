package dev.seqcast.forecast.train;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.ConformalInterval;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Rolling-origin evaluation of forecast methods on one series, for horizons 1..H.
 *
 * <p>For each method and each {@link RollingOrigin} fold: fit on the fold's training window (a copy
 * of the points before its first origin), then for each origin {@code t} of the block forecast
 * points {@code t .. t+H-1} and only afterwards hand the method the value at {@code t}. Every
 * forecast is scored in {@link ForecastMetrics} per horizon and kept in a {@link Trace} for charts.
 *
 * <p>Intervals: per method and horizon, the stream's {@link ConformalInterval} learns from the
 * absolute errors of that method's earlier forecasts whose actual value was already known at the
 * origin (so it never looks ahead either); it carries over from fold to fold, as a stream's
 * calibration would across model versions. Forecasts made before it has enough residuals carry no
 * interval. A method with an error scale of its own ({@link ForecastMethod.Fitted#errorScale}, the
 * smoothed neural forecaster's) calibrates on its errors divided by the scale at their origin and
 * multiplies the quantile by the scale at the current one, as the live predictor does; the other
 * methods on raw errors.
 *
 * <p>Missing values ({@link Series#isMissing}), one rule for every method: a method sees each
 * missing value as the last observed one (carried forward, in its training window and when fed the
 * value), and a forecast of a missing point is neither scored nor used to calibrate the interval;
 * the MASE scale skips pairs with a missing value. The rule is causal: a carried value was known
 * when it is used. A series must start with an observed value, since there is nothing to carry
 * before it.
 */
public final class Backtest {

  /**
   * Evaluation settings.
   *
   * @param horizon forecast horizons 1..horizon
   * @param folds test blocks
   * @param block origins per test block
   * @param window training points per fold, 0 for all points before the block
   * @param season observations per seasonal cycle, 1 for none (MASE scale, seasonal baselines)
   * @param coverage target coverage of the intervals, e.g. 0.9
   * @param intervalWindow recent residuals an interval is computed from
   */
  public record Settings(
      int horizon,
      int folds,
      int block,
      int window,
      int season,
      double coverage,
      int intervalWindow) {

    /** Validates the settings. */
    public Settings {
      if (horizon < 1) {
        throw new IllegalArgumentException("horizon must be at least 1, was " + horizon);
      }
      if (folds < 1 || block < 1) {
        throw new IllegalArgumentException("folds and block must be at least 1");
      }
      if (window < 0) {
        throw new IllegalArgumentException("window must be 0 (all) or positive, was " + window);
      }
      if (season < 1) {
        throw new IllegalArgumentException("season must be at least 1, was " + season);
      }
      if (!(coverage > 0 && coverage < 1)) {
        throw new IllegalArgumentException("coverage must be in (0, 1), was " + coverage);
      }
    }
  }

  /**
   * Every forecast of one method at one horizon, in origin order.
   *
   * @param target index of the forecast point in the series
   * @param forecast the forecast
   * @param lo lower interval bound, NaN without an interval
   * @param hi upper interval bound, NaN without an interval
   */
  public record Trace(int[] target, double[] forecast, double[] lo, double[] hi) {}

  /**
   * The evaluation of one method.
   *
   * @param name the method's name
   * @param byHorizon metrics for horizon {@code h} at index {@code h-1}
   * @param traces forecasts for horizon {@code h} at index {@code h-1}
   * @param fitSeconds time spent fitting, summed over folds
   */
  public record MethodResult(
      String name, List<ForecastMetrics> byHorizon, List<Trace> traces, double fitSeconds) {}

  /**
   * A whole backtest.
   *
   * @param series the series evaluated
   * @param settings the settings
   * @param folds the splits used
   * @param methods one result per method, in the order given
   */
  public record Result(
      Series series,
      Settings settings,
      List<RollingOrigin.Fold> folds,
      List<MethodResult> methods) {}

  /** Told after each method has been fitted and run on a fold. */
  @FunctionalInterface
  public interface Listener {
    /** {@code done} of {@code total} (method, fold) pairs are finished. */
    void foldDone(int done, int total, String method);
  }

  private static final double DAY_MS = 86_400_000.0;

  private Backtest() {}

  /**
   * The seasonal cycle the calendar gives for the spacing of {@code timestamps}: 24 for hourly data
   * (a daily cycle), 7 for daily data (a weekly cycle; 5 for business days, recognised by weekend
   * gaps in at least a tenth of the steps), 52 for weekly, 12 for monthly and 4 for quarterly data
   * (a yearly cycle), else 1 (none assumed, as for yearly data).
   */
  public static int seasonFromSpacing(long[] timestamps) {
    if (timestamps.length < 3) {
      return 1;
    }
    long[] gaps = new long[timestamps.length - 1];
    for (int i = 1; i < timestamps.length; i++) {
      gaps[i - 1] = timestamps[i] - timestamps[i - 1];
    }
    Arrays.sort(gaps);
    double days = gaps[gaps.length / 2] / DAY_MS;
    if (Math.abs(days - 1 / 24.0) < 1e-6) {
      return 24;
    }
    if (Math.abs(days - 1) < 1e-6) {
      long weekends = Arrays.stream(gaps).filter(g -> g >= 2 * DAY_MS && g <= 4 * DAY_MS).count();
      return weekends * 10 >= gaps.length ? 5 : 7;
    }
    if (Math.abs(days - 7) < 1e-6) {
      return 52;
    }
    if (days >= 28 && days <= 31) {
      return 12;
    }
    if (days >= 89 && days <= 92) {
      return 4;
    }
    return 1;
  }

  /**
   * The default test block: a fifth of the series split over the folds, at least one horizon long.
   */
  public static int defaultBlock(int size, int folds, int horizon) {
    return Math.max(horizon, (int) Math.round(0.2 * size / folds));
  }

  /**
   * The baselines every backtest compares against: naive, seasonal naive (when {@code season} > 1),
   * drift, AR({@code arOrder}), Holt-Winters (Holt's linear trend without a season), ETS chosen by
   * AIC and Theta.
   */
  public static List<ForecastMethod> baselines(int season, int arOrder) {
    List<ForecastMethod> methods = new ArrayList<>();
    methods.add(Baselines.naive());
    if (season > 1) {
      methods.add(Baselines.seasonalNaive(season));
    }
    methods.add(Baselines.drift());
    methods.add(Baselines.autoregressive(arOrder));
    methods.add(Baselines.holtWinters(season));
    methods.add(Baselines.ets(season));
    methods.add(Baselines.theta(season));
    return methods;
  }

  /**
   * Runs every method over the folds of {@code series}.
   *
   * @param minimumTrain fewest training points a fold needs (e.g. the trainer's minimum)
   */
  public static Result run(
      Series series,
      List<ForecastMethod> methods,
      Settings settings,
      int minimumTrain,
      Listener listener) {
    double[] values = series.values();
    double[] seen = carriedForward(series);
    long[] timestamps = series.timestamps();
    List<RollingOrigin.Fold> folds =
        RollingOrigin.plan(
            values.length, settings.folds(), settings.block(), settings.window(), minimumTrain);
    List<MethodResult> results = new ArrayList<>();
    int done = 0;
    int total = methods.size() * folds.size();
    for (ForecastMethod method : methods) {
      int horizon = settings.horizon();
      List<ForecastMetrics> metrics = new ArrayList<>();
      List<TraceBuilder> traces = new ArrayList<>();
      ConformalInterval conformal =
          new ConformalInterval(settings.coverage(), settings.intervalWindow());
      List<ConformalInterval.Residuals> residuals = new ArrayList<>();
      List<ArrayDeque<double[]>> pending = new ArrayList<>();
      for (int h = 0; h < horizon; h++) {
        metrics.add(new ForecastMetrics(settings.coverage()));
        traces.add(new TraceBuilder());
        residuals.add(conformal.newResiduals());
        pending.add(new ArrayDeque<>());
      }
      double[] forecasts = new double[horizon];
      long fitNanos = 0;
      for (RollingOrigin.Fold fold : folds) {
        double[] window = Arrays.copyOfRange(seen, fold.trainFrom(), fold.origin());
        long[] windowTimes = Arrays.copyOfRange(timestamps, fold.trainFrom(), fold.origin());
        long started = System.nanoTime();
        ForecastMethod.Fitted fitted = method.fit(windowTimes, window);
        fitNanos += System.nanoTime() - started;
        double scale =
            ForecastMetrics.scale(
                Arrays.copyOfRange(values, fold.trainFrom(), fold.origin()), settings.season());
        for (int t = fold.origin(); t < fold.testTo(); t++) {
          fitted.forecast(forecasts);
          double errorScale = fitted.errorScale();
          for (int h = 0; h < horizon; h++) {
            int target = t + h;
            // Residuals whose actual value (index < t) is known by now calibrate the interval.
            ArrayDeque<double[]> known = pending.get(h);
            while (!known.isEmpty() && known.peekFirst()[0] < t) {
              residuals.get(h).add(known.pollFirst()[1]);
            }
            if (target >= values.length || series.isMissing(target)) {
              continue;
            }
            double half = conformal.halfWidth(residuals.get(h)) * errorScale;
            double lo = forecasts[h] - half;
            double hi = forecasts[h] + half;
            metrics.get(h).add(values[target], forecasts[h], seen[t - 1], scale, lo, hi);
            traces.get(h).add(target, forecasts[h], lo, hi);
            // standardised as the live predictor does (NaN, before a scale, is never added)
            known.addLast(new double[] {target, (values[target] - forecasts[h]) / errorScale});
          }
          fitted.observe(timestamps[t], seen[t]);
        }
        listener.foldDone(++done, total, method.name());
      }
      List<Trace> built = new ArrayList<>();
      traces.forEach(b -> built.add(b.build()));
      results.add(new MethodResult(method.name(), metrics, built, fitNanos / 1e9));
    }
    return new Result(series, settings, folds, results);
  }

  /** The values a method sees: each missing value replaced by the last observed one. */
  static double[] carriedForward(Series series) {
    if (series.size() > 0 && series.isMissing(0)) {
      throw new IllegalArgumentException(
          "series '"
              + series.id()
              + "' starts with a missing value: nothing to carry forward; drop the points before"
              + " its first value");
    }
    double[] seen = series.values().clone();
    for (int t = 1; t < seen.length; t++) {
      if (series.isMissing(t)) {
        seen[t] = seen[t - 1];
      }
    }
    return seen;
  }

  private static final class TraceBuilder {
    private final List<double[]> rows = new ArrayList<>();

    void add(int target, double forecast, double lo, double hi) {
      rows.add(new double[] {target, forecast, lo, hi});
    }

    Trace build() {
      int n = rows.size();
      int[] target = new int[n];
      double[] forecast = new double[n];
      double[] lo = new double[n];
      double[] hi = new double[n];
      for (int i = 0; i < n; i++) {
        double[] row = rows.get(i);
        target[i] = (int) row[0];
        forecast[i] = row[1];
        lo[i] = row[2];
        hi[i] = row[3];
      }
      return new Trace(target, forecast, lo, hi);
    }
  }
}
