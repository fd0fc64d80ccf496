package dev.seqcast.model;

/**
 * Parameters of the scale-free input transform shared by the trainer and the predictor.
 *
 * <p>The model never sees prices. It sees log-returns divided by the series' own exponentially
 * weighted volatility, so one model serves series of any price level and volatility (an index at
 * 3,000 and a stock at 40), and its output is a standardised next log-return.
 *
 * @param alpha weight of the newest squared return in the volatility estimate, in (0, 1)
 * @param initialScale volatility (standard deviation of log-returns) assumed before a series has
 *     history; the training set's standard deviation
 * @param clip standardised inputs and targets are clipped to {@code [-clip, clip]}
 * @param transform which input transform these parameters belong to: {@link #LOG_RETURN} for the
 *     forecaster, another name for another pipeline (speech features); a predictor only loads
 *     models of the transform it computes
 */
public record Normalisation(double alpha, double initialScale, double clip, String transform) {

  /** The forecaster's transform: log-return divided by the EW volatility. */
  public static final String LOG_RETURN = "log-return/ew-volatility";

  /** The forecaster's transform with these parameters. */
  public Normalisation(double alpha, double initialScale, double clip) {
    this(alpha, initialScale, clip, LOG_RETURN);
  }

  /** Validates the parameters; bundles with others are refused. */
  public Normalisation {
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("normalisation alpha must be in (0, 1), was " + alpha);
    }
    if (!(initialScale > 0 && Double.isFinite(initialScale))) {
      throw new IllegalArgumentException(
          "normalisation initialScale must be positive, was " + initialScale);
    }
    if (!(clip > 0 && Double.isFinite(clip))) {
      throw new IllegalArgumentException("normalisation clip must be positive, was " + clip);
    }
    if (transform == null || transform.isBlank()) {
      throw new IllegalArgumentException("normalisation transform must be named");
    }
  }
}
