package dev.seqcast.forecast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ForecastMetricsTest {

  @Test
  void metricsMatchHandComputedValues() {
    ForecastMetrics m = new ForecastMetrics(0.9);
    // actual, forecast, last observed, scale, lo, hi
    m.add(10, 8, 9, 2, 7, 9); // error 2, right direction? forecast down, actual up: miss; outside
    m.add(12, 13, 10, 2, 12, 14); // error -1, both up: hit; inside
    m.add(5, 5, 5, 2, Double.NaN, Double.NaN); // error 0, no move either way: hit; no interval
    m.add(-4, -2, 0, 2, -5, 1); // error -2, both down: hit; inside

    assertEquals(4, m.count());
    assertEquals((2 + 1 + 0 + 2) / 4.0, m.mae(), 1e-12);
    assertEquals(Math.sqrt((4 + 1 + 0 + 4) / 4.0), m.rmse(), 1e-12);
    assertEquals((1 + 0.5 + 0 + 1) / 4.0, m.mase(), 1e-12);
    double smape = (200 * 2 / 18.0 + 200 * 1 / 25.0 + 0 + 200 * 2 / 6.0) / 4;
    assertEquals(smape, m.smape(), 1e-12);
    assertEquals(0.75, m.directionalAccuracy(), 1e-12);
    assertEquals(3, m.intervalCount());
    assertEquals(2 / 3.0, m.coverage(), 1e-12);
    assertEquals((2 + 2 + 6) / 3.0, m.intervalWidth(), 1e-12);
    // A 90% interval: a miss costs 2 / 0.1 = 20 times its distance, on top of the width.
    assertEquals((2 + 20 * 1 + 2 + 6) / 3.0, m.winkler(), 1e-12);
    assertEquals((22 / 2.0 + 2 / 2.0 + 6 / 2.0) / 3, m.scaledWinkler(), 1e-12);
  }

  @Test
  void aNarrowerIntervalThatMissesCanScoreWorseThanAWiderOneThatCovers() {
    ForecastMetrics narrow = new ForecastMetrics(0.8);
    ForecastMetrics wide = new ForecastMetrics(0.8);
    narrow.add(10, 10, 10, 1, 10.5, 11.5); // width 1, missed by 0.5: 1 + 10 * 0.5 = 6
    wide.add(10, 10, 10, 1, 7, 13); // width 6, covered: 6
    narrow.add(10, 10, 10, 1, 9.5, 10.5); // width 1, covered
    wide.add(10, 10, 10, 1, 9, 11); // width 2, covered
    assertEquals(3.5, narrow.winkler(), 1e-12);
    assertEquals(4.0, wide.winkler(), 1e-12);
    assertTrue(narrow.intervalWidth() < wide.intervalWidth());
  }

  @Test
  void sMapeOfTwoZerosIsZeroAndCoverageWithoutIntervalsIsUnknown() {
    ForecastMetrics m = new ForecastMetrics(0.9);
    m.add(0, 0, 1, 1, Double.NaN, Double.NaN);
    assertEquals(0, m.smape());
    assertTrue(Double.isNaN(m.coverage()));
    assertTrue(Double.isNaN(m.winkler()));
    assertTrue(Double.isNaN(m.intervalWidth()));
  }

  @Test
  void scaleIsTheMeanAbsoluteSeasonalDifference() {
    double[] window = {1, 2, 4, 7, 11};
    assertEquals((1 + 2 + 3 + 4) / 4.0, ForecastMetrics.scale(window, 1), 1e-12);
    assertEquals((3 + 5 + 7) / 3.0, ForecastMetrics.scale(window, 2), 1e-12);
    assertTrue(
        ForecastMetrics.scale(new double[] {3, 3, 3}, 1) > 0, "a flat window must not scale by 0");
  }
}
