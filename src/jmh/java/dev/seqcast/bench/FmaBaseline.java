package dev.seqcast.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The machine's multiply-add rate on this JVM, for the kernel's arithmetic bound: a plain dot
 * product (one accumulator: a dependency chain the JIT keeps in order) and an {@code axpy} over the
 * same number of floats (independent lanes the JIT vectorises). Length defaults to one LSTM step at
 * hidden 64, input 8: 4·64·(8 + 64) = 18,432 multiply-adds.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class FmaBaseline {

  @Param({"18432"})
  public int length;

  float[] a;
  float[] b;
  float[][] columns;
  float[] y;

  @Setup
  public void setUp() {
    Random random = new Random(3);
    a = new float[length];
    b = new float[length];
    y = new float[256];
    for (int i = 0; i < length; i++) {
      a[i] = (float) random.nextGaussian();
      b[i] = (float) random.nextGaussian();
    }
    columns = new float[length / y.length][y.length];
    for (int i = 0; i < columns.length * y.length; i++) {
      columns[i / y.length][i % y.length] = a[i];
    }
  }

  /** Σ a[i]·b[i]: {@code length} multiply-adds in one dependency chain. */
  @Benchmark
  public float dot() {
    float sum = 0;
    for (int i = 0; i < length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  /**
   * {@code y += b[k]·columns[k]} for every 256-float column: {@code length} multiply-adds laid out
   * the way the kernel's gate matrix is.
   */
  @Benchmark
  public float[] axpy() {
    for (int k = 0; k < columns.length; k++) {
      float v = b[k];
      float[] column = columns[k];
      for (int r = 0; r < y.length; r++) {
        y[r] += v * column[r];
      }
    }
    return y;
  }
}
