package dev.seqcast.model;

/**
 * Turns a series' values into forecasts with one model: the single place where a value becomes a
 * model input ({@link FeatureTransform}), the recurrent state steps ({@link StepKernel}) and the
 * model's output becomes a forecast in the series' units. The stream's predictor and the offline
 * backtest both go through it, so what is measured offline is what runs live.
 *
 * <ul>
 *   <li>{@link #step} advances a series' state by one observed value and returns the one-step
 *       forecast.
 *   <li>{@link #rollForward} forecasts horizons 1..H by stepping a private copy of the state with
 *       the model's own forecasts fed back as inputs; the caller's state is left untouched.
 * </ul>
 *
 * <p>Threading: owns its kernel and scratch buffers, so it is confined to one thread (one stream
 * task, one backtest). Neither method allocates.
 */
public final class Forecaster {

  private final RecurrentModel model;
  private final StepKernel kernel;
  private final FeatureTransform transform;
  private final float[] input;
  private final float[] output;
  private final float[] scratchState;
  private final FeatureTransform.State scratchFeatures;

  /** A forecaster for {@code model} with a new kernel of its own. */
  public Forecaster(RecurrentModel model) {
    this(model, model.newKernel());
  }

  /** A forecaster for {@code model} stepping with {@code kernel} (e.g. a benchmark's kernel). */
  public Forecaster(RecurrentModel model, StepKernel kernel) {
    this.model = model;
    this.kernel = kernel;
    this.transform = new FeatureTransform(model.normalisation());
    this.input = new float[model.inputSize()];
    this.output = new float[model.outputSize()];
    this.scratchState = new float[model.stateSize()];
    this.scratchFeatures = transform.newState();
  }

  /** The model this forecaster runs. */
  public RecurrentModel model() {
    return model;
  }

  /** The model's input transform. */
  public FeatureTransform transform() {
    return transform;
  }

  /** Fresh recurrent state for a new series. */
  public float[] newRecurrentState() {
    return new float[model.stateSize()];
  }

  /**
   * Advances {@code recurrent} and {@code features} in place by one observed {@code value} and
   * returns the forecast of the next value.
   *
   * @param value a value for which {@link FeatureTransform#accepts(double)} holds
   */
  public double step(float[] recurrent, FeatureTransform.State features, double value) {
    input[0] = transform.next(features, value);
    kernel.step(recurrent, input);
    kernel.output(recurrent, output);
    return transform.forecast(features, output[0]);
  }

  /**
   * Advances {@code recurrent} and {@code features} by one observed value without forecasting:
   * warming a state over history (e.g. a re-warm from the ring buffer).
   */
  public void observe(float[] recurrent, FeatureTransform.State features, double value) {
    input[0] = transform.next(features, value);
    kernel.step(recurrent, input);
  }

  /**
   * Fills {@code forecasts[h-1]} with the forecast {@code h} steps ahead of the last value the
   * state has seen, for {@code h = 1..forecasts.length}: horizon 1 is what {@link #step} returned;
   * each further horizon steps a copy of the state with the previous horizon's forecast as if it
   * had been observed. {@code recurrent} and {@code features} are not changed.
   */
  public void rollForward(float[] recurrent, FeatureTransform.State features, double[] forecasts) {
    if (forecasts.length == 0) {
      return;
    }
    System.arraycopy(recurrent, 0, scratchState, 0, scratchState.length);
    scratchFeatures.copyFrom(features);
    kernel.output(scratchState, output);
    double forecast = transform.forecast(scratchFeatures, output[0]);
    forecasts[0] = forecast;
    for (int h = 1; h < forecasts.length; h++) {
      forecast = step(scratchState, scratchFeatures, forecast);
      forecasts[h] = forecast;
    }
  }
}
