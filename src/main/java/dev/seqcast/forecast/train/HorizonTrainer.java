package dev.seqcast.forecast.train;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.CalendarTerm;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ExponentialSmoothing;
import dev.seqcast.model.HorizonForecaster;
import dev.seqcast.model.HorizonInputs;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelEnsemble;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.SmoothingSpec;
import dev.seqcast.train.Dl4jLstm;
import dev.seqcast.train.EpochListener;
import dev.seqcast.train.Nd4jThreads;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.commons.math3.analysis.MultivariateFunction;
import org.apache.commons.math3.exception.MathIllegalStateException;
import org.apache.commons.math3.optim.InitialGuess;
import org.apache.commons.math3.optim.MaxEval;
import org.apache.commons.math3.optim.PointValuePair;
import org.apache.commons.math3.optim.SimpleBounds;
import org.apache.commons.math3.optim.nonlinear.scalar.GoalType;
import org.apache.commons.math3.optim.nonlinear.scalar.ObjectiveFunction;
import org.apache.commons.math3.optim.nonlinear.scalar.noderiv.BOBYQAOptimizer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Trains one smoothed multi-horizon forecaster ({@link HorizonForecaster}) over many series: the
 * ES-RNN recipe (per-series exponential smoothing, a global LSTM on the standardised errors around
 * it, all horizons emitted at once) in the streaming form seqcast runs.
 *
 * <ol>
 *   <li><b>Split.</b> Each series' last {@code validation} share, and at least H + 1 points, is
 *       held out for early stopping; everything is fitted on the rest (the fit part).
 *   <li><b>Smoothing.</b> One transform and one set of coefficients for all series ({@link
 *       #chooseSmoothing}): for each family (with or without a damped trend, with or without a
 *       season) a grid and then BOBYQA find the coefficients whose own forecasts (no network) have
 *       the lowest mean absolute error over horizons 1..H on the fit parts, each series' errors
 *       divided by its in-sample seasonal-naive error so that series of any size weigh alike. On
 *       the validation parts, the family that forecasts best is kept if it beats the naive forecast
 *       by more than a standard error ({@link ValidationScores#clearlyBelow}); otherwise the
 *       smoothing is the naive forecast.
 *   <li><b>Examples.</b> {@link HorizonInputs}, the code the forecaster runs, steps every series
 *       from its first value and writes the network inputs and the standardised targets of every
 *       step; targets are masked during the smoothing's warm-up, where a horizon runs past the fit
 *       part, and for a window's first quarter (the network's own warm-up from a zero state). One
 *       input value in {@value #MISSING_RATE} is dropped (stepped as missing, its target kept) so
 *       the network learns what a gap step means.
 *   <li><b>Fit.</b> Minibatches of {@code batch} windows of {@code window} steps, drawn across all
 *       series in an order fixed by the seed, fit a DL4J LSTM with L1 loss ({@link
 *       Dl4jLstm#horizonNetwork}); an epoch is one window at every start.
 *   <li><b>Early stopping.</b> After every epoch the weights run through {@link HorizonForecaster}
 *       over each whole series, exactly as the stream would, and score the validation part the same
 *       way the smoothing was chosen; the best epoch's weights are kept, epoch 0 being the head of
 *       zeros, i.e. the smoothing alone. Training stops after {@code patience} epochs without
 *       improvement.
 *   <li><b>Members.</b> {@code members} networks from consecutive seeds, each stopped on its own,
 *       are merged into one model whose output is their mean ({@link ModelEnsemble}); it is kept
 *       only if it clearly beats the smoothing alone on the validation parts, in the sense above.
 * </ol>
 *
 * Deterministic for a seed. ND4J runs single-threaded ({@link Nd4jThreads}). Not thread-safe.
 */
public final class HorizonTrainer {

  /** Share of training input values stepped as missing, so the gap input is learnt. */
  static final double MISSING_RATE = 0.01;

  /** Inputs are clipped here, targets at {@value #TARGET_CLIP}. */
  static final double CLIP = 8;

  static final double TARGET_CLIP = 32;

  /** Weight of the newest one-step error in each series' scale. */
  static final double SCALE_WEIGHT = 0.05;

  static final double SCALE_FLOOR = 1e-9;

  private static final double[] LEVELS = {0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 0.9, 1.0};
  private static final double[] TRENDS = {0.01, 0.03, 0.1, 0.3};
  private static final double[] DAMPINGS = {0.8, 0.9, 0.98, 1.0};
  private static final double[] SEASONALS = {0, 0.01, 0.03, 0.1, 0.2, 0.4};

  /**
   * Training settings.
   *
   * @param name model name
   * @param version model version
   * @param horizon horizons 1..H the head emits
   * @param season observations per seasonal cycle, 1 for none
   * @param hiddenSize LSTM units per layer
   * @param layers stacked LSTM layers
   * @param window steps per training window
   * @param batch windows per minibatch
   * @param members networks trained from seeds {@code seed, seed + 1, ...}, each stopped early on
   *     its own, whose mean is the model ({@link ModelEnsemble})
   * @param maxEpochs most passes over the window starts
   * @param patience epochs without a better validation score before stopping
   * @param validation share of each series held out for early stopping, in (0, 0.5]
   * @param learningRate Adam learning rate
   * @param seed random seed (weights, window order, dropped inputs)
   */
  public record Options(
      String name,
      long version,
      int horizon,
      int season,
      int hiddenSize,
      int layers,
      int window,
      int batch,
      int members,
      int maxEpochs,
      int patience,
      double validation,
      double learningRate,
      long seed) {

    /** Validates the settings. */
    public Options {
      if (horizon < 1 || season < 1 || hiddenSize < 1 || window < 8 || batch < 1 || members < 1) {
        throw new IllegalArgumentException(
            "horizon, season, hidden, batch and members must be at least 1 and the window at"
                + " least 8");
      }
      if (layers < 1 || layers > ModelHeader.MAX_LAYERS) {
        throw new IllegalArgumentException(
            "layers must be between 1 and " + ModelHeader.MAX_LAYERS + ", was " + layers);
      }
      if (maxEpochs < 0 || patience < 1) {
        throw new IllegalArgumentException("epochs must be >= 0 and patience >= 1");
      }
      if (!(validation > 0 && validation <= 0.5)) {
        throw new IllegalArgumentException("validation must be in (0, 0.5], was " + validation);
      }
      if (!(learningRate > 0)) {
        throw new IllegalArgumentException("learning rate must be positive");
      }
    }

    /**
     * The settings every frequency trains with unless told otherwise: three members of 32 units in
     * one layer, windows of three seasons or horizons (48 to 128 steps), 256 windows a minibatch,
     * at most 40 epochs with a patience of 6, the last 15% of each series for validation, learning
     * rate 0.02, seed 42. Chosen on the development splits (the data before each bundled series'
     * first test block), see {@code docs/accuracy.md}.
     */
    public static Options defaults(String name, int horizon, int season) {
      int window = Math.max(48, Math.min(128, 3 * Math.max(season, horizon)));
      return new Options(name, 1, horizon, season, 32, 1, window, 256, 3, 40, 6, 0.15, 0.02, 42);
    }

    /**
     * These settings with the given ones in place of theirs; a null keeps this one's.
     *
     * @throws IllegalArgumentException when a given setting is out of range
     */
    public Options with(
        Integer hiddenSize,
        Integer layers,
        Integer members,
        Integer maxEpochs,
        Integer patience,
        Double validation,
        Double learningRate,
        Long seed) {
      return new Options(
          name,
          version,
          horizon,
          season,
          hiddenSize != null ? hiddenSize : this.hiddenSize,
          layers != null ? layers : this.layers,
          window,
          batch,
          members != null ? members : this.members,
          maxEpochs != null ? maxEpochs : this.maxEpochs,
          patience != null ? patience : this.patience,
          validation != null ? validation : this.validation,
          learningRate != null ? learningRate : this.learningRate,
          seed != null ? seed : this.seed);
    }
  }

  /**
   * The outcome of training.
   *
   * @param bundle the trained model
   * @param epochs epochs run, over all members
   * @param membersKept members whose best epoch beat the smoothing alone (0: the model is the
   *     smoothing alone)
   * @param validationError the kept model's validation score (mean absolute error over horizons
   *     1..H, each series in units of its in-sample seasonal-naive error)
   * @param smoothingError the same score of the smoothing alone
   * @param seconds wall time of the whole training
   */
  public record Result(
      ModelBundle bundle,
      int epochs,
      int membersKept,
      double validationError,
      double smoothingError,
      double seconds) {}

  private HorizonTrainer() {}

  /**
   * The fewest points a series needs: a warm-up and 16 scored steps to fit (a series shorter than a
   * window trains as one padded window), and a validation part ({@link #validationPoints}).
   */
  public static int minimumPoints(Options options) {
    int fit = warmup(options.season()) + 16;
    return Math.max(fit + options.horizon() + 1, (int) Math.ceil(fit / (1 - options.validation())));
  }

  /**
   * Points of a series of {@code size} held out for early stopping: its last {@code validation}
   * share, and at least one horizon and one more point, so a short series can still score every
   * horizon once.
   */
  static int validationPoints(int size, Options options) {
    return Math.max(
        (int) Math.round(size * options.validation()), Math.min(size, options.horizon() + 1));
  }

  /** Steps of a series whose targets are left out while its smoothing is young: two seasons. */
  static int warmup(int season) {
    return Math.max(8, 2 * season);
  }

  /** Trains on {@code series}, which carry no tick features. */
  public static Result train(
      List<Series> series, Map<String, Object> dataFacts, Options options, EpochListener listener) {
    return train(series, List.of(), List.of(), dataFacts, options, listener);
  }

  /**
   * Trains on {@code series} with named tick features.
   *
   * @param featureNames the tick features, in input order; empty for none
   * @param features per series, per feature, the raw values aligned with the series' points (NaN
   *     where a tick lacks one); empty when there are no features
   */
  public static Result train(
      List<Series> series,
      List<String> featureNames,
      List<double[][]> features,
      Map<String, Object> dataFacts,
      Options options,
      EpochListener listener) {
    long started = System.nanoTime();
    Nd4jThreads.single();
    if (series.isEmpty()) {
      throw new IllegalArgumentException("no series to train on");
    }
    if (!featureNames.isEmpty() && features.size() != series.size()) {
      throw new IllegalArgumentException("tick features must be given for every series");
    }
    int[] fitEnds = new int[series.size()];
    double[] scales = new double[series.size()];
    for (int s = 0; s < series.size(); s++) {
      Series one = series.get(s);
      if (one.size() < minimumPoints(options)) {
        throw new IllegalArgumentException(
            "series '"
                + one.id()
                + "' has "
                + one.size()
                + " points, fewer than the "
                + minimumPoints(options)
                + " training needs");
      }
      for (double v : one.values()) {
        if (Double.isInfinite(v)) {
          throw new IllegalArgumentException("series '" + one.id() + "' has an infinite value");
        }
      }
      fitEnds[s] = one.size() - validationPoints(one.size(), options);
      scales[s] = maseScale(one.values(), fitEnds[s], options.season());
    }
    SmoothingSpec spec =
        chooseSmoothing(
            series, fitEnds, scales, options, tickStandardisation(featureNames, features, fitEnds));
    HorizonInputs inputs = new HorizonInputs(spec);
    double smoothingFitError =
        smoothingError(new ExponentialSmoothing(spec), series, fitEnds, scales, options);
    List<Steps> examples = new ArrayList<>();
    Random random = new Random(options.seed());
    for (int s = 0; s < series.size(); s++) {
      examples.add(steps(inputs, series.get(s), ticksOf(features, s), fitEnds[s], options, random));
    }
    List<long[]> starts = windowStarts(examples, options.window());

    Map<String, Object> training = new LinkedHashMap<>(dataFacts);
    training.put("windows", starts.size());
    training.put("window", options.window());
    training.put("batch", options.batch());
    training.put("learningRate", options.learningRate());
    training.put("seed", options.seed());
    training.put("validation", options.validation());
    training.put("members", options.members());
    training.put("memberHiddenSize", options.hiddenSize());
    List<Integer> splits = Arrays.stream(fitEnds).boxed().toList();
    Trainer.putDataRange(training, series, splits);
    Instant createdAt = Instant.now();
    ModelHeader memberHeader =
        ModelHeader.smoothed(
            options.name(),
            options.version(),
            CellType.LSTM,
            options.hiddenSize(),
            options.layers(),
            spec,
            training,
            Map.of(),
            createdAt);

    ValidationScores smoothingScores = smoothingScore(spec, series, fitEnds, scales);
    double smoothingError = smoothingScores.mean();
    List<ModelBundle> members = new ArrayList<>();
    int epochs = 0;
    int kept = 0;
    for (int m = 0; m < options.members(); m++) {
      Member member =
          fitMember(
              options.seed() + m,
              memberHeader,
              examples,
              starts,
              series,
              features,
              fitEnds,
              scales,
              smoothingError,
              options,
              listener);
      members.add(member.bundle());
      epochs += member.epochs();
      kept += member.bestEpoch() > 0 ? 1 : 0;
    }
    ModelHeader shape =
        ModelHeader.smoothed(
            options.name(),
            options.version(),
            CellType.LSTM,
            options.members() * options.hiddenSize(),
            options.layers(),
            spec,
            training,
            Map.of(),
            createdAt);
    ModelBundle ensemble = ModelEnsemble.average(members, shape);
    ValidationScores ensembleScores =
        score(
            new HorizonForecaster(RecurrentModel.from(ensemble)),
            series,
            features,
            fitEnds,
            scales);
    double error = ensembleScores.mean();
    // The network stays only where it clearly beats the smoothing alone on the validation parts;
    // on short or unforecastable series its gains there are noise, and so would be its forecasts.
    if (!ensembleScores.clearlyBelow(smoothingScores, options.horizon())) {
      ensemble = zeroHead(ensemble);
      error = smoothingError;
      kept = 0;
    }
    training.put("epochs", epochs);
    training.put("membersKept", kept);
    double seconds = (System.nanoTime() - started) / 1e9;
    training.put("trainSeconds", Math.round(seconds * 10) / 10.0);
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("validationError", error);
    metrics.put("smoothingValidationError", smoothingError);
    metrics.put("smoothingFitError", smoothingFitError);
    ModelHeader header =
        ModelHeader.smoothed(
            options.name(),
            options.version(),
            CellType.LSTM,
            shape.hiddenSize(),
            options.layers(),
            spec,
            training,
            metrics,
            createdAt);
    ModelBundle bundle = new ModelBundle(header, ensemble.weights());
    return new Result(bundle, epochs, kept, error, smoothingError, seconds);
  }

  /** One member's training: its epochs, the epoch it kept (0: none beat the smoothing). */
  private record Member(ModelBundle bundle, int epochs, int bestEpoch) {}

  /**
   * Fits one member network from {@code seed}, stopping early on the validation parts; returns the
   * weights of its best epoch, or a head of zeros when no epoch beat the smoothing alone.
   */
  private static Member fitMember(
      long seed,
      ModelHeader header,
      List<Steps> examples,
      List<long[]> starts,
      List<Series> series,
      List<double[][]> features,
      int[] fitEnds,
      double[] scales,
      double smoothingError,
      Options options,
      EpochListener listener) {
    SmoothingSpec spec = header.smoothing();
    MultiLayerNetwork net =
        Dl4jLstm.horizonNetwork(
            spec.inputSize(),
            options.hiddenSize(),
            options.layers(),
            options.horizon(),
            seed,
            options.learningRate());
    Random order = new Random(seed);
    List<long[]> shuffled = new ArrayList<>(starts);
    double best = smoothingError;
    INDArray bestParams = null; // the smoothing alone until an epoch beats it
    int bestEpoch = 0;
    int epoch = 0;
    while (epoch < options.maxEpochs() && epoch - bestEpoch < options.patience()) {
      epoch++;
      shuffle(shuffled, order);
      double loss = 0;
      int batches = 0;
      for (int from = 0; from < shuffled.size(); from += options.batch()) {
        int to = Math.min(shuffled.size(), from + options.batch());
        net.fit(batch(examples, shuffled, from, to, spec, options));
        loss += net.score();
        batches++;
      }
      double error = validationError(net, header, series, features, fitEnds, scales).mean();
      if (error < best) {
        best = error;
        bestParams = net.params().dup();
        bestEpoch = epoch;
      }
      listener.epochDone(epoch, options.maxEpochs(), loss / batches);
    }
    if (bestParams == null) {
      return new Member(zeroHead(Dl4jLstm.export(net, header)), epoch, 0);
    }
    net.setParams(bestParams);
    return new Member(Dl4jLstm.export(net, header), epoch, bestEpoch);
  }

  /** The same model with head weights and bias of zero: it forecasts what the smoothing does. */
  static ModelBundle zeroHead(ModelBundle bundle) {
    ModelHeader header = bundle.header();
    float[] weights = bundle.weights();
    int head = header.outputSize() * header.hiddenSize() + header.outputSize();
    Arrays.fill(weights, weights.length - head, weights.length, 0f);
    return new ModelBundle(header, weights);
  }

  /** The in-sample mean absolute seasonal difference of a series' fit part (the MASE scale). */
  private static double maseScale(double[] values, int fitEnd, int season) {
    double[] finite = Arrays.stream(values, 0, fitEnd).filter(Double::isFinite).toArray();
    if (finite.length < 2) {
      return 1;
    }
    return ForecastMetrics.scale(finite, season);
  }

  private static double[][] ticksOf(List<double[][]> features, int s) {
    return features.isEmpty() ? null : features.get(s);
  }

  /** Mean and standard deviation of each tick feature over the fit parts. */
  private static List<SmoothingSpec.TickFeature> tickStandardisation(
      List<String> names, List<double[][]> features, int[] fitEnds) {
    List<SmoothingSpec.TickFeature> result = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      double sum = 0;
      double sumSq = 0;
      long n = 0;
      for (int s = 0; s < features.size(); s++) {
        double[] raw = features.get(s)[k];
        for (int t = 0; t < fitEnds[s]; t++) {
          if (Double.isFinite(raw[t])) {
            sum += raw[t];
            sumSq += raw[t] * raw[t];
            n++;
          }
        }
      }
      double mean = n == 0 ? 0 : sum / n;
      double std = n == 0 ? 1 : Math.sqrt(Math.max(0, sumSq / n - mean * mean));
      result.add(new SmoothingSpec.TickFeature(names.get(k), mean, std > 1e-12 ? std : 1));
    }
    return result;
  }

  /**
   * The smoothing for every series: nominal spacing (the median step) and gap rule (steps up to the
   * 99th percentile, and at least 1.5 spacings, are regular) from the fit parts' event times,
   * calendar terms from the spacing, and the transform and coefficients from a grid (level α in
   * {0.02 … 1}, no trend or β in {0.01, 0.03, 0.1, 0.3} with damping φ in {0.8, 0.9, 0.98, 1},
   * seasonal γ in {0 … 0.4} when there is a season, and no season at all as well, since a frequency
   * that usually has one does not promise it; logarithms as well when every fitted value is
   * positive) scored by {@link #smoothingError}; each family's best point is refined ({@link
   * #refine}) and the family whose refined smoothing scores best on the validation parts ({@link
   * #smoothingScore}) is chosen.
   */
  static SmoothingSpec chooseSmoothing(
      List<Series> series,
      int[] fitEnds,
      double[] scales,
      Options options,
      List<SmoothingSpec.TickFeature> ticks) {
    // Refined on the fit parts, the families are compared where none of them was fitted: a family
    // richer than the data supports can look best in-sample and still fail on the next points. The
    // naive forecast (level weight 1, nothing else) stays unless a richer one is clearly better.
    List<SmoothingSpec> families = families(series, fitEnds, scales, options, ticks);
    SmoothingSpec naive = families.get(0);
    ValidationScores naiveScores = smoothingScore(naive, series, fitEnds, scales);
    SmoothingSpec chosen = naive;
    ValidationScores chosenScores = naiveScores;
    for (SmoothingSpec candidate : families.subList(1, families.size())) {
      ValidationScores scores = smoothingScore(candidate, series, fitEnds, scales);
      if (scores.mean() < chosenScores.mean()
          && scores.clearlyBelow(naiveScores, options.horizon())) {
        chosen = candidate;
        chosenScores = scores;
      }
    }
    return chosen;
  }

  /**
   * The naive forecast (level weight 1, no trend, no season), then the best smoothing of each
   * family (with or without a damped trend, with or without a season), chosen and refined on the
   * fit parts alone.
   */
  static List<SmoothingSpec> families(
      List<Series> series,
      int[] fitEnds,
      double[] scales,
      Options options,
      List<SmoothingSpec.TickFeature> ticks) {
    List<Long> spacings = new ArrayList<>();
    boolean positive = true;
    for (int s = 0; s < series.size(); s++) {
      long[] ts = series.get(s).timestamps();
      double[] v = series.get(s).values();
      for (int t = 0; t < fitEnds[s]; t++) {
        if (t > 0) {
          spacings.add(ts[t] - ts[t - 1]);
        }
        positive &= !(v[t] <= 0);
      }
    }
    spacings.sort(null);
    long spacing = Math.max(1, spacings.get(spacings.size() / 2));
    long percentile99 = spacings.get((int) Math.min(spacings.size() - 1, 0.99 * spacings.size()));
    long regularGap = Math.max(percentile99, spacing + spacing / 2);
    int maxGap =
        Math.min(SmoothingSpec.MAX_GAP_STEPS, Math.max(options.season(), options.horizon()));
    List<CalendarTerm> calendar = CalendarTerm.forSpacing(spacing);

    List<SmoothingSpec.Transform> transforms = new ArrayList<>();
    transforms.add(SmoothingSpec.Transform.ADDITIVE);
    if (positive) {
      transforms.add(SmoothingSpec.Transform.LOG);
    }
    int[] seasons = options.season() > 1 ? new int[] {options.season(), 1} : new int[] {1};
    List<double[]> coefficients = new ArrayList<>(); // α, β, φ
    for (double level : LEVELS) {
      coefficients.add(new double[] {level, 0, 1});
      for (double trend : TRENDS) {
        for (double damping : DAMPINGS) {
          coefficients.add(new double[] {level, trend, damping});
        }
      }
    }
    // The best of each family (with or without a trend, with or without a season) on the fit parts.
    SmoothingSpec[] best = new SmoothingSpec[4];
    double[] bestError = {
      Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY,
      Double.POSITIVE_INFINITY
    };
    for (int season : seasons) {
      for (SmoothingSpec.Transform transform : transforms) {
        for (double[] c : coefficients) {
          for (double seasonal : season > 1 ? SEASONALS : new double[] {0}) {
            SmoothingSpec candidate =
                new SmoothingSpec(
                    transform,
                    season,
                    c[0],
                    c[1],
                    c[2],
                    seasonal,
                    SCALE_WEIGHT,
                    SCALE_FLOOR,
                    CLIP,
                    options.horizon(),
                    spacing,
                    regularGap,
                    maxGap,
                    calendar,
                    ticks);
            double error =
                smoothingError(
                    new ExponentialSmoothing(candidate), series, fitEnds, scales, options);
            int family = (c[1] > 0 ? 1 : 0) + (season > 1 ? 2 : 0);
            if (error < bestError[family]) {
              bestError[family] = error;
              best[family] = candidate;
            }
          }
        }
      }
    }
    List<SmoothingSpec> refined = new ArrayList<>();
    refined.add(withCoefficients(best[0], new double[] {1, 0, 1, 0})); // the naive forecast
    for (SmoothingSpec candidate : best) {
      if (candidate != null) {
        refined.add(refine(candidate, series, fitEnds, scales, options));
      }
    }
    return refined;
  }

  /**
   * The grid's best coefficients polished by BOBYQA (Apache Commons Math) on the same score, within
   * α in [0.01, 1], β in [0, 0.5], φ in [0.8, 1] and γ in [0, 1] (γ stays 0 without a season).
   */
  private static SmoothingSpec refine(
      SmoothingSpec start, List<Series> series, int[] fitEnds, double[] scales, Options options) {
    boolean trend = start.trend() > 0;
    boolean seasonal = start.season() > 1;
    // α always; β and φ with a trend; γ with a season
    List<double[]> bounds = new ArrayList<>(); // lower, upper, start, index in {α, β, φ, γ}
    bounds.add(new double[] {0.01, 1, start.level(), 0});
    if (trend) {
      bounds.add(new double[] {0, 0.5, start.trend(), 1});
      bounds.add(new double[] {0.8, 1, start.damping(), 2});
    }
    if (seasonal) {
      bounds.add(new double[] {0, 1, start.seasonal(), 3});
    }
    double[] fixed = {start.level(), start.trend(), start.damping(), start.seasonal()};
    java.util.function.Function<double[], SmoothingSpec> at =
        p -> {
          double[] all = fixed.clone();
          for (int i = 0; i < p.length; i++) {
            all[(int) bounds.get(i)[3]] = p[i];
          }
          return withCoefficients(start, all);
        };
    MultivariateFunction score =
        p ->
            smoothingError(new ExponentialSmoothing(at.apply(p)), series, fitEnds, scales, options);
    int n = bounds.size();
    double[] lower = new double[n];
    double[] upper = new double[n];
    double[] initial = new double[n];
    for (int i = 0; i < n; i++) {
      lower[i] = bounds.get(i)[0];
      upper[i] = bounds.get(i)[1];
      initial[i] = Math.max(lower[i], Math.min(upper[i], bounds.get(i)[2]));
    }
    double before = score.value(initial);
    if (n == 1) { // BOBYQA needs two dimensions; a level weight alone is a line to scan
      double[] bestPoint = initial;
      double bestValue = before;
      for (int k = 1; k <= 100; k++) {
        double[] point = {k / 100.0};
        double value = score.value(point);
        if (value < bestValue) {
          bestValue = value;
          bestPoint = point;
        }
      }
      return at.apply(bestPoint);
    }
    try {
      PointValuePair best =
          new BOBYQAOptimizer(2 * n + 1, 0.05, 1e-4)
              .optimize(
                  new MaxEval(400),
                  new ObjectiveFunction(score),
                  GoalType.MINIMIZE,
                  new InitialGuess(initial),
                  new SimpleBounds(lower, upper));
      return best.getValue() < before ? at.apply(best.getPoint()) : at.apply(initial);
    } catch (MathIllegalStateException e) { // out of evaluations or of progress: keep the grid's
      return at.apply(initial);
    }
  }

  private static SmoothingSpec withCoefficients(SmoothingSpec s, double[] p) {
    return new SmoothingSpec(
        s.transform(),
        s.season(),
        Math.max(1e-6, Math.min(1, p[0])),
        Math.max(0, Math.min(1, p[1])),
        Math.max(1e-6, Math.min(1, p[2])),
        s.season() > 1 ? Math.max(0, Math.min(1, p[3])) : 0,
        s.scaleWeight(),
        s.scaleFloor(),
        s.clip(),
        s.horizon(),
        s.spacingMillis(),
        s.regularGapMillis(),
        s.maxGapSteps(),
        s.calendar(),
        s.tickFeatures());
  }

  /**
   * The smoothing's own forecasts scored over the fit parts: mean over origins after the warm-up
   * and horizons 1..H inside the fit part of {@code |y − F_h| / scale} (scale: the series' MASE
   * denominator), in the series' units.
   */
  static double smoothingError(
      ExponentialSmoothing smoothing,
      List<Series> series,
      int[] fitEnds,
      double[] scales,
      Options options) {
    double[] f = new double[options.horizon()];
    int warmup = warmup(options.season());
    double sum = 0;
    long count = 0;
    for (int s = 0; s < series.size(); s++) {
      double[] v = series.get(s).values();
      ExponentialSmoothing.State state = smoothing.newState();
      for (int t = 0; t < fitEnds[s]; t++) {
        if (Double.isNaN(v[t])) {
          smoothing.skip(state, 1);
        } else {
          smoothing.observe(state, smoothing.toModel(v[t]));
        }
        if (t < warmup) {
          continue;
        }
        smoothing.forecasts(state, f);
        for (int h = 1; h <= f.length && t + h < fitEnds[s]; h++) {
          double y = v[t + h];
          if (!Double.isNaN(y)) {
            sum += Math.abs(y - smoothing.fromModel(f[h - 1])) / scales[s];
            count++;
          }
        }
      }
    }
    return count == 0 ? Double.POSITIVE_INFINITY : sum / count;
  }

  /** One series' network inputs and targets per step, over its fit part. */
  record Steps(float[][] inputs, float[][] targets, boolean[] scored) {
    int length() {
      return inputs.length;
    }
  }

  /**
   * Steps a series through {@link HorizonInputs} over its fit part, as the forecaster will, with
   * one value in {@value #MISSING_RATE} dropped; targets are the values' steps ahead (the dropped
   * ones included), masked where they reach the validation part.
   */
  static Steps steps(
      HorizonInputs inputs,
      Series series,
      double[][] ticks,
      int fitEnd,
      Options options,
      Random random) {
    double[] v = series.values();
    long[] ts = series.timestamps();
    int features = inputs.inputSize();
    int horizon = options.horizon();
    float[][] buffer = inputs.newStepBuffer();
    double[] tick = ticks == null ? null : new double[ticks.length];
    // First pass: which step each point lands on, so targets count steps as the network does.
    List<float[]> rows = new ArrayList<>();
    int[] stepOf = new int[fitEnd];
    ExponentialSmoothing.State state = inputs.newState();
    boolean[] dropped = new boolean[fitEnd];
    for (int t = 0; t < fitEnd; t++) {
      dropped[t] = t > 0 && random.nextDouble() < MISSING_RATE;
      double value = dropped[t] ? Double.NaN : v[t];
      fillTick(ticks, t, tick);
      int n = inputs.advance(state, value, ts[t], tick, buffer);
      for (int i = 0; i < n; i++) {
        rows.add(Arrays.copyOf(buffer[i], features));
      }
      stepOf[t] = rows.size() - 1;
    }
    int steps = rows.size();
    double[] stepValues = new double[steps];
    Arrays.fill(stepValues, Double.NaN);
    for (int t = 0; t < fitEnd; t++) {
      stepValues[stepOf[t]] = v[t];
    }
    // Second pass: the targets of every point's step from the state right after it.
    float[][] targets = new float[steps][horizon];
    for (float[] row : targets) {
      Arrays.fill(row, Float.NaN);
    }
    boolean[] scored = new boolean[steps];
    state = inputs.newState();
    int warmup = warmup(options.season());
    for (int t = 0; t < fitEnd; t++) {
      fillTick(ticks, t, tick);
      inputs.advance(state, dropped[t] ? Double.NaN : v[t], ts[t], tick, buffer);
      int step = stepOf[t];
      if (step >= warmup) {
        inputs.targets(state, stepValues, step + 1, steps, TARGET_CLIP, targets[step]);
        scored[step] = true;
      }
    }
    return new Steps(rows.toArray(new float[0][]), targets, scored);
  }

  private static void fillTick(double[][] ticks, int t, double[] into) {
    if (ticks != null) {
      for (int k = 0; k < ticks.length; k++) {
        into[k] = ticks[k][t];
      }
    }
  }

  /** Every (series, start) of a window; series shorter than a window give one padded window. */
  private static List<long[]> windowStarts(List<Steps> examples, int window) {
    List<long[]> starts = new ArrayList<>();
    for (int s = 0; s < examples.size(); s++) {
      int last = Math.max(0, examples.get(s).length() - window);
      for (int start = 0; start <= last; start++) {
        starts.add(new long[] {s, start});
      }
    }
    return starts;
  }

  private static void shuffle(List<long[]> starts, Random random) {
    for (int i = starts.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      long[] swap = starts.get(i);
      starts.set(i, starts.get(j));
      starts.set(j, swap);
    }
  }

  /**
   * Inputs {@code [b, F, L]}, targets and their mask {@code [b, H, L]} for windows {@code
   * starts[from..to)}; a window's first quarter is not scored unless it starts the series.
   */
  private static DataSet batch(
      List<Steps> examples,
      List<long[]> starts,
      int from,
      int to,
      SmoothingSpec spec,
      Options options) {
    int b = to - from;
    int window = options.window();
    int features = spec.inputSize();
    int horizon = options.horizon();
    int burnIn = window / 4;
    float[] x = new float[b * features * window];
    float[] y = new float[b * horizon * window];
    float[] mask = new float[b * horizon * window];
    for (int i = 0; i < b; i++) {
      long[] at = starts.get(from + i);
      Steps steps = examples.get((int) at[0]);
      int start = (int) at[1];
      for (int t = 0; t < window && start + t < steps.length(); t++) {
        int step = start + t;
        float[] in = steps.inputs()[step];
        for (int f = 0; f < features; f++) {
          x[(i * features + f) * window + t] = in[f];
        }
        if (!steps.scored()[step] || (start > 0 && t < burnIn)) {
          continue;
        }
        float[] target = steps.targets()[step];
        for (int h = 0; h < horizon; h++) {
          if (!Float.isNaN(target[h])) {
            y[(i * horizon + h) * window + t] = target[h];
            mask[(i * horizon + h) * window + t] = 1;
          }
        }
      }
    }
    return new DataSet(
        Nd4j.create(x, new long[] {b, features, window}, 'c'),
        Nd4j.create(y, new long[] {b, horizon, window}, 'c'),
        null,
        Nd4j.create(mask, new long[] {b, horizon, window}, 'c'));
  }

  /**
   * The validation score of the network's current weights, run as the stream runs them: each whole
   * series through {@link HorizonForecaster}, and from every origin whose horizons reach the
   * validation part, the mean of {@code |y_{t+h} − forecast_h| / scale} over those horizons.
   */
  private static ValidationScores validationError(
      MultiLayerNetwork net,
      ModelHeader header,
      List<Series> series,
      List<double[][]> features,
      int[] fitEnds,
      double[] scales) {
    HorizonForecaster forecaster =
        new HorizonForecaster(RecurrentModel.from(Dl4jLstm.export(net, header)));
    return score(forecaster, series, features, fitEnds, scales);
  }

  /**
   * The validation score of the smoothing alone, computed as {@link #score} computes the network's:
   * each whole series stepped through {@link HorizonInputs}, forecasts from every origin whose
   * horizons reach index {@code fromIndex}.
   */
  static ValidationScores smoothingScore(
      SmoothingSpec spec, List<Series> series, int[] fromIndex, double[] scales) {
    HorizonInputs inputs = new HorizonInputs(spec);
    float[][] steps = inputs.newStepBuffer();
    double[] f = new double[spec.horizon()];
    ValidationScores scores = new ValidationScores();
    for (int s = 0; s < series.size(); s++) {
      double[] v = series.get(s).values();
      long[] ts = series.get(s).timestamps();
      ExponentialSmoothing.State state = inputs.newState();
      for (int t = 0; t < v.length - 1; t++) {
        inputs.advance(state, v[t], ts[t], null, steps);
        if (t + f.length < fromIndex[s]) {
          continue;
        }
        inputs.forecasts(state, null, f);
        scores.add(v, t, fromIndex[s], f, scales[s]);
      }
    }
    return scores;
  }

  /** See {@link #validationError}. */
  static ValidationScores score(
      HorizonForecaster forecaster,
      List<Series> series,
      List<double[][]> features,
      int[] fromIndex,
      double[] scales) {
    double[] f = new double[forecaster.horizon()];
    ValidationScores scores = new ValidationScores();
    for (int s = 0; s < series.size(); s++) {
      double[] v = series.get(s).values();
      long[] ts = series.get(s).timestamps();
      double[][] ticks = ticksOf(features, s);
      double[] tick = ticks == null ? null : new double[ticks.length];
      float[] recurrent = forecaster.newRecurrentState();
      ExponentialSmoothing.State state = forecaster.newSmoothingState();
      for (int t = 0; t < v.length - 1; t++) {
        fillTick(ticks, t, tick);
        forecaster.step(recurrent, state, v[t], ts[t], tick, f);
        if (t + f.length < fromIndex[s]) {
          continue;
        }
        scores.add(v, t, fromIndex[s], f, scales[s]);
      }
    }
    return scores;
  }

  /**
   * Scaled absolute errors of forecasts from successive origins, kept per origin so that two models
   * scored on the same origins can be compared pair by pair ({@link #clearlyBelow}).
   */
  static final class ValidationScores {
    private final List<double[]> origins = new ArrayList<>(); // {sum of scaled errors, count}
    private double sum;
    private long count;

    /**
     * Adds the forecasts {@code f} made at origin {@code t} of {@code v}: every horizon whose
     * target is at index {@code from} or later and known, in units of {@code scale}.
     */
    void add(double[] v, int t, int from, double[] f, double scale) {
      double originSum = 0;
      int originCount = 0;
      for (int h = 1; h <= f.length && t + h < v.length; h++) {
        if (t + h >= from && !Double.isNaN(v[t + h])) {
          originSum += Math.abs(v[t + h] - f[h - 1]) / scale;
          originCount++;
        }
      }
      if (originCount > 0) {
        origins.add(new double[] {originSum, originCount});
        sum += originSum;
        count += originCount;
      }
    }

    /** The mean scaled error over every (origin, horizon); infinite when nothing was scored. */
    double mean() {
      return count == 0 ? Double.POSITIVE_INFINITY : sum / count;
    }

    /**
     * True when these errors are below {@code other}'s (scored on the same origins) by more than
     * one standard error of the difference: the origins' mean errors are paired, averaged over
     * consecutive blocks of {@code block} origins (forecasts of overlapping horizons are far from
     * independent) and the blocks' mean difference must exceed its standard error. With fewer than
     * two blocks there is no evidence, and the answer is no.
     */
    boolean clearlyBelow(ValidationScores other, int block) {
      int n = Math.min(origins.size(), other.origins.size());
      int blocks = n / block;
      if (blocks < 2) {
        return false;
      }
      double[] gains = new double[blocks];
      for (int b = 0; b < blocks; b++) {
        for (int i = b * block; i < (b + 1) * block; i++) {
          double[] mine = origins.get(i);
          double[] theirs = other.origins.get(i);
          gains[b] += (theirs[0] / theirs[1] - mine[0] / mine[1]) / block;
        }
      }
      double mean = Arrays.stream(gains).average().orElseThrow();
      double variance = 0;
      for (double gain : gains) {
        variance += (gain - mean) * (gain - mean);
      }
      double standardError = Math.sqrt(variance / (blocks - 1) / blocks);
      return mean > standardError;
    }
  }
}
