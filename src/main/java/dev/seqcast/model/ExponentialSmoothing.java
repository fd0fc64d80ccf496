package dev.seqcast.model;

/**
 * The per-series exponential smoothing beneath a {@link HorizonForecaster}'s network: additive
 * level, optional damped trend and seasonal indices, plus a causal scale, all advanced in O(1) per
 * value with the model's global coefficients ({@link SmoothingSpec}). Values are in model space:
 * the series' units for {@link SmoothingSpec.Transform#ADDITIVE}, their logarithms for {@link
 * SmoothingSpec.Transform#LOG} ({@link #toModel}).
 *
 * <p>For a new value {@code y} with {@code n} values already seen (error-correction form of
 * additive Holt-Winters; {@code pos} is the seasonal slot of {@code y}):
 *
 * <pre>
 *   first value:  ℓ = y, b = 0, s = 0, no scale yet
 *   e   = y − (ℓ + φb + s[pos])                     one-step error of the smoothing
 *   ℓ'  = ℓ + φb + max(α, 1/(n+1)) · e
 *   b'  = φb + β (ℓ' − ℓ − φb)                      only once a whole season has been seen
 *   s[pos] ← s[pos] + max(γ, 1/(n/m + 1)) (y − ℓ' − s[pos])   (m &gt; 1 only)
 *   scale ← EW mean of |e| (additive) or root EW mean of e² (log), weight max(κ, 1/errors)
 * </pre>
 *
 * The {@code max(w, 1/k)} weights make each estimate a plain running mean while it has seen fewer
 * than {@code 1/w} values, so a new series is usable after a season or two instead of after the
 * long memory of a small weight; afterwards they are the model's weights. The scale is floored at
 * {@code scaleFloor · |ℓ|} (and 1e-300), so a constant series divides by a tiny number instead of
 * zero.
 *
 * <p>Forecasts from the current state: {@code F_h = ℓ + b (φ + φ² + … + φ^h) + s[pos + h − 1]}.
 * Stepping a missing value ({@link #skip}) means observing that forecast, which in closed form
 * moves the level along the damped trend, leaves the seasonal indices and the scale unchanged and
 * moves the seasonal slot on: O(1) for a gap of any length.
 *
 * <p>Stateless and thread-safe: all state lives in {@link State}; nothing allocates per value.
 */
public final class ExponentialSmoothing {

  private static final double MIN_SCALE = 1e-300;

  private final SmoothingSpec spec;
  private final boolean log;
  private final int season;

  /** Smoothing with the coefficients of {@code spec}. */
  public ExponentialSmoothing(SmoothingSpec spec) {
    this.spec = spec;
    this.log = spec.transform() == SmoothingSpec.Transform.LOG;
    this.season = spec.season();
  }

  /** The parameters. */
  public SmoothingSpec spec() {
    return spec;
  }

  /** True when {@code value} can be observed: finite, and positive for the log transform. */
  public boolean accepts(double value) {
    return Double.isFinite(value) && (!log || value > 0);
  }

  /** A value in model space (its logarithm for the log transform). */
  public double toModel(double value) {
    return log ? Math.log(value) : value;
  }

  /**
   * A model-space value in the series' units; the log transform saturates at {@link
   * Double#MAX_VALUE} so a forecast stays a number.
   */
  public double fromModel(double value) {
    return log ? Math.min(Double.MAX_VALUE, Math.exp(value)) : value;
  }

  /** Fresh state for a series whose first value is yet to come. */
  public State newState() {
    return new State(season);
  }

  /**
   * Observes one value (model space) and returns the one-step error of the smoothing's forecast of
   * it, or 0 for a series' first value.
   */
  public double observe(State s, double y) {
    long n = s.steps;
    if (n == 0) {
      s.level = y;
      s.trend = 0;
      s.steps = 1;
      s.position = (s.position + 1) % season;
      return 0;
    }
    double phi = spec.damping();
    double seasonalTerm = season > 1 ? s.seasonal[s.position] : 0;
    double error = y - (s.level + phi * s.trend + seasonalTerm);
    double previous = s.level;
    s.level = previous + phi * s.trend + Math.max(spec.level(), 1.0 / (n + 1)) * error;
    if (n >= season) {
      s.trend = phi * s.trend + spec.trend() * (s.level - previous - phi * s.trend);
    }
    if (season > 1) {
      double weight = Math.max(spec.seasonal(), 1.0 / (n / season + 1));
      s.seasonal[s.position] = seasonalTerm + weight * (y - s.level - seasonalTerm);
    }
    s.errors++;
    double weight = Math.max(spec.scaleWeight(), 1.0 / s.errors);
    double size = log ? error * error : Math.abs(error);
    s.scaleStatistic = (1 - weight) * s.scaleStatistic + weight * size;
    s.position = (s.position + 1) % season;
    s.steps = n + 1;
    return error;
  }

  /**
   * Steps {@code missing} values the series did not deliver as if each had been the smoothing's own
   * forecast. Does nothing before the first value.
   */
  public void skip(State s, long missing) {
    if (s.steps == 0 || missing <= 0) {
      return;
    }
    double phi = spec.damping();
    s.level += s.trend * dampedSum(phi, missing);
    s.trend *= phi == 1 ? 1 : Math.pow(phi, missing);
    s.position = (int) ((s.position + missing) % season);
    s.steps += missing;
  }

  /**
   * The smoothing's forecasts {@code F_h}, model space, for {@code h = 1..into.length}; NaN before
   * the first value.
   */
  public void forecasts(State s, double[] into) {
    if (s.steps == 0) {
      java.util.Arrays.fill(into, Double.NaN);
      return;
    }
    double phi = spec.damping();
    double power = 1;
    double trendSum = 0;
    for (int h = 1; h <= into.length; h++) {
      power *= phi;
      trendSum += power;
      double seasonalTerm = season > 1 ? s.seasonal[(s.position + h - 1) % season] : 0;
      into[h - 1] = s.level + s.trend * trendSum + seasonalTerm;
    }
  }

  /**
   * The series' scale: the EW mean absolute one-step error (additive) or the EW volatility (log),
   * floored; the floor alone before the first error.
   */
  public double scale(State s) {
    double raw = log ? Math.sqrt(s.scaleStatistic) : s.scaleStatistic;
    return Math.max(raw, Math.max(spec.scaleFloor() * Math.abs(s.level), MIN_SCALE));
  }

  /** {@code φ + φ² + … + φ^k}. */
  static double dampedSum(double phi, long k) {
    if (phi == 1) {
      return k;
    }
    return phi * (1 - Math.pow(phi, k)) / (1 - phi);
  }

  /**
   * One series' smoothing state, which the caller stores and hands back. Owned by one thread at a
   * time. {@link #lastTime} is the event time of the last tick, kept here for the gap rule of
   * {@link HorizonInputs}.
   */
  public static final class State {
    private double level;
    private double trend;
    private final double[] seasonal;
    private int position;
    private double scaleStatistic;
    private long steps;
    private long errors;
    private long lastTime = Long.MIN_VALUE;

    State(int season) {
      this.seasonal = new double[season];
    }

    /** Restores a state previously read through the accessors (e.g. from a state store). */
    public static State of(
        double level,
        double trend,
        double[] seasonal,
        int position,
        double scaleStatistic,
        long steps,
        long errors,
        long lastTime) {
      if (position < 0 || position >= seasonal.length || steps < 0 || errors < 0) {
        throw new IllegalArgumentException("inconsistent smoothing state");
      }
      State state = new State(seasonal.length);
      System.arraycopy(seasonal, 0, state.seasonal, 0, seasonal.length);
      state.level = level;
      state.trend = trend;
      state.position = position;
      state.scaleStatistic = scaleStatistic;
      state.steps = steps;
      state.errors = errors;
      state.lastTime = lastTime;
      return state;
    }

    /**
     * Makes this state equal to {@code other} (of the same season), e.g. to forecast from a copy.
     */
    public void copyFrom(State other) {
      System.arraycopy(other.seasonal, 0, seasonal, 0, seasonal.length);
      level = other.level;
      trend = other.trend;
      position = other.position;
      scaleStatistic = other.scaleStatistic;
      steps = other.steps;
      errors = other.errors;
      lastTime = other.lastTime;
    }

    /** The level, model space. */
    public double level() {
      return level;
    }

    /** The trend per step, model space. */
    public double trend() {
      return trend;
    }

    /** Seasonal index {@code i} (slot {@code i} of the cycle), model space. */
    public double seasonal(int i) {
      return seasonal[i];
    }

    /** Observations per season. */
    public int season() {
      return seasonal.length;
    }

    /** The seasonal slot of the next value. */
    public int position() {
      return position;
    }

    /** The EW mean of |error| (additive) or of error² (log), unfloored. */
    public double scaleStatistic() {
      return scaleStatistic;
    }

    /** Values observed or skipped so far. */
    public long steps() {
      return steps;
    }

    /** One-step errors the scale has seen. */
    public long errors() {
      return errors;
    }

    /** Event time of the last tick, or {@link Long#MIN_VALUE} before the first. */
    public long lastTime() {
      return lastTime;
    }

    void lastTime(long time) {
      lastTime = time;
    }
  }
}
