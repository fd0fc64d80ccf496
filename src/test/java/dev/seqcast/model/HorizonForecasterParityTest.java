package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.train.Dl4jLstm;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract between the smoothed forecaster's trainer and the stream: the trainer builds a
 * series' network inputs with {@link HorizonInputs} and runs DL4J's forward pass over the whole
 * sequence; the stream runs {@link HorizonForecaster} (the same smoothing code and seqcast's
 * kernel) one tick at a time. On the same weights their outputs, and so their forecasts, agree
 * within 1e-5 (in units of the series' scale) at every tick of a 1,000-tick series with negative
 * values, gaps, missing values and missing tick features.
 */
class HorizonForecasterParityTest {

  private static final long HOUR = 3_600_000L;
  private static final int TICKS = 1_000;
  private static final double TOLERANCE = 1e-5;

  private static final SmoothingSpec SPEC =
      new SmoothingSpec(
          SmoothingSpec.Transform.ADDITIVE,
          24,
          0.2,
          0.05,
          0.95,
          0.1,
          0.05,
          1e-9,
          8,
          6,
          HOUR,
          HOUR + HOUR / 2,
          4,
          List.of(CalendarTerm.HOUR_OF_DAY, CalendarTerm.DAY_OF_WEEK),
          List.of(new SmoothingSpec.TickFeature("load", 5, 2)));

  @ParameterizedTest(name = "layers {0}")
  @CsvSource({"1", "2"})
  void theStreamingForecasterMatchesTheTrainersForwardPass(int layers) throws Exception {
    MultiLayerNetwork net =
        Dl4jLstm.horizonNetwork(SPEC.inputSize(), 16, layers, SPEC.horizon(), 3, 1e-3);
    Random random = new Random(layers);
    INDArray params = net.params();
    for (long i = 0; i < params.length(); i++) {
      params.putScalar(i, (float) (random.nextGaussian() * 0.4));
    }
    net.setParams(params);
    ModelHeader header =
        ModelHeader.smoothed(
            "parity", 1, CellType.LSTM, 16, layers, SPEC, Map.of(), Map.of(), Instant.EPOCH);
    ModelBundle bundle = ModelBundle.decode(Dl4jLstm.export(net, header).encode());

    // A series of either sign with gaps of 2 and 7 hours, missing values and missing features.
    long[] times = new long[TICKS];
    double[] values = new double[TICKS];
    double[][] ticks = new double[TICKS][1];
    long hour = 0;
    for (int t = 0; t < TICKS; t++) {
      hour += t % 131 == 0 ? 3 : t % 277 == 0 ? 8 : 1;
      times[t] = hour * HOUR;
      values[t] =
          t % 89 == 88
              ? Double.NaN
              : 4 * Math.sin(2 * Math.PI * hour / 24) - 1 + random.nextGaussian();
      ticks[t][0] = t % 5 == 0 ? Double.NaN : 5 + 2 * random.nextGaussian();
    }

    // The trainer's path: every step's inputs from HorizonInputs, one DL4J pass over all of them.
    HorizonInputs inputs = new HorizonInputs(SPEC);
    ExponentialSmoothing.State trainerState = inputs.newState();
    float[][] buffer = inputs.newStepBuffer();
    List<float[]> steps = new ArrayList<>();
    int[] lastStepOf = new int[TICKS];
    for (int t = 0; t < TICKS; t++) {
      int n = inputs.advance(trainerState, values[t], times[t], ticks[t], buffer);
      for (int i = 0; i < n; i++) {
        steps.add(buffer[i].clone());
      }
      lastStepOf[t] = steps.size() - 1;
    }
    int features = SPEC.inputSize();
    float[] flat = new float[features * steps.size()];
    for (int s = 0; s < steps.size(); s++) {
      for (int f = 0; f < features; f++) {
        flat[f * steps.size() + s] = steps.get(s)[f];
      }
    }
    INDArray expected = net.output(Nd4j.create(flat, new long[] {1, features, steps.size()}, 'c'));

    // The stream's path, tick by tick, next to the trainer's outputs turned into forecasts.
    HorizonForecaster forecaster = new HorizonForecaster(RecurrentModel.from(bundle));
    float[] recurrent = forecaster.newRecurrentState();
    ExponentialSmoothing.State state = forecaster.newSmoothingState();
    ExponentialSmoothing.State reference = inputs.newState();
    double[] streamed = new double[SPEC.horizon()];
    double[] fromDl4j = new double[SPEC.horizon()];
    float[] outputs = new float[SPEC.horizon()];
    float[] dl4jOutputs = new float[SPEC.horizon()];
    double worstOutput = 0;
    double worstForecast = 0;
    for (int t = 0; t < TICKS; t++) {
      forecaster.step(recurrent, state, values[t], times[t], ticks[t], streamed);
      forecaster.outputs(recurrent, outputs);
      inputs.advance(reference, values[t], times[t], ticks[t], buffer);
      for (int h = 0; h < SPEC.horizon(); h++) {
        dl4jOutputs[h] = expected.getFloat(0, h, lastStepOf[t]);
        worstOutput = Math.max(worstOutput, Math.abs(dl4jOutputs[h] - outputs[h]));
      }
      inputs.forecasts(reference, dl4jOutputs, fromDl4j);
      double scale = inputs.smoothing().scale(reference);
      for (int h = 0; h < SPEC.horizon(); h++) {
        worstForecast = Math.max(worstForecast, Math.abs(fromDl4j[h] - streamed[h]) / scale);
      }
    }
    assertEquals(steps.size(), lastStepOf[TICKS - 1] + 1);
    assertTrue(steps.size() > TICKS + 10, "the gaps took network steps of their own");
    assertTrue(worstOutput <= TOLERANCE, "max |kernel - dl4j| = " + worstOutput);
    assertTrue(worstForecast <= TOLERANCE, "max |forecast difference| / scale = " + worstForecast);
  }
}
