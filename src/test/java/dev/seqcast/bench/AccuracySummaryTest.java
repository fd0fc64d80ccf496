package dev.seqcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.bench.AccuracySummary.Figure;
import dev.seqcast.bench.AccuracySummary.MethodScore;
import dev.seqcast.bench.AccuracySummary.SeriesScore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The arithmetic behind bench accuracy's ratios, geometric means and goal line. */
class AccuracySummaryTest {

  private static MethodScore score(String method, double h1, double all) {
    return new MethodScore(method, h1, all, 0.9, 0.9, 1.0, 2.0, 0.1);
  }

  /** A seasonal series whose baselines score naive 2/3, seasonal naive 1/1.5, ets 0.5/2. */
  private static SeriesScore seasonal(String name, MethodScore seqcast) {
    return new SeriesScore(
        name,
        "monthly",
        List.of(score("naive", 2, 3), score("seasonal-naive", 1, 1.5), score("ets", 0.5, 2)),
        seqcast,
        null);
  }

  @Test
  void theBestBaselineIsChosenPerFigureAndTheRatioIsAgainstIt() {
    SeriesScore s = seasonal("a", score("lstm", 0.4, 1.2));
    assertEquals("ets", s.bestBaseline(Figure.H1).method());
    assertEquals("seasonal-naive", s.bestBaseline(Figure.ALL_HORIZONS).method());
    assertEquals(0.8, s.ratio(Figure.H1), 1e-12);
    assertEquals(0.8, s.ratio(Figure.ALL_HORIZONS), 1e-12);
    assertFalse(s.worseThanSeasonalNaive());
  }

  @Test
  void withoutASeasonNaiveStandsInForSeasonalNaive() {
    SeriesScore yearly =
        new SeriesScore(
            "y",
            "yearly",
            List.of(score("naive", 1, 1), score("holt", 0.5, 0.8)),
            score("lstm", 0.9, 1.1),
            null);
    assertEquals("naive", yearly.seasonalNaive().method());
    assertTrue(yearly.worseThanSeasonalNaive(), "1.1 over all horizons is above naive's 1");
  }

  @Test
  void geometricMeanIsTheExponentOfTheMeanLog() {
    assertEquals(1.0, AccuracySummary.geometricMean(List.of(0.5, 2.0)), 1e-12);
    assertEquals(4.0, AccuracySummary.geometricMean(List.of(2.0, 8.0)), 1e-12);
    assertTrue(Double.isNaN(AccuracySummary.geometricMean(List.of())));
  }

  @Test
  void theGoalIsMetOnlyWhenBothMeansAreLowAndNoSeriesIsWorseOrRefused() {
    // ratios h=1 0.8 and 0.9 → geo-mean 0.849; all horizons 0.8 and 0.9 → 0.849
    SeriesScore a = seasonal("a", score("lstm", 0.4, 1.2));
    SeriesScore b = seasonal("b", score("lstm", 0.45, 1.35));
    AccuracySummary met = new AccuracySummary(List.of(a, b));
    assertEquals(Math.sqrt(0.8 * 0.9), met.geoMeanRatio(Figure.H1), 1e-12);
    assertTrue(met.goalMet());
    assertTrue(met.goalLine().startsWith(AccuracySummary.GOAL + ": MET"), met.goalLine());

    // Same ratios, but one series refused: counted as a miss, not dropped.
    SeriesScore refused =
        new SeriesScore("c", "daily", a.baselines(), null, "has value 0.0; needs positive values");
    AccuracySummary withRefusal = new AccuracySummary(List.of(a, b, refused));
    assertEquals(met.geoMeanRatio(Figure.H1), withRefusal.geoMeanRatio(Figure.H1), 1e-12);
    assertFalse(withRefusal.goalMet());
    String line = withRefusal.goalLine();
    assertTrue(line.contains("MISSED by"), line);
    assertTrue(line.contains("refused 1 of 3 series (counted as misses) [c]"), line);
    assertEquals("refused: has value 0.0; needs positive values", refused.status());

    // Good on average, but worse than seasonal naive on one series over all horizons.
    SeriesScore worse = seasonal("d", score("lstm", 0.3, 1.6));
    AccuracySummary withWorse = new AccuracySummary(List.of(a, b, worse));
    assertTrue(withWorse.geoMeanRatio(Figure.ALL_HORIZONS) < AccuracySummary.GOAL_RATIO);
    assertFalse(withWorse.goalMet());
    assertTrue(withWorse.goalLine().contains("worse than seasonal naive on 1 of 3"), "d");
  }

  @Test
  void theGoalLineSaysByHowMuchEachMeanMisses() {
    // ratio h=1 1.2 (ets 0.5), all horizons 0.9 (seasonal naive 1.5)
    AccuracySummary summary = new AccuracySummary(List.of(seasonal("a", score("lstm", 0.6, 1.35))));
    String line = summary.goalLine();
    assertTrue(line.contains("geo-mean ratio h=1 1.200 (0.250 above 0.95)"), line);
    assertTrue(line.contains("geo-mean ratio all horizons 0.900 (met)"), line);
    assertFalse(summary.goalMet());
  }

  @Test
  void aBaselinesOnlyRunIsNotAssessed() {
    AccuracySummary summary = new AccuracySummary(List.of(seasonal("a", null)));
    assertFalse(summary.assessed());
    assertFalse(summary.goalMet());
    assertTrue(summary.goalLine().contains("NOT ASSESSED"), summary.goalLine());
    // The bar is still reported: ets 0.5 against seasonal naive 1 at h=1.
    assertEquals(0.5, summary.geoMeanBestBaselineVsSeasonalNaive(Figure.H1), 1e-12);
  }
}
