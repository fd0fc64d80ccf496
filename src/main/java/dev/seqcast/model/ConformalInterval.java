package dev.seqcast.model;

/**
 * Online split-conformal prediction interval: the half-width around the next forecast is an
 * empirical quantile of the series' own last {@code window} absolute one-step residuals.
 *
 * <p>With {@code n} residuals held and target coverage {@code c}, the half-width is the {@code
 * k}-th smallest of them, {@code k = ceil((n + 1) c)}: the finite-sample correction that makes
 * {@code P(|next residual| <= half-width) >= c} whenever the residuals are exchangeable (for
 * continuous residuals the coverage is exactly {@code k / (n + 1)}, within {@code 1 / (n + 1)}
 * above {@code c}). While {@code k > n} no finite quantile has that guarantee, so there is no
 * interval: {@link #halfWidth} is NaN until the series holds {@link #minimumResiduals()} residuals.
 *
 * <p>The same residuals give a conformal p-value for a new residual ({@link #pValue}), the
 * calibrated measure of how unusual it is.
 *
 * <p>Like {@link FeatureTransform}, the calibrator is separate from the per-series state it works
 * on ({@link Residuals}, a primitive ring the caller stores). An instance holds a scratch buffer,
 * so it belongs to one thread (e.g. one stream task); nothing it does on the per-event path
 * allocates.
 */
public final class ConformalInterval {

  /** Default target coverage of the interval. */
  public static final double DEFAULT_COVERAGE = 0.9;

  /** Default number of recent residuals the quantile is taken over. */
  public static final int DEFAULT_WINDOW = 100;

  /** Largest accepted window (a bound for decoders of stored residual rings). */
  public static final int MAX_WINDOW = 1 << 14;

  private final double coverage;
  private final int window;
  private final int minimumResiduals;
  private final float[] scratch;

  /**
   * A calibrator for intervals of target {@code coverage} over the last {@code window} residuals.
   *
   * @throws IllegalArgumentException if {@code coverage} is not in (0, 1), or the window is outside
   *     [1, {@value #MAX_WINDOW}] or too short to ever reach the coverage
   */
  public ConformalInterval(double coverage, int window) {
    if (!(coverage > 0 && coverage < 1)) {
      throw new IllegalArgumentException("coverage must be in (0, 1), was " + coverage);
    }
    if (window < 1 || window > MAX_WINDOW) {
      throw new IllegalArgumentException(
          "window must be between 1 and " + MAX_WINDOW + ", was " + window);
    }
    int minimum = 1;
    while (rank(coverage, minimum) > minimum && minimum <= MAX_WINDOW) {
      minimum++;
    }
    if (minimum > window) {
      throw new IllegalArgumentException(
          "a window of "
              + window
              + " residuals can never give "
              + coverage
              + " coverage; it needs at least "
              + minimum);
    }
    this.coverage = coverage;
    this.window = window;
    this.minimumResiduals = minimum;
    this.scratch = new float[window];
  }

  /** The default calibrator: {@value #DEFAULT_COVERAGE} coverage over {@value #DEFAULT_WINDOW}. */
  public static ConformalInterval defaults() {
    return new ConformalInterval(DEFAULT_COVERAGE, DEFAULT_WINDOW);
  }

  /**
   * The rank {@code ceil((n + 1) c)} of the conformal quantile among {@code n} residuals. Products
   * that are integers up to rounding (e.g. {@code 10 * 0.9}) count as integers.
   */
  public static int rank(double coverage, int n) {
    return (int) Math.ceil((n + 1) * coverage - 1e-9);
  }

  /** Target coverage. */
  public double coverage() {
    return coverage;
  }

  /** Number of recent residuals the quantile is taken over. */
  public int window() {
    return window;
  }

  /** Residuals a series needs before it has an interval: the least {@code n} with rank ≤ n. */
  public int minimumResiduals() {
    return minimumResiduals;
  }

  /** An empty residual ring sized for this calibrator's window. */
  public Residuals newResiduals() {
    return new Residuals(window);
  }

  /**
   * Half the width of the interval around the next forecast, from the residuals held; NaN while
   * fewer than {@link #minimumResiduals()} are held.
   */
  public double halfWidth(Residuals residuals) {
    int n = Math.min(residuals.count, window);
    if (n < minimumResiduals) {
      return Double.NaN;
    }
    // The ring may be larger than the window (a state stored under a longer window): use its newest
    // n values.
    for (int i = 0; i < n; i++) {
      scratch[i] = residuals.newest(i);
    }
    return select(scratch, n, rank(coverage, n) - 1);
  }

  /**
   * The conformal p-value of a new residual against those held: {@code (1 + #{held ≥ |r|}) / (n +
   * 1)}. Small when the residual is larger than almost all recent ones; 1 with nothing held.
   */
  public double pValue(Residuals residuals, double residual) {
    double magnitude = Math.abs(residual);
    int n = Math.min(residuals.count, window);
    int atLeast = 0;
    for (int i = 0; i < n; i++) {
      if (residuals.newest(i) >= magnitude) {
        atLeast++;
      }
    }
    return (1.0 + atLeast) / (n + 1.0);
  }

  /**
   * The {@code k}-th smallest (0-based) of {@code values[0, n)}, reordering them (Hoare select).
   */
  private static float select(float[] values, int n, int k) {
    int lo = 0;
    int hi = n - 1;
    while (lo < hi) {
      float pivot = medianOfThree(values[lo], values[(lo + hi) >>> 1], values[hi]);
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (values[i] < pivot) {
          i++;
        }
        while (values[j] > pivot) {
          j--;
        }
        if (i <= j) {
          float swap = values[i];
          values[i] = values[j];
          values[j] = swap;
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return values[k];
      }
    }
    return values[k];
  }

  private static float medianOfThree(float a, float b, float c) {
    return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
  }

  /**
   * A series' last absolute one-step residuals (raw, or divided by an error scale: the caller keeps
   * track of which): a primitive ring of fixed capacity, oldest overwritten first. Mutable; owned
   * by one thread at a time, like the series state holding it.
   */
  public static final class Residuals {
    private final float[] ring;
    private int count;
    private int next;

    /** An empty ring holding at most {@code capacity} residuals. */
    public Residuals(int capacity) {
      if (capacity < 1 || capacity > MAX_WINDOW) {
        throw new IllegalArgumentException(
            "capacity must be between 1 and " + MAX_WINDOW + ", was " + capacity);
      }
      this.ring = new float[capacity];
    }

    /**
     * Adds the magnitude of {@code residual} (actual − forecast); non-finite ones are ignored, and
     * one beyond the largest float is held as {@link Float#MAX_VALUE}, so the ring stays finite.
     */
    public void add(double residual) {
      if (!Double.isFinite(residual)) {
        return;
      }
      // A finite double above Float.MAX_VALUE would round to an infinite float: a stored state
      // that no longer decodes, and an interval of [-inf, inf] from then on.
      ring[next] = (float) Math.min(Float.MAX_VALUE, Math.abs(residual));
      next = (next + 1) % ring.length;
      count = Math.min(count + 1, ring.length);
    }

    /** Number of residuals held. */
    public int count() {
      return count;
    }

    /** Most residuals this ring holds. */
    public int capacity() {
      return ring.length;
    }

    /** The {@code i}-th held residual magnitude, oldest first: {@code i} in {@code [0, count)}. */
    public float get(int i) {
      int oldest = count < ring.length ? 0 : next;
      return ring[(oldest + i) % ring.length];
    }

    /** The {@code i}-th newest residual magnitude: 0 is the last one added. */
    float newest(int i) {
      return ring[Math.floorMod(next - 1 - i, ring.length)];
    }

    /** Copies {@code source}'s residuals (newest kept when this ring is smaller). */
    public void copyFrom(Residuals source) {
      clear();
      int skip = Math.max(0, source.count - ring.length);
      for (int i = skip; i < source.count; i++) {
        add(source.get(i));
      }
    }

    /**
     * Multiplies every held residual by {@code factor} (finite and positive; otherwise the ring is
     * cleared): how a ring moves between raw and standardised residuals.
     */
    public void rescale(double factor) {
      if (!(factor > 0 && Double.isFinite(factor))) {
        clear();
        return;
      }
      for (int i = 0; i < ring.length; i++) {
        ring[i] = (float) Math.min(Float.MAX_VALUE, ring[i] * factor);
      }
    }

    /** Forgets every residual. */
    public void clear() {
      count = 0;
      next = 0;
    }
  }
}
