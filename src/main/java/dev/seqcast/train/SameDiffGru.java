package dev.seqcast.train;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.OutputHead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/**
 * The DL4J side of the contract for GRU models. DL4J's {@code MultiLayerNetwork} has no GRU layer,
 * so this is a SameDiff graph: stacked {@code gru} ops (which have backprop) and a linear head, MSE
 * loss, Adam.
 *
 * <p>SameDiff's {@code gru} keeps input weights {@code Wx [in][3h]}, recurrent weights {@code Wh
 * [h][3h]} and bias {@code b [3h]} with column blocks {@code r, u, c}, and computes {@code c =
 * tanh(x·Wx_c + r ⊙ (h·Wh_c) + b_c)}, {@code h' = u ⊙ h + (1 − u) ⊙ c}: exactly the bundle's {@code
 * r, z, n} rows with {@code z = u}, {@code n = c}. {@code GruKernelParityTest} proves it.
 *
 * <p>Tensors are time-major: inputs {@code x [T][B][n]}, initial states {@code h0_l [B][h]}.
 * Confined to one thread.
 */
public final class SameDiffGru {

  private final ModelHeader shape;
  private final SameDiff sd;
  private final List<String> statePlaceholders = new ArrayList<>();
  private final List<String> finalStates = new ArrayList<>();

  private SameDiffGru(ModelHeader shape, float[] weights, long seed) {
    this.shape = shape;
    this.sd = SameDiff.create();
    int h = shape.hiddenSize();
    int out = shape.outputSize();
    Nd4j.getRandom().setSeed(seed);
    SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, -1, shape.inputSize());
    SDVariable layerInput = x;
    for (int l = 0; l < shape.layers(); l++) {
      int in = shape.layerInputSize(l);
      SDVariable h0 = sd.placeHolder("h0_" + l, DataType.FLOAT, -1, h);
      statePlaceholders.add(h0.name());
      SDVariable wx = sd.var("gru" + l + "_Wx", xavier(in, 3 * h));
      SDVariable wh = sd.var("gru" + l + "_Wh", xavier(h, 3 * h));
      SDVariable b = sd.var("gru" + l + "_b", Nd4j.zeros(DataType.FLOAT, 3 * h));
      layerInput = sd.rnn().gru("gru" + l, layerInput, h0, wx, wh, b);
      // The state after the step, meaningful for single-step calls (the Stepper's T = 1).
      finalStates.add(sd.reshape("h_" + l, layerInput, -1, h).name());
    }
    SDVariable top = sd.reshape(layerInput, -1, h);
    SDVariable linear =
        top.mmul(sd.var("head_W", xavier(h, out))).add(sd.var("head_b", Nd4j.zeros(1, out)));
    SDVariable y = sd.placeHolder("y", DataType.FLOAT, -1, -1, out);
    if (shape.head().isClassification()) {
      // y holds one-hot classes; the loss takes the logits, the output is their softmax.
      sd.nn().softmax("prediction", linear, 1);
      sd.loss().softmaxCrossEntropy("loss", sd.reshape(y, -1, out), linear, null);
    } else {
      sd.identity("prediction", linear);
      sd.loss().meanSquaredError("loss", sd.reshape(y, -1, out), linear, null);
    }
    if (weights != null) {
      forEachWeight(
          shape, (i, variable, row, column) -> matrix(variable).putScalar(row, column, weights[i]));
    }
  }

  private static INDArray xavier(int fanIn, int fanOut) {
    return Nd4j.randn(DataType.FLOAT, fanIn, fanOut).muli(Math.sqrt(2.0 / (fanIn + fanOut)));
  }

  /** A fresh graph with seeded Xavier weights and zero biases, ready to {@link #fit}. */
  public static SameDiffGru create(
      int inputSize, int hiddenSize, int layers, int outputSize, long seed, double learningRate) {
    return create(
        inputSize, hiddenSize, layers, outputSize, OutputHead.REGRESSION, seed, learningRate);
  }

  /**
   * As {@link #create(int, int, int, int, long, double)} with {@code head}: a classification head
   * outputs the softmax of its linear outputs and trains on softmax cross-entropy against one-hot
   * targets.
   */
  public static SameDiffGru create(
      int inputSize,
      int hiddenSize,
      int layers,
      int outputSize,
      OutputHead head,
      long seed,
      double learningRate) {
    ModelHeader shape =
        ModelHeader.ofShape("gru", CellType.GRU, inputSize, hiddenSize, layers, outputSize, head);
    SameDiffGru gru = new SameDiffGru(shape, null, seed);
    List<String> features = new ArrayList<>(List.of("x"));
    features.addAll(gru.statePlaceholders);
    gru.sd.setTrainingConfig(
        TrainingConfig.builder()
            .updater(new Adam(learningRate))
            .dataSetFeatureMapping(features)
            .dataSetLabelMapping("y")
            .build());
    return gru;
  }

  /** A graph carrying a bundle's weights, so SameDiff can run a published GRU model. */
  public static SameDiffGru load(ModelBundle bundle) {
    if (bundle.header().cell() != CellType.GRU) {
      throw new IllegalArgumentException("not a GRU bundle: " + bundle.header().cell());
    }
    return new SameDiffGru(bundle.header(), bundle.weights(), 0);
  }

  /**
   * One pass over {@code data} (inputs and targets {@code [B][features][T]}, DL4J's layout), each
   * sequence starting from zero state; returns the mean loss after the update.
   */
  public double fit(DataSet data) {
    INDArray x = data.getFeatures().permute(2, 0, 1).dup('c');
    INDArray y = data.getLabels().permute(2, 0, 1).dup('c');
    List<INDArray> features = new ArrayList<>(List.of(x));
    for (int l = 0; l < shape.layers(); l++) {
      features.add(Nd4j.zeros(DataType.FLOAT, x.size(1), shape.hiddenSize()));
    }
    MultiDataSet batch = new MultiDataSet(features.toArray(INDArray[]::new), new INDArray[] {y});
    sd.fit(batch);
    // fit() on a single MultiDataSet records no loss curve; score the updated weights instead.
    return sd.output(batch, "loss").get("loss").getDouble(0);
  }

  /** The whole-sequence forward pass from zero state: the head's output after each input. */
  public float[][] forward(float[][] inputs) {
    int n = shape.inputSize();
    INDArray x = Nd4j.create(DataType.FLOAT, inputs.length, 1, n);
    for (int t = 0; t < inputs.length; t++) {
      for (int k = 0; k < n; k++) {
        x.putScalar(new long[] {t, 0, k}, inputs[t][k]);
      }
    }
    Map<String, INDArray> feed = new HashMap<>();
    feed.put("x", x);
    for (String h0 : statePlaceholders) {
      feed.put(h0, Nd4j.zeros(DataType.FLOAT, 1, shape.hiddenSize()));
    }
    return sd.output(feed, "prediction").get("prediction").toFloatMatrix();
  }

  /** Steps a batch of series one time step per call, as a stream would; for benchmarks. */
  public final class Stepper {
    private final Map<String, INDArray> feed = new HashMap<>();

    Stepper(int batch) {
      for (String h0 : statePlaceholders) {
        feed.put(h0, Nd4j.zeros(DataType.FLOAT, batch, shape.hiddenSize()));
      }
    }

    /**
     * One step for every series: {@code input [1][B][n]}; returns the head output {@code [B][out]}.
     */
    public INDArray step(INDArray input) {
      feed.put("x", input);
      List<String> wanted = new ArrayList<>(finalStates);
      wanted.add("prediction");
      Map<String, INDArray> result = sd.output(feed, wanted);
      for (int l = 0; l < finalStates.size(); l++) {
        feed.put(statePlaceholders.get(l), result.get(finalStates.get(l)));
      }
      return result.get("prediction");
    }
  }

  /** A stepper over {@code batch} series, all starting from zero state. */
  public Stepper stepper(int batch) {
    return new Stepper(batch);
  }

  /** Exports the graph's weights in the bundle layout under {@code header}. */
  public ModelBundle export(ModelHeader header) {
    float[] weights = new float[header.weightCount()];
    forEachWeight(
        header, (i, variable, row, column) -> weights[i] = matrix(variable).getFloat(row, column));
    return new ModelBundle(header, weights);
  }

  /** A variable's array as a matrix (biases are 1-d in SameDiff's ops; view them as one row). */
  private INDArray matrix(String variable) {
    INDArray array = sd.getArrForVarName(variable);
    return array.rank() == 1 ? array.reshape(1, array.length()) : array;
  }

  @FunctionalInterface
  private interface WeightVisitor {
    void visit(int bundleIndex, String variable, int row, int column);
  }

  /** Walks every weight of the bundle layout once, naming the SameDiff variable that holds it. */
  private static void forEachWeight(ModelHeader header, WeightVisitor visitor) {
    int h = header.hiddenSize();
    int at = 0;
    for (int l = 0; l < header.layers(); l++) {
      int n = header.layerInputSize(l);
      for (int row = 0; row < 3 * h; row++) {
        for (int k = 0; k < n; k++) {
          visitor.visit(at++, "gru" + l + "_Wx", k, row);
        }
        for (int k = 0; k < h; k++) {
          visitor.visit(at++, "gru" + l + "_Wh", k, row);
        }
      }
      for (int row = 0; row < 3 * h; row++) {
        visitor.visit(at++, "gru" + l + "_b", 0, row);
      }
    }
    for (int o = 0; o < header.outputSize(); o++) {
      for (int j = 0; j < h; j++) {
        visitor.visit(at++, "head_W", j, o);
      }
    }
    for (int o = 0; o < header.outputSize(); o++) {
      visitor.visit(at++, "head_b", 0, o);
    }
  }
}
