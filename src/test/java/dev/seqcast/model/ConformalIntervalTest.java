package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class ConformalIntervalTest {

  /**
   * Realised coverage over {@code trials} independent draws of {@code n + 1} exchangeable
   * residuals: the interval from the first {@code n} either covers the last or not.
   */
  private static double realisedCoverage(
      ConformalInterval calibrator, int n, int trials, DoubleSupplier residual) {
    ConformalInterval.Residuals residuals = calibrator.newResiduals();
    int covered = 0;
    for (int t = 0; t < trials; t++) {
      residuals.clear();
      for (int i = 0; i < n; i++) {
        residuals.add(residual.getAsDouble());
      }
      if (Math.abs(residual.getAsDouble()) <= calibrator.halfWidth(residuals)) {
        covered++;
      }
    }
    return covered / (double) trials;
  }

  /** Four binomial standard errors of a proportion {@code p} estimated from {@code trials}. */
  private static double tolerance(double p, int trials) {
    return 4 * Math.sqrt(p * (1 - p) / trials);
  }

  @Test
  void coverageOnExchangeableResidualsIsTheConformalRankOverNPlusOne() {
    ConformalInterval calibrator = ConformalInterval.defaults();
    Random random = new Random(11);
    int trials = 20_000;
    double realised = realisedCoverage(calibrator, 100, trials, random::nextGaussian);
    // k = ceil(101 * 0.9) = 91: exact coverage 91/101 for continuous residuals.
    double expected = 91.0 / 101;
    assertEquals(expected, realised, tolerance(expected, trials));
    assertTrue(realised >= 0.9 - tolerance(0.9, trials), "coverage " + realised);
  }

  @Test
  void coverageHoldsForHeavyTailedResidualsToo() {
    // Cauchy residuals have no variance: an interval from a variance estimate would be meaningless,
    // the conformal one is distribution-free.
    ConformalInterval calibrator = new ConformalInterval(0.8, 50);
    Random random = new Random(5);
    int trials = 20_000;
    double realised =
        realisedCoverage(
            calibrator, 50, trials, () -> Math.tan(Math.PI * (random.nextDouble() - 0.5)));
    double expected = ConformalInterval.rank(0.8, 50) / 51.0;
    assertEquals(expected, realised, tolerance(expected, trials));
  }

  @Test
  void theFiniteSampleCorrectionKeepsSmallWindowsAtOrAboveTarget() {
    // With 15 residuals the uncorrected rank ceil(15 * 0.9) = 14 would cover 14/16 = 0.875;
    // the corrected rank ceil(16 * 0.9) = 15 covers 15/16 = 0.9375.
    assertEquals(15, ConformalInterval.rank(0.9, 15));
    ConformalInterval calibrator = new ConformalInterval(0.9, 15);
    Random random = new Random(3);
    int trials = 40_000;
    double realised = realisedCoverage(calibrator, 15, trials, random::nextGaussian);
    assertEquals(15.0 / 16, realised, tolerance(15.0 / 16, trials));
    assertTrue(realised > 0.9 + tolerance(0.9, trials), "coverage " + realised);
  }

  @Test
  void thereIsNoIntervalUntilTheRankFitsTheResidualsHeld() {
    ConformalInterval calibrator = ConformalInterval.defaults();
    // ceil(10 * 0.9) = 9 <= 9 residuals; with 8, ceil(9 * 0.9) = 9 > 8.
    assertEquals(9, calibrator.minimumResiduals());
    ConformalInterval.Residuals residuals = calibrator.newResiduals();
    for (int i = 1; i <= 8; i++) {
      residuals.add(i);
      assertTrue(Double.isNaN(calibrator.halfWidth(residuals)));
    }
    residuals.add(-9);
    // Rank 9 of 9 with nine residuals: the largest.
    assertEquals(9, calibrator.halfWidth(residuals));
    residuals.add(10);
    // n = 10: rank ceil(11 * 0.9) = 10, still the largest.
    assertEquals(10, calibrator.halfWidth(residuals));
    assertEquals(19, new ConformalInterval(0.95, 100).minimumResiduals());
  }

  @Test
  void theHalfWidthIsTheRankedResidualOfTheNewestWindow() {
    ConformalInterval calibrator = new ConformalInterval(0.5, 20);
    ConformalInterval.Residuals residuals = calibrator.newResiduals();
    Random random = new Random(7);
    double[] history = new double[500];
    for (int t = 0; t < history.length; t++) {
      history[t] = random.nextGaussian() * (1 + t % 13);
      residuals.add(history[t]);
      int n = Math.min(t + 1, 20);
      if (n < calibrator.minimumResiduals()) {
        continue;
      }
      double[] window = new double[n];
      for (int i = 0; i < n; i++) {
        window[i] = (float) Math.abs(history[t - i]);
      }
      Arrays.sort(window);
      assertEquals(window[ConformalInterval.rank(0.5, n) - 1], calibrator.halfWidth(residuals));
    }
  }

  @Test
  void tiesAndConstantResidualsGiveThatConstant() {
    ConformalInterval calibrator = ConformalInterval.defaults();
    ConformalInterval.Residuals residuals = calibrator.newResiduals();
    for (int i = 0; i < 300; i++) {
      residuals.add(i % 2 == 0 ? 2.5 : -2.5);
    }
    assertEquals(2.5, calibrator.halfWidth(residuals));
  }

  @Test
  void oldResidualsLeaveTheWindow() {
    ConformalInterval calibrator = new ConformalInterval(0.9, 30);
    ConformalInterval.Residuals residuals = calibrator.newResiduals();
    for (int i = 0; i < 30; i++) {
      residuals.add(1000);
    }
    for (int i = 0; i < 30; i++) {
      residuals.add(1);
    }
    assertEquals(1, calibrator.halfWidth(residuals));
    assertEquals(30, residuals.count());
  }

  @Test
  void nonFiniteResidualsAreNotHeld() {
    ConformalInterval.Residuals residuals = ConformalInterval.defaults().newResiduals();
    residuals.add(Double.NaN);
    residuals.add(Double.POSITIVE_INFINITY);
    assertEquals(0, residuals.count());
  }

  @Test
  void pValuesAreUniformOnExchangeableResidualsAndSmallForOutliers() {
    ConformalInterval calibrator = new ConformalInterval(0.9, 99);
    ConformalInterval.Residuals residuals = calibrator.newResiduals();
    Random random = new Random(13);
    int trials = 20_000;
    int atMostFivePercent = 0;
    for (int t = 0; t < trials; t++) {
      residuals.clear();
      for (int i = 0; i < 99; i++) {
        residuals.add(random.nextGaussian());
      }
      if (calibrator.pValue(residuals, random.nextGaussian()) <= 0.05) {
        atMostFivePercent++;
      }
    }
    // P(p <= 5/100) = 5/100 exactly for a valid conformal p-value with n = 99.
    assertEquals(0.05, atMostFivePercent / (double) trials, tolerance(0.05, trials));
    assertEquals(1.0 / 100, calibrator.pValue(residuals, 1e6));
    assertEquals(1.0, calibrator.pValue(calibrator.newResiduals(), 3));
  }

  @Test
  void copyKeepsTheNewestResidualsInOrder() {
    ConformalInterval.Residuals source = new ConformalInterval.Residuals(10);
    for (int i = 1; i <= 14; i++) {
      source.add(i);
    }
    ConformalInterval.Residuals copy = new ConformalInterval.Residuals(4);
    copy.copyFrom(source);
    assertEquals(4, copy.count());
    for (int i = 0; i < 4; i++) {
      assertEquals(11 + i, copy.get(i));
    }
  }

  @Test
  void impossibleSettingsAreRefusedWithTheReason() {
    assertThrows(IllegalArgumentException.class, () -> new ConformalInterval(1.0, 100));
    assertThrows(IllegalArgumentException.class, () -> new ConformalInterval(0, 100));
    assertThrows(IllegalArgumentException.class, () -> new ConformalInterval(0.9, 0));
    IllegalArgumentException tooShort =
        assertThrows(IllegalArgumentException.class, () -> new ConformalInterval(0.99, 50));
    assertTrue(tooShort.getMessage().contains("at least 99"), tooShort.getMessage());
  }

  @Test
  void aResidualBeyondTheLargestFloatIsHeldFinite() {
    ConformalInterval calibrator = new ConformalInterval(0.5, 4);
    ConformalInterval.Residuals residuals = calibrator.newResiduals();
    residuals.add(-1e300);
    residuals.add(Double.POSITIVE_INFINITY);
    assertEquals(1, residuals.count());
    assertEquals(Float.MAX_VALUE, residuals.get(0));
    residuals.add(1.0);
    residuals.add(2.0);
    assertTrue(Double.isFinite(calibrator.halfWidth(residuals)));
  }
}
