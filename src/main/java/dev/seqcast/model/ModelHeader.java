package dev.seqcast.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The JSON header of a model bundle: what the weights are, how inputs are prepared, where the model
 * came from and how well it did. See {@code docs/model-bundle.md}.
 *
 * @param name model name; series are predicted by the model of the configured name
 * @param version positive, increasing per name
 * @param cell recurrent cell
 * @param inputSize features per step
 * @param hiddenSize hidden units
 * @param outputSize head outputs
 * @param features names of the input features, in order
 * @param normalisation input transform parameters
 * @param training facts about the training run (data, rows, epochs, ...)
 * @param metrics holdout metrics (e.g. {@code holdoutMae}, {@code naiveMae})
 * @param createdAt when the bundle was made
 */
public record ModelHeader(
    String name,
    long version,
    CellType cell,
    int inputSize,
    int hiddenSize,
    int outputSize,
    List<String> features,
    Normalisation normalisation,
    Map<String, Object> training,
    Map<String, Double> metrics,
    Instant createdAt) {

  /** Gate order of the fused gate rows in the weights, as documented in the bundle. */
  public static final String LSTM_GATE_ORDER = "i,f,g,o";

  /** Validates sizes and names. */
  public ModelHeader {
    if (name == null || name.isBlank() || name.contains("/")) {
      throw new IllegalArgumentException("model name must be non-empty and without '/'");
    }
    if (version < 1) {
      throw new IllegalArgumentException("model version must be at least 1, was " + version);
    }
    if (inputSize < 1 || hiddenSize < 1 || outputSize < 1) {
      throw new IllegalArgumentException("sizes must be positive");
    }
    if (inputSize > 4096 || hiddenSize > 4096 || outputSize > 4096) {
      throw new IllegalArgumentException("sizes above 4096 are not supported");
    }
    features = List.copyOf(features);
    if (features.size() != inputSize) {
      throw new IllegalArgumentException(
          features.size() + " feature names for input size " + inputSize);
    }
    training = Map.copyOf(training);
    metrics = Map.copyOf(metrics);
  }

  /** The number of float weights these sizes imply. */
  public int weightCount() {
    int h = hiddenSize;
    return 4 * h * (inputSize + h) + 4 * h + outputSize * h + outputSize;
  }

  /** The same header with another version. */
  public ModelHeader withVersion(long newVersion) {
    return new ModelHeader(
        name,
        newVersion,
        cell,
        inputSize,
        hiddenSize,
        outputSize,
        features,
        normalisation,
        training,
        metrics,
        createdAt);
  }
}
