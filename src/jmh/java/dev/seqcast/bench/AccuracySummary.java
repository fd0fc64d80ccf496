package dev.seqcast.bench;

import dev.seqcast.forecast.train.Backtest;
import dev.seqcast.forecast.train.ForecastMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The arithmetic of {@code bench accuracy}: per series, the seqcast method's MASE over the best
 * baseline's on the same splits; over the suite, the geometric means of those ratios, the series
 * where seqcast is worse than seasonal naive or was refused, and the goal line.
 *
 * <p>The best baseline is chosen per series and per figure (h = 1, and the mean over horizons)
 * after seeing the test errors: an oracle choice no forecaster could make in advance, so the ratio
 * favours the baselines.
 */
public final class AccuracySummary {

  /** The goal: seqcast's geometric-mean MASE ratio to the best baseline at most this. */
  public static final double GOAL_RATIO = 0.95;

  /** The goal, as the goal line states it. */
  static final String GOAL =
      "goal (geo-mean ratio ≤ 0.95 at h=1 and all horizons, never worse than seasonal naive)";

  /** The two figures compared. */
  public enum Figure {
    /** MASE of one-step forecasts. */
    H1("h=1", MethodScore::maseH1),
    /** MASE averaged over horizons 1..H. */
    ALL_HORIZONS("all horizons", MethodScore::maseAllHorizons);

    final String label;
    final ToDoubleFunction<MethodScore> mase;

    Figure(String label, ToDoubleFunction<MethodScore> mase) {
      this.label = label;
      this.mase = mase;
    }
  }

  /**
   * One method's scores on one series.
   *
   * @param method the method's name
   * @param maseH1 MASE at horizon 1
   * @param maseAllHorizons mean of the MASE at horizons 1..H
   * @param coverageH1 share of h = 1 actual values inside their interval
   * @param coverageAllHorizons the same over every horizon's forecasts with an interval
   * @param widthH1 mean width of the h = 1 intervals, series' units
   * @param scaledWinklerH1 mean Winkler score of the h = 1 intervals over the MASE scale (MSIS)
   * @param fitSecondsPerFold fitting time per fold
   */
  public record MethodScore(
      String method,
      double maseH1,
      double maseAllHorizons,
      double coverageH1,
      double coverageAllHorizons,
      double widthH1,
      double scaledWinklerH1,
      double fitSecondsPerFold) {

    /** The scores of a backtest's method over {@code folds} folds. */
    public static MethodScore of(Backtest.MethodResult result, int folds) {
      List<ForecastMetrics> byHorizon = result.byHorizon();
      double maseSum = 0;
      int horizons = 0;
      double covered = 0;
      long withInterval = 0;
      for (ForecastMetrics metrics : byHorizon) {
        if (metrics.count() > 0) {
          maseSum += metrics.mase();
          horizons++;
        }
        if (metrics.intervalCount() > 0) {
          covered += metrics.coverage() * metrics.intervalCount();
          withInterval += metrics.intervalCount();
        }
      }
      return new MethodScore(
          result.name(),
          byHorizon.get(0).mase(),
          horizons == 0 ? Double.NaN : maseSum / horizons,
          byHorizon.get(0).coverage(),
          withInterval == 0 ? Double.NaN : covered / withInterval,
          byHorizon.get(0).intervalWidth(),
          byHorizon.get(0).scaledWinkler(),
          result.fitSeconds() / folds);
    }

    double mase(Figure figure) {
      return figure.mase.applyAsDouble(this);
    }
  }

  /**
   * One series of the suite, scored.
   *
   * @param name the series' name
   * @param frequency its frequency, for the tables
   * @param baselines every baseline's scores
   * @param seqcast seqcast's scores, or null when it did not run
   * @param refusal why seqcast refused the series, or null when it ran or was not asked
   */
  public record SeriesScore(
      String name,
      String frequency,
      List<MethodScore> baselines,
      MethodScore seqcast,
      String refusal) {

    /** Validates that at most one of seqcast's scores and refusal is given. */
    public SeriesScore {
      if (seqcast != null && refusal != null) {
        throw new IllegalArgumentException("a series is either scored or refused");
      }
      if (baselines.isEmpty()) {
        throw new IllegalArgumentException("no baselines for " + name);
      }
      baselines = List.copyOf(baselines);
    }

    /** The baseline with the lowest MASE on {@code figure}, chosen on the test errors. */
    public MethodScore bestBaseline(Figure figure) {
      return baselines.stream()
          .filter(b -> !Double.isNaN(b.mase(figure)))
          .min(Comparator.comparingDouble(b -> b.mase(figure)))
          .orElse(baselines.get(0));
    }

    /**
     * Seasonal naive; naive when the series has no season (the two are the same forecast then, and
     * the backtest leaves seasonal naive out).
     */
    public MethodScore seasonalNaive() {
      return find("seasonal-naive") != null ? find("seasonal-naive") : find("naive");
    }

    /** The naive forecast's scores (its conformal band is the reference interval). */
    public MethodScore naive() {
      return find("naive");
    }

    private MethodScore find(String method) {
      return baselines.stream().filter(b -> b.method().equals(method)).findFirst().orElse(null);
    }

    /** seqcast's MASE over the best baseline's on {@code figure}; NaN when seqcast did not run. */
    public double ratio(Figure figure) {
      return seqcast == null
          ? Double.NaN
          : seqcast.mase(figure) / bestBaseline(figure).mase(figure);
    }

    /** Whether seqcast ran and its MASE is above seasonal naive's on either figure. */
    public boolean worseThanSeasonalNaive() {
      if (seqcast == null) {
        return false;
      }
      MethodScore seasonal = seasonalNaive();
      for (Figure figure : Figure.values()) {
        if (seqcast.mase(figure) > seasonal.mase(figure)) {
          return true;
        }
      }
      return false;
    }

    /**
     * seqcast's state on this series: {@code ran}, {@code refused: <reason>} or {@code not run}.
     */
    public String status() {
      return seqcast != null ? "ran" : refusal != null ? "refused: " + refusal : "not run";
    }
  }

  private final List<SeriesScore> series;

  /** The summary of {@code series}. */
  public AccuracySummary(List<SeriesScore> series) {
    this.series = List.copyOf(series);
  }

  /** The series scored. */
  public List<SeriesScore> series() {
    return series;
  }

  /** exp(mean(log x)) of {@code values}; NaN when there are none. */
  public static double geometricMean(List<Double> values) {
    if (values.isEmpty()) {
      return Double.NaN;
    }
    double logSum = 0;
    for (double v : values) {
      logSum += Math.log(v);
    }
    return Math.exp(logSum / values.size());
  }

  /** The geometric mean of seqcast's ratio to the best baseline over the series it ran on. */
  public double geoMeanRatio(Figure figure) {
    return geometricMean(ran().stream().map(s -> s.ratio(figure)).toList());
  }

  /**
   * The geometric mean over every series of the best baseline's MASE over seasonal naive's: how far
   * below seasonal naive the bar is.
   */
  public double geoMeanBestBaselineVsSeasonalNaive(Figure figure) {
    return geometricMean(
        series.stream()
            .map(s -> s.bestBaseline(figure).mase(figure) / s.seasonalNaive().mase(figure))
            .toList());
  }

  /** The series seqcast ran on. */
  public List<SeriesScore> ran() {
    return series.stream().filter(s -> s.seqcast() != null).toList();
  }

  /** The series seqcast refused. */
  public List<SeriesScore> refused() {
    return series.stream().filter(s -> s.refusal() != null).toList();
  }

  /** The series where seqcast is worse than seasonal naive at h = 1 or over all horizons. */
  public List<SeriesScore> worseThanSeasonalNaive() {
    return series.stream().filter(SeriesScore::worseThanSeasonalNaive).toList();
  }

  /** Whether seqcast was asked to forecast at all (not a baselines-only run). */
  public boolean assessed() {
    return !ran().isEmpty() || !refused().isEmpty();
  }

  /**
   * Whether the goal is met: seqcast ran on every series, its geometric-mean ratios are at most
   * {@link #GOAL_RATIO} on both figures, and it is nowhere worse than seasonal naive.
   */
  public boolean goalMet() {
    return assessed()
        && refused().isEmpty()
        && geoMeanRatio(Figure.H1) <= GOAL_RATIO
        && geoMeanRatio(Figure.ALL_HORIZONS) <= GOAL_RATIO
        && worseThanSeasonalNaive().isEmpty();
  }

  /** The goal line: {@code MET}, {@code MISSED by …} with every figure, or not assessed. */
  public String goalLine() {
    if (!assessed()) {
      return GOAL + ": NOT ASSESSED (--baselines-only: seqcast was not run)";
    }
    List<String> parts = new ArrayList<>();
    for (Figure figure : Figure.values()) {
      double ratio = geoMeanRatio(figure);
      if (Double.isNaN(ratio)) {
        parts.add("geo-mean ratio " + figure.label + " –, no series run");
      } else if (ratio <= GOAL_RATIO) {
        parts.add(String.format(Locale.ROOT, "geo-mean ratio %s %.3f (met)", figure.label, ratio));
      } else {
        parts.add(
            String.format(
                Locale.ROOT,
                "geo-mean ratio %s %.3f (%.3f above %.2f)",
                figure.label,
                ratio,
                ratio - GOAL_RATIO,
                GOAL_RATIO));
      }
    }
    parts.add(
        String.format(
            Locale.ROOT,
            "worse than seasonal naive on %d of %d series run%s",
            worseThanSeasonalNaive().size(),
            ran().size(),
            names(worseThanSeasonalNaive())));
    parts.add(
        String.format(
            Locale.ROOT,
            "refused %d of %d series%s",
            refused().size(),
            series.size(),
            refused().isEmpty() ? "" : " (counted as misses)" + names(refused())));
    return GOAL + ": " + (goalMet() ? "MET — " : "MISSED by ") + String.join("; ", parts);
  }

  private static String names(List<SeriesScore> list) {
    return list.isEmpty()
        ? ""
        : " [" + String.join(", ", list.stream().map(SeriesScore::name).toList()) + "]";
  }
}
