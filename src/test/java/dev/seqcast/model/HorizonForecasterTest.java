package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.SmoothingSpec.Transform;
import dev.seqcast.testkit.TestModels;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class HorizonForecasterTest {

  private static final long HOUR = 3_600_000L;
  private static final SmoothingSpec SPEC =
      TestModels.smoothing(Transform.ADDITIVE, 24, 0.3, 0.05, 0.95, 0.2, 6);

  private static double value(int t) {
    return 10 * Math.sin(2 * Math.PI * t / 24) - 0.1 * t + Math.cos(t * 1.7);
  }

  /** A random model whose head weights and bias are zero, so every output is 0. */
  private static RecurrentModel zeroHead() {
    ModelBundle random = TestModels.randomSmoothed(SPEC, CellType.LSTM, 8, 1, 2, 0.3);
    float[] w = random.weights();
    int head = SPEC.horizon() * 8 + SPEC.horizon();
    java.util.Arrays.fill(w, w.length - head, w.length, 0f);
    return RecurrentModel.from(new ModelBundle(random.header(), w));
  }

  @Test
  void aHeadOfZerosForecastsWhatTheSmoothingForecasts() {
    HorizonForecaster forecaster = new HorizonForecaster(zeroHead());
    HorizonInputs reference = new HorizonInputs(SPEC);
    float[] recurrent = forecaster.newRecurrentState();
    ExponentialSmoothing.State state = forecaster.newSmoothingState();
    ExponentialSmoothing.State referenceState = reference.newState();
    float[][] steps = reference.newStepBuffer();
    double[] forecasts = new double[6];
    double[] expected = new double[6];
    for (int t = 0; t < 200; t++) {
      forecaster.step(recurrent, state, value(t), t * HOUR, null, forecasts);
      reference.advance(referenceState, value(t), t * HOUR, null, steps);
      reference.forecasts(referenceState, null, expected);
      assertArrayEquals(expected, forecasts, 0.0, "t=" + t);
    }
  }

  @Test
  void forecastingLeavesBothStatesAsTheyWere() {
    HorizonForecaster forecaster =
        new HorizonForecaster(
            RecurrentModel.from(TestModels.randomSmoothed(SPEC, CellType.GRU, 8, 2, 4, 0.3)));
    float[] recurrent = forecaster.newRecurrentState();
    ExponentialSmoothing.State state = forecaster.newSmoothingState();
    for (int t = 0; t < 100; t++) {
      forecaster.observe(recurrent, state, value(t), t * HOUR, null);
    }
    float[] before = recurrent.clone();
    double level = state.level();
    double[] first = new double[6];
    double[] second = new double[6];
    forecaster.forecast(recurrent, state, first);
    forecaster.forecast(recurrent, state, second);
    assertArrayEquals(before, recurrent);
    assertEquals(level, state.level());
    assertArrayEquals(first, second);
    assertNotEquals(first[0], first[5], "a random head moves the horizons apart");
  }

  @Test
  void aTickAllocatesNothing() {
    SmoothingSpec withInputs =
        new SmoothingSpec(
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
            HOUR,
            4,
            java.util.List.of(CalendarTerm.HOUR_OF_DAY, CalendarTerm.MONTH_OF_YEAR),
            java.util.List.of(new SmoothingSpec.TickFeature("load", 1, 2)));
    HorizonForecaster forecaster =
        new HorizonForecaster(
            RecurrentModel.from(
                TestModels.randomSmoothed(withInputs, CellType.LSTM, 16, 1, 4, 0.3)));
    double[] ticks = {3};
    float[] recurrent = forecaster.newRecurrentState();
    ExponentialSmoothing.State state = forecaster.newSmoothingState();
    double[] forecasts = new double[6];
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long thread = Thread.currentThread().getId();
    int t = 0;
    for (; t < 20_000; t++) { // warm up, including gaps and missing values
      double v = t % 97 == 0 ? Double.NaN : value(t);
      forecaster.step(recurrent, state, v, (t + t / 500) * HOUR, ticks, forecasts);
    }
    long before = threads.getThreadAllocatedBytes(thread);
    for (; t < 40_000; t++) {
      double v = t % 97 == 0 ? Double.NaN : value(t);
      forecaster.step(recurrent, state, v, (t + t / 500) * HOUR, ticks, forecasts);
    }
    long allocated = threads.getThreadAllocatedBytes(thread) - before;
    assertTrue(allocated < 20_000, allocated + " bytes over 20,000 ticks");
    assertTrue(Double.isFinite(forecasts[5]));
  }

  @Test
  void aOneStepLogReturnModelIsNotASmoothedOne() {
    RecurrentModel old = RecurrentModel.from(TestModels.random("sp500", 1, 8, 1));
    assertThrows(IllegalArgumentException.class, () -> new HorizonForecaster(old));
  }
}
