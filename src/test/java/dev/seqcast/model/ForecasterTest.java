package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.seqcast.testkit.TestModels;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ForecasterTest {

  private static double[] prices(int n, long seed) {
    Random random = new Random(seed);
    double[] v = new double[n];
    double value = 100;
    for (int t = 0; t < n; t++) {
      value *= Math.exp(0.01 * random.nextGaussian());
      v[t] = value;
    }
    return v;
  }

  @Test
  void rollForwardLeavesTheLiveStateUntouched() {
    for (CellType cell : CellType.values()) {
      Forecaster forecaster =
          new Forecaster(RecurrentModel.from(TestModels.random("m", 1, cell, 8, 2, 3)));
      float[] state = forecaster.newRecurrentState();
      FeatureTransform.State features = forecaster.transform().newState();
      for (double v : prices(50, 1)) {
        forecaster.step(state, features, v);
      }
      float[] stateBefore = state.clone();
      double lastBefore = features.lastValue();
      double varianceBefore = features.variance();

      forecaster.rollForward(state, features, new double[12]);

      assertArrayEquals(stateBefore, state, cell + ": recurrent state changed");
      assertEquals(lastBefore, features.lastValue());
      assertEquals(varianceBefore, features.variance());
    }
  }

  @Test
  void rollForwardEqualsSteppingACopyWithFedBackForecasts() {
    for (CellType cell : CellType.values()) {
      Forecaster forecaster =
          new Forecaster(RecurrentModel.from(TestModels.random("m", 1, cell, 8, 1, 7)));
      float[] state = forecaster.newRecurrentState();
      FeatureTransform.State features = forecaster.transform().newState();
      double oneStep = Double.NaN;
      for (double v : prices(80, 2)) {
        oneStep = forecaster.step(state, features, v);
      }
      double[] rolled = new double[6];
      forecaster.rollForward(state, features, rolled);

      // The same by hand: a separate copy stepped with each forecast as the next observation.
      float[] copy = state.clone();
      FeatureTransform.State copyFeatures =
          FeatureTransform.State.of(features.lastValue(), features.variance());
      double[] expected = new double[6];
      expected[0] = oneStep;
      for (int h = 1; h < expected.length; h++) {
        expected[h] = forecaster.step(copy, copyFeatures, expected[h - 1]);
      }
      assertArrayEquals(expected, rolled, 0.0, cell.toString());
      assertNotEquals(rolled[0], rolled[5], "a random model should move its forecast");
    }
  }
}
