package dev.seqcast.model;

/**
 * The LSTM step on plain {@code float[]}, layer by layer: one fused pass accumulates all four gate
 * pre-activations over {@code [x | h]}, the activations run over whole gate blocks (so the Vector
 * API path can do them lanes at a time), then the cell update.
 *
 * <pre>
 *   i, f, o = σ(W·[x|h] + b),  g = tanh(W·[x|h] + b)
 *   c' = f ⊙ c + i ⊙ g,        h' = o ⊙ tanh(c')
 * </pre>
 *
 * Allocates nothing per call. Confined to one thread: it owns the scratch buffers {@code z} and
 * {@code t}.
 */
final class LstmKernel implements StepKernel {

  private final RecurrentModel m;
  private final float[] z;
  private final float[] t;

  LstmKernel(RecurrentModel model) {
    this.m = model;
    this.z = new float[4 * model.hidden];
    this.t = new float[model.hidden];
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
      KernelMath.sigmoid(z, 0, 2 * h); // i, f
      KernelMath.tanh(z, 2 * h, 3 * h); // g
      KernelMath.sigmoid(z, 3 * h, 4 * h); // o
      for (int j = 0; j < h; j++) {
        float c = z[h + j] * state[at + h + j] + z[j] * z[2 * h + j];
        state[at + h + j] = c;
        t[j] = c;
      }
      KernelMath.tanh(t, 0, h);
      for (int j = 0; j < h; j++) {
        state[at + j] = z[3 * h + j] * t[j];
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
