package dev.seqcast.model;

/**
 * One recurrent step and the output head of a model, on caller-owned {@code float[]} state.
 *
 * <p>Threading: a kernel owns scratch buffers, so it is confined to one thread (one Kafka Streams
 * processor instance). Create one per thread with {@link RecurrentModel#newKernel()}; the model's
 * weights are shared and immutable. Neither method allocates.
 */
public interface StepKernel {

  /**
   * Advances {@code state} in place by one step: {@code state <- cell(state, input)}, through every
   * layer.
   *
   * @param state recurrent state of length {@link RecurrentModel#stateSize()}
   * @param input one input vector of length {@link RecurrentModel#inputSize()}
   */
  void step(float[] state, float[] input);

  /**
   * Writes the head's output for {@code state} into {@code output} (length {@link
   * RecurrentModel#outputSize()}); does not change {@code state}.
   */
  void output(float[] state, float[] output);
}
