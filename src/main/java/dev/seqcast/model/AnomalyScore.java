package dev.seqcast.model;

/**
 * How unusual a series' newest value is, from its one-step residual and the conformal interval the
 * forecast carried ({@link ConformalInterval}). Two parts, and the score is the larger:
 *
 * <ul>
 *   <li><b>jump</b> = {@code |residual| / halfWidth}: above 1 the value fell outside the interval;
 *       spikes and level shifts show here at once.
 *   <li><b>drift</b>: a two-sided CUSUM of the standardised residual {@code u = residual /
 *       halfWidth}, clipped to ±{@value #CLIP} so one jump cannot fake a drift: {@code up = max(0,
 *       up + u - k)}, {@code down = max(0, down - u - k)} with allowance {@code k =} {@value
 *       #ALLOWANCE}, scored as {@code max(up, down) / }{@value #DRIFT_SCALE}. A slow drift that no
 *       single residual betrays makes the residuals lean one way, and the sum grows.
 * </ul>
 *
 * Both parts are in units of the interval, so one threshold serves both. {@code bench anomalies}
 * (see {@code docs/anomalies.md}) measures the default against the threshold that maximises F1 on
 * its tuning seeds: about the same F1, with fewer, more precise alerts. Stateless: the CUSUM lives
 * in {@link Drift}, which the caller stores with the series. Thread-safe; allocation-free.
 */
public final class AnomalyScore {

  /** Default threshold: records scoring at least this are anomalies. */
  public static final double DEFAULT_THRESHOLD = 3.0;

  /** Allowance {@code k} of the CUSUM, in half-widths per step. */
  public static final double ALLOWANCE = 0.25;

  /** Bound of the standardised residual entering the CUSUM. */
  public static final double CLIP = 2.0;

  /** CUSUM value that scores as 1 (one half-width). */
  public static final double DRIFT_SCALE = 2.0;

  private AnomalyScore() {}

  /**
   * Scores a residual and advances {@code drift}; NaN (and {@code drift} untouched) when the
   * forecast had no interval yet.
   *
   * @param residual actual minus forecast
   * @param halfWidth half-width of the forecast's interval, NaN if it had none
   */
  public static double score(double residual, double halfWidth, Drift drift) {
    if (!(halfWidth > 0) || !Double.isFinite(residual)) {
      return Double.NaN;
    }
    double u = residual / halfWidth;
    double clipped = Math.max(-CLIP, Math.min(CLIP, u));
    drift.up = Math.max(0, drift.up + clipped - ALLOWANCE);
    drift.down = Math.max(0, drift.down - clipped - ALLOWANCE);
    return Math.max(Math.abs(u), Math.max(drift.up, drift.down) / DRIFT_SCALE);
  }

  /** True when {@code score} came from the drift part, not the jump of the newest residual. */
  public static boolean isDrift(double residual, double halfWidth, double score) {
    return score > Math.abs(residual / halfWidth);
  }

  /** A series' CUSUM state. Mutable; owned by one thread at a time, like the series' state. */
  public static final class Drift {
    double up;
    double down;

    /** Upward CUSUM: evidence the series runs above its forecasts. */
    public double up() {
      return up;
    }

    /** Downward CUSUM: evidence the series runs below its forecasts. */
    public double down() {
      return down;
    }

    /** Sets both sums, e.g. from a state store. */
    public void restore(double upSum, double downSum) {
      up = upSum;
      down = downSum;
    }

    /** Forgets the evidence, e.g. after a model swap. */
    public void reset() {
      up = 0;
      down = 0;
    }
  }
}
