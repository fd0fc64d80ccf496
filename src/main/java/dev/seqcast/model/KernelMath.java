package dev.seqcast.model;

import java.util.Arrays;

/**
 * The loops every step kernel is made of. The hot one is {@link #multiplyAdd}: for each input
 * value, one contiguous pass over all gate rows of the transposed gate matrix, which C2
 * auto-vectorises. With {@code -Dseqcast.kernel=vector} and {@code --add-modules
 * jdk.incubator.vector} the same loop runs on the JDK Vector API instead; the scalar loop is the
 * default and the fallback whenever the module is absent. Stateless; any thread.
 */
final class KernelMath {

  /** Whether the Vector API path is in use (decided once, at class load). */
  static final boolean VECTOR = vectorRequested() && vectorAvailable();

  private KernelMath() {}

  private static boolean vectorRequested() {
    return "vector".equals(System.getProperty("seqcast.kernel", "scalar"));
  }

  private static boolean vectorAvailable() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /** The kernel implementation in use, for benchmark reports: {@code scalar} or {@code vector}. */
  static String implementation() {
    return VECTOR ? "vector" : "scalar";
  }

  /**
   * {@code acc[r] += Σ_k v[vFrom + k] · w[(column0 + k)·rows + r]} for {@code r < rows}, {@code k <
   * count}: adds {@code count} columns of a transposed {@code [·][rows]} matrix, weighted by a
   * slice of {@code v}, to {@code acc}.
   */
  static void multiplyAdd(
      float[] acc, int rows, float[] w, int column0, float[] v, int vFrom, int count) {
    if (VECTOR) {
      VectorMath.multiplyAdd(acc, rows, w, column0, v, vFrom, count);
      return;
    }
    for (int k = 0; k < count; k++) {
      float a = v[vFrom + k];
      int base = (column0 + k) * rows;
      for (int r = 0; r < rows; r++) {
        acc[r] += a * w[base + r];
      }
    }
  }

  /** {@code acc ← bias}. */
  static void load(float[] acc, float[] bias) {
    System.arraycopy(bias, 0, acc, 0, bias.length);
  }

  /** {@code acc ← 0}. */
  static void clear(float[] acc) {
    Arrays.fill(acc, 0f);
  }

  /** The linear head on the top layer's {@code h}, row-major weights {@code [out][h]}. */
  static void head(RecurrentModel m, float[] state, float[] output) {
    int h = m.hidden;
    int from = m.headOffset;
    for (int k = 0, at = 0; k < m.headBias.length; k++, at += h) {
      float sum = m.headBias[k];
      for (int j = 0; j < h; j++) {
        sum += m.head[at + j] * state[from + j];
      }
      output[k] = sum;
    }
  }

  static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  static float tanh(float x) {
    return (float) Math.tanh(x);
  }
}
