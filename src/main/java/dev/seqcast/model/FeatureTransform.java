package dev.seqcast.model;

/**
 * The causal input transform: price → standardised log-return, and standardised forecast → price.
 *
 * <p>Per series it keeps two numbers, the last value and the EW variance of log-returns, which the
 * caller stores (in the series state) and hands back. For a new value {@code v}:
 *
 * <pre>
 *   r     = ln v - ln last            (0 for the first value of a series)
 *   x     = clip(r / sqrt(var))       the model input, using only the past variance
 *   var  <- (1 - alpha) var + alpha r^2   (not updated by the first value)
 *   last <- v
 * </pre>
 *
 * The model output {@code y} is the standardised next return, so the forecast of the next value is
 * {@code last * exp(y * sqrt(var))}. Training targets are built with the same rule, so training and
 * serving agree by construction. Stateless and thread-safe: all state lives in {@link State}.
 */
public final class FeatureTransform {

  private static final double MIN_VARIANCE = 1e-18;

  private final Normalisation normalisation;

  /** A transform with the given parameters. */
  public FeatureTransform(Normalisation normalisation) {
    this.normalisation = normalisation;
  }

  /** The parameters of this transform. */
  public Normalisation normalisation() {
    return normalisation;
  }

  /** True when {@code value} can enter this transform: finite and strictly positive. */
  public static boolean accepts(double value) {
    return value > 0 && Double.isFinite(value);
  }

  /** Fresh per-series state for a series whose first value is yet to come. */
  public State newState() {
    State state = new State();
    state.reset(normalisation.initialScale() * normalisation.initialScale());
    return state;
  }

  /**
   * Advances {@code state} by one value and returns the standardised model input for it.
   *
   * @param value a value for which {@link #accepts(double)} holds
   */
  public float next(State state, double value) {
    double clip = normalisation.clip();
    if (Double.isNaN(state.lastValue)) {
      state.lastValue = value;
      return 0f;
    }
    double logReturn = logReturn(state.lastValue, value);
    double x = clamp(logReturn / Math.sqrt(state.variance), clip);
    double alpha = normalisation.alpha();
    state.variance =
        Math.max(MIN_VARIANCE, (1 - alpha) * state.variance + alpha * logReturn * logReturn);
    state.lastValue = value;
    return (float) x;
  }

  /** The standardised training target for the step from the current state to {@code nextValue}. */
  public float target(State state, double nextValue) {
    double logReturn = logReturn(state.lastValue, nextValue);
    return (float) clamp(logReturn / Math.sqrt(state.variance), normalisation.clip());
  }

  /**
   * Converts a standardised model output into a forecast of the next value. A forecast beyond the
   * largest double saturates at {@link Double#MAX_VALUE}, so it stays a number.
   */
  public double forecast(State state, double modelOutput) {
    return Math.min(
        Double.MAX_VALUE, state.lastValue * Math.exp(modelOutput * Math.sqrt(state.variance)));
  }

  /**
   * {@code ln(to / from)} as a difference of logarithms: the quotient of two extreme doubles (say
   * 1e-300 after 1e300) over- or underflows to an infinite return, which would make the variance
   * infinite and every later input NaN; the difference is finite for all positive finite values.
   */
  private static double logReturn(double from, double to) {
    return Math.log(to) - Math.log(from);
  }

  private static double clamp(double x, double bound) {
    return Math.max(-bound, Math.min(bound, x));
  }

  /** Mutable per-series transform state. Owned by one thread at a time. */
  public static final class State {
    private double lastValue;
    private double variance;

    /** Restores a state previously read through the accessors (e.g. from a state store). */
    public static State of(double lastValue, double variance) {
      State state = new State();
      state.lastValue = lastValue;
      state.variance = variance;
      return state;
    }

    /** Makes this state equal to {@code other}, e.g. to forecast from a copy. */
    public void copyFrom(State other) {
      lastValue = other.lastValue;
      variance = other.variance;
    }

    void reset(double initialVariance) {
      lastValue = Double.NaN;
      variance = initialVariance;
    }

    /** The last value seen, or NaN before the first. */
    public double lastValue() {
      return lastValue;
    }

    /** The current EW variance of log-returns. */
    public double variance() {
      return variance;
    }
  }
}
