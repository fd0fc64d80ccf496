package dev.seqcast.streams;

import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.OutputHead;
import dev.seqcast.model.RecurrentModel;

/**
 * What one pipeline can run, as its {@link ModelRegistry} asks it of every bundle: whether a
 * well-formed bundle is made for this pipeline at all (the others share the models topic and are
 * ignored without a refusal), and whether a model of this pipeline fits the stream as configured
 * (refused as {@code invalid-model} with the reason when it does not). Implementations are
 * stateless and thread-safe.
 */
public interface ModelFit {

  /** True when a bundle with this header is this pipeline's; else it is another pipeline's. */
  boolean serves(ModelHeader header);

  /**
   * Checks a model {@link #serves} accepted against what the stream supplies and reads.
   *
   * @throws IllegalArgumentException saying why the model cannot run here
   */
  void check(RecurrentModel model);

  /**
   * The fit of a pipeline that computes one input transform of {@code inputSize} features per step
   * and reads a head of {@code head}'s kind.
   */
  static ModelFit of(int inputSize, String transform, OutputHead.Kind head) {
    return new ModelFit() {
      @Override
      public boolean serves(ModelHeader header) {
        return header.normalisation().transform().equals(transform);
      }

      @Override
      public void check(RecurrentModel model) {
        if (model.inputSize() != inputSize) {
          throw new IllegalArgumentException(
              "model takes "
                  + model.inputSize()
                  + " features per step, the predictor supplies "
                  + inputSize);
        }
        if (model.outputSize() < 1) {
          throw new IllegalArgumentException("model has no outputs");
        }
        if (model.head().kind() != head) {
          throw new IllegalArgumentException(
              "model has a "
                  + model.head().kind().wireName()
                  + " head, this pipeline reads a "
                  + head.wireName()
                  + " head");
        }
      }
    };
  }
}
