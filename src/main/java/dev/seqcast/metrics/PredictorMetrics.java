package dev.seqcast.metrics;

import dev.seqcast.stream.DlqReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The predictor's meters, created once so the per-event path only increments. Names follow
 * Micrometer conventions and render in Prometheus as {@code seqcast_events_total{outcome=...}},
 * {@code seqcast_dead_letters_total{reason=...}}, {@code seqcast_step_seconds} and {@code
 * seqcast_model_refusals_total{reason=...}}. Labels are bounded enums; never a series id.
 * Thread-safe.
 */
public final class PredictorMetrics {

  private final MeterRegistry registry;
  private final Counter predicted;
  private final Counter withoutModel;
  private final Counter deadLettered;
  private final Map<DlqReason, Counter> deadLetters = new EnumMap<>(DlqReason.class);
  private final Timer step;

  /** Registers the meters on {@code registry}. */
  public PredictorMetrics(MeterRegistry registry) {
    this.registry = registry;
    predicted = outcome("predicted");
    withoutModel = outcome("no_model");
    deadLettered = outcome("dead_lettered");
    for (DlqReason reason : DlqReason.values()) {
      deadLetters.put(
          reason,
          Counter.builder("seqcast.dead.letters")
              .description("Records sent to the dead-letter topic")
              .tag("reason", reason.code())
              .register(registry));
    }
    step =
        Timer.builder("seqcast.step")
            .description("Time to advance one series by one tick: state read, step, state write")
            .publishPercentileHistogram()
            .register(registry);
  }

  private Counter outcome(String outcome) {
    return Counter.builder("seqcast.events")
        .description("Ticks processed, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /** A tick produced a prediction. */
  public void predicted(long stepNanos) {
    predicted.increment();
    step.record(stepNanos, TimeUnit.NANOSECONDS);
  }

  /** A tick was accepted before any model existed: state updated, nothing emitted. */
  public void acceptedWithoutModel() {
    withoutModel.increment();
  }

  /** A record went to the dead-letter topic. */
  public void deadLettered(DlqReason reason) {
    deadLetters.get(reason).increment();
    deadLettered.increment();
  }

  /** A model bundle was refused. */
  public void modelRefused(String reason) {
    registry.counter("seqcast.model.refusals", "reason", reason).increment();
  }
}
