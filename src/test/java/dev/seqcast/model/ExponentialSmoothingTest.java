package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.SmoothingSpec.Transform;
import dev.seqcast.testkit.TestModels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ExponentialSmoothingTest {

  private static final int SEASON = 12;

  private static ExponentialSmoothing smoothing(double level, double trend, double seasonal) {
    return new ExponentialSmoothing(
        TestModels.smoothing(Transform.ADDITIVE, SEASON, level, trend, 0.95, seasonal, 24));
  }

  /** A noisy seasonal series around {@code offset}, trending, of either sign. */
  private static double[] seasonalSeries(int n, double offset, long seed) {
    Random random = new Random(seed);
    double[] y = new double[n];
    for (int t = 0; t < n; t++) {
      y[t] = offset + 0.05 * t + 3 * Math.sin(2 * Math.PI * t / SEASON) + random.nextGaussian();
    }
    return y;
  }

  private static double[] forecastsAfter(ExponentialSmoothing smoothing, double[] y, int h) {
    ExponentialSmoothing.State state = smoothing.newState();
    for (double v : y) {
      smoothing.observe(state, v);
    }
    double[] f = new double[h];
    smoothing.forecasts(state, f);
    return f;
  }

  @Test
  void theStateAfterAValueDependsOnlyOnTheValuesUpToIt() {
    ExponentialSmoothing smoothing = smoothing(0.3, 0.05, 0.2);
    double[] a = seasonalSeries(300, 10, 1);
    double[] b = a.clone();
    for (int t = 150; t < b.length; t++) {
      b[t] = -1e6 * t; // a wildly different future
    }
    ExponentialSmoothing.State sa = smoothing.newState();
    ExponentialSmoothing.State sb = smoothing.newState();
    double[] fa = new double[24];
    double[] fb = new double[24];
    for (int t = 0; t < 150; t++) {
      assertEquals(smoothing.observe(sa, a[t]), smoothing.observe(sb, b[t]));
      smoothing.forecasts(sa, fa);
      smoothing.forecasts(sb, fb);
      assertArrayEquals(fa, fb, 0.0, "step " + t);
      assertEquals(smoothing.scale(sa), smoothing.scale(sb));
    }
  }

  @Test
  void aNegatedSeriesGetsNegatedForecastsAndTheSameScale() {
    ExponentialSmoothing smoothing = smoothing(0.3, 0.05, 0.2);
    double[] y = seasonalSeries(400, 5, 2);
    double[] negated = new double[y.length];
    for (int t = 0; t < y.length; t++) {
      negated[t] = -y[t];
    }
    double[] f = forecastsAfter(smoothing, y, 24);
    double[] g = forecastsAfter(smoothing, negated, 24);
    for (int h = 0; h < 24; h++) {
      assertEquals(-f[h], g[h], 1e-9 * Math.abs(f[h]) + 1e-12, "h=" + (h + 1));
    }
    assertEquals(scaleAfter(smoothing, y), scaleAfter(smoothing, negated), 1e-12);
  }

  @Test
  void aShiftedSeriesGetsShiftedForecastsAcrossZero() {
    ExponentialSmoothing smoothing = smoothing(0.3, 0.05, 0.2);
    double[] y = seasonalSeries(400, 0, 3); // crosses zero many times
    double[] shifted = new double[y.length];
    for (int t = 0; t < y.length; t++) {
      shifted[t] = y[t] - 1_000;
    }
    double[] f = forecastsAfter(smoothing, y, 24);
    double[] g = forecastsAfter(smoothing, shifted, 24);
    for (int h = 0; h < 24; h++) {
      assertEquals(f[h] - 1_000, g[h], 1e-8, "h=" + (h + 1));
    }
    assertEquals(scaleAfter(smoothing, y), scaleAfter(smoothing, shifted), 1e-9);
  }

  private static double scaleAfter(ExponentialSmoothing smoothing, double[] y) {
    ExponentialSmoothing.State state = smoothing.newState();
    for (double v : y) {
      smoothing.observe(state, v);
    }
    return smoothing.scale(state);
  }

  @Test
  void aPureSeasonalSeriesIsForecastExactlyOnceItsIndicesAreLearned() {
    double[] pattern = {5, -2, 0, 7, 3, 3, -8, 0, 1, 12, -4, 2};
    ExponentialSmoothing smoothing = smoothing(0.2, 0, 0.3);
    ExponentialSmoothing.State state = smoothing.newState();
    double[] f = new double[2 * SEASON];
    int t = 0;
    for (; t < 60 * SEASON; t++) {
      smoothing.observe(state, 100 + pattern[t % SEASON]);
    }
    smoothing.forecasts(state, f);
    for (int h = 1; h <= f.length; h++) {
      assertEquals(100 + pattern[(t + h - 1) % SEASON], f[h - 1], 1e-6, "h=" + h);
    }
  }

  @Test
  void aSeasonalSeriesOnALineIsForecastExactlyWithAnUndampedTrend() {
    ExponentialSmoothing smoothing =
        new ExponentialSmoothing(
            TestModels.smoothing(Transform.ADDITIVE, 4, 0.3, 0.1, 1.0, 0.2, 8));
    double[] pattern = {1, -1, 2, -2};
    ExponentialSmoothing.State state = smoothing.newState();
    int t = 0;
    for (; t < 800; t++) {
      smoothing.observe(state, -50 + 0.5 * t + pattern[t % 4]);
    }
    double[] f = new double[8];
    smoothing.forecasts(state, f);
    for (int h = 1; h <= 8; h++) {
      int target = t + h - 1;
      assertEquals(-50 + 0.5 * target + pattern[target % 4], f[h - 1], 1e-6, "h=" + h);
    }
  }

  @Test
  void skippingAStepIsObservingTheSmoothingsOwnForecast() {
    ExponentialSmoothing smoothing = smoothing(0.3, 0.1, 0.2);
    double[] y = seasonalSeries(200, 20, 4);
    ExponentialSmoothing.State skipped = smoothing.newState();
    ExponentialSmoothing.State observed = smoothing.newState();
    for (double v : y) {
      smoothing.observe(skipped, v);
      smoothing.observe(observed, v);
    }
    double scaleBefore = smoothing.scale(skipped);
    smoothing.skip(skipped, 7);
    double[] one = new double[1];
    for (int k = 0; k < 7; k++) {
      smoothing.forecasts(observed, one);
      assertEquals(0.0, smoothing.observe(observed, one[0]), 1e-12);
    }
    assertEquals(observed.level(), skipped.level(), 1e-9);
    assertEquals(observed.trend(), skipped.trend(), 1e-12);
    assertEquals(observed.position(), skipped.position());
    for (int i = 0; i < SEASON; i++) {
      assertEquals(observed.seasonal(i), skipped.seasonal(i), 1e-9);
    }
    assertEquals(scaleBefore, smoothing.scale(skipped), "a skipped step says nothing about errors");
  }

  @Test
  void aConstantZeroSeriesForecastsZeroWithAPositiveScale() {
    ExponentialSmoothing smoothing = smoothing(0.3, 0.1, 0.2);
    ExponentialSmoothing.State state = smoothing.newState();
    for (int t = 0; t < 1_000; t++) {
      assertEquals(0.0, smoothing.observe(state, 0.0));
    }
    double[] f = new double[24];
    smoothing.forecasts(state, f);
    assertArrayEquals(new double[24], f);
    assertTrue(smoothing.scale(state) > 0);
  }

  @Test
  void theScaleIsTheRunningMeanAbsoluteErrorWhileYoung() {
    ExponentialSmoothing smoothing =
        new ExponentialSmoothing(TestModels.smoothing(Transform.ADDITIVE, 1, 1.0, 0, 1, 0, 1));
    ExponentialSmoothing.State state = smoothing.newState();
    double[] y = {10, 12, 9, 9, 13}; // naive errors 2, -3, 0, 4
    for (double v : y) {
      smoothing.observe(state, v);
    }
    assertEquals((2 + 3 + 0 + 4) / 4.0, smoothing.scale(state), 1e-12);
  }

  @Test
  void theLogTransformWithLevelOneForecastsTheLastValueAndScalesByVolatility() {
    ExponentialSmoothing smoothing =
        new ExponentialSmoothing(TestModels.smoothing(Transform.LOG, 1, 1.0, 0, 1, 0, 3));
    ExponentialSmoothing.State state = smoothing.newState();
    double[] prices = {100, 110, 99};
    for (double p : prices) {
      smoothing.observe(state, smoothing.toModel(p));
    }
    double[] f = new double[3];
    smoothing.forecasts(state, f);
    for (double v : f) {
      assertEquals(99, smoothing.fromModel(v), 1e-9);
    }
    double r1 = Math.log(110 / 100.0);
    double r2 = Math.log(99 / 110.0);
    assertEquals(Math.sqrt((r1 * r1 + r2 * r2) / 2), smoothing.scale(state), 1e-12);
    assertFalse(smoothing.accepts(0));
    assertFalse(smoothing.accepts(-1));
    assertTrue(
        new ExponentialSmoothing(TestModels.smoothing(Transform.ADDITIVE, 1, 1.0, 0, 1, 0, 3))
            .accepts(-1));
  }
}
