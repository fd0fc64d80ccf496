package dev.seqcast.bench;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.StepKernel;
import dev.seqcast.train.Dl4jLstm;
import java.util.HashMap;
import java.util.Map;
import org.deeplearning4j.nn.layers.recurrent.LSTM;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A {@link StepKernel} that runs each step through DL4J's {@code rnnTimeStep} at batch 1, as a
 * stream would without seqcast's own kernel: load the series' {@code h, c} into the network, step,
 * read them back. Only for the pipeline benchmark's "what the kernel buys" comparison; LSTM only.
 * Confined to one thread.
 */
final class Dl4jStepKernel implements StepKernel {

  private final MultiLayerNetwork net;
  private final int hidden;
  private final int layers;
  private final int inputSize;
  private final float[] lastOutput;

  Dl4jStepKernel(ModelBundle bundle) {
    if (bundle.header().cell() != CellType.LSTM) {
      throw new IllegalArgumentException("the DL4J step kernel runs LSTM bundles only");
    }
    this.net = Dl4jLstm.load(bundle);
    this.hidden = bundle.header().hiddenSize();
    this.layers = bundle.header().layers();
    this.inputSize = bundle.header().inputSize();
    this.lastOutput = new float[bundle.header().outputSize()];
  }

  @Override
  public void step(float[] state, float[] input) {
    for (int l = 0; l < layers; l++) {
      int at = l * 2 * hidden;
      Map<String, INDArray> layerState = new HashMap<>();
      layerState.put(LSTM.STATE_KEY_PREV_ACTIVATION, row(state, at));
      layerState.put(LSTM.STATE_KEY_PREV_MEMCELL, row(state, at + hidden));
      net.rnnSetPreviousState(l, layerState);
    }
    INDArray out = net.rnnTimeStep(Nd4j.create(input.clone(), new long[] {1, inputSize}));
    for (int k = 0; k < lastOutput.length; k++) {
      lastOutput[k] = out.getFloat(k);
    }
    for (int l = 0; l < layers; l++) {
      int at = l * 2 * hidden;
      Map<String, INDArray> layerState = net.rnnGetPreviousState(l);
      copy(layerState.get(LSTM.STATE_KEY_PREV_ACTIVATION), state, at);
      copy(layerState.get(LSTM.STATE_KEY_PREV_MEMCELL), state, at + hidden);
    }
  }

  @Override
  public void output(float[] state, float[] output) {
    System.arraycopy(lastOutput, 0, output, 0, lastOutput.length);
  }

  private INDArray row(float[] state, int from) {
    float[] part = new float[hidden];
    System.arraycopy(state, from, part, 0, hidden);
    return Nd4j.create(part, new long[] {1, hidden});
  }

  private void copy(INDArray vector, float[] state, int from) {
    float[] values = vector.dup().data().asFloat();
    System.arraycopy(values, 0, state, from, hidden);
  }
}
