package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.SmoothingSpec.Transform;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class HorizonInputsTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;

  private static SmoothingSpec hourly(int maxGap, List<SmoothingSpec.TickFeature> ticks) {
    return new SmoothingSpec(
        Transform.ADDITIVE,
        24,
        0.3,
        0.05,
        0.95,
        0.2,
        0.05,
        1e-9,
        8,
        6,
        HOUR,
        HOUR + HOUR / 2,
        maxGap,
        List.of(CalendarTerm.HOUR_OF_DAY),
        ticks);
  }

  private static double value(int t) {
    return 10 * Math.sin(2 * Math.PI * t / 24) + 0.1 * t;
  }

  /** A state that has seen {@code n} hourly ticks, the last at hour {@code n - 1}. */
  private static ExponentialSmoothing.State warmed(HorizonInputs inputs, int n) {
    ExponentialSmoothing.State state = inputs.newState();
    float[][] steps = inputs.newStepBuffer();
    for (int t = 0; t < n; t++) {
      assertEquals(1, inputs.advance(state, value(t), t * HOUR, null, steps));
    }
    return state;
  }

  @Test
  void aTickAfterAGapTakesOneNetworkStepPerMissedStepUpToTheBound() {
    HorizonInputs inputs = new HorizonInputs(hourly(4, List.of()));
    float[][] steps = inputs.newStepBuffer();
    ExponentialSmoothing.State state = warmed(inputs, 50);
    // hours 50 and 51 missing: two gap steps, then the tick's own
    assertEquals(3, inputs.advance(state, value(52), 52 * HOUR, null, steps));
    for (int i = 0; i < 2; i++) {
      assertEquals(0f, steps[i][0]);
      assertEquals(1f, steps[i][1]);
      float[] calendar = new float[2];
      CalendarTerm.HOUR_OF_DAY.write((50 + i) * HOUR, calendar, 0);
      assertEquals(calendar[0], steps[i][2]);
      assertEquals(calendar[1], steps[i][3]);
    }
    assertEquals(0f, steps[2][1]);
    // nine hours missing: the network takes the last four of them, the smoothing all nine
    ExponentialSmoothing.State reference = inputs.newState();
    reference.copyFrom(state);
    assertEquals(5, inputs.advance(state, value(62), 62 * HOUR, null, steps));
    inputs.smoothing().skip(reference, 9);
    inputs.smoothing().observe(reference, value(62));
    assertEquals(reference.level(), state.level(), 1e-12);
    assertEquals(reference.position(), state.position());
    float[] calendar = new float[2];
    CalendarTerm.HOUR_OF_DAY.write(58 * HOUR, calendar, 0);
    assertEquals(calendar[0], steps[0][2], "the first network gap step is the sixth missed hour");
  }

  @Test
  void aStepWithinTheRegularGapIsNoGap() {
    SmoothingSpec daily =
        new SmoothingSpec(
            Transform.LOG, 1, 1, 0, 1, 0, 0.06, 1e-9, 8, 5, DAY, 4 * DAY, 5, List.of(), List.of());
    HorizonInputs inputs = new HorizonInputs(daily);
    float[][] steps = inputs.newStepBuffer();
    ExponentialSmoothing.State state = inputs.newState();
    inputs.advance(state, 100, 4 * DAY, null, steps); // a Monday
    inputs.advance(state, 101, 5 * DAY, null, steps);
    assertEquals(1, inputs.advance(state, 102, 8 * DAY, null, steps), "Friday to Monday");
    assertEquals(0f, steps[0][1]);
    assertEquals(1, inputs.advance(state, 103, 11 * DAY + DAY / 2, null, steps), "3.5 days");
    assertEquals(
        5, inputs.advance(state, 104, 16 * DAY + DAY / 2, null, steps), "5 days: 4 missed");
  }

  @Test
  void aMissingValueIsOneMissedStepAtItsOwnTime() {
    HorizonInputs inputs = new HorizonInputs(hourly(4, List.of()));
    float[][] steps = inputs.newStepBuffer();
    ExponentialSmoothing.State state = warmed(inputs, 30);
    ExponentialSmoothing.State reference = inputs.newState();
    reference.copyFrom(state);
    assertEquals(1, inputs.advance(state, Double.NaN, 30 * HOUR, null, steps));
    assertEquals(1f, steps[0][1]);
    assertEquals(0f, steps[0][0]);
    inputs.smoothing().skip(reference, 1);
    assertEquals(reference.level(), state.level());
    assertEquals(30 * HOUR, state.lastTime());
    assertEquals(1, inputs.advance(state, value(31), 31 * HOUR, null, steps), "no gap after it");
  }

  @Test
  void theErrorInputIsTheOneStepErrorOverThePreviousScale() {
    HorizonInputs inputs = new HorizonInputs(hourly(4, List.of()));
    float[][] steps = inputs.newStepBuffer();
    ExponentialSmoothing.State state = warmed(inputs, 40);
    double[] f = new double[6];
    inputs.forecasts(state, null, f);
    double scale = inputs.smoothing().scale(state);
    inputs.advance(state, f[0] + 2.5 * scale, 40 * HOUR, null, steps);
    assertEquals(2.5f, steps[0][0], 1e-5);
    inputs.advance(state, 1e9, 41 * HOUR, null, steps);
    assertEquals(8f, steps[0][0], "clipped");
  }

  @Test
  void theFirstTwoValuesGiveAZeroErrorInput() {
    HorizonInputs inputs = new HorizonInputs(hourly(4, List.of()));
    float[][] steps = inputs.newStepBuffer();
    ExponentialSmoothing.State state = inputs.newState();
    inputs.advance(state, 5, 0, null, steps);
    assertEquals(0f, steps[0][0]);
    inputs.advance(state, 500, HOUR, null, steps);
    assertEquals(0f, steps[0][0], "no scale to divide by yet");
    inputs.advance(state, 5, 2 * HOUR, null, steps);
    assertTrue(steps[0][0] < 0);
  }

  @Test
  void tickFeaturesAreStandardisedAndAMissingOneIsItsMean() {
    HorizonInputs inputs =
        new HorizonInputs(
            hourly(
                4,
                List.of(
                    new SmoothingSpec.TickFeature("a", 10, 2),
                    new SmoothingSpec.TickFeature("b", -1, 0.5))));
    assertEquals(6, inputs.inputSize());
    float[][] steps = inputs.newStepBuffer();
    ExponentialSmoothing.State state = inputs.newState();
    inputs.advance(state, 1, 0, new double[] {13, Double.NaN}, steps);
    assertEquals(1.5f, steps[0][4]);
    assertEquals(0f, steps[0][5]);
    inputs.advance(state, 1, HOUR, null, steps);
    assertEquals(0f, steps[0][4]);
    assertEquals(0f, steps[0][5]);
  }

  @Test
  void forecastsOfTheTargetsGiveBackTheFutureValues() {
    HorizonInputs inputs = new HorizonInputs(hourly(4, List.of()));
    Random random = new Random(5);
    double[] y = new double[200];
    for (int t = 0; t < y.length; t++) {
      y[t] = value(t) + random.nextGaussian();
    }
    float[][] steps = inputs.newStepBuffer();
    ExponentialSmoothing.State state = inputs.newState();
    for (int t = 0; t < 150; t++) {
      inputs.advance(state, y[t], t * HOUR, null, steps);
    }
    float[] targets = new float[6];
    inputs.targets(state, y, 150, 153, 1e9, targets);
    assertTrue(Float.isNaN(targets[3]), "beyond the end given");
    double[] back = new double[3];
    inputs.forecasts(state, targets, back);
    assertArrayEquals(new double[] {y[150], y[151], y[152]}, back, 1e-4);
  }

  @Test
  void onlyNanAndValuesTheTransformTakesAreAccepted() {
    HorizonInputs additive = new HorizonInputs(hourly(4, List.of()));
    assertTrue(additive.accepts(Double.NaN));
    assertTrue(additive.accepts(-3));
    assertTrue(additive.accepts(0));
    assertFalse(additive.accepts(Double.POSITIVE_INFINITY));
    HorizonInputs log =
        new HorizonInputs(
            new SmoothingSpec(
                Transform.LOG, 1, 1, 0, 1, 0, 0.06, 1e-9, 8, 1, DAY, DAY, 0, List.of(), List.of()));
    assertFalse(log.accepts(0));
    assertTrue(log.accepts(Double.NaN));
  }
}
