package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.data.SeriesCsv;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.FeatureTransform;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Why a swap re-warms: on the real S&amp;P 500 closes, with the bundled model, the forecasts right
 * after a simulated swap are compared with the steady-state forecasts of a model that has seen the
 * whole history. Re-warming over the ring buffer (what the predictor does) must land close to
 * steady state; a cold start from zero state is the comparison.
 */
class RewarmQualityTest {

  private static final int RING = PredictorSettings.DEFAULT_RING_SIZE;
  private static final int AFTER = 5;

  @ParameterizedTest
  @EnumSource(CellType.class)
  void forecastsAfterARewarmAreCloseToSteadyStateAndFarCloserThanAColdStart(CellType cell)
      throws Exception {
    RecurrentModel model = RecurrentModel.from(BundledModels.sp500(cell));
    double[] values =
        SeriesCsv.load(Path.of("data/sp500-2000.csv"), "close", null, "sp500").get(0).values();
    double[] steady = forecasts(model, values, 0, values.length);

    double rewarmGap = 0;
    double coldGap = 0;
    double rewarmError = 0;
    double coldError = 0;
    double steadyError = 0;
    int n = 0;
    for (int swap = 2 * RING; swap + AFTER < values.length - 1; swap += 97) {
      double[] rewarm = forecasts(model, values, swap - RING, swap + AFTER);
      double[] cold = forecasts(model, values, swap, swap + AFTER);
      for (int k = 0; k < AFTER; k++) {
        int t = swap + k; // forecast made at tick t, for tick t + 1
        double actual = values[t + 1];
        double s = steady[t];
        double r = rewarm[RING + k];
        double c = cold[k];
        rewarmGap += Math.abs(r - s);
        coldGap += Math.abs(c - s);
        rewarmError += Math.abs(actual - r);
        coldError += Math.abs(actual - c);
        steadyError += Math.abs(actual - s);
        n++;
      }
    }
    String report =
        String.format(
            "%s over %d post-swap forecasts: mean |rewarm - steady| %.4f, |cold - steady| %.4f;"
                + " MAE steady %.4f, rewarm %.4f, cold %.4f",
            cell, n, rewarmGap / n, coldGap / n, steadyError / n, rewarmError / n, coldError / n);
    System.out.println(report);
    assertTrue(rewarmGap < coldGap / 3, report);
    assertTrue(Math.abs(rewarmError - steadyError) < Math.abs(coldError - steadyError), report);
  }

  /** The model run from zero state over values[from, to): one forecast per value. */
  private static double[] forecasts(RecurrentModel model, double[] values, int from, int to) {
    FeatureTransform transform = new FeatureTransform(model.normalisation());
    FeatureTransform.State features = transform.newState();
    StepKernel kernel = model.newKernel();
    float[] state = new float[model.stateSize()];
    float[] input = new float[1];
    float[] output = new float[1];
    double[] out = new double[to - from];
    for (int t = from; t < to; t++) {
      input[0] = transform.next(features, values[t]);
      kernel.step(state, input);
      kernel.output(state, output);
      out[t - from] = transform.forecast(features, output[0]);
    }
    return out;
  }
}
