package dev.seqcast.model;

import static dev.seqcast.model.LstmKernelParityTest.STEPS;
import static dev.seqcast.model.LstmKernelParityTest.TOLERANCE;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.testkit.TestModels;
import dev.seqcast.train.SameDiffGru;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The contract between trainer and predictor for GRU models: on the same weights, seqcast's GRU
 * kernel stepping one input at a time and SameDiff's {@code gru} forward pass over the whole
 * sequence agree within 1e-5 over 1,000 steps, for one layer and for stacked layers.
 */
class GruKernelParityTest {

  @ParameterizedTest(name = "nIn {0}, layers {1}")
  @CsvSource({"1, 1", "4, 1", "1, 2", "4, 2"})
  void kernelMatchesSameDiffOnRandomWeights(int nIn, int layers) throws Exception {
    ModelBundle bundle =
        TestModels.random("parity", 1, CellType.GRU, nIn, 32, layers, nIn * 10L + layers, 0.4);
    double worst = maxDifference(bundle, new Random(nIn));
    assertTrue(worst <= TOLERANCE, "max |kernel - samediff| = " + worst);
  }

  @ParameterizedTest(name = "layers {0}")
  @CsvSource({"1", "2"})
  void kernelMatchesSameDiffOnATrainedModel(int layers) throws Exception {
    double worst = maxDifference(TestModels.trained(CellType.GRU, layers), new Random(9));
    assertTrue(worst <= TOLERANCE, "max |kernel - samediff| = " + worst);
  }

  private static double maxDifference(ModelBundle bundle, Random random) {
    int nIn = bundle.header().inputSize();
    float[][] inputs = new float[STEPS][nIn];
    for (float[] input : inputs) {
      for (int k = 0; k < nIn; k++) {
        input[k] = (float) (random.nextGaussian() * 1.5);
      }
    }
    float[][] expected = SameDiffGru.load(bundle).forward(inputs);
    RecurrentModel model = RecurrentModel.from(bundle);
    StepKernel kernel = model.newKernel();
    float[] state = new float[model.stateSize()];
    float[] output = new float[1];
    double worst = 0;
    for (int t = 0; t < STEPS; t++) {
      kernel.step(state, inputs[t]);
      kernel.output(state, output);
      worst = Math.max(worst, Math.abs(expected[t][0] - output[0]));
    }
    return worst;
  }
}
