package dev.seqcast.model;

import java.util.Arrays;

/**
 * The input and output side of a smoothed multi-horizon forecaster, without its weights: turns one
 * tick of a series (value, event time, tick features) into the network inputs of the steps it
 * takes, and the network's outputs back into forecasts. The trainer builds its examples with it and
 * {@link HorizonForecaster} runs it in front of the kernel, so training and serving compute the
 * same numbers.
 *
 * <p>Network inputs per step ({@link SmoothingSpec#inputNames()}):
 *
 * <pre>
 *   error   clip((y_t − F_1(t−1)) / scale_{t−1})   the smoothing's one-step error, standardised
 *                                                   (0 for a series' first two values)
 *   gap     1 on a step the series did not observe, else 0
 *   sin, cos of each calendar term's phase at the step's event time
 *   tick:k  (raw_k − mean_k) / std_k, 0 when the tick lacks the feature or it is NaN
 * </pre>
 *
 * Outputs: one per horizon, {@code o_h}; the forecast is {@code F_h(t) + scale_t · o_h} in model
 * space ({@link ExponentialSmoothing}), mapped back to the series' units. Training targets are the
 * inverse, {@code (y_{t+h} − F_h(t)) / scale_t}.
 *
 * <p><b>Gaps.</b> A tick whose event time is more than {@code regularGapMillis} after the previous
 * one has missed {@code k = max(1, round(Δt / spacing) − 1)} steps. The smoothing steps over all of
 * them on its own forecast (closed form, any {@code k}); the network takes the last {@code min(k,
 * maxGapSteps)} of them as steps of their own, with error 0, gap 1, the calendar at the missed
 * step's nominal time ({@code last + i · spacing}) and no tick features, before the tick's own
 * step. A tick whose value is NaN is one missed step at its own time (its tick features count). So
 * one tick costs at most {@code maxGapSteps + 1} network steps.
 *
 * <p>Holds scratch buffers: confined to one thread. Nothing allocates per tick.
 */
public final class HorizonInputs {

  private final SmoothingSpec spec;
  private final ExponentialSmoothing smoothing;
  private final double[] baseline;
  private final float clip;
  private final CalendarTerm[] calendar;
  private final SmoothingSpec.TickFeature[] tickFeatures;
  private final int calendarAt;
  private final int ticksAt;

  /** The inputs and outputs {@code spec} describes. */
  public HorizonInputs(SmoothingSpec spec) {
    this.spec = spec;
    this.smoothing = new ExponentialSmoothing(spec);
    this.baseline = new double[spec.horizon()];
    this.clip = (float) spec.clip();
    this.calendar = spec.calendar().toArray(new CalendarTerm[0]);
    this.tickFeatures = spec.tickFeatures().toArray(new SmoothingSpec.TickFeature[0]);
    this.calendarAt = 2;
    this.ticksAt = 2 + 2 * spec.calendar().size();
  }

  /** The parameters. */
  public SmoothingSpec spec() {
    return spec;
  }

  /** The smoothing beneath the network. */
  public ExponentialSmoothing smoothing() {
    return smoothing;
  }

  /** Network inputs per step. */
  public int inputSize() {
    return spec.inputSize();
  }

  /** Most network steps one tick takes: the gap's steps and its own. */
  public int maxStepsPerTick() {
    return spec.maxGapSteps() + 1;
  }

  /** A buffer {@link #advance} can write any tick's steps into. */
  public float[][] newStepBuffer() {
    return new float[maxStepsPerTick()][inputSize()];
  }

  /**
   * True when a tick may carry {@code value}: NaN (a missing value) or a value the smoothing
   * accepts (finite; positive for the log transform).
   */
  public boolean accepts(double value) {
    return Double.isNaN(value) || smoothing.accepts(value);
  }

  /** Fresh smoothing state for a new series. */
  public ExponentialSmoothing.State newState() {
    return smoothing.newState();
  }

  /**
   * Advances {@code state} by one tick and writes the network inputs of each step it takes into
   * {@code steps[0..n)}, oldest first; returns {@code n} (at least 1).
   *
   * @param value the tick's value, one {@link #accepts} holds for
   * @param eventTime the tick's event time, epoch ms, after the previous tick's
   * @param ticks raw tick features in {@link SmoothingSpec#tickFeatures()} order, NaN where the
   *     tick lacks one; null for none
   * @param steps a buffer from {@link #newStepBuffer()}
   */
  public int advance(
      ExponentialSmoothing.State state,
      double value,
      long eventTime,
      double[] ticks,
      float[][] steps) {
    int count = 0;
    long last = state.lastTime();
    long missing = missedSteps(state, eventTime);
    if (missing > 0) {
      long stepped = Math.min(missing, spec.maxGapSteps());
      smoothing.skip(state, missing - stepped);
      for (long i = missing - stepped + 1; i <= missing; i++) {
        smoothing.skip(state, 1);
        missedStep(steps[count++], last + i * spec.spacingMillis(), null);
      }
    }
    float[] row = steps[count++];
    if (Double.isNaN(value)) {
      smoothing.skip(state, 1);
      missedStep(row, eventTime, ticks);
    } else {
      boolean scaled = state.errors() > 0;
      double scaleBefore = smoothing.scale(state);
      double error = smoothing.observe(state, smoothing.toModel(value));
      row[0] = scaled ? clamp((float) (error / scaleBefore), clip) : 0f;
      row[1] = 0f;
      context(row, eventTime, ticks);
    }
    state.lastTime(eventTime);
    return count;
  }

  /**
   * The steps a tick at {@code eventTime} finds missed since the series' last tick ({@link
   * #advance} steps over them): {@code max(1, round(Δt / spacing) − 1)} when {@code Δt} exceeds
   * {@code regularGapMillis}, else 0 (and 0 before the series' first value).
   */
  public long missedSteps(ExponentialSmoothing.State state, long eventTime) {
    long last = state.lastTime();
    if (state.steps() == 0 || eventTime - last <= spec.regularGapMillis()) {
      return 0;
    }
    return Math.max(1, Math.round((double) (eventTime - last) / spec.spacingMillis()) - 1);
  }

  private void missedStep(float[] row, long time, double[] ticks) {
    row[0] = 0f;
    row[1] = 1f;
    context(row, time, ticks);
  }

  private void context(float[] row, long time, double[] ticks) {
    int at = calendarAt;
    for (CalendarTerm term : calendar) {
      term.write(time, row, at);
      at += 2;
    }
    for (int k = 0; k < tickFeatures.length; k++) {
      double raw = ticks == null ? Double.NaN : ticks[k];
      SmoothingSpec.TickFeature feature = tickFeatures[k];
      row[ticksAt + k] =
          Double.isNaN(raw) ? 0f : clamp((float) ((raw - feature.mean()) / feature.std()), clip);
    }
  }

  /**
   * Writes the forecasts of horizons {@code 1..forecasts.length} (at most the spec's horizon) from
   * {@code state} and the network's {@code outputs} (null: the smoothing's forecasts alone), in the
   * series' units; NaN before the series' first value.
   */
  public void forecasts(ExponentialSmoothing.State state, float[] outputs, double[] forecasts) {
    smoothing.forecasts(state, baseline);
    double scale = smoothing.scale(state);
    for (int h = 0; h < forecasts.length; h++) {
      double correction = outputs == null ? 0 : scale * outputs[h];
      forecasts[h] = smoothing.fromModel(baseline[h] + correction);
    }
  }

  /**
   * Training targets from {@code state}: {@code targets[h-1] = clip((toModel(y) − F_h) / scale)}
   * for {@code y = values[from + h − 1]}, NaN where that value is missing, not accepted or beyond
   * {@code to}.
   *
   * @param to one past the last index of {@code values} a target may use
   */
  public void targets(
      ExponentialSmoothing.State state,
      double[] values,
      int from,
      int to,
      double targetClip,
      float[] targets) {
    smoothing.forecasts(state, baseline);
    double scale = smoothing.scale(state);
    Arrays.fill(targets, Float.NaN);
    for (int h = 1; h <= targets.length && from + h - 1 < to; h++) {
      double y = values[from + h - 1];
      if (smoothing.accepts(y) && state.steps() > 0) {
        double z = (smoothing.toModel(y) - baseline[h - 1]) / scale;
        targets[h - 1] = (float) Math.max(-targetClip, Math.min(targetClip, z));
      }
    }
  }

  private static float clamp(float x, float bound) {
    return Math.max(-bound, Math.min(bound, x));
  }
}
