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
 * @param hiddenSize hidden units of every layer
 * @param layers stacked recurrent layers; layer 0 reads the features, layer l reads layer l-1's h
 * @param outputSize head outputs
 * @param features names of the input features, in order
 * @param normalisation input transform parameters
 * @param training facts about the training run (data, rows, epochs, ...)
 * @param metrics holdout metrics (e.g. {@code holdoutMae}, {@code naiveMae})
 * @param createdAt when the bundle was made
 * @param head what the outputs mean: regression, or classification with one label per output
 * @param smoothing for a smoothed multi-horizon forecaster ({@link HorizonForecaster}): its
 *     smoothing, scale, calendar and tick inputs and horizon; null for every other model (the
 *     one-step log-return forecaster, the speech tagger), as for every bundle written before it
 *     existed
 */
public record ModelHeader(
    String name,
    long version,
    CellType cell,
    int inputSize,
    int hiddenSize,
    int layers,
    int outputSize,
    List<String> features,
    Normalisation normalisation,
    Map<String, Object> training,
    Map<String, Double> metrics,
    Instant createdAt,
    OutputHead head,
    SmoothingSpec smoothing) {

  /** Most stacked layers a bundle may declare. */
  public static final int MAX_LAYERS = 8;

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
    if (layers < 1 || layers > MAX_LAYERS) {
      throw new IllegalArgumentException(
          "layers must be between 1 and " + MAX_LAYERS + ", was " + layers);
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
    if (head.isClassification() && head.classes().size() != outputSize) {
      throw new IllegalArgumentException(
          head.classes().size() + " class labels for output size " + outputSize);
    }
    if (smoothing != null) {
      if (head.isClassification() || outputSize != smoothing.horizon()) {
        throw new IllegalArgumentException(
            "a smoothed forecaster has a regression head of one output per horizon ("
                + smoothing.horizon()
                + "), not "
                + outputSize);
      }
      if (!features.equals(smoothing.inputNames())) {
        throw new IllegalArgumentException(
            "a smoothed forecaster's features must be " + smoothing.inputNames());
      }
      if (!normalisation.equals(smoothing.normalisation())) {
        throw new IllegalArgumentException(
            "a smoothed forecaster's normalisation must be " + smoothing.normalisation());
      }
    } else if (SmoothingSpec.Transform.byWireName(normalisation.transform()) != null) {
      throw new IllegalArgumentException(
          "transform " + normalisation.transform() + " needs the header's smoothing");
    }
  }

  /** A header without smoothing: any model but a smoothed multi-horizon forecaster. */
  public ModelHeader(
      String name,
      long version,
      CellType cell,
      int inputSize,
      int hiddenSize,
      int layers,
      int outputSize,
      List<String> features,
      Normalisation normalisation,
      Map<String, Object> training,
      Map<String, Double> metrics,
      Instant createdAt,
      OutputHead head) {
    this(
        name,
        version,
        cell,
        inputSize,
        hiddenSize,
        layers,
        outputSize,
        features,
        normalisation,
        training,
        metrics,
        createdAt,
        head,
        null);
  }

  /**
   * The header of a smoothed multi-horizon forecaster: its inputs, outputs and normalisation follow
   * from {@code smoothing}.
   */
  public static ModelHeader smoothed(
      String name,
      long version,
      CellType cell,
      int hiddenSize,
      int layers,
      SmoothingSpec smoothing,
      Map<String, Object> training,
      Map<String, Double> metrics,
      Instant createdAt) {
    return new ModelHeader(
        name,
        version,
        cell,
        smoothing.inputSize(),
        hiddenSize,
        layers,
        smoothing.horizon(),
        smoothing.inputNames(),
        smoothing.normalisation(),
        training,
        metrics,
        createdAt,
        OutputHead.REGRESSION,
        smoothing);
  }

  /** A header with a regression head (the forecaster's). */
  public ModelHeader(
      String name,
      long version,
      CellType cell,
      int inputSize,
      int hiddenSize,
      int layers,
      int outputSize,
      List<String> features,
      Normalisation normalisation,
      Map<String, Object> training,
      Map<String, Double> metrics,
      Instant createdAt) {
    this(
        name,
        version,
        cell,
        inputSize,
        hiddenSize,
        layers,
        outputSize,
        features,
        normalisation,
        training,
        metrics,
        createdAt,
        OutputHead.REGRESSION);
  }

  /** Inputs of layer {@code layer}: the features for layer 0, the layer below's h otherwise. */
  public int layerInputSize(int layer) {
    return layer == 0 ? inputSize : hiddenSize;
  }

  /** The number of float weights these sizes imply (see {@link ModelBundle} for the layout). */
  public int weightCount() {
    int rows = cell.gates() * hiddenSize;
    int count = 0;
    for (int layer = 0; layer < layers; layer++) {
      count += rows * (layerInputSize(layer) + hiddenSize) + rows;
    }
    return count + outputSize * hiddenSize + outputSize;
  }

  /** Floats of recurrent state one series carries under this model. */
  public int stateSize() {
    return layers * cell.stateVectors() * hiddenSize;
  }

  /**
   * A header that fixes only the shape: features {@code x0, x1, ...}, a default normalisation, no
   * training facts or metrics. For graphs that need sizes before there is a trained model.
   */
  public static ModelHeader ofShape(
      String name, CellType cell, int inputSize, int hiddenSize, int layers, int outputSize) {
    return ofShape(name, cell, inputSize, hiddenSize, layers, outputSize, OutputHead.REGRESSION);
  }

  /** As {@link #ofShape(String, CellType, int, int, int, int)} with the given head. */
  public static ModelHeader ofShape(
      String name,
      CellType cell,
      int inputSize,
      int hiddenSize,
      int layers,
      int outputSize,
      OutputHead head) {
    List<String> features = new java.util.ArrayList<>();
    for (int k = 0; k < inputSize; k++) {
      features.add("x" + k);
    }
    return new ModelHeader(
        name,
        1,
        cell,
        inputSize,
        hiddenSize,
        layers,
        outputSize,
        features,
        new Normalisation(0.06, 0.01, 8),
        Map.of(),
        Map.of(),
        Instant.EPOCH,
        head);
  }

  /** The same header with another version. */
  public ModelHeader withVersion(long newVersion) {
    return new ModelHeader(
        name,
        newVersion,
        cell,
        inputSize,
        hiddenSize,
        layers,
        outputSize,
        features,
        normalisation,
        training,
        metrics,
        createdAt,
        head,
        smoothing);
  }

  /** The same header with other metrics, e.g. once the trained model has been scored. */
  public ModelHeader withMetrics(Map<String, Double> newMetrics) {
    return new ModelHeader(
        name,
        version,
        cell,
        inputSize,
        hiddenSize,
        layers,
        outputSize,
        features,
        normalisation,
        training,
        newMetrics,
        createdAt,
        head,
        smoothing);
  }
}
