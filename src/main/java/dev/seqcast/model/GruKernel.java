package dev.seqcast.model;

/**
 * The GRU step on plain {@code float[]}, layer by layer, in the form DL4J/SameDiff's {@code gru} op
 * computes (reset gate applied after the recurrent product, one bias per gate row):
 *
 * <pre>
 *   r = σ(W_r·x + U_r·h + b_r),  z = σ(W_z·x + U_z·h + b_z)
 *   n = tanh(W_n·x + r ⊙ (U_n·h) + b_n),  h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 *
 * The input part and the recurrent part accumulate separately because {@code r} scales only the
 * recurrent part of {@code n}. Allocates nothing per call. Confined to one thread: it owns the
 * scratch buffers.
 */
final class GruKernel implements StepKernel {

  private final RecurrentModel m;
  private final float[] zx;
  private final float[] zh;

  GruKernel(RecurrentModel model) {
    this.m = model;
    this.zx = new float[3 * model.hidden];
    this.zh = new float[3 * model.hidden];
  }

  @Override
  public void step(float[] state, float[] input) {
    int h = m.hidden;
    float[] in = input;
    int inFrom = 0;
    for (RecurrentModel.Layer layer : m.layers) {
      int at = layer.stateOffset;
      KernelMath.load(zx, layer.bias);
      KernelMath.multiplyAdd(zx, layer.columns, 0, in, inFrom, layer.inputs);
      KernelMath.clear(zh);
      KernelMath.multiplyAdd(zh, layer.columns, layer.inputs, state, at, h);
      for (int j = 0; j < 2 * h; j++) {
        zx[j] += zh[j];
      }
      KernelMath.sigmoid(zx, 0, 2 * h); // r, z
      for (int j = 0; j < h; j++) {
        zx[2 * h + j] += zx[j] * zh[2 * h + j];
      }
      KernelMath.tanh(zx, 2 * h, 3 * h); // n
      for (int j = 0; j < h; j++) {
        float z = zx[h + j];
        state[at + j] = (1 - z) * zx[2 * h + j] + z * state[at + j];
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
