package dev.seqcast.bench;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.train.Dl4jLstm;
import dev.seqcast.train.SameDiffGru;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One recurrent step plus the head, per series, on the same weights: seqcast's kernel, DL4J at
 * batch 1 ({@code rnnTimeStep} for LSTM, the SameDiff {@code gru} op for GRU) and DL4J at batch 64
 * (reported per row). Inputs cycle through 1,024 pre-generated vectors.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class KernelBenchmark {

  static final int BATCH = 64;
  private static final int INPUTS = 1024;

  /** The model shape under test and its seeded random weights. */
  @State(Scope.Thread)
  public static class Shape {
    @Param({"lstm", "gru"})
    public String cell;

    @Param({"16", "32", "64", "128"})
    public int hidden;

    @Param({"1", "8"})
    public int input;

    ModelBundle bundle() {
      ModelHeader header = ModelHeader.ofShape("bench", CellType.parse(cell), input, hidden, 1, 1);
      Random random = new Random(hidden * 31L + input);
      float[] weights = new float[header.weightCount()];
      double scale = 1 / Math.sqrt(hidden);
      for (int i = 0; i < weights.length; i++) {
        weights[i] = (float) (random.nextGaussian() * scale);
      }
      return new ModelBundle(header, weights);
    }

    float[][] inputs() {
      Random random = new Random(7);
      float[][] xs = new float[INPUTS][input];
      for (float[] x : xs) {
        for (int k = 0; k < input; k++) {
          x[k] = (float) random.nextGaussian();
        }
      }
      return xs;
    }
  }

  /** seqcast's kernel on one series' state. */
  @State(Scope.Thread)
  public static class Seqcast extends Shape {
    StepKernel kernel;
    float[] state;
    float[] out;
    float[][] xs;
    int t;

    @Setup
    public void setUp() {
      if ("vector".equals(System.getProperty("seqcast.kernel"))
          && !"vector".equals(RecurrentModel.kernelImplementation())) {
        throw new IllegalStateException("vector kernel requested but not active");
      }
      RecurrentModel model = RecurrentModel.from(bundle());
      kernel = model.newKernel();
      state = new float[model.stateSize()];
      out = new float[model.outputSize()];
      xs = inputs();
    }
  }

  /** DL4J (LSTM) or SameDiff (GRU) holding the state of {@code batch} series. */
  public abstract static class Dl4j extends Shape {
    MultiLayerNetwork lstm;
    SameDiffGru.Stepper gru;
    INDArray[] xs;
    int t;

    void setUp(int batch) {
      ModelBundle bundle = bundle();
      float[][] raw = inputs();
      xs = new INDArray[64];
      boolean isLstm = bundle.header().cell() == CellType.LSTM;
      for (int i = 0; i < xs.length; i++) {
        INDArray x =
            isLstm
                ? Nd4j.create(DataType.FLOAT, batch, input)
                : Nd4j.create(DataType.FLOAT, 1, batch, input);
        for (int b = 0; b < batch; b++) {
          for (int k = 0; k < input; k++) {
            float v = raw[(i * batch + b) % INPUTS][k];
            if (isLstm) {
              x.putScalar(new long[] {b, k}, v);
            } else {
              x.putScalar(new long[] {0, b, k}, v);
            }
          }
        }
        xs[i] = x;
      }
      if (isLstm) {
        lstm = Dl4jLstm.load(bundle);
        lstm.rnnClearPreviousState();
      } else {
        gru = SameDiffGru.load(bundle).stepper(batch);
      }
    }

    INDArray step() {
      INDArray x = xs[t++ & 63];
      return lstm != null ? lstm.rnnTimeStep(x) : gru.step(x);
    }
  }

  /** DL4J at batch 1. */
  @State(Scope.Thread)
  public static class Dl4jBatch1 extends Dl4j {
    @Setup
    public void setUp() {
      setUp(1);
    }
  }

  /** DL4J at batch 64. */
  @State(Scope.Thread)
  public static class Dl4jBatch64 extends Dl4j {
    @Setup
    public void setUp() {
      setUp(BATCH);
    }
  }

  @Benchmark
  public float seqcast(Seqcast s) {
    s.kernel.step(s.state, s.xs[s.t++ & (INPUTS - 1)]);
    s.kernel.output(s.state, s.out);
    return s.out[0];
  }

  @Benchmark
  public INDArray dl4jBatch1(Dl4jBatch1 s) {
    return s.step();
  }

  @Benchmark
  @OperationsPerInvocation(BATCH)
  public INDArray dl4jBatch64(Dl4jBatch64 s) {
    return s.step();
  }
}
