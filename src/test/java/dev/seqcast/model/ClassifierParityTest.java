package dev.seqcast.model;

import static dev.seqcast.model.LstmKernelParityTest.STEPS;
import static dev.seqcast.model.LstmKernelParityTest.TOLERANCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.train.Dl4jLstm;
import dev.seqcast.train.SameDiffGru;
import java.util.List;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract between trainer and predictor for classification heads: on the same weights, the
 * kernel with its softmax head matches DL4J's {@code RnnOutputLayer} softmax (LSTM, {@code
 * rnnTimeStep}) and SameDiff's softmax output (GRU, whole-sequence forward) within 1e-5 on every
 * class probability over 1,000 steps. The build runs it on the scalar and on the Vector API kernel
 * (see {@link LstmKernelParityTest}).
 */
class ClassifierParityTest {

  private static final List<String> CLASSES = List.of("silence", "unvoiced", "voiced");

  @ParameterizedTest(name = "nIn {0}, layers {1}")
  @CsvSource({"8, 1", "82, 1", "8, 2"})
  void lstmKernelAndSoftmaxMatchDl4j(int nIn, int layers) {
    ModelHeader shape =
        ModelHeader.ofShape(
            "tagger",
            CellType.LSTM,
            nIn,
            24,
            layers,
            CLASSES.size(),
            OutputHead.classification(CLASSES));
    MultiLayerNetwork net =
        Dl4jLstm.network(nIn, 24, layers, CLASSES.size(), shape.head(), 7, 50, 1e-3);
    Random random = new Random(nIn + layers);
    INDArray params = net.params();
    for (long i = 0; i < params.length(); i++) {
      params.putScalar(i, (float) (random.nextGaussian() * 0.4));
    }
    net.setParams(params);
    StepKernel kernel = RecurrentModel.from(roundTrip(Dl4jLstm.export(net, shape))).newKernel();
    float[] state = new float[shape.stateSize()];
    float[] input = new float[nIn];
    float[] output = new float[CLASSES.size()];
    net.rnnClearPreviousState();
    double worst = 0;
    for (int t = 0; t < STEPS; t++) {
      for (int k = 0; k < nIn; k++) {
        input[k] = (float) (random.nextGaussian() * 1.5);
      }
      INDArray expected = net.rnnTimeStep(Nd4j.create(input, new long[] {1, nIn}));
      kernel.step(state, input);
      kernel.output(state, output);
      worst = Math.max(worst, maxDifference(expected.toFloatVector(), output));
    }
    assertTrue(worst <= TOLERANCE, "max |kernel - dl4j| = " + worst);
  }

  @ParameterizedTest(name = "nIn {0}, layers {1}")
  @CsvSource({"8, 1", "82, 1", "8, 2"})
  void gruKernelAndSoftmaxMatchSameDiff(int nIn, int layers) throws Exception {
    ModelHeader shape =
        ModelHeader.ofShape(
            "tagger",
            CellType.GRU,
            nIn,
            24,
            layers,
            CLASSES.size(),
            OutputHead.classification(CLASSES));
    Random random = new Random(nIn * 3L + layers);
    float[] weights = new float[shape.weightCount()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextGaussian() * 0.4);
    }
    ModelBundle bundle = roundTrip(new ModelBundle(shape, weights));
    float[][] inputs = new float[STEPS][nIn];
    for (float[] input : inputs) {
      for (int k = 0; k < nIn; k++) {
        input[k] = (float) (random.nextGaussian() * 1.5);
      }
    }
    float[][] expected = SameDiffGru.load(bundle).forward(inputs);
    StepKernel kernel = RecurrentModel.from(bundle).newKernel();
    float[] state = new float[shape.stateSize()];
    float[] output = new float[CLASSES.size()];
    double worst = 0;
    for (int t = 0; t < STEPS; t++) {
      kernel.step(state, inputs[t]);
      kernel.output(state, output);
      worst = Math.max(worst, maxDifference(expected[t], output));
      double sum = 0;
      for (float p : output) {
        sum += p;
      }
      assertEquals(1.0, sum, 1e-5, "probabilities sum to one");
    }
    assertTrue(worst <= TOLERANCE, "max |kernel - samediff| = " + worst);
  }

  private static ModelBundle roundTrip(ModelBundle bundle) {
    try {
      ModelBundle decoded = ModelBundle.decode(bundle.encode());
      assertEquals(CLASSES, decoded.header().head().classes());
      return decoded;
    } catch (BundleException e) {
      throw new AssertionError(e);
    }
  }

  private static double maxDifference(float[] expected, float[] actual) {
    assertEquals(expected.length, actual.length);
    double worst = 0;
    for (int k = 0; k < actual.length; k++) {
      worst = Math.max(worst, Math.abs(expected[k] - actual[k]));
    }
    return worst;
  }
}
