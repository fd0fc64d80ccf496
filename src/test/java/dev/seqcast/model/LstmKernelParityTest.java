package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.testkit.TestModels;
import dev.seqcast.train.Dl4jLstm;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract between trainer and predictor for LSTM models: on the same weights, seqcast's kernel
 * and DL4J's {@code rnnTimeStep} (batch 1, one step at a time) agree within 1e-5 over 1,000 steps,
 * for one layer and for stacked layers.
 */
class LstmKernelParityTest {

  static final int STEPS = 1_000;
  static final double TOLERANCE = 1e-5;

  /** The build runs these tests twice: default (scalar) and with the Vector API kernel. */
  @Test
  void runsTheKernelImplementationTheBuildAskedFor() {
    assertEquals(
        System.getProperty("seqcast.kernel", "scalar"), RecurrentModel.kernelImplementation());
  }

  @ParameterizedTest(name = "nIn {0}, layers {1}")
  @CsvSource({"1, 1", "4, 1", "1, 2", "4, 2"})
  void kernelMatchesDl4jOnRandomWeights(int nIn, int layers) {
    int hidden = 32;
    MultiLayerNetwork net = Dl4jLstm.network(nIn, hidden, layers, 1, 7, 50, 1e-3);
    Random random = new Random(nIn * 10L + layers);
    INDArray params = net.params();
    for (long i = 0; i < params.length(); i++) {
      params.putScalar(i, (float) (random.nextGaussian() * 0.4));
    }
    net.setParams(params);
    ModelHeader shape = ModelHeader.ofShape("parity", CellType.LSTM, nIn, hidden, layers, 1);
    double worst = maxDifference(net, shape, random);
    assertTrue(worst <= TOLERANCE, "max |kernel - dl4j| = " + worst);
  }

  @ParameterizedTest(name = "layers {0}")
  @CsvSource({"1", "2"})
  void kernelMatchesDl4jOnATrainedModel(int layers) throws Exception {
    ModelBundle bundle = TestModels.trained(CellType.LSTM, layers);
    double worst = maxDifference(Dl4jLstm.load(bundle), bundle.header(), new Random(9));
    assertTrue(worst <= TOLERANCE, "max |kernel - dl4j| = " + worst);
  }

  @Test
  void kernelMatchesDl4jOnTheBundledSp500Model() throws Exception {
    ModelBundle bundle = ModelBundle.decode(TestModels.bundledSp500());
    double worst = maxDifference(Dl4jLstm.load(bundle), bundle.header(), new Random(17));
    assertTrue(worst <= TOLERANCE, "max |kernel - dl4j| = " + worst);
  }

  /** Exports {@code net} through the bundle bytes, then steps kernel and DL4J side by side. */
  private static double maxDifference(MultiLayerNetwork net, ModelHeader shape, Random random) {
    ModelBundle bundle;
    try {
      bundle = ModelBundle.decode(Dl4jLstm.export(net, shape).encode());
    } catch (BundleException e) {
      throw new AssertionError(e);
    }
    int nIn = shape.inputSize();
    StepKernel kernel = RecurrentModel.from(bundle).newKernel();
    float[] state = new float[shape.stateSize()];
    float[] input = new float[nIn];
    float[] output = new float[1];
    net.rnnClearPreviousState();
    double worst = 0;
    for (int t = 0; t < STEPS; t++) {
      for (int k = 0; k < nIn; k++) {
        input[k] = (float) (random.nextGaussian() * 1.5);
      }
      INDArray expected = net.rnnTimeStep(Nd4j.create(input, new long[] {1, nIn}));
      kernel.step(state, input);
      kernel.output(state, output);
      worst = Math.max(worst, Math.abs(expected.getDouble(0) - output[0]));
    }
    return worst;
  }
}
