package dev.seqcast.forecast.train;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.CellType;
import dev.seqcast.model.FeatureTransform;
import dev.seqcast.model.Forecaster;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.Normalisation;
import dev.seqcast.model.OutputHead;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.train.Dl4jLstm;
import dev.seqcast.train.EpochListener;
import dev.seqcast.train.SameDiffGru;
import dev.seqcast.train.TrainableNetwork;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains a one-step-ahead LSTM or GRU forecaster and evaluates it the way the stream runs it. LSTM
 * trains as a DL4J {@code MultiLayerNetwork} ({@link Dl4jLstm}), GRU as a SameDiff graph ({@link
 * SameDiffGru}), since DL4J has no GRU layer.
 *
 * <p>Each series is turned into inputs and targets by {@link FeatureTransform} (the same code the
 * predictor runs). The head of each series trains; its tail (the holdout) is only forecast. The
 * training part is cut into contiguous chunks that form one minibatch. The LSTM fits them with
 * truncated BPTT so state carries across segments within a chunk, as it does in the stream; the GRU
 * back-propagates through each whole chunk.
 *
 * <p>Evaluation runs the trained weights through seqcast's own {@link StepKernel} over each whole
 * series (warming up on the training part) and measures one-step-ahead MAE in the series' own units
 * on the holdout, next to the naive last-value forecast. Single-threaded.
 */
public final class Trainer {

  /**
   * Training settings.
   *
   * @param name model name
   * @param version model version
   * @param cell recurrent cell
   * @param hiddenSize hidden units per layer
   * @param layers stacked recurrent layers
   * @param epochs passes over the training data
   * @param tbptt truncated BPTT length
   * @param holdout fraction of each series held out at its end, in (0, 1)
   * @param learningRate Adam learning rate
   * @param seed random seed
   */
  public record Options(
      String name,
      long version,
      CellType cell,
      int hiddenSize,
      int layers,
      int epochs,
      int tbptt,
      double holdout,
      double learningRate,
      long seed) {

    /** Validates the settings. */
    public Options {
      if (hiddenSize < 1 || epochs < 1 || tbptt < 2) {
        throw new IllegalArgumentException("hidden, epochs must be >= 1 and tbptt >= 2");
      }
      if (layers < 1 || layers > ModelHeader.MAX_LAYERS) {
        throw new IllegalArgumentException(
            "layers must be between 1 and " + ModelHeader.MAX_LAYERS + ", was " + layers);
      }
      if (!(holdout > 0 && holdout < 1)) {
        throw new IllegalArgumentException("holdout must be in (0, 1), was " + holdout);
      }
    }
  }

  /**
   * The outcome of training.
   *
   * @param bundle the trained model
   * @param trainRows one-step training examples
   * @param holdoutRows holdout forecasts scored
   * @param modelMae mean absolute error of the model on the holdout, series units
   * @param naiveMae mean absolute error of the last-value forecast on the same points
   * @param directionalAccuracy fraction of holdout steps where the model got the sign of the move
   */
  public record Result(
      ModelBundle bundle,
      int trainRows,
      int holdoutRows,
      double modelMae,
      double naiveMae,
      double directionalAccuracy) {}

  static final double ALPHA = 0.06;
  static final double CLIP = 8.0;
  private static final int MAX_CHUNK = 256;

  private Trainer() {}

  /** Trains on {@code series} and evaluates on their holdout tails. */
  public static Result train(
      List<Series> series, Map<String, Object> dataFacts, Options options, EpochListener listener) {
    List<Integer> splits = new ArrayList<>();
    for (Series s : series) {
      int split = (int) Math.round(s.size() * (1 - options.holdout()));
      if (s.size() < minimumPoints(options)) {
        throw new IllegalArgumentException(
            "series '" + s.id() + "' has " + s.size() + " points: too few for training");
      }
      for (double v : s.values()) {
        if (!FeatureTransform.accepts(v)) {
          throw new IllegalArgumentException(
              "series '" + s.id() + "' has value " + v + "; log-returns need positive values");
        }
      }
      splits.add(split);
    }
    Normalisation normalisation = new Normalisation(ALPHA, trainReturnStd(series, splits), CLIP);
    FeatureTransform transform = new FeatureTransform(normalisation);
    DataSet data = chunks(series, splits, transform);

    TrainableNetwork net =
        TrainableNetwork.create(
            options.cell(),
            1,
            options.hiddenSize(),
            options.layers(),
            1,
            OutputHead.REGRESSION,
            options.seed(),
            options.tbptt(),
            options.learningRate());
    for (int epoch = 1; epoch <= options.epochs(); epoch++) {
      double loss = net.fit(data);
      listener.epochDone(epoch, options.epochs(), loss);
    }

    int trainRows = 0;
    for (int split : splits) {
      trainRows += split - 1;
    }
    Map<String, Object> training = new LinkedHashMap<>(dataFacts);
    training.put("rows", trainRows);
    training.put("epochs", options.epochs());
    if (options.cell() == CellType.LSTM) {
      training.put("tbptt", options.tbptt());
    }
    training.put("holdout", options.holdout());
    training.put("seed", options.seed());
    putDataRange(training, series, splits);
    ModelHeader provisional = header(options, normalisation, training, Map.of(), Instant.now());
    ModelBundle trained = net.export(provisional);
    Evaluation eval = evaluate(RecurrentModel.from(trained), series, splits);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("holdoutMae", eval.modelMae());
    metrics.put("naiveMae", eval.naiveMae());
    metrics.put("holdoutRows", (double) eval.rows());
    metrics.put("directionalAccuracy", eval.directionalAccuracy());
    ModelBundle bundle =
        new ModelBundle(
            header(options, normalisation, training, metrics, provisional.createdAt()),
            trained.weights());
    return new Result(
        bundle,
        trainRows,
        eval.rows(),
        eval.modelMae(),
        eval.naiveMae(),
        eval.directionalAccuracy());
  }

  /**
   * The fewest points a series needs under {@code options}: enough for a training part longer than
   * the BPTT length and a holdout of at least two points. Every longer series qualifies too.
   */
  public static int minimumPoints(Options options) {
    double holdout = options.holdout();
    // Both parts are rounded shares of the size, so start just below the unrounded bounds.
    double estimate = Math.max((options.tbptt() + 1.5) / (1 - holdout), 1.5 / holdout);
    if (estimate >= Integer.MAX_VALUE - 4) {
      return Integer.MAX_VALUE;
    }
    for (int size = Math.max(2, (int) estimate - 2); ; size++) {
      int split = (int) Math.round(size * (1 - holdout));
      if (split >= options.tbptt() + 2 && size - split >= 2) {
        return size;
      }
    }
  }

  private static ModelHeader header(
      Options options,
      Normalisation normalisation,
      Map<String, Object> training,
      Map<String, Double> metrics,
      Instant createdAt) {
    return new ModelHeader(
        options.name(),
        options.version(),
        options.cell(),
        1,
        options.hiddenSize(),
        options.layers(),
        1,
        List.of("log_return"),
        normalisation,
        training,
        metrics,
        createdAt);
  }

  /**
   * Event times of the data, ISO-8601: {@code dataFrom} and {@code dataTo} span every point given
   * (holdout tails included); no point after {@code fittedTo} (the latest end of any series'
   * training part) was used to fit the weights, so forecasts of later points are out of sample for
   * every series.
   */
  static void putDataRange(
      Map<String, Object> training, List<Series> series, List<Integer> splits) {
    long from = Long.MAX_VALUE;
    long to = Long.MIN_VALUE;
    long fittedTo = Long.MIN_VALUE;
    for (int s = 0; s < series.size(); s++) {
      long[] ts = series.get(s).timestamps();
      from = Math.min(from, ts[0]);
      to = Math.max(to, ts[ts.length - 1]);
      fittedTo = Math.max(fittedTo, ts[splits.get(s) - 1]);
    }
    training.put("dataFrom", Instant.ofEpochMilli(from).toString());
    training.put("dataTo", Instant.ofEpochMilli(to).toString());
    training.put("fittedTo", Instant.ofEpochMilli(fittedTo).toString());
  }

  private static double trainReturnStd(List<Series> series, List<Integer> splits) {
    double sum = 0;
    double sumSq = 0;
    long count = 0;
    for (int s = 0; s < series.size(); s++) {
      double[] v = series.get(s).values();
      for (int t = 1; t < splits.get(s); t++) {
        double r = Math.log(v[t] / v[t - 1]);
        sum += r;
        sumSq += r * r;
        count++;
      }
    }
    double mean = sum / count;
    return Math.max(1e-6, Math.sqrt(Math.max(0, sumSq / count - mean * mean)));
  }

  /** Inputs {@code [chunks, 1, L]} and targets {@code [chunks, 1, L]} from the training parts. */
  private static DataSet chunks(
      List<Series> series, List<Integer> splits, FeatureTransform transform) {
    int length = MAX_CHUNK;
    for (int split : splits) {
      length = Math.min(length, split - 1);
    }
    List<float[][]> rows = new ArrayList<>();
    for (int s = 0; s < series.size(); s++) {
      double[] v = series.get(s).values();
      int steps = splits.get(s) - 1; // x_t for t < split-1 has a target inside the training part
      float[] x = new float[steps];
      float[] y = new float[steps];
      FeatureTransform.State state = transform.newState();
      for (int t = 0; t < steps; t++) {
        x[t] = transform.next(state, v[t]);
        y[t] = transform.target(state, v[t + 1]);
      }
      for (int start = 0; start + length <= steps; start += length) {
        float[][] chunk = new float[2][length];
        System.arraycopy(x, start, chunk[0], 0, length);
        System.arraycopy(y, start, chunk[1], 0, length);
        rows.add(chunk);
      }
    }
    INDArray features = Nd4j.create(new long[] {rows.size(), 1, length}, 'c');
    INDArray labels = Nd4j.create(new long[] {rows.size(), 1, length}, 'c');
    for (int r = 0; r < rows.size(); r++) {
      for (int t = 0; t < length; t++) {
        features.putScalar(new long[] {r, 0, t}, rows.get(r)[0][t]);
        labels.putScalar(new long[] {r, 0, t}, rows.get(r)[1][t]);
      }
    }
    return new DataSet(features, labels);
  }

  /** Holdout scores of a model run through the streaming kernel. */
  record Evaluation(double modelMae, double naiveMae, double directionalAccuracy, int rows) {}

  /** Runs {@code model} over each whole series; scores forecasts of points at index ≥ split. */
  static Evaluation evaluate(RecurrentModel model, List<Series> series, List<Integer> splits) {
    Forecaster forecaster = new Forecaster(model);
    double modelError = 0;
    double naiveError = 0;
    int directionHits = 0;
    int rows = 0;
    for (int s = 0; s < series.size(); s++) {
      double[] v = series.get(s).values();
      float[] state = forecaster.newRecurrentState();
      FeatureTransform.State features = forecaster.transform().newState();
      for (int t = 0; t + 1 < v.length; t++) {
        double forecast = forecaster.step(state, features, v[t]);
        if (t + 1 >= splits.get(s)) {
          modelError += Math.abs(forecast - v[t + 1]);
          naiveError += Math.abs(v[t] - v[t + 1]);
          if (Math.signum(forecast - v[t]) == Math.signum(v[t + 1] - v[t])) {
            directionHits++;
          }
          rows++;
        }
      }
    }
    return new Evaluation(
        modelError / rows, naiveError / rows, (double) directionHits / rows, rows);
  }
}
