package dev.seqcast.bench;

import dev.seqcast.forecast.SeriesState;
import dev.seqcast.forecast.SeriesUpdate;
import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.DetectionCounts;
import dev.seqcast.model.Forecaster;
import dev.seqcast.model.RecurrentModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Offline evaluation of anomaly detectors on real series with anomalies injected at known points.
 *
 * <p>Injection: per series, events at random positions at least {@link #SPACING} points apart (none
 * in the first {@link #WARM_UP}), each one of three kinds, with magnitudes in units of the series'
 * own standard deviation σ of log-returns: a <b>spike</b> (one value times {@code exp(±m σ)}, m in
 * [4, 8]), a <b>level shift</b> (every later value times {@code exp(±m σ)}, m in [4, 8]) and a
 * <b>slow drift</b> (a ramp to {@code exp(±m σ)}, m in [8, 12], over {@link #DRIFT_LENGTH} points,
 * the level kept afterwards).
 *
 * <p>Scoring, by alerts as a monitoring system raises them: an alert is the onset of an alarm (a
 * point scoring at or above the threshold after one below it). An event's window runs from its
 * first anomalous point to its last plus {@link #GRACE}. An alert inside a window is a true
 * positive, elsewhere a false one. Precision = true alerts / alerts, recall = events with an alert
 * in their window / events, delay = first alert in the window − the event's start, in points. A
 * detector that stays in alarm gains nothing: it raises one alert, not one per event. The warm-up
 * points are never scored.
 *
 * <p>Detectors score every point; a threshold turns scores into alarms:
 *
 * <ul>
 *   <li>{@code seqcast}: the predictor's own anomaly score, computed by {@link SeriesUpdate} on a
 *       {@link SeriesState}, exactly as the stream does (same kernel, model, calibration, CUSUM).
 *   <li>{@code seqcast-jump}: only its jump part, |residual| / interval half-width (an ablation).
 *   <li>{@code static-threshold}: |value − mean| / sd with mean and sd fixed on the series' first
 *       {@link #WARM_UP} points — fixed alert limits.
 *   <li>{@code rolling-zscore}: |value − mean| / sd over the previous {@link #ZSCORE_WINDOW}
 *       values.
 * </ul>
 *
 * Not thread-safe; deterministic for a given seed.
 */
public final class AnomalyEvaluation {

  /** Points at the start of each series without events or scoring. */
  static final int WARM_UP = 30;

  /** Least distance between two events' starts. */
  static final int SPACING = 80;

  /** Length of a drift's ramp. */
  static final int DRIFT_LENGTH = 30;

  /** Points after an event's last anomalous point in which an alarm still counts for it. */
  static final int GRACE = 5;

  /** Window of the rolling z-score baseline. */
  static final int ZSCORE_WINDOW = 30;

  /** Kinds of injected anomaly. */
  enum Kind {
    SPIKE,
    LEVEL_SHIFT,
    DRIFT
  }

  /** One injected event: points {@code [start, end]} are anomalous. */
  record Event(Kind kind, int start, int end) {}

  /** A series with events injected, and the events. */
  record Injected(String id, double[] values, List<Event> events) {}

  /** Detectors compared. */
  static final List<String> DETECTORS =
      List.of("seqcast", "seqcast-jump", "static-threshold", "rolling-zscore");

  /** Totals of one detector at one threshold over many series. */
  static final class Tally {
    int episodes;
    int trueEpisodes;
    int events;
    int detected;
    long delaySum;
    final int[] eventsByKind = new int[Kind.values().length];
    final int[] detectedByKind = new int[Kind.values().length];
    final long[] delayByKind = new long[Kind.values().length];

    double precision() {
      return episodes == 0 ? 0 : trueEpisodes / (double) episodes;
    }

    double recall() {
      return events == 0 ? 0 : detected / (double) events;
    }

    double f1() {
      return DetectionCounts.f1(precision(), recall());
    }

    double meanDelay() {
      return detected == 0 ? Double.NaN : delaySum / (double) detected;
    }

    double recall(Kind kind) {
      int n = eventsByKind[kind.ordinal()];
      return n == 0 ? Double.NaN : detectedByKind[kind.ordinal()] / (double) n;
    }

    double meanDelay(Kind kind) {
      int n = detectedByKind[kind.ordinal()];
      return n == 0 ? Double.NaN : delayByKind[kind.ordinal()] / (double) n;
    }
  }

  private final RecurrentModel model;

  /** An evaluation whose {@code seqcast} detector runs {@code model}. */
  AnomalyEvaluation(RecurrentModel model) {
    this.model = model;
  }

  /** Injects events into a copy of {@code series}' values. */
  static Injected inject(Series series, Random random) {
    double[] v = series.values().clone();
    double sigma = logReturnSd(v);
    List<Event> events = new ArrayList<>();
    int at = WARM_UP + random.nextInt(SPACING / 2);
    while (at + DRIFT_LENGTH + GRACE < v.length) {
      Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
      double sign = random.nextBoolean() ? 1 : -1;
      if (kind == Kind.SPIKE) {
        v[at] *= Math.exp(sign * (4 + 4 * random.nextDouble()) * sigma);
        events.add(new Event(kind, at, at));
      } else if (kind == Kind.LEVEL_SHIFT) {
        double factor = Math.exp(sign * (4 + 4 * random.nextDouble()) * sigma);
        for (int t = at; t < v.length; t++) {
          v[t] *= factor;
        }
        events.add(new Event(kind, at, at));
      } else {
        double total = sign * (8 + 4 * random.nextDouble()) * sigma;
        for (int t = at; t < v.length; t++) {
          v[t] *= Math.exp(total * Math.min(1.0, (t - at + 1) / (double) DRIFT_LENGTH));
        }
        events.add(new Event(kind, at, at + DRIFT_LENGTH - 1));
      }
      at += SPACING + random.nextInt(SPACING);
    }
    return new Injected(series.id(), v, events);
  }

  static double logReturnSd(double[] v) {
    double sum = 0;
    double squares = 0;
    for (int t = 1; t < v.length; t++) {
      double r = Math.log(v[t] / v[t - 1]);
      sum += r;
      squares += r * r;
    }
    int n = v.length - 1;
    double mean = sum / n;
    return Math.sqrt(Math.max(0, squares / n - mean * mean));
  }

  /** Every detector's score of every point of {@code series}, in {@link #DETECTORS} order. */
  double[][] scores(Injected series, double coverage, int window) {
    double[] v = series.values();
    double[][] scores = new double[DETECTORS.size()][v.length];
    SeriesUpdate update =
        new SeriesUpdate(new Forecaster(model), new ConformalInterval(coverage, window));
    SeriesState state = update.newSeries(1);
    for (int t = 0; t < v.length; t++) {
      update.apply(state, v[t]);
      scores[0][t] = nanToZero(update.score());
      scores[1][t] = nanToZero(Math.abs(update.residual()) / update.halfWidthForValue());
    }
    double mean = 0;
    for (int t = 0; t < WARM_UP; t++) {
      mean += v[t];
    }
    mean /= WARM_UP;
    double var = 0;
    for (int t = 0; t < WARM_UP; t++) {
      var += (v[t] - mean) * (v[t] - mean);
    }
    double sd = Math.sqrt(var / (WARM_UP - 1));
    for (int t = 0; t < v.length; t++) {
      scores[2][t] = Math.abs(v[t] - mean) / sd;
    }
    for (int t = ZSCORE_WINDOW; t < v.length; t++) {
      double s = 0;
      double s2 = 0;
      for (int i = t - ZSCORE_WINDOW; i < t; i++) {
        s += v[i];
        s2 += v[i] * v[i];
      }
      double m = s / ZSCORE_WINDOW;
      double rollingSd =
          Math.sqrt(Math.max(1e-300, (s2 - ZSCORE_WINDOW * m * m) / (ZSCORE_WINDOW - 1)));
      scores[3][t] = Math.abs(v[t] - m) / rollingSd;
    }
    return scores;
  }

  private static double nanToZero(double x) {
    return Double.isNaN(x) ? 0 : x;
  }

  /** Adds the alarms {@code score >= threshold} of one series to {@code tally}. */
  static void score(Injected series, double[] score, double threshold, Tally tally) {
    List<Event> events = series.events();
    boolean[] onset = new boolean[score.length];
    boolean before = true; // an alarm already on at the end of the warm-up is no onset
    for (int t = WARM_UP; t < score.length; t++) {
      boolean alarm = score[t] >= threshold;
      onset[t] = alarm && !before;
      before = alarm;
      if (onset[t]) {
        tally.episodes++;
        for (Event e : events) {
          if (t >= e.start() && t <= e.end() + GRACE) {
            tally.trueEpisodes++;
            break;
          }
        }
      }
    }
    for (Event e : events) {
      tally.events++;
      tally.eventsByKind[e.kind().ordinal()]++;
      for (int t = e.start(); t <= Math.min(score.length - 1, e.end() + GRACE); t++) {
        if (onset[t]) {
          tally.detected++;
          tally.detectedByKind[e.kind().ordinal()]++;
          tally.delaySum += t - e.start();
          tally.delayByKind[e.kind().ordinal()] += t - e.start();
          break;
        }
      }
    }
  }
}
