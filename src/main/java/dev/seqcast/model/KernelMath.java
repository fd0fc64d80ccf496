package dev.seqcast.model;

import java.util.Arrays;

/**
 * The loops every step kernel is made of. The hot one is {@link #multiplyAdd}: for each input
 * value, one contiguous pass over that input's weight column for all gate rows, which C2
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
   * {@code acc[r] += Σ_k v[vFrom + k] · columns[column0 + k][r]} over all rows {@code r} of {@code
   * acc}, {@code k < count}: adds {@code count} weight columns, weighted by a slice of {@code v}.
   */
  static void multiplyAdd(
      float[] acc, float[][] columns, int column0, float[] v, int vFrom, int count) {
    if (VECTOR) {
      VectorMath.multiplyAdd(acc, columns, column0, v, vFrom, count);
      return;
    }
    for (int k = 0; k < count; k++) {
      float a = v[vFrom + k];
      float[] column = columns[column0 + k];
      for (int r = 0; r < acc.length; r++) {
        acc[r] += a * column[r];
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

  /**
   * The head on the top layer's {@code h}: linear, row-major weights {@code [out][h]}, then for a
   * classification head the softmax, so {@code output} holds class probabilities.
   */
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
    if (m.softmax) {
      softmax(output, m.headBias.length);
    }
  }

  /**
   * {@code a[i] ← exp(a[i] − max) / Σ exp(a[j] − max)} over the first {@code n}: the max shift
   * keeps {@code exp} finite whatever the logits; sums in double, as the reference frameworks'
   * float softmax is exact to about 1e-7.
   */
  static void softmax(float[] a, int n) {
    float max = a[0];
    for (int i = 1; i < n; i++) {
      max = Math.max(max, a[i]);
    }
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += Math.exp(a[i] - max);
    }
    for (int i = 0; i < n; i++) {
      a[i] = (float) (Math.exp(a[i] - max) / sum);
    }
  }

  /** {@code a[i] ← σ(a[i])} for {@code from ≤ i < to}. */
  static void sigmoid(float[] a, int from, int to) {
    if (VECTOR) {
      VectorMath.sigmoid(a, from, to);
      return;
    }
    for (int i = from; i < to; i++) {
      a[i] = sigmoid(a[i]);
    }
  }

  /** {@code a[i] ← tanh(a[i])} for {@code from ≤ i < to}. */
  static void tanh(float[] a, int from, int to) {
    if (VECTOR) {
      VectorMath.tanh(a, from, to);
      return;
    }
    for (int i = from; i < to; i++) {
      a[i] = tanh(a[i]);
    }
  }

  static float sigmoid(float x) {
    return (float) (1.0 / (1.0 + Math.exp(-x)));
  }

  /**
   * {@code tanh} through the intrinsic {@code Math.exp}: {@code 2σ(2x) − 1}, in double, exact to
   * float precision. {@code Math.tanh} is not intrinsic on JDK 17 and measured ~6x slower (30 vs 5
   * ns), which made it the largest cost of an LSTM step.
   */
  static float tanh(float x) {
    return (float) (2.0 / (1.0 + Math.exp(-2.0 * x)) - 1.0);
  }
}
