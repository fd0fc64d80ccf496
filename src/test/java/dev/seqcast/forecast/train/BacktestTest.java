package dev.seqcast.forecast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.data.Series;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BacktestTest {

  private static final Backtest.Settings SETTINGS = new Backtest.Settings(4, 3, 15, 0, 12, 0.9, 50);

  private static Series seasonal(int n, long seed) {
    Random random = new Random(seed);
    long[] ts = new long[n];
    double[] v = new double[n];
    for (int t = 0; t < n; t++) {
      ts[t] = t * 3_600_000L;
      v[t] = 100 + 0.05 * t + 5 * Math.sin(2 * Math.PI * t / 12) + random.nextGaussian();
    }
    return new Series("s", ts, v);
  }

  @Test
  void foldsTrainOnlyOnPointsBeforeTheirBlock() {
    List<RollingOrigin.Fold> folds = RollingOrigin.plan(100, 3, 10, 0, 20);
    assertEquals(List.of(70, 80, 90), folds.stream().map(RollingOrigin.Fold::origin).toList());
    for (RollingOrigin.Fold f : folds) {
      assertEquals(0, f.trainFrom());
      assertEquals(f.origin() + 10, f.testTo());
    }
    List<RollingOrigin.Fold> sliding = RollingOrigin.plan(100, 2, 10, 30, 20);
    assertEquals(new RollingOrigin.Fold(50, 80, 90), sliding.get(0));
    assertEquals(new RollingOrigin.Fold(60, 90, 100), sliding.get(1));
    IllegalArgumentException tooShort =
        assertThrows(IllegalArgumentException.class, () -> RollingOrigin.plan(50, 3, 10, 0, 25));
    assertTrue(tooShort.getMessage().contains("--folds"), tooShort.getMessage());
  }

  /** A method that records what it was given, and forecasts the mean of everything it saw. */
  private static final class Recorder implements ForecastMethod {
    final List<double[]> windows = new ArrayList<>();
    final List<Double> observed = new ArrayList<>();
    final List<Integer> forecastsAfter = new ArrayList<>(); // values seen at each forecast

    @Override
    public String name() {
      return "recorder";
    }

    @Override
    public Fitted fit(long[] timestamps, double[] window) {
      windows.add(window.clone());
      int[] seen = {window.length};
      return new Fitted() {
        @Override
        public void forecast(double[] forecasts) {
          forecastsAfter.add(seen[0]);
          java.util.Arrays.fill(forecasts, 0);
        }

        @Override
        public void observe(double value) {
          observed.add(value);
          seen[0]++;
        }
      };
    }
  }

  @Test
  void methodsAreFittedOnThePastAndFedValuesOnlyAfterForecastingThem() {
    Series series = seasonal(200, 1);
    Recorder recorder = new Recorder();
    Backtest.Result result = Backtest.run(series, List.of(recorder), SETTINGS, 30, (d, t, m) -> {});
    double[] v = series.values();
    assertEquals(3, recorder.windows.size());
    int k = 0;
    int observedAt = 0;
    for (RollingOrigin.Fold fold : result.folds()) {
      double[] window = recorder.windows.get(k++);
      assertEquals(fold.origin(), window.length, "a fold fits on exactly the points before it");
      assertArrayEquals(java.util.Arrays.copyOfRange(v, 0, fold.origin()), window);
      for (int t = fold.origin(); t < fold.testTo(); t++) {
        // At origin t the method has seen exactly values[0..t): never the value it forecasts.
        assertEquals(t, recorder.forecastsAfter.get(observedAt));
        assertEquals(v[t], recorder.observed.get(observedAt));
        observedAt++;
      }
    }
  }

  @Test
  void changingTheFutureNeverChangesAnEarlierForecastOrInterval() {
    Series original = seasonal(240, 2);
    double[] changed = original.values().clone();
    int from = 215; // inside the second fold's block [210, 225)
    for (int t = from; t < changed.length; t++) {
      changed[t] += 40 + t;
    }
    Series altered = new Series("s", original.timestamps(), changed);
    List<ForecastMethod> methods = Backtest.baselines(12, 13);
    Backtest.Result a = Backtest.run(original, methods, SETTINGS, 40, (d, t, m) -> {});
    Backtest.Result b = Backtest.run(altered, methods, SETTINGS, 40, (d, t, m) -> {});
    int compared = 0;
    boolean laterDiffer = false;
    for (int m = 0; m < methods.size(); m++) {
      for (int h = 0; h < SETTINGS.horizon(); h++) {
        Backtest.Trace ta = a.methods().get(m).traces().get(h);
        Backtest.Trace tb = b.methods().get(m).traces().get(h);
        for (int i = 0; i < ta.target().length; i++) {
          int origin = ta.target()[i] - h;
          if (origin <= from) { // forecast made knowing only values before `from`
            assertEquals(
                ta.forecast()[i], tb.forecast()[i], methods.get(m).name() + " h" + (h + 1));
            assertEquals(ta.lo()[i], tb.lo()[i], methods.get(m).name() + " lo");
            assertEquals(ta.hi()[i], tb.hi()[i], methods.get(m).name() + " hi");
            compared++;
          } else if (ta.forecast()[i] != tb.forecast()[i]) {
            laterDiffer = true;
          }
        }
      }
    }
    assertTrue(compared > 100, "compared " + compared);
    assertTrue(
        laterDiffer, "the change must show up after it happened, or the test proves nothing");
  }

  @Test
  void everyHorizonIsScoredOnlyWhereItsTargetExists() {
    Backtest.Result result =
        Backtest.run(seasonal(200, 3), List.of(Baselines.naive()), SETTINGS, 30, (d, t, m) -> {});
    List<ForecastMetrics> byHorizon = result.methods().get(0).byHorizon();
    for (int h = 1; h <= SETTINGS.horizon(); h++) {
      // 45 origins; the last h-1 of them have no target inside the series for horizon h.
      assertEquals(45 - (h - 1), byHorizon.get(h - 1).count());
    }
    assertTrue(byHorizon.get(0).intervalCount() > 0);
    assertFalse(Double.isNaN(byHorizon.get(0).coverage()));
  }

  @Test
  void missingValuesAreCarriedForwardForEveryMethodAndTheirForecastsAreNotScored() {
    Series complete = seasonal(200, 4);
    double[] v = complete.values().clone();
    // three in the first fold's window; 160, 171 and 172 in the test blocks [155, 170), [170, 185)
    int[] missing = {20, 21, 22, 160, 171, 172};
    for (int t : missing) {
      v[t] = Series.MISSING;
    }
    Series gappy = new Series("g", complete.timestamps(), v);
    Recorder recorder = new Recorder();
    Backtest.Result result =
        Backtest.run(gappy, List.of(recorder, Baselines.naive()), SETTINGS, 30, (d, t, m) -> {});

    // The method saw the last observed value wherever one was missing, never a NaN.
    double[] window = recorder.windows.get(0);
    assertEquals(v[19], window[20]);
    assertEquals(v[19], window[22]);
    assertEquals(v[23], window[23]);
    assertEquals(v[159], recorder.windows.get(1)[160]);
    int firstOrigin = result.folds().get(0).origin();
    assertEquals(v[170], recorder.observed.get(171 - firstOrigin));
    assertEquals(v[170], recorder.observed.get(172 - firstOrigin));
    assertTrue(recorder.observed.stream().noneMatch(x -> Double.isNaN(x)));
    for (double[] w : recorder.windows) {
      assertTrue(java.util.Arrays.stream(w).noneMatch(Double::isNaN));
    }

    // Forecasts of the three missing points in the blocks are left out at every horizon, and the
    // scores and intervals stay finite.
    for (Backtest.MethodResult method : result.methods()) {
      for (int h = 1; h <= SETTINGS.horizon(); h++) {
        ForecastMetrics metrics = method.byHorizon().get(h - 1);
        assertEquals(45 - (h - 1) - 3, metrics.count(), method.name() + " h" + h);
        assertTrue(Double.isFinite(metrics.mase()), method.name() + " h" + h);
        assertTrue(Double.isFinite(metrics.coverage()), method.name() + " h" + h);
        for (int target : method.traces().get(h - 1).target()) {
          assertFalse(gappy.isMissing(target), "scored missing point " + target);
        }
      }
    }
    // Right after a gap, naive forecasts the value carried over it.
    Backtest.Trace naiveH1 = result.methods().get(1).traces().get(0);
    for (int i = 0; i < naiveH1.target().length; i++) {
      if (naiveH1.target()[i] == 173) {
        assertEquals(v[170], naiveH1.forecast()[i]);
      }
    }
    double[] startsMissing = v.clone();
    startsMissing[0] = Series.MISSING;
    Series leading = new Series("l", complete.timestamps(), startsMissing);
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> Backtest.run(leading, List.of(recorder), SETTINGS, 30, (d, t, m) -> {}));
    assertTrue(refused.getMessage().contains("starts with a missing value"), refused.getMessage());
  }

  @Test
  void theMaseScaleSkipsPairsWithAMissingValue() {
    assertEquals(2.0, ForecastMetrics.scale(new double[] {1, 3, Double.NaN, 7, 9}, 1));
    assertEquals(1.0, ForecastMetrics.scale(new double[] {1, 2, 3, 4}, 1));
  }

  @Test
  void seasonFollowsTheSpacingOfTheData() {
    long hour = 3_600_000L;
    long day = 24 * hour;
    assertEquals(24, Backtest.seasonFromSpacing(new long[] {0, hour, 2 * hour, 3 * hour}));
    assertEquals(12, Backtest.seasonFromSpacing(new long[] {0, 31 * day, 59 * day, 90 * day}));
    assertEquals(7, Backtest.seasonFromSpacing(new long[] {0, day, 2 * day, 3 * day}));
    // Monday to Friday, then the next Monday and Tuesday: a business-day week has five points.
    assertEquals(
        5, Backtest.seasonFromSpacing(new long[] {0, day, 2 * day, 3 * day, 4 * day, 7 * day}));
    assertEquals(52, Backtest.seasonFromSpacing(new long[] {0, 7 * day, 14 * day, 21 * day}));
    assertEquals(1, Backtest.seasonFromSpacing(new long[] {0, 365 * day, 730 * day, 1096 * day}));
  }

  @Test
  void everySeasonalBaselineIsSeasonalWheneverTheBacktestHasASeason() {
    List<String> weekly = Backtest.baselines(7, 8).stream().map(ForecastMethod::name).toList();
    assertEquals(
        List.of("naive", "seasonal-naive", "drift", "ar(8)", "holt-winters", "ets", "theta"),
        weekly);
    List<String> none = Backtest.baselines(1, 2).stream().map(ForecastMethod::name).toList();
    assertEquals(List.of("naive", "drift", "ar(2)", "holt", "ets", "theta"), none);
    // The seasonal methods really use the season: on a weekly pattern they beat seasonal naive's
    // noise, which Holt (a line) cannot even follow.
    Random random = new Random(8);
    double[] pattern = {0, 4, 5, 5, 6, 9, -3};
    long[] ts = new long[300];
    double[] v = new double[300];
    for (int t = 0; t < v.length; t++) {
      ts[t] = t * 86_400_000L;
      v[t] = 30 + pattern[t % 7] + 0.5 * random.nextGaussian();
    }
    Backtest.Settings settings = new Backtest.Settings(7, 2, 20, 0, 7, 0.9, 50);
    Backtest.Result result =
        Backtest.run(
            new Series("w", ts, v),
            List.of(Baselines.seasonalNaive(7), Baselines.holtWinters(1), Baselines.holtWinters(7)),
            settings,
            20,
            (d, t, m) -> {});
    double seasonalNaive = result.methods().get(0).byHorizon().get(0).mase();
    double holt = result.methods().get(1).byHorizon().get(0).mase();
    double holtWinters = result.methods().get(2).byHorizon().get(0).mase();
    assertTrue(holtWinters < 0.85 * seasonalNaive, holtWinters + " vs " + seasonalNaive);
    assertTrue(holtWinters < 0.5 * holt, holtWinters + " vs " + holt);
  }

  /**
   * Forecasts 0 and, when {@code scaled}, knows the noise's true size at the next point: what a
   * method with an error scale of its own hands the backtest's conformal step.
   */
  private static ForecastMethod zero(double[] sigma, boolean scaled) {
    return new ForecastMethod() {
      @Override
      public String name() {
        return scaled ? "scaled" : "raw";
      }

      @Override
      public Fitted fit(long[] timestamps, double[] window) {
        int[] next = {window.length};
        return new Fitted() {
          @Override
          public void forecast(double[] forecasts) {
            java.util.Arrays.fill(forecasts, 0);
          }

          @Override
          public void observe(double value) {
            next[0]++;
          }

          @Override
          public double errorScale() {
            return scaled ? sigma[next[0]] : 1;
          }
        };
      }
    };
  }

  @Test
  void aMethodsErrorScaleStandardisesTheResidualsItsIntervalIsCalibratedOn() {
    // noise of size 1 and 10 in turns of 40 points: a raw window lags each change of regime
    int n = 1_200;
    double[] sigma = new double[n];
    long[] ts = new long[n];
    double[] v = new double[n];
    Random random = new Random(3);
    for (int t = 0; t < n; t++) {
      sigma[t] = (t / 40) % 2 == 0 ? 1 : 10;
      ts[t] = t * 3_600_000L;
      v[t] = sigma[t] * random.nextGaussian();
    }
    Backtest.Settings settings = new Backtest.Settings(1, 3, 300, 0, 1, 0.9, 100);
    Backtest.Result result =
        Backtest.run(
            new Series("regimes", ts, v),
            List.of(zero(sigma, true), zero(sigma, false)),
            settings,
            100,
            (d, t, m) -> {});
    ForecastMetrics scaled = result.methods().get(0).byHorizon().get(0);
    ForecastMetrics raw = result.methods().get(1).byHorizon().get(0);
    assertEquals(900 - 9, scaled.intervalCount(), "an interval from the 10th residual on");
    assertTrue(Math.abs(scaled.coverage() - 0.9) < 0.03, "scaled " + scaled.coverage());
    // the scaled band is as wide as the regime: 10 times wider in the loud one
    Backtest.Trace trace = result.methods().get(0).traces().get(0);
    double loud = 0;
    double quiet = 0;
    int loudCount = 0;
    int quietCount = 0;
    for (int i = 0; i < trace.target().length; i++) {
      double width = trace.hi()[i] - trace.lo()[i];
      if (!Double.isFinite(width)) {
        continue;
      }
      if (sigma[trace.target()[i]] > 1) {
        loud += width;
        loudCount++;
      } else {
        quiet += width;
        quietCount++;
      }
    }
    double ratio = (loud / loudCount) / (quiet / quietCount);
    assertTrue(ratio > 8 && ratio < 12, "loud / quiet width " + ratio);
    // and it scores better than the raw band, which is too wide in the quiet turns
    assertTrue(scaled.winkler() < 0.8 * raw.winkler(), scaled.winkler() + " vs " + raw.winkler());
  }
}
