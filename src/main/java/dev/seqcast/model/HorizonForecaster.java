package dev.seqcast.model;

/**
 * Runs a smoothed multi-horizon model (a bundle whose header carries a {@link SmoothingSpec}) one
 * tick at a time: the single place where a tick steps a series' smoothing state ({@link
 * ExponentialSmoothing}) and recurrent state ({@link StepKernel}) and becomes forecasts of every
 * horizon 1..H at once, for the trainer's evaluation, the backtest and the stream alike.
 *
 * <p>Per tick ({@link #step}): {@link HorizonInputs#advance} turns the tick into one network input
 * per step it takes (more than one only after a gap), the kernel steps each, and the head's H
 * outputs become forecasts {@code F_h + scale · o_h} around the smoothing's own forecasts. Nothing
 * is rolled forward: horizon h is read off the head directly, so a forecast of h steps costs the
 * same as one of one step.
 *
 * <p>Per-series state is two caller-owned objects: the recurrent {@code float[]} ({@link
 * #newRecurrentState()}) and the {@link ExponentialSmoothing.State} ({@link #newSmoothingState()}),
 * which also holds the value transform's state and the last event time.
 *
 * <p>Threading: owns its kernel and scratch buffers, so it is confined to one thread. No method
 * allocates.
 */
public final class HorizonForecaster {

  private final RecurrentModel model;
  private final StepKernel kernel;
  private final HorizonInputs inputs;
  private final float[][] steps;
  private final float[] output;

  /**
   * A forecaster for {@code model} with a new kernel of its own.
   *
   * @throws IllegalArgumentException if the model is not a smoothed multi-horizon model
   */
  public HorizonForecaster(RecurrentModel model) {
    this(model, model.newKernel());
  }

  /**
   * A forecaster for {@code model} stepping {@code kernel}, one of the model's own (the predictor
   * chooses the kernel implementation).
   *
   * @throws IllegalArgumentException if the model is not a smoothed multi-horizon model
   */
  public HorizonForecaster(RecurrentModel model, StepKernel kernel) {
    SmoothingSpec spec = model.header().smoothing();
    if (spec == null) {
      throw new IllegalArgumentException(
          "model " + model.name() + " is a one-step log-return model, not a smoothed one");
    }
    this.model = model;
    this.kernel = kernel;
    this.inputs = new HorizonInputs(spec);
    this.steps = inputs.newStepBuffer();
    this.output = new float[model.outputSize()];
  }

  /** The model this forecaster runs. */
  public RecurrentModel model() {
    return model;
  }

  /** The model's input and output side. */
  public HorizonInputs inputs() {
    return inputs;
  }

  /** Horizons the head emits. */
  public int horizon() {
    return inputs.spec().horizon();
  }

  /** Fresh recurrent state for a new series. */
  public float[] newRecurrentState() {
    return new float[model.stateSize()];
  }

  /** Fresh smoothing state for a new series. */
  public ExponentialSmoothing.State newSmoothingState() {
    return inputs.newState();
  }

  /**
   * Advances both states by one tick and writes the forecasts of horizons {@code
   * 1..forecasts.length} (at most {@link #horizon()}) after it.
   *
   * @param value the tick's value, NaN for a tick without one; {@link HorizonInputs#accepts} must
   *     hold
   * @param eventTime epoch ms, after the series' previous tick
   * @param ticks raw tick features in the spec's order (NaN where missing), or null
   */
  public void step(
      float[] recurrent,
      ExponentialSmoothing.State smoothing,
      double value,
      long eventTime,
      double[] ticks,
      double[] forecasts) {
    observe(recurrent, smoothing, value, eventTime, ticks);
    forecast(recurrent, smoothing, forecasts);
  }

  /** Advances both states by one tick without forecasting (warming a state over history). */
  public void observe(
      float[] recurrent,
      ExponentialSmoothing.State smoothing,
      double value,
      long eventTime,
      double[] ticks) {
    int n = inputs.advance(smoothing, value, eventTime, ticks, steps);
    for (int i = 0; i < n; i++) {
      kernel.step(recurrent, steps[i]);
    }
  }

  /** The forecasts from the current states, which are not changed. */
  public void forecast(
      float[] recurrent, ExponentialSmoothing.State smoothing, double[] forecasts) {
    kernel.output(recurrent, output);
    inputs.forecasts(smoothing, output, forecasts);
  }

  /**
   * The size of the next forecast errors in the series' units, from the smoothing state alone: its
   * scale (the EW mean absolute one-step error) under the additive transform, its EW volatility
   * times the level under the log transform. The conformal step divides residuals by it and
   * multiplies their quantile back, so an interval follows the series' current volatility at once
   * instead of a window of residuals behind. NaN while the smoothing has seen no error yet.
   */
  public double errorScale(ExponentialSmoothing.State smoothing) {
    if (smoothing.errors() == 0) {
      return Double.NaN;
    }
    ExponentialSmoothing es = inputs.smoothing();
    double scale = es.scale(smoothing);
    return es.spec().transform() == SmoothingSpec.Transform.LOG
        ? scale * es.fromModel(smoothing.level())
        : scale;
  }

  /** The head's raw outputs (standardised corrections) for the current recurrent state. */
  public void outputs(float[] recurrent, float[] into) {
    kernel.output(recurrent, into);
  }
}
