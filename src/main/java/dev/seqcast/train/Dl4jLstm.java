package dev.seqcast.train;

import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.OutputHead;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.conf.BackpropType;
import org.deeplearning4j.nn.conf.GradientNormalization;
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
 * The DL4J side of the contract with the predictor for LSTM models: the network the trainer fits
 * (stacked {@code LSTM} layers + a linear {@code RnnOutputLayer}) and the one exporter from its
 * parameters to a {@link ModelBundle}.
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

  /**
   * A fresh, initialised network: {@code layers} stacked LSTM(tanh) layers → linear output, MSE,
   * Adam, truncated BPTT.
   */
  public static MultiLayerNetwork network(
      int inputSize,
      int hiddenSize,
      int layers,
      int outputSize,
      long seed,
      int tbptt,
      double learningRate) {
    return network(
        inputSize,
        hiddenSize,
        layers,
        outputSize,
        OutputHead.REGRESSION,
        seed,
        tbptt,
        learningRate);
  }

  /**
   * As {@link #network(int, int, int, int, long, int, double)} with the output layer {@code head}
   * asks for: linear with MSE for regression, softmax with multi-class cross-entropy (one-hot
   * labels) for classification.
   */
  public static MultiLayerNetwork network(
      int inputSize,
      int hiddenSize,
      int layers,
      int outputSize,
      OutputHead head,
      long seed,
      int tbptt,
      double learningRate) {
    boolean classify = head.isClassification();
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(new Adam(learningRate))
            .weightInit(WeightInit.XAVIER)
            .list();
    addLstmLayers(list, inputSize, hiddenSize, layers);
    MultiLayerConfiguration conf =
        list.layer(
                new RnnOutputLayer.Builder(
                        classify
                            ? LossFunctions.LossFunction.MCXENT
                            : LossFunctions.LossFunction.MSE)
                    .activation(classify ? Activation.SOFTMAX : Activation.IDENTITY)
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
   * The network of a smoothed multi-horizon forecaster: {@code layers} stacked LSTM(tanh) layers →
   * a linear output of one unit per horizon, mean absolute error (the median of each horizon's
   * correction, what MASE scores), Adam with per-layer L2 gradient clipping at 1, back-propagation
   * through each whole training window. The head starts at zero, so before its first update the
   * network forecasts exactly what the smoothing beneath it does (a small random head instead
   * measured no better on the development splits).
   */
  public static MultiLayerNetwork horizonNetwork(
      int inputSize, int hiddenSize, int layers, int horizon, long seed, double learningRate) {
    NeuralNetConfiguration.ListBuilder list =
        new NeuralNetConfiguration.Builder()
            .seed(seed)
            .updater(new Adam(learningRate))
            .weightInit(WeightInit.XAVIER)
            .gradientNormalization(GradientNormalization.ClipL2PerLayer)
            .gradientNormalizationThreshold(1.0)
            .list();
    addLstmLayers(list, inputSize, hiddenSize, layers);
    MultiLayerConfiguration conf =
        list.layer(
                new RnnOutputLayer.Builder(LossFunctions.LossFunction.L1)
                    .activation(Activation.IDENTITY)
                    .nIn(hiddenSize)
                    .nOut(horizon)
                    .build())
            .backpropType(BackpropType.Standard)
            .build();
    MultiLayerNetwork net = new MultiLayerNetwork(conf);
    net.init();
    net.getParam(layers + "_W").assign(0);
    net.getParam(layers + "_b").assign(0);
    return net;
  }

  /** One weight's place in the bundle and in DL4J: parameter key, row and column. */
  @FunctionalInterface
  private interface WeightVisitor {
    void visit(int bundleIndex, String param, int row, int column);
  }

  /** Walks every weight of the bundle layout once, naming where DL4J keeps it. */
  private static void forEachWeight(ModelHeader header, WeightVisitor visitor) {
    int h = header.hiddenSize();
    int at = 0;
    for (int layer = 0; layer < header.layers(); layer++) {
      int n = header.layerInputSize(layer);
      for (int gate = 0; gate < 4; gate++) {
        int column0 = DL4J_BLOCK_OF[gate] * h;
        for (int j = 0; j < h; j++) {
          for (int k = 0; k < n; k++) {
            visitor.visit(at++, layer + "_W", k, column0 + j);
          }
          for (int k = 0; k < h; k++) {
            visitor.visit(at++, layer + "_RW", k, column0 + j);
          }
        }
      }
      for (int gate = 0; gate < 4; gate++) {
        int column0 = DL4J_BLOCK_OF[gate] * h;
        for (int j = 0; j < h; j++) {
          visitor.visit(at++, layer + "_b", 0, column0 + j);
        }
      }
    }
    String head = header.layers() + "_";
    for (int o = 0; o < header.outputSize(); o++) {
      for (int j = 0; j < h; j++) {
        visitor.visit(at++, head + "W", j, o);
      }
    }
    for (int o = 0; o < header.outputSize(); o++) {
      visitor.visit(at++, head + "b", 0, o);
    }
  }

  /** DL4J's parameters as 2-d views (biases are kept 1-d by DL4J; view them as one row). */
  private static Map<String, INDArray> matrices(MultiLayerNetwork net) {
    Map<String, INDArray> params = new HashMap<>();
    net.paramTable()
        .forEach(
            (key, param) ->
                params.put(key, param.rank() == 1 ? param.reshape(1, param.length()) : param));
    return params;
  }

  /** Exports {@code net}'s parameters in the bundle layout under {@code header}. */
  public static ModelBundle export(MultiLayerNetwork net, ModelHeader header) {
    Map<String, INDArray> params = matrices(net);
    float[] weights = new float[header.weightCount()];
    forEachWeight(
        header, (i, param, row, column) -> weights[i] = params.get(param).getFloat(row, column));
    return new ModelBundle(header, weights);
  }

  /**
   * The inverse of {@link #export}: a DL4J network carrying a bundle's weights, so DL4J can run a
   * published model (e.g. to check the streaming kernel against it).
   */
  public static MultiLayerNetwork load(ModelBundle bundle) {
    ModelHeader header = bundle.header();
    MultiLayerNetwork net =
        network(
            header.inputSize(),
            header.hiddenSize(),
            header.layers(),
            header.outputSize(),
            header.head(),
            0,
            50,
            1e-3);
    Map<String, INDArray> params = matrices(net);
    float[] weights = bundle.weights();
    forEachWeight(
        header, (i, param, row, column) -> params.get(param).putScalar(row, column, weights[i]));
    params.forEach((key, matrix) -> net.setParam(key, matrix.reshape(net.getParam(key).shape())));
    return net;
  }

  /** Appends {@code layers} stacked LSTM(tanh) layers, the first reading {@code inputSize}. */
  private static void addLstmLayers(
      NeuralNetConfiguration.ListBuilder list, int inputSize, int hiddenSize, int layers) {
    for (int l = 0; l < layers; l++) {
      list.layer(
          new LSTM.Builder()
              .nIn(l == 0 ? inputSize : hiddenSize)
              .nOut(hiddenSize)
              .activation(Activation.TANH)
              .build());
    }
  }
}
