package dev.seqcast.model;

/**
 * The LSTM step on plain {@code float[]}: one fused pass computes all four gate pre-activations as
 * dot products of contiguous weight rows with {@code [x | h]}, then the cell update.
 *
 * <pre>
 *   i, f, o = σ(W·[x|h] + b),  g = tanh(W·[x|h] + b)
 *   c' = f ⊙ c + i ⊙ g,        h' = o ⊙ tanh(c')
 * </pre>
 *
 * State layout {@code [h | c]}. Allocates nothing per call. Confined to one thread: it owns the
 * scratch buffers {@code xh} and {@code z}.
 */
public final class LstmKernel implements StepKernel {

  private final LstmModel m;
  private final float[] xh;
  private final float[] z;

  LstmKernel(LstmModel model) {
    this.m = model;
    this.xh = new float[model.n + model.h];
    this.z = new float[4 * model.h];
  }

  @Override
  public void step(float[] state, float[] input) {
    int n = m.n;
    int h = m.h;
    int width = n + h;
    System.arraycopy(input, 0, xh, 0, n);
    System.arraycopy(state, 0, xh, n, h);
    float[] w = m.gates;
    for (int row = 0, at = 0; row < 4 * h; row++, at += width) {
      float sum = m.gateBias[row];
      for (int k = 0; k < width; k++) {
        sum += w[at + k] * xh[k];
      }
      z[row] = sum;
    }
    for (int j = 0; j < h; j++) {
      float i = sigmoid(z[j]);
      float f = sigmoid(z[h + j]);
      float g = (float) Math.tanh(z[2 * h + j]);
      float o = sigmoid(z[3 * h + j]);
      float c = f * state[h + j] + i * g;
      state[h + j] = c;
      state[j] = o * (float) Math.tanh(c);
    }
  }

  @Override
  public void output(float[] state, float[] output) {
    int h = m.h;
    for (int k = 0, at = 0; k < m.out; k++, at += h) {
      float sum = m.headBias[k];
      for (int j = 0; j < h; j++) {
        sum += m.head[at + j] * state[j];
      }
      output[k] = sum;
    }
  }

  private static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }
}
