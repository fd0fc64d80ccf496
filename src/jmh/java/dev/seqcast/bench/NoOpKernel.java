package dev.seqcast.bench;

import dev.seqcast.model.StepKernel;

/**
 * The passthrough baseline's step: nothing. A predictor topology built with it keeps the same
 * serdes, per-key state read and write and output record, so it measures everything but the model.
 */
final class NoOpKernel implements StepKernel {
  @Override
  public void step(float[] state, float[] input) {}

  @Override
  public void output(float[] state, float[] output) {
    output[0] = 0f;
  }
}
