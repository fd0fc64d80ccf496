package dev.seqcast.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KernelMath#multiplyAdd} on the JDK Vector API (incubator). Loaded only when {@link
 * KernelMath#VECTOR} is true, so the scalar path never needs the incubator module.
 */
final class VectorMath {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
  private static final FloatVector ONE = FloatVector.broadcast(SPECIES, 1f);
  private static final FloatVector TWO = FloatVector.broadcast(SPECIES, 2f);

  private VectorMath() {}

  static void multiplyAdd(
      float[] acc, float[][] columns, int column0, float[] v, int vFrom, int count) {
    int rows = acc.length;
    int bound = SPECIES.loopBound(rows);
    int r = 0;
    for (; r < bound; r += SPECIES.length()) {
      FloatVector sum = FloatVector.fromArray(SPECIES, acc, r);
      for (int k = 0; k < count; k++) {
        FloatVector column = FloatVector.fromArray(SPECIES, columns[column0 + k], r);
        sum = column.fma(FloatVector.broadcast(SPECIES, v[vFrom + k]), sum);
      }
      sum.intoArray(acc, r);
    }
    for (; r < rows; r++) {
      float sum = acc[r];
      for (int k = 0; k < count; k++) {
        sum += v[vFrom + k] * columns[column0 + k][r];
      }
      acc[r] = sum;
    }
  }

  /** {@code a[i] ← 1 / (1 + e^(−a[i]))}, lanes at a time; the tail in scalar code. */
  static void sigmoid(float[] a, int from, int to) {
    int i = from;
    for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, a, i);
      ONE.div(x.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(a, i);
    }
    for (; i < to; i++) {
      a[i] = KernelMath.sigmoid(a[i]);
    }
  }

  /** {@code a[i] ← 2σ(2·a[i]) − 1}, lanes at a time; the tail in scalar code. */
  static void tanh(float[] a, int from, int to) {
    int i = from;
    for (int bound = from + SPECIES.loopBound(to - from); i < bound; i += SPECIES.length()) {
      FloatVector x = FloatVector.fromArray(SPECIES, a, i);
      TWO.div(x.mul(-2f).lanewise(VectorOperators.EXP).add(1f)).sub(1f).intoArray(a, i);
    }
    for (; i < to; i++) {
      a[i] = KernelMath.tanh(a[i]);
    }
  }
}
