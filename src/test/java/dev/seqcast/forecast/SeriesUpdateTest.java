package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.Forecaster;
import dev.seqcast.model.HorizonForecaster;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.SmoothingSpec;
import dev.seqcast.testkit.TestModels;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesUpdateTest {

  private static final long HOUR = 3_600_000L;

  /** The naive forecast as a smoothed model: level weight 1, no trend or season, a zero head. */
  private static HorizonForecaster naive(SmoothingSpec.Transform transform) {
    SmoothingSpec spec = TestModels.smoothing(transform, 1, 1, 0, 1, 0, 1);
    ModelBundle random = TestModels.randomSmoothed(spec, CellType.LSTM, 4, 1, 3, 0.3);
    float[] w = random.weights();
    Arrays.fill(w, w.length - (4 + 1), w.length, 0f);
    return new HorizonForecaster(RecurrentModel.from(new ModelBundle(random.header(), w)));
  }

  @Test
  void underASmoothedModelTheIntervalFollowsAVolatilityJumpAtOnce() {
    HorizonForecaster forecaster = naive(SmoothingSpec.Transform.ADDITIVE);
    SeriesUpdate update = new SeriesUpdate(forecaster, ConformalInterval.defaults());
    SeriesState state = update.newSeries(8);
    assertTrue(state.residualsStandardised());
    ConformalInterval raw = ConformalInterval.defaults();
    ConformalInterval.Residuals rawResiduals = raw.newResiduals();
    Random random = new Random(11);
    double value = 100;
    double calm = Double.NaN;
    double calmRaw = Double.NaN;
    for (int t = 0; t < 305; t++) {
      if (t == 300) {
        calm = update.halfWidth(1);
        calmRaw = raw.halfWidth(rawResiduals);
      }
      value += random.nextGaussian() * (t < 300 ? 1 : 10);
      double scaleBefore = forecaster.errorScale(state.smoothing);
      update.apply(state, t * HOUR, value, null);
      if (t > 0) {
        rawResiduals.add(update.residual());
      }
      if (t > 1) {
        // the ring holds the residual over the scale of the forecast it scored, and the interval
        // is the ring's quantile times the scale now
        assertEquals(
            Math.abs(update.residual()) / scaleBefore,
            state.residuals().get(state.residuals().count() - 1),
            1e-5 * Math.abs(update.residual()) / scaleBefore);
      }
      if (t > 12) { // with the nine residuals a 90% interval needs
        assertEquals(
            update.intervals().halfWidth(state.residuals())
                * forecaster.errorScale(state.smoothing),
            update.halfWidth(1),
            1e-12 * update.halfWidth(1));
      }
    }
    // five ticks ten times as volatile: the scale has tripled, the raw window has not noticed
    assertTrue(update.halfWidth(1) > 2 * calm, update.halfWidth(1) + " vs " + calm);
    assertTrue(raw.halfWidth(rawResiduals) < 1.5 * calmRaw);
  }

  @Test
  void aRingOfRawResidualsIsRescaledWhenASmoothedModelTakesItOver() {
    HorizonForecaster forecaster = naive(SmoothingSpec.Transform.LOG);
    SeriesUpdate update = new SeriesUpdate(forecaster, ConformalInterval.defaults());
    SeriesState state = update.newSeries(8);
    Random random = new Random(5);
    double value = 50;
    for (int t = 0; t < 60; t++) {
      value *= Math.exp(0.01 * random.nextGaussian());
      update.apply(state, t * HOUR, value, null);
    }
    // the same state as a one-step model (or the release before) would have left its ring: raw
    SeriesState former = SeriesStateSerde.decode(SeriesStateSerde.encode(state));
    former.residuals.rescale(forecaster.errorScale(former.smoothing));
    former.residualsStandardised = false;
    double next = value * 1.02;
    update.apply(state, 60 * HOUR, next, null);
    double expected = update.halfWidthForValue();
    update.apply(former, 60 * HOUR, next, null);
    assertTrue(former.residualsStandardised());
    assertEquals(expected, update.halfWidthForValue(), 1e-5 * expected);
    assertEquals(state.residuals().count(), former.residuals().count());
  }

  @Test
  void aOneStepModelTakingOverAStandardisedRingStartsItAfresh() {
    HorizonForecaster forecaster = naive(SmoothingSpec.Transform.ADDITIVE);
    SeriesUpdate smoothed = new SeriesUpdate(forecaster, ConformalInterval.defaults());
    SeriesState state = smoothed.newSeries(8);
    double value = 100;
    for (int t = 0; t < 40; t++) {
      value += (t % 2 == 0 ? 5 : -4);
      smoothed.apply(state, t * HOUR, value, null);
    }
    assertTrue(state.residuals().count() > 30);
    // a swap to a one-step model drops the smoothing state whose scale divided the residuals
    SeriesUpdate oneStep =
        new SeriesUpdate(
            new Forecaster(RecurrentModel.from(TestModels.random("sp500", 1, 4, 7))),
            ConformalInterval.defaults());
    state.smoothing = null;
    state.recurrent = oneStep.forecaster().newRecurrentState();
    state.transformState(oneStep.forecaster().transform().newState());
    oneStep.apply(state, value + 1);
    assertFalse(state.residualsStandardised());
    assertEquals(1, state.residuals().count(), "only the raw residual of this tick");
    assertEquals(1f, state.residuals().get(0), 1e-4f);
    assertTrue(Double.isNaN(oneStep.halfWidth(1)), "no interval until nine raw residuals");
  }

  @Test
  void aOneStepModelKeepsRawResiduals() {
    SeriesUpdate update =
        new SeriesUpdate(
            new Forecaster(RecurrentModel.from(TestModels.random("sp500", 1, 4, 7))),
            ConformalInterval.defaults());
    SeriesState state = update.newSeries(8);
    assertFalse(state.residualsStandardised());
    double value = 100;
    for (int t = 0; t < 20; t++) {
      value += 1 + (t % 3);
      update.apply(state, value);
      if (t > 0) {
        assertEquals(
            (float) Math.abs(update.residual()),
            state.residuals().get(state.residuals().count() - 1));
      }
    }
    assertEquals(
        update.intervals().halfWidth(state.residuals()), update.halfWidth(1), 0.0, "raw quantile");
  }
}
