package dev.seqcast.train;

import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The DL4J side of the contract with the predictor: the network the trainer fits (one {@code LSTM}
 * layer + a linear {@code RnnOutputLayer}) and the one exporter from its parameters to a {@link
 * ModelBundle}.
 *
 * <p>DL4J's {@code LSTM} keeps input weights {@code W [n][4h]}, recurrent weights {@code RW
 * [h][4h]} and bias {@code b [4h]} with the 4h columns in gate blocks {@code g, f, o, i} (block
 * input first, input gate last; see DL4J's {@code LSTMHelpers}). The bundle stores rows in order
 * {@code i, f, g, o}; {@link #DL4J_BLOCK_OF} maps one to the other. {@code LstmKernelParityTest}
 * proves the mapping on random and trained weights.
 */
public final class Dl4jLstm {

  /** For bundle gate block {@code i, f, g, o} (index 0..3), the DL4J column block holding it. */
  static final int[] DL4J_BLOCK_OF = {3, 1, 0, 2};

  private Dl4jLstm() {}

  /** A fresh, initialised network: LSTM(tanh) → linear output, MSE, Adam, truncated BPTT. */
  public static MultiLayerNetwork network(
      int inputSize, int hiddenSize, int outputSize, long seed, int tbptt, double learningRate) {
    MultiLayerConfiguration conf =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(new Adam(learningRate))
            .weightInit(WeightInit.XAVIER)
            .list()
            .layer(
                new LSTM.Builder()
                    .nIn(inputSize)
                    .nOut(hiddenSize)
                    .activation(Activation.TANH)
                    .build())
            .layer(
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.MSE)
                    .activation(Activation.IDENTITY)
                    .nIn(hiddenSize)
                    .nOut(outputSize)
                    .build())
            .backpropType(BackpropType.TruncatedBPTT)
            .tBPTTForwardLength(tbptt)
            .tBPTTBackwardLength(tbptt)
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    return net;
  }

  /**
   * The inverse of {@link #export}: a DL4J network carrying a bundle's weights, so DL4J can run a
   * published model (e.g. to check the streaming kernel against it).
   */
  public static MultiLayerNetwork load(ModelBundle bundle) {
    ModelHeader header = bundle.header();
    int n = header.inputSize();
    int h = header.hiddenSize();
    int out = header.outputSize();
    MultiLayerNetwork net = network(n, h, out, 0, 50, 1e-3);
    float[] weights = bundle.weights();
    INDArray w = net.getParam("0_W");
    INDArray rw = net.getParam("0_RW");
    INDArray b = net.getParam("0_b").reshape(-1);
    INDArray headW = net.getParam("1_W");
    INDArray headB = net.getParam("1_b").reshape(-1);
    int at = 0;
    for (int gate = 0; gate < 4; gate++) {
      int column0 = DL4J_BLOCK_OF[gate] * h;
      for (int j = 0; j < h; j++) {
        for (int k = 0; k < n; k++) {
          w.putScalar(k, column0 + j, weights[at + k]);
        }
        for (int k = 0; k < h; k++) {
          rw.putScalar(k, column0 + j, weights[at + n + k]);
        }
        at += n + h;
      }
    }
    for (int gate = 0; gate < 4; gate++) {
      int column0 = DL4J_BLOCK_OF[gate] * h;
      for (int j = 0; j < h; j++) {
        b.putScalar(column0 + j, weights[at++]);
      }
    }
    for (int o = 0; o < out; o++) {
      for (int j = 0; j < h; j++) {
        headW.putScalar(j, o, weights[at++]);
      }
    }
    for (int o = 0; o < out; o++) {
      headB.putScalar(o, weights[at++]);
    }
    net.setParam("0_W", w);
    net.setParam("0_RW", rw);
    net.setParam("0_b", b.reshape(net.getParam("0_b").shape()));
    net.setParam("1_W", headW);
    net.setParam("1_b", headB.reshape(net.getParam("1_b").shape()));
    return net;
  }

  /** Exports {@code net}'s parameters in the bundle layout under {@code header}. */
  public static ModelBundle export(MultiLayerNetwork net, ModelHeader header) {
    int n = header.inputSize();
    int h = header.hiddenSize();
    int out = header.outputSize();
    INDArray w = net.getParam("0_W");
    INDArray rw = net.getParam("0_RW");
    INDArray b = net.getParam("0_b").reshape(-1);
    INDArray headW = net.getParam("1_W");
    INDArray headB = net.getParam("1_b").reshape(-1);
    float[] weights = new float[header.weightCount()];
    int width = n + h;
    int at = 0;
    for (int gate = 0; gate < 4; gate++) {
      int column0 = DL4J_BLOCK_OF[gate] * h;
      for (int j = 0; j < h; j++) {
        for (int k = 0; k < n; k++) {
          weights[at + k] = w.getFloat(k, column0 + j);
        }
        for (int k = 0; k < h; k++) {
          weights[at + n + k] = rw.getFloat(k, column0 + j);
        }
        at += width;
      }
    }
    for (int gate = 0; gate < 4; gate++) {
      int column0 = DL4J_BLOCK_OF[gate] * h;
      for (int j = 0; j < h; j++) {
        weights[at++] = b.getFloat(column0 + j);
      }
    }
    for (int o = 0; o < out; o++) {
      for (int j = 0; j < h; j++) {
        weights[at++] = headW.getFloat(j, o);
      }
    }
    for (int o = 0; o < out; o++) {
      weights[at++] = headB.getFloat(o);
    }
    return new ModelBundle(header, weights);
  }
}
