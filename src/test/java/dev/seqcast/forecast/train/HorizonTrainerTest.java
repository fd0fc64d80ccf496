package dev.seqcast.forecast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.ExponentialSmoothing;
import dev.seqcast.model.HorizonForecaster;
import dev.seqcast.model.HorizonInputs;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.SmoothingSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HorizonTrainerTest {

  private static final long MONTH = 30L * 86_400_000L;
  private static final int SEASON = 12;
  private static final int HORIZON = 6;

  /** A monthly seasonal series around {@code level} with AR(1) noise of size {@code noise}. */
  private static Series seasonal(String id, int n, double level, double amplitude, long seed) {
    Random random = new Random(seed);
    long[] ts = new long[n];
    double[] v = new double[n];
    double ar = 0;
    for (int t = 0; t < n; t++) {
      ts[t] = t * MONTH;
      ar = 0.5 * ar + random.nextGaussian();
      v[t] = level + amplitude * Math.sin(2 * Math.PI * t / SEASON) + 0.2 * amplitude * ar;
    }
    return new Series(id, ts, v);
  }

  private static HorizonTrainer.Options small(int epochs) {
    return new HorizonTrainer.Options(
        "test", 1, HORIZON, SEASON, 8, 1, 48, 64, 1, epochs, 3, 0.2, 1e-2, 11);
  }

  /** Mean absolute error over horizons 1..H of forecasts made from origins in [from, n). */
  private static double[] errors(HorizonForecaster forecaster, Series s, int from) {
    double[] v = s.values();
    float[] recurrent = forecaster.newRecurrentState();
    ExponentialSmoothing.State state = forecaster.newSmoothingState();
    double[] f = new double[HORIZON];
    double model = 0;
    double seasonalNaive = 0;
    int count = 0;
    for (int t = 0; t < v.length; t++) {
      forecaster.step(recurrent, state, v[t], s.timestamps()[t], null, f);
      for (int h = 1; t >= from && h <= HORIZON && t + h < v.length; h++) {
        model += Math.abs(v[t + h] - f[h - 1]);
        seasonalNaive += Math.abs(v[t + h] - v[t + h - SEASON]);
        count++;
      }
    }
    return new double[] {model / count, seasonalNaive / count};
  }

  @Test
  void aModelTrainedOnSeasonalSeriesOfEverySignBeatsSeasonalNaiveOnLaterData() {
    List<Series> full =
        List.of(
            seasonal("low", 360, -40, 5, 1),
            seasonal("zero", 360, 0, 2, 2),
            seasonal("high", 360, 900, 60, 3));
    List<Series> train = new ArrayList<>();
    for (Series s : full) {
      train.add(
          new Series(s.id(), Arrays.copyOf(s.timestamps(), 280), Arrays.copyOf(s.values(), 280)));
    }
    HorizonTrainer.Result result = HorizonTrainer.train(train, Map.of(), small(3), (e, t, l) -> {});
    SmoothingSpec spec = result.bundle().header().smoothing();
    assertEquals(SmoothingSpec.Transform.ADDITIVE, spec.transform(), "values below zero");
    assertEquals(SEASON, spec.season());
    HorizonForecaster forecaster = new HorizonForecaster(RecurrentModel.from(result.bundle()));
    for (Series s : full) {
      double[] e = errors(forecaster, s, 280);
      assertTrue(e[0] < 0.9 * e[1], s.id() + ": model " + e[0] + ", seasonal naive " + e[1]);
    }
  }

  @Test
  void theNetworkLearnsFromATickFeatureWhatTheSmoothingCannotSee() {
    List<Series> series = new ArrayList<>();
    List<double[][]> features = new ArrayList<>();
    Random random = new Random(7);
    int n = 400;
    for (int s = 0; s < 3; s++) {
      long[] ts = new long[n];
      double[] v = new double[n];
      double[] lead = new double[n];
      for (int t = 0; t < n; t++) {
        ts[t] = t * MONTH;
        lead[t] = random.nextGaussian();
        double pushed = t > 0 ? 3 * lead[t - 1] : 0; // next month moves with this month's feature
        v[t] =
            10 * s + 4 * Math.sin(2 * Math.PI * t / SEASON) + pushed + 0.3 * random.nextGaussian();
      }
      series.add(new Series("led" + s, ts, v));
      features.add(new double[][] {lead});
    }
    HorizonTrainer.Result result =
        HorizonTrainer.train(
            series,
            List.of("lead"),
            features,
            Map.of(),
            new HorizonTrainer.Options("test", 1, 1, SEASON, 8, 1, 48, 64, 1, 8, 3, 0.2, 0.02, 11),
            (e, t, l) -> {});
    SmoothingSpec.TickFeature feature = result.bundle().header().smoothing().tickFeatures().get(0);
    assertEquals("lead", feature.name());
    double[] fitted = new double[3 * 320];
    for (int s = 0; s < 3; s++) {
      System.arraycopy(features.get(s)[0], 0, fitted, 320 * s, 320);
    }
    assertEquals(
        mean(fitted, fitted.length), feature.mean(), 1e-12, "standardised on the fit part");
    assertEquals(std(fitted, fitted.length), feature.std(), 1e-12);
    assertEquals(1, result.membersKept());
    assertTrue(
        result.validationError() < 0.5 * result.smoothingError(),
        result.validationError() + " vs the smoothing's " + result.smoothingError());
  }

  private static double mean(double[] x, int n) {
    return Arrays.stream(x, 0, n).average().orElseThrow();
  }

  private static double std(double[] x, int n) {
    double m = mean(x, n);
    return Math.sqrt(Arrays.stream(x, 0, n).map(a -> a * a).sum() / n - m * m);
  }

  @Test
  void theSameSeedTrainsTheSameWeights() {
    List<Series> data = List.of(seasonal("a", 200, 5, 3, 4));
    float[] first =
        HorizonTrainer.train(data, Map.of(), small(1), (e, t, l) -> {}).bundle().weights();
    float[] second =
        HorizonTrainer.train(data, Map.of(), small(1), (e, t, l) -> {}).bundle().weights();
    assertArrayEquals(first, second);
  }

  @Test
  void theSmoothingIsFittedWithoutTheValidationPartAndOnlyItsFamilyChosenThere() {
    Series clean = seasonal("a", 300, 20, 4, 5);
    double[] wild = clean.values().clone();
    for (int t = 240; t < wild.length; t++) {
      wild[t] = 20 + (t % 2 == 0 ? 30 : -30); // no season, a wild swing
    }
    Series changed = new Series("a", clean.timestamps(), wild);
    HorizonTrainer.Options options = small(0);
    int[] fitEnds = {240};
    double[] scales = {ForecastMetrics.scale(Arrays.copyOf(clean.values(), 240), SEASON)};
    List<SmoothingSpec> families =
        HorizonTrainer.families(List.of(clean), fitEnds, scales, options, List.of());
    assertEquals(
        families, HorizonTrainer.families(List.of(changed), fitEnds, scales, options, List.of()));
    assertEquals(5, families.size(), "naive; with and without a trend, with and without a season");
    assertEquals(1.0, families.get(0).level());
    assertEquals(1, families.get(0).season());
    SmoothingSpec fromClean =
        HorizonTrainer.chooseSmoothing(List.of(clean), fitEnds, scales, options, List.of());
    SmoothingSpec fromChanged =
        HorizonTrainer.chooseSmoothing(List.of(changed), fitEnds, scales, options, List.of());
    assertTrue(families.contains(fromClean) && families.contains(fromChanged));
    assertEquals(SEASON, fromClean.season(), "a seasonal series keeps its season");
  }

  /** Scores of one-horizon forecasts whose errors are {@code errors}, one origin each. */
  private static HorizonTrainer.ValidationScores scores(double[] errors) {
    HorizonTrainer.ValidationScores scores = new HorizonTrainer.ValidationScores();
    double[] v = new double[errors.length + 1];
    for (int t = 0; t < errors.length; t++) {
      scores.add(v, t, 0, new double[] {errors[t]}, 1);
    }
    return scores;
  }

  @Test
  void aModelIsClearlyBetterOnlyWhenItsGainStandsOutOfTheNoise() {
    Random random = new Random(8);
    double[] base = new double[36];
    double[] steady = new double[36];
    double[] noisy = new double[36];
    for (int t = 0; t < base.length; t++) {
      base[t] = 2 + 0.1 * random.nextGaussian();
      steady[t] = base[t] - 0.05; // better by 0.05 at every origin
      noisy[t] = base[t] - 0.05 + (t / 6 % 2 == 0 ? -0.5 : 0.5); // as much, within swings
    }
    assertTrue(scores(steady).clearlyBelow(scores(base), 6));
    assertTrue(!scores(base).clearlyBelow(scores(steady), 6), "worse is not better");
    assertTrue(!scores(noisy).clearlyBelow(scores(base), 6), "a gain lost in noise");
    assertTrue(
        !scores(Arrays.copyOf(steady, 11)).clearlyBelow(scores(Arrays.copyOf(base, 11)), 6),
        "one block is no evidence");
  }

  @Test
  void targetsAreMaskedDuringTheWarmUpAndWhereTheHorizonPassesTheFitPart() {
    Series s = seasonal("a", 120, 0, 1, 6);
    SmoothingSpec spec =
        new SmoothingSpec(
            SmoothingSpec.Transform.ADDITIVE,
            SEASON,
            0.3,
            0,
            1,
            0.1,
            0.05,
            1e-9,
            8,
            HORIZON,
            MONTH,
            MONTH + MONTH / 2,
            SEASON,
            List.of(),
            List.of());
    HorizonTrainer.Steps steps =
        HorizonTrainer.steps(new HorizonInputs(spec), s, null, 100, small(1), new Random(1));
    int warmup = HorizonTrainer.warmup(SEASON);
    assertEquals(false, steps.scored()[warmup - 1], "warm-up");
    assertEquals(true, steps.scored()[warmup], "after the warm-up");
    assertEquals(HORIZON, finite(steps.targets()[90]));
    assertEquals(2, finite(steps.targets()[97]), "steps 98 and 99 are the last fitted");
    assertEquals(0, finite(steps.targets()[99]));
  }

  private static int finite(float[] targets) {
    int n = 0;
    for (float target : targets) {
      n += Float.isNaN(target) ? 0 : 1;
    }
    return n;
  }
}
