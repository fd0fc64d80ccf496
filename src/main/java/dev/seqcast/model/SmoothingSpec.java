package dev.seqcast.model;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/**
 * What a smoothed multi-horizon forecaster ({@link HorizonForecaster}) does around its network,
 * fixed at training and carried in its bundle header: how a value enters (additive or in logs), the
 * exponential smoothing every series runs beneath the network (season and coefficients, the same
 * for every series), the causal per-series scale, the calendar and tick inputs, the horizon the
 * head emits at once and the gap rule. See {@code docs/model-bundle.md} and {@link
 * ExponentialSmoothing}.
 *
 * @param transform how values enter: as they are, or as logarithms
 * @param season observations per seasonal cycle, 1 for none
 * @param level level smoothing weight α, in (0, 1]
 * @param trend trend smoothing weight β, in [0, 1]; 0 keeps the trend at zero (no trend)
 * @param damping trend damping φ, in (0, 1]; 1 is an undamped linear trend
 * @param seasonal seasonal smoothing weight γ, in [0, 1]
 * @param scaleWeight weight κ of the newest one-step error in the series' scale, in (0, 1)
 * @param scaleFloor smallest scale as a share of the level's magnitude, in (0, 1)
 * @param clip network inputs are clipped to {@code [-clip, clip]}
 * @param horizon horizons 1..H the head emits per step
 * @param spacingMillis the data's nominal spacing (the median step of the training data)
 * @param regularGapMillis the longest step between two ticks that is not a gap (at least the
 *     spacing; longer for data that skips weekends)
 * @param maxGapSteps most network steps a gap takes; the smoothing steps over any length of gap
 * @param calendar calendar inputs, in input order
 * @param tickFeatures named tick features, in input order, with their standardisation
 */
public record SmoothingSpec(
    Transform transform,
    int season,
    double level,
    double trend,
    double damping,
    double seasonal,
    double scaleWeight,
    double scaleFloor,
    double clip,
    int horizon,
    long spacingMillis,
    long regularGapMillis,
    int maxGapSteps,
    List<CalendarTerm> calendar,
    List<TickFeature> tickFeatures) {

  /** Longest season a bundle may declare. */
  public static final int MAX_SEASON = 1024;

  /** Most network steps a gap may take. */
  public static final int MAX_GAP_STEPS = 1024;

  /** Name of the input holding the standardised one-step error of the smoothing. */
  public static final String ERROR_INPUT = "error";

  /** Name of the input that is 1 on a step the series did not observe, else 0. */
  public static final String GAP_INPUT = "gap";

  /** Prefix of a tick feature's input name. */
  public static final String TICK_PREFIX = "tick:";

  /** How a value enters the smoothing and the network. */
  public enum Transform {
    /**
     * Additive, in the series' own units: zeros and negatives flow; the scale is the EW mean
     * absolute one-step error.
     */
    ADDITIVE("smoothed-additive/ew-mae"),
    /**
     * Logarithms of strictly positive values (prices): with level weight 1 and no season or trend
     * the inputs are log-returns; the scale is the EW volatility (root mean square one-step error).
     */
    LOG("smoothed-log/ew-volatility");

    private final String wireName;

    Transform(String wireName) {
      this.wireName = wireName;
    }

    /** The name in {@code normalisation.transform} of a bundle header. */
    public String wireName() {
      return wireName;
    }

    /** The transform of a header's {@code normalisation.transform}, or null for another name. */
    public static Transform byWireName(String name) {
      for (Transform transform : values()) {
        if (transform.wireName.equals(name)) {
          return transform;
        }
      }
      return null;
    }
  }

  /**
   * A named number a tick may carry besides its value, standardised as {@code (raw - mean) / std}.
   * A tick without it (or with NaN) gives 0, the training mean.
   *
   * @param name the key in the tick's {@code features}
   * @param mean the training mean
   * @param std the training standard deviation, positive
   */
  public record TickFeature(String name, double mean, double std) {

    /** Validates the name and the standardisation. */
    public TickFeature {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("a tick feature needs a name");
      }
      if (!Double.isFinite(mean) || !(std > 0 && Double.isFinite(std))) {
        throw new IllegalArgumentException(
            "tick feature '" + name + "' needs a finite mean and a positive std");
      }
    }
  }

  /** Validates every parameter. */
  public SmoothingSpec {
    if (transform == null) {
      throw new IllegalArgumentException("smoothing transform must be given");
    }
    if (season < 1 || season > MAX_SEASON) {
      throw new IllegalArgumentException(
          "season must be between 1 and " + MAX_SEASON + ", was " + season);
    }
    if (!(level > 0 && level <= 1)) {
      throw new IllegalArgumentException("level weight must be in (0, 1], was " + level);
    }
    if (!(trend >= 0 && trend <= 1)) {
      throw new IllegalArgumentException("trend weight must be in [0, 1], was " + trend);
    }
    if (!(damping > 0 && damping <= 1)) {
      throw new IllegalArgumentException("damping must be in (0, 1], was " + damping);
    }
    if (!(seasonal >= 0 && seasonal <= 1)) {
      throw new IllegalArgumentException("seasonal weight must be in [0, 1], was " + seasonal);
    }
    if (!(scaleWeight > 0 && scaleWeight < 1)) {
      throw new IllegalArgumentException("scale weight must be in (0, 1), was " + scaleWeight);
    }
    if (!(scaleFloor > 0 && scaleFloor < 1)) {
      throw new IllegalArgumentException("scale floor must be in (0, 1), was " + scaleFloor);
    }
    if (!(clip > 0 && Double.isFinite(clip))) {
      throw new IllegalArgumentException("clip must be positive, was " + clip);
    }
    if (horizon < 1 || horizon > 4096) {
      throw new IllegalArgumentException("horizon must be between 1 and 4096, was " + horizon);
    }
    if (spacingMillis < 1 || regularGapMillis < spacingMillis) {
      throw new IllegalArgumentException(
          "spacing must be positive and the regular gap at least the spacing, were "
              + spacingMillis
              + " and "
              + regularGapMillis);
    }
    if (maxGapSteps < 0 || maxGapSteps > MAX_GAP_STEPS) {
      throw new IllegalArgumentException(
          "max gap steps must be between 0 and " + MAX_GAP_STEPS + ", was " + maxGapSteps);
    }
    calendar = List.copyOf(calendar);
    tickFeatures = List.copyOf(tickFeatures);
    if (new HashSet<>(calendar).size() != calendar.size()) {
      throw new IllegalArgumentException("calendar terms must be distinct: " + calendar);
    }
    if (tickFeatures.stream().map(TickFeature::name).distinct().count() != tickFeatures.size()) {
      throw new IllegalArgumentException("tick feature names must be distinct");
    }
  }

  /** Network inputs per step: error, gap, two per calendar term, one per tick feature. */
  public int inputSize() {
    return 2 + 2 * calendar.size() + tickFeatures.size();
  }

  /**
   * The names of the network inputs in order, as the header's {@code features} lists them: {@code
   * error}, {@code gap}, {@code <term>:sin} and {@code <term>:cos} per calendar term, {@code
   * tick:<name>} per tick feature.
   */
  public List<String> inputNames() {
    List<String> names = new ArrayList<>();
    names.add(ERROR_INPUT);
    names.add(GAP_INPUT);
    for (CalendarTerm term : calendar) {
      names.add(term.wireName() + ":sin");
      names.add(term.wireName() + ":cos");
    }
    for (TickFeature feature : tickFeatures) {
      names.add(TICK_PREFIX + feature.name());
    }
    return names;
  }

  /**
   * The header's {@code normalisation} for this spec: the transform's name, the scale weight as
   * {@code alpha}, the scale floor as {@code initialScale} and the input clip.
   */
  public Normalisation normalisation() {
    return new Normalisation(scaleWeight, scaleFloor, clip, transform.wireName());
  }
}
