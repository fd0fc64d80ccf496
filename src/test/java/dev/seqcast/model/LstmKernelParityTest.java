package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.data.Series;
import dev.seqcast.train.Dl4jLstm;
import dev.seqcast.train.LstmTrainer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The contract between trainer and predictor: on the same weights, seqcast's kernel and DL4J's
 * {@code rnnTimeStep} (batch 1, one step at a time) agree within 1e-5 over 1,000 steps.
 */
class LstmKernelParityTest {

  private static final int STEPS = 1_000;
  private static final double TOLERANCE = 1e-5;

  @ParameterizedTest(name = "nIn {0}")
  @ValueSource(ints = {1, 4})
  void kernelMatchesDl4jOnRandomWeights(int nIn) throws Exception {
    int hidden = 32;
    MultiLayerNetwork net = Dl4jLstm.network(nIn, hidden, 1, 7, 50, 1e-3);
    Random random = new Random(nIn);
    INDArray params = net.params();
    for (long i = 0; i < params.length(); i++) {
      params.putScalar(i, (float) (random.nextGaussian() * 0.4));
    }
    net.setParams(params);
    double worst = maxDifference(net, nIn, hidden, random);
    assertTrue(worst <= TOLERANCE, "max |kernel - dl4j| = " + worst);
  }

  @Test
  void kernelMatchesDl4jOnATrainedModel() throws Exception {
    Random random = new Random(5);
    int n = 600;
    long[] ts = new long[n];
    double[] values = new double[n];
    double price = 100;
    for (int t = 0; t < n; t++) {
      ts[t] = t * 86_400_000L;
      price *= Math.exp(0.01 * random.nextGaussian() + 0.004 * Math.sin(t / 9.0));
      values[t] = price;
    }
    LstmTrainer.Options options = new LstmTrainer.Options("parity", 1, 16, 3, 20, 0.2, 5e-3, 3);
    LstmTrainer.Result result =
        LstmTrainer.train(
            List.of(new Series("synthetic", ts, values)),
            Map.of(),
            options,
            (e, total, loss) -> {});
    double worst = maxDifference(result.network(), 1, 16, random);
    assertTrue(worst <= TOLERANCE, "max |kernel - dl4j| = " + worst);
  }

  @Test
  void kernelMatchesDl4jOnTheBundledSp500Model() throws Exception {
    ModelBundle bundle = ModelBundle.decode(dev.seqcast.testkit.TestModels.bundledSp500());
    MultiLayerNetwork net = Dl4jLstm.load(bundle);
    double worst = maxDifference(net, 1, bundle.header().hiddenSize(), new Random(17));
    assertTrue(worst <= TOLERANCE, "max |kernel - dl4j| = " + worst);
  }

  private static double maxDifference(MultiLayerNetwork net, int nIn, int hidden, Random random)
      throws Exception {
    ModelHeader header =
        new ModelHeader(
            "parity",
            1,
            CellType.LSTM,
            nIn,
            hidden,
            1,
            java.util.Collections.nCopies(nIn, "x"),
            new Normalisation(0.1, 0.01, 8),
            Map.of(),
            Map.of(),
            Instant.EPOCH);
    ModelBundle bundle = ModelBundle.decode(Dl4jLstm.export(net, header).encode());
    StepKernel kernel = LstmModel.from(bundle).newKernel();
    float[] state = new float[2 * hidden];
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
