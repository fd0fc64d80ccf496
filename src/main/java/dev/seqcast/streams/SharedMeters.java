package dev.seqcast.streams;

import dev.seqcast.model.BundleException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters the forecaster and the speech tagger both export under the same names, so one dashboard
 * and one set of alerts cover either: records by outcome, dead letters by reason, model versions,
 * swaps and refusals.
 */
public final class SharedMeters {

  /** Model refusal reasons besides the bundle's own ({@link BundleException.Reason}). */
  public static final Set<String> REGISTRY_REFUSALS =
      Set.of("invalid-model", "version-not-newer", "bad-control", "missing-key");

  private SharedMeters() {}

  /** {@code seqcast_events_total{topic,outcome}}. */
  public static Counter events(MeterRegistry registry, String topic, String outcome) {
    return Counter.builder("seqcast.events")
        .description("Records processed, by input topic and outcome")
        .tag("topic", topic)
        .tag("outcome", outcome)
        .register(registry);
  }

  /** {@code seqcast_dead_letters_total{reason}}, one counter per reason, all registered at zero. */
  public static Map<DlqReason, Counter> deadLetters(MeterRegistry registry) {
    Map<DlqReason, Counter> counters = new EnumMap<>(DlqReason.class);
    for (DlqReason reason : DlqReason.values()) {
      counters.put(
          reason,
          Counter.builder("seqcast.dead.letters")
              .description("Records sent to the dead-letter topic, by reason")
              .tag("reason", reason.code())
              .register(registry));
    }
    return counters;
  }

  /** {@code seqcast_model_refusals_total{reason}}; registers every known reason at zero. */
  public static void registerRefusals(MeterRegistry registry) {
    for (BundleException.Reason reason : BundleException.Reason.values()) {
      refusals(registry, reason.code());
    }
    REGISTRY_REFUSALS.forEach(reason -> refusals(registry, reason));
  }

  /** The refusal counter of {@code reason}. */
  public static Counter refusals(MeterRegistry registry, String reason) {
    return Counter.builder("seqcast.model.refusals")
        .description("Model bundles refused, by reason; the running model stays")
        .tag("reason", reason)
        .register(registry);
  }

  /** {@code seqcast_model_version{model}} reading {@code version}. */
  public static void version(MeterRegistry registry, String model, AtomicLong version) {
    Gauge.builder("seqcast.model.version", version, AtomicLong::get)
        .description("Version of the model in use; 0 before the first is loaded")
        .tag("model", model)
        .register(registry);
  }

  /** {@code seqcast_model_swaps_total{model}}. */
  public static Counter swaps(MeterRegistry registry, String model) {
    return Counter.builder("seqcast.model.swaps")
        .description("Times a new version of the model became live, first load included")
        .tag("model", model)
        .register(registry);
  }
}
