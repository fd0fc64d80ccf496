package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FeatureTransformTest {

  private final FeatureTransform transform = new FeatureTransform(new Normalisation(0.06, 0.01, 8));

  @Test
  void aZeroOutputForecastsTheLastValue() {
    FeatureTransform.State state = transform.newState();
    transform.next(state, 100);
    transform.next(state, 103);
    assertEquals(103, transform.forecast(state, 0), 1e-12);
  }

  @Test
  void inputsAndTargetsStayWithinTheClipEvenForCrashes() {
    FeatureTransform.State state = transform.newState();
    Random random = new Random(2);
    double value = 50;
    for (int t = 0; t < 10_000; t++) {
      value *= Math.exp(random.nextGaussian() * (t % 997 == 0 ? 3 : 0.01));
      float x = transform.next(state, value);
      assertTrue(Math.abs(x) <= 8, "input " + x);
      assertTrue(Math.abs(transform.target(state, value * 1e6)) <= 8);
    }
  }

  @Test
  void aConstantSeriesGivesZeroInputsAndFiniteForecasts() {
    FeatureTransform.State state = transform.newState();
    for (int t = 0; t < 5_000; t++) {
      assertEquals(0f, transform.next(state, 42.0));
    }
    assertTrue(state.variance() > 0);
    assertEquals(42.0, transform.forecast(state, 3.0), 1e-3);
  }

  @Test
  void theFirstValueGivesAZeroInputAndLeavesTheVarianceAtItsPrior() {
    FeatureTransform.State state = transform.newState();
    assertEquals(0f, transform.next(state, 10));
    assertEquals(1e-4, state.variance(), 1e-18);
  }

  @Test
  void onlyPositiveFiniteValuesAreAccepted() {
    assertTrue(FeatureTransform.accepts(1e-300));
    assertFalse(FeatureTransform.accepts(0));
    assertFalse(FeatureTransform.accepts(-1));
    assertFalse(FeatureTransform.accepts(Double.NaN));
    assertFalse(FeatureTransform.accepts(Double.POSITIVE_INFINITY));
  }
}
