package dev.seqcast.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.testkit.TestModels;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The pipeline benchmark's DL4J variant must compute what the predictor computes, or its throughput
 * says nothing: with state handed in and out per step, as the stream does for interleaved series,
 * it matches seqcast's kernel.
 */
class Dl4jStepKernelTest {

  @Test
  void dl4jStepsWithExternalStateMatchTheKernelAcrossInterleavedSeries() {
    ModelBundle bundle = TestModels.random("m", 1, CellType.LSTM, 1, 16, 2, 4, 0.4);
    StepKernel dl4j = new Dl4jStepKernel(bundle);
    StepKernel kernel = RecurrentModel.from(bundle).newKernel();
    int series = 3;
    float[][] dl4jState = new float[series][bundle.header().stateSize()];
    float[][] kernelState = new float[series][bundle.header().stateSize()];
    float[] input = new float[1];
    float[] expected = new float[1];
    float[] actual = new float[1];
    Random random = new Random(1);
    double worst = 0;
    for (int t = 0; t < 300; t++) {
      int s = t % series;
      input[0] = (float) random.nextGaussian();
      kernel.step(kernelState[s], input);
      kernel.output(kernelState[s], expected);
      dl4j.step(dl4jState[s], input);
      dl4j.output(dl4jState[s], actual);
      worst = Math.max(worst, Math.abs(expected[0] - actual[0]));
    }
    assertTrue(worst <= 1e-5, "max |dl4j - kernel| = " + worst);
  }
}
