package dev.seqcast.forecast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
