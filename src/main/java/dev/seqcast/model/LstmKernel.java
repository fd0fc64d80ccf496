package dev.seqcast.model;

import static dev.seqcast.model.KernelMath.sigmoid;
import static dev.seqcast.model.KernelMath.tanh;

/**
 * The LSTM step on plain {@code float[]}, layer by layer: one fused pass accumulates all four gate
 * pre-activations over {@code [x | h]}, then the cell update.
 *
 * <pre>
 *   i, f, o = σ(W·[x|h] + b),  g = tanh(W·[x|h] + b)
 *   c' = f ⊙ c + i ⊙ g,        h' = o ⊙ tanh(c')
 * </pre>
 *
 * Allocates nothing per call. Confined to one thread: it owns the scratch buffer {@code z}.
 */
final class LstmKernel implements StepKernel {

  private final RecurrentModel m;
  private final float[] z;

  LstmKernel(RecurrentModel model) {
    this.m = model;
    this.z = new float[4 * model.hidden];
  }

  @Override
  public void step(float[] state, float[] input) {
    int h = m.hidden;
    float[] in = input;
    int inFrom = 0;
    for (RecurrentModel.Layer layer : m.layers) {
      int at = layer.stateOffset;
      KernelMath.load(z, layer.bias);
      KernelMath.multiplyAdd(z, layer.columns, 0, in, inFrom, layer.inputs);
      KernelMath.multiplyAdd(z, layer.columns, layer.inputs, state, at, h);
      for (int j = 0; j < h; j++) {
        float i = sigmoid(z[j]);
        float f = sigmoid(z[h + j]);
        float g = tanh(z[2 * h + j]);
        float o = sigmoid(z[3 * h + j]);
        float c = f * state[at + h + j] + i * g;
        state[at + h + j] = c;
        state[at + j] = o * tanh(c);
      }
      in = state;
      inFrom = at;
    }
  }

  @Override
  public void output(float[] state, float[] output) {
    KernelMath.head(m, state, output);
  }
}
