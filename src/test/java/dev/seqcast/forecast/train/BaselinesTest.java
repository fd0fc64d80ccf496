package dev.seqcast.forecast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.data.Series;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BaselinesTest {

  private static final long[] NO_TIMES = new long[0];

  private static double[] forecast(ForecastMethod.Fitted fitted, int horizon) {
    double[] f = new double[horizon];
    fitted.forecast(f);
    return f;
  }

  @Test
  void naiveRepeatsTheLastValueSeen() {
    ForecastMethod.Fitted fitted = Baselines.naive().fit(NO_TIMES, new double[] {3, 5, 4});
    assertArrayEquals(new double[] {4, 4, 4}, forecast(fitted, 3));
    fitted.observe(9);
    assertArrayEquals(new double[] {9, 9}, forecast(fitted, 2));
  }

  @Test
  void seasonalNaiveRepeatsTheLastSeason() {
    ForecastMethod.Fitted fitted =
        Baselines.seasonalNaive(3).fit(NO_TIMES, new double[] {0, 1, 2, 3, 10, 20, 30});
    assertArrayEquals(new double[] {10, 20, 30, 10, 20}, forecast(fitted, 5));
    fitted.observe(11);
    assertArrayEquals(new double[] {20, 30, 11, 20}, forecast(fitted, 4));
  }

  @Test
  void driftExtendsTheLineFromTheFirstToTheLastValue() {
    ForecastMethod.Fitted fitted = Baselines.drift().fit(NO_TIMES, new double[] {2, 9, 4, 8});
    // slope (8 - 2) / 3 = 2
    assertArrayEquals(new double[] {10, 12, 14}, forecast(fitted, 3), 1e-12);
    fitted.observe(20); // slope (20 - 2) / 4 = 4.5
    assertArrayEquals(new double[] {24.5, 29}, forecast(fitted, 2), 1e-12);
  }

  @Test
  void autoregressiveFitRecoversTheCoefficientsOfASyntheticAr2() {
    Random random = new Random(11);
    double[] y = new double[20_000];
    y[0] = 10;
    y[1] = 10;
    for (int t = 2; t < y.length; t++) {
      y[t] = 2.0 + 0.6 * y[t - 1] - 0.3 * y[t - 2] + random.nextGaussian();
    }
    double[] c = Baselines.fitAutoregressive(y, 2);
    assertEquals(2.0, c[0], 0.1);
    assertEquals(0.6, c[1], 0.02);
    assertEquals(-0.3, c[2], 0.02);
  }

  @Test
  void autoregressiveMultiStepIteratesTheFittedRecursion() {
    // y_t = 1 + 0.5 y_{t-1} exactly: forecasts follow the recursion from the last value.
    double[] y = new double[30];
    y[0] = 10;
    for (int t = 1; t < y.length; t++) {
      y[t] = 1 + 0.5 * y[t - 1] + (t % 2 == 0 ? 1e-9 : -1e-9);
    }
    ForecastMethod.Fitted fitted = Baselines.autoregressive(1).fit(NO_TIMES, y);
    double last = y[y.length - 1];
    double[] f = forecast(fitted, 3);
    assertEquals(1 + 0.5 * last, f[0], 1e-6);
    assertEquals(1 + 0.5 * f[0], f[1], 1e-6);
    assertEquals(1 + 0.5 * f[1], f[2], 1e-6);
  }

  @Test
  void holtWintersForecastsAPureTrendPlusSeasonExactly() {
    double[] pattern = {3, -1, 4, -1, -5, 0};
    int season = pattern.length;
    double[] y = new double[10 * season];
    for (int t = 0; t < y.length + 2 * season; t++) {
      if (t < y.length) {
        y[t] = 50 + 0.7 * t + pattern[t % season];
      }
    }
    ForecastMethod.Fitted fitted = Baselines.holtWinters(season).fit(NO_TIMES, y);
    double[] f = forecast(fitted, 2 * season);
    for (int h = 0; h < f.length; h++) {
      int t = y.length + h;
      assertEquals(50 + 0.7 * t + pattern[t % season], f[h], 1e-6, "h=" + (h + 1));
    }
    fitted.observe(50 + 0.7 * y.length + pattern[0]);
    assertEquals(50 + 0.7 * (y.length + 1) + pattern[1], forecast(fitted, 1)[0], 1e-6);
  }

  @Test
  void holtWithoutSeasonExtendsALine() {
    double[] y = new double[40];
    for (int t = 0; t < y.length; t++) {
      y[t] = 3 - 0.25 * t;
    }
    double[] f = forecast(Baselines.holtWinters(1).fit(NO_TIMES, y), 4);
    for (int h = 0; h < 4; h++) {
      assertEquals(3 - 0.25 * (y.length + h), f[h], 1e-9);
    }
  }

  @Test
  void holtWintersWeightsTrackALevelShiftBetterThanALineCould() {
    // A noisy level that jumps: the fitted alpha must be large enough to follow it.
    Random random = new Random(3);
    double[] y = new double[200];
    for (int t = 0; t < y.length; t++) {
      y[t] = (t < 100 ? 10 : 30) + 0.1 * random.nextGaussian();
    }
    double[] w = Baselines.fitHoltWinters(y, 1);
    assertEquals(true, w[0] > 0.5, "alpha " + w[0]);
  }

  /** MASE at horizons 1 and {@code horizon} of each method over two folds of 24 origins. */
  private static Map<String, double[]> mase(
      double[] y, int season, int horizon, List<ForecastMethod> methods) {
    long[] ts = new long[y.length];
    for (int t = 0; t < ts.length; t++) {
      ts[t] = t * 3_600_000L;
    }
    Backtest.Settings settings = new Backtest.Settings(horizon, 2, 24, 0, season, 0.9, 50);
    Backtest.Result result =
        Backtest.run(new Series("s", ts, y), methods, settings, 2 * season + 2, (d, t, m) -> {});
    Map<String, double[]> byName = new LinkedHashMap<>();
    for (Backtest.MethodResult m : result.methods()) {
      byName.put(
          m.name(),
          new double[] {m.byHorizon().get(0).mase(), m.byHorizon().get(horizon - 1).mase()});
    }
    return byName;
  }

  private static double[] additiveSeason(int n, long seed) {
    double[] pattern = {6, 9, 4, -2, -7, -10, -6, -3, 0, 2, 3, 4};
    Random random = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = 100 + pattern[t % 12] + random.nextGaussian();
    }
    return y;
  }

  private static double[] multiplicativeSeason(int n, long seed) {
    double[] factor = {1.1, 1.3, 1.2, 0.9, 0.7, 0.6, 0.8, 0.9, 1.0, 1.1, 1.2, 1.2};
    Random random = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = (20 + 0.8 * t) * factor[t % 12] + random.nextGaussian();
    }
    return y;
  }

  @Test
  void holtWintersFitsAGrowingSeasonWhereBobyqaUsedToGiveUp() {
    // BOBYQA started with its default trust region threw "trust region step has failed to reduce
    // Q" on this window, and the whole backtest with it.
    double[] window = Arrays.copyOf(multiplicativeSeason(216, 7), 168);
    double[] f = forecast(Baselines.holtWinters(12).fit(NO_TIMES, window), 12);
    assertTrue(Arrays.stream(f).allMatch(Double::isFinite), Arrays.toString(f));
    for (double w : Baselines.fitHoltWinters(window, 12)) {
      assertTrue(w >= 0 && w <= 1, "weight " + w);
    }
  }

  @Test
  void etsChoosesAdditiveSeasonalityForAFixedPatternAndBeatsSeasonalNaive() {
    double[] y = additiveSeason(216, 5);
    Ets.Fit fit = Ets.select(y, 12);
    assertEquals(Ets.Seasonality.ADDITIVE, fit.spec().seasonality(), fit.spec().toString());
    assertEquals(Ets.Trend.NONE, fit.spec().trend(), fit.spec().toString());
    Map<String, double[]> mase =
        mase(y, 12, 12, List.of(Baselines.seasonalNaive(12), Baselines.ets(12)));
    // Seasonal naive carries last year's noise into every forecast; ETS averages it out.
    for (int h = 0; h < 2; h++) {
      assertTrue(mase.get("ets")[h] < 0.85 * mase.get("seasonal-naive")[h], "h index " + h);
    }
  }

  @Test
  void etsChoosesMultiplicativeSeasonalityForAPatternThatGrowsWithTheLevel() {
    double[] y = multiplicativeSeason(216, 7);
    Ets.Fit fit = Ets.select(y, 12);
    assertEquals(Ets.Seasonality.MULTIPLICATIVE, fit.spec().seasonality(), fit.spec().toString());
    assertNotEquals(Ets.Trend.NONE, fit.spec().trend(), fit.spec().toString());
    Map<String, double[]> mase =
        mase(
            y,
            12,
            12,
            List.of(Baselines.seasonalNaive(12), Baselines.holtWinters(12), Baselines.ets(12)));
    for (int h = 0; h < 2; h++) {
      assertTrue(mase.get("ets")[h] < 0.8 * mase.get("seasonal-naive")[h], "h index " + h);
      // Additive Holt-Winters cannot widen its season as the level grows.
      assertTrue(mase.get("ets")[h] < mase.get("holt-winters")[h], "h index " + h);
    }
  }

  @Test
  void etsNeverOffersMultiplicativeSeasonalityWhenAValueIsNotPositive() {
    double[] y = multiplicativeSeason(216, 7);
    y[100] = 0;
    assertTrue(
        Ets.candidates(y, 12).stream()
            .noneMatch(s -> s.seasonality() == Ets.Seasonality.MULTIPLICATIVE));
    assertEquals(9, Ets.candidates(multiplicativeSeason(216, 7), 12).size());
    assertEquals(3, Ets.candidates(multiplicativeSeason(216, 7), 1).size());
  }

  @Test
  void etsChoosesADampedTrendForASlopeThatDiesOut() {
    Random random = new Random(9);
    double[] y = new double[160];
    for (int t = 0; t < y.length; t++) {
      y[t] = 200 * (1 - Math.pow(0.97, t)) + 0.5 * random.nextGaussian();
    }
    Ets.Fit fit = Ets.select(y, 1);
    assertEquals(Ets.Trend.DAMPED, fit.spec().trend(), fit.spec().toString());
    assertEquals(Ets.Seasonality.NONE, fit.spec().seasonality(), fit.spec().toString());
    Map<String, double[]> mase =
        mase(y, 1, 12, List.of(Baselines.naive(), Baselines.drift(), Baselines.ets(1)));
    for (int h = 0; h < 2; h++) {
      assertTrue(mase.get("ets")[h] < mase.get("naive")[h], "h index " + h);
      assertTrue(mase.get("ets")[h] < mase.get("drift")[h], "h index " + h);
    }
  }

  @Test
  void etsChoosesTheLevelAloneForNoiseAroundAConstant() {
    Random random = new Random(13);
    double[] y = new double[200];
    for (int t = 0; t < y.length; t++) {
      y[t] = 50 + random.nextGaussian();
    }
    assertEquals("ETS(A,N,N)", Ets.select(y, 12).spec().toString());
  }

  @Test
  void thetaExtendsALineFromItsLastValueAtHalfItsSlope() {
    double[] y = new double[60];
    for (int t = 0; t < y.length; t++) {
      y[t] = 5 + 2 * t;
    }
    double[] f = forecast(Baselines.theta(1).fit(NO_TIMES, y), 6);
    // The smoothed theta = 2 line sits on the last value; the theta = 0 line adds half the slope.
    for (int h = 1; h <= 6; h++) {
      assertEquals(y[y.length - 1] + h * 1.0, f[h - 1], 1e-2, "h=" + h);
    }
  }

  @Test
  void thetaForecastsRiseByHalfTheLeastSquaresSlopeEachStep() {
    Random random = new Random(21);
    double[] y = new double[120];
    for (int t = 0; t < y.length; t++) {
      y[t] = 40 + 0.3 * t + 2 * random.nextGaussian();
    }
    double meanT = (y.length - 1) / 2.0;
    double meanY = Arrays.stream(y).average().orElseThrow();
    double sxy = 0;
    double sxx = 0;
    for (int t = 0; t < y.length; t++) {
      sxy += (t - meanT) * (y[t] - meanY);
      sxx += (t - meanT) * (t - meanT);
    }
    double slope = sxy / sxx;
    ForecastMethod.Fitted fitted = Baselines.theta(1).fit(NO_TIMES, y);
    double[] f = forecast(fitted, 8);
    for (int h = 1; h < f.length; h++) {
      assertEquals(slope / 2, f[h] - f[h - 1], 1e-9, "step to h=" + (h + 1));
    }
    fitted.observe(y[y.length - 1] + 10); // a jump moves the level, not the slope
    double[] g = forecast(fitted, 8);
    assertTrue(g[0] > f[1], "the jump must raise the forecast");
    for (int h = 1; h < g.length; h++) {
      assertEquals(slope / 2, g[h] - g[h - 1], 1e-9);
    }
  }

  @Test
  void thetaSeasonalityTestTellsASeasonFromNoise() {
    assertTrue(Theta.seasonal(multiplicativeSeason(120, 3), 12));
    Random random = new Random(4);
    double[] noise = new double[120];
    for (int t = 0; t < noise.length; t++) {
      noise[t] = 10 + random.nextGaussian();
    }
    assertFalse(Theta.seasonal(noise, 12));
    assertFalse(Theta.seasonal(multiplicativeSeason(30, 3), 12), "under three seasons");
  }

  @Test
  void thetaDeseasonalisesASeasonalSeriesAndBeatsSeasonalNaive() {
    double[] y = multiplicativeSeason(216, 11);
    Map<String, double[]> mase =
        mase(y, 12, 12, List.of(Baselines.seasonalNaive(12), Baselines.theta(12)));
    for (int h = 0; h < 2; h++) {
      assertTrue(mase.get("theta")[h] < 0.8 * mase.get("seasonal-naive")[h], "h index " + h);
    }
    // With a zero in the window the multiplicative adjustment is off: the forecast is a line.
    y[50] = 0;
    double[] f = forecast(Baselines.theta(12).fit(NO_TIMES, y), 12);
    for (int h = 2; h < f.length; h++) {
      assertEquals(f[1] - f[0], f[h] - f[h - 1], 1e-9);
    }
  }

  @Test
  void forecastsBeforeAValueIsObservedDoNotDependOnIt() {
    double[] window = multiplicativeSeason(180, 17);
    for (ForecastMethod method : List.of(Baselines.ets(12), Baselines.theta(12))) {
      ForecastMethod.Fitted a = method.fit(NO_TIMES, window.clone());
      ForecastMethod.Fitted b = method.fit(NO_TIMES, window.clone());
      double[] common = multiplicativeSeason(200, 23);
      for (int t = 180; t < 190; t++) {
        assertArrayEquals(forecast(a, 12), forecast(b, 12), method.name() + " t=" + t);
        a.observe(common[t]);
        b.observe(common[t]);
      }
      // The forecast made before x_190 is observed is the same whatever x_190 will be ...
      assertArrayEquals(forecast(a, 12), forecast(b, 12), method.name());
      a.observe(common[190]);
      b.observe(common[190] + 25); // the two series part here
      // ... and only the forecasts made after it differ.
      assertFalse(
          Arrays.equals(forecast(a, 12), forecast(b, 12)),
          method.name() + ": a different value must change the next forecasts");
    }
  }
}
