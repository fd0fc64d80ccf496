package dev.seqcast.forecast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.data.Series;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HorizonMethodPanelTest {

  private static final long MONTH = 30L * 86_400_000L;
  private static final int SEASON = 12;
  private static final int HORIZON = 3;

  private static HorizonTrainer.Options options() {
    return new HorizonTrainer.Options(
        "panel-test", 1, HORIZON, SEASON, 4, 1, 24, 32, 1, 2, 1, 0.2, 1e-2, 5);
  }

  /** A monthly seasonal series of {@code n} points starting at month {@code start}. */
  private static Series seasonal(String id, int start, int n, double level, long seed) {
    Random random = new Random(seed);
    long[] ts = new long[n];
    double[] v = new double[n];
    for (int t = 0; t < n; t++) {
      ts[t] = (start + t) * MONTH;
      v[t] = level + 10 * Math.sin(2 * Math.PI * (start + t) / SEASON) + random.nextGaussian();
    }
    return new Series(id, ts, v);
  }

  /** The forecasts after {@code window} of series {@code member} trained with {@code panel}. */
  private static double[] forecastWithPanel(List<Series> panel, String member, Series window) {
    return forecastAfter(
        new HorizonMethod(options(), (e, t, l) -> {}, new HorizonMethod.Panel("p", panel), member),
        window);
  }

  private static double[] forecastAfter(HorizonMethod method, Series window) {
    ForecastMethod.Fitted fitted = method.fit(window.timestamps(), window.values());
    double[] f = new double[HORIZON];
    fitted.forecast(f);
    return f;
  }

  @Test
  void companionsAreCutAtTheFoldsLastEventTime() {
    Series target = seasonal("a", 0, 150, 100, 1);
    Series companion = seasonal("b", 0, 200, 300, 2);
    double[] changedLater = companion.values().clone();
    for (int t = 150; t < changedLater.length; t++) {
      changedLater[t] = -5_000 + 77 * t;
    }
    Series companionChanged = new Series("b", companion.timestamps(), changedLater);
    Series fold = target.range(0, 120);

    double[] f1 = forecastWithPanel(List.of(target, companion), "a", fold);
    double[] f2 = forecastWithPanel(List.of(target, companionChanged), "a", fold);
    assertArrayEquals(f1, f2, 0.0, "what a companion does after the cut cannot reach the fold");

    double[] changedEarly = companion.values().clone();
    changedEarly[30] += 500;
    double[] f3 =
        forecastWithPanel(
            List.of(target, new Series("b", companion.timestamps(), changedEarly)), "a", fold);
    assertFalse(Arrays.equals(f1, f3), "a companion's values before the cut are trained on");
  }

  @Test
  void aSeriesTooShortByItselfIsForecastThroughItsPanel() {
    int minimum = HorizonTrainer.minimumPoints(options());
    Series shortOne = seasonal("short", 100, minimum - 10, 50, 3);
    Series longOne = seasonal("long", 0, 100 + minimum - 10, 80, 4);

    assertThrows(
        IllegalArgumentException.class,
        () -> forecastAfter(new HorizonMethod(options(), (e, t, l) -> {}), shortOne));

    double[] f = forecastWithPanel(List.of(shortOne, longOne), "short", shortOne);
    for (double v : f) {
      assertTrue(Double.isFinite(v), "forecast " + Arrays.toString(f));
    }
    assertTrue(Math.abs(f[0] - 50) < 40, "near the short series' own level: " + f[0]);
  }

  @Test
  void aPanelWithNoSeriesLongEnoughUpToTheCutIsRefusedWithTheReason() {
    int minimum = HorizonTrainer.minimumPoints(options());
    Series a = seasonal("a", 0, minimum - 5, 50, 5);
    Series late = seasonal("late", minimum, 3 * minimum, 60, 6);
    HorizonMethod.Panel panel = new HorizonMethod.Panel("p", List.of(a, late));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> panel.train(a, "a", options(), (x, y, z) -> {}));
    assertTrue(e.getMessage().contains(String.valueOf(minimum)), e.getMessage());
  }

  @Test
  void membersStartAtTheirFirstObservedValueAndInteriorGapsAreCarriedForward() {
    long[] ts = {0, MONTH, 2 * MONTH, 3 * MONTH, 4 * MONTH};
    double nan = Double.NaN;
    HorizonMethod.Panel panel =
        new HorizonMethod.Panel(
            "p",
            List.of(
                new Series("gappy", ts, new double[] {nan, nan, 3, nan, 5}),
                new Series("empty", ts, new double[] {nan, nan, nan, nan, nan})));
    List<Series> members = panel.members();
    assertEquals(1, members.size(), "a series with no observed value is left out");
    assertArrayEquals(new long[] {2 * MONTH, 3 * MONTH, 4 * MONTH}, members.get(0).timestamps());
    assertArrayEquals(new double[] {3, 3, 5}, members.get(0).values(), 0.0);
  }

  @Test
  void seriesOfOnePanelAtTheSameCutShareOneTraining() {
    Series a = seasonal("a", 0, 140, 100, 7);
    Series b = seasonal("b", 0, 140, 200, 8);
    HorizonMethod.Panel panel = new HorizonMethod.Panel("p", List.of(a, b));
    AtomicInteger epochs = new AtomicInteger();
    HorizonTrainer.Result first =
        panel.train(a.range(0, 120), "a", options(), (e, t, l) -> epochs.incrementAndGet());
    int afterFirst = epochs.get();
    assertTrue(afterFirst > 0);
    HorizonTrainer.Result second =
        panel.train(b.range(0, 120), "b", options(), (e, t, l) -> epochs.incrementAndGet());
    assertSame(first, second, "same series, same cut, same settings");
    assertEquals(afterFirst, epochs.get(), "no second training");
    HorizonTrainer.Result later =
        panel.train(a.range(0, 130), "a", options(), (e, t, l) -> epochs.incrementAndGet());
    assertNotSame(first, later, "a later cut trains again");
  }
}
