package dev.seqcast.model;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link KernelMath#multiplyAdd} on the JDK Vector API (incubator). Loaded only when {@link
 * KernelMath#VECTOR} is true, so the scalar path never needs the incubator module.
 */
final class VectorMath {

  private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

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
}
