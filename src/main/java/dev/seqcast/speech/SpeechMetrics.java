package dev.seqcast.speech;

import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.SharedMeters;
import dev.seqcast.streams.Topics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The speech tagger's meters, created up front so the per-chunk path only increments. In Prometheus
 * they read (see {@code docs/observability.md}):
 *
 * <ul>
 *   <li>{@code seqcast_events_total{topic,outcome}} (topic = the frames topic; tagged,
 *       dead_lettered) and {@code seqcast_dead_letters_total{reason}}, as the forecaster's
 *   <li>{@code seqcast_speech_frames_total{tag}} (speech, non-speech, unknown before any model) and
 *       {@code seqcast_speech_segments_total{event}} (start, end)
 *   <li>{@code seqcast_speech_chunk_seconds}: time to tag one chunk (state read, features, model
 *       steps, state write)
 *   <li>{@code seqcast_speech_tag_latency_seconds}: from a chunk's Kafka record timestamp to its
 *       tags being made
 *   <li>{@code seqcast_model_version{model}}, {@code seqcast_model_swaps_total{model}}, {@code
 *       seqcast_model_refusals_total{reason}}, as the forecaster's
 *   <li>{@code seqcast_speech_streams_evicted_total{reason}}: stream states dropped (expired,
 *       deleted, reset)
 * </ul>
 *
 * Thread-safe.
 */
public final class SpeechMetrics {

  private final MeterRegistry registry;
  private final Counter tagged;
  private final Counter deadLettered;
  private final Map<DlqReason, Counter> deadLetters;
  private final Counter speechFrames;
  private final Counter nonSpeechFrames;
  private final Counter unknownFrames;
  private final Counter segmentStarts;
  private final Counter segmentEnds;
  private final Counter controlled;
  private final Map<String, Counter> evictions = new ConcurrentHashMap<>();
  private final Timer chunk;
  private final Timer latency;
  private final Map<String, AtomicLong> versions = new ConcurrentHashMap<>();

  /** Why a stream's state was dropped: it sent nothing for longer than the TTL. */
  public static final String EXPIRED = "expired";

  /** The state was removed by {@code seqcast series delete --speech}. */
  public static final String DELETED = "deleted";

  /** The state was dropped by {@code seqcast series reset --speech}. */
  public static final String RESET = "reset";

  /** Registers the meters on {@code registry}, counting chunks under the default frames topic. */
  public SpeechMetrics(MeterRegistry registry) {
    this(registry, Topics.FRAMES);
  }

  /**
   * Registers the meters on {@code registry}.
   *
   * @param framesTopic the topic chunks are read from, the {@code topic} label of the event counts
   */
  public SpeechMetrics(MeterRegistry registry, String framesTopic) {
    this.registry = registry;
    tagged = SharedMeters.events(registry, framesTopic, "tagged");
    deadLettered = SharedMeters.events(registry, framesTopic, "dead_lettered");
    deadLetters = SharedMeters.deadLetters(registry);
    SharedMeters.registerRefusals(registry);
    speechFrames = frames("speech");
    nonSpeechFrames = frames("non-speech");
    unknownFrames = frames("unknown");
    segmentStarts = segments("start");
    segmentEnds = segments("end");
    controlled = SharedMeters.events(registry, framesTopic, "control");
    for (String reason : new String[] {EXPIRED, DELETED, RESET}) {
      evictions.put(
          reason,
          Counter.builder("seqcast.speech.streams.evicted")
              .description(
                  "Audio stream states dropped: expired (silent longer than --stream-ttl),"
                      + " deleted or reset by an operator")
              .tag("reason", reason)
              .register(registry));
    }
    chunk =
        Timer.builder("seqcast.speech.chunk")
            .description(
                "Time to tag one audio chunk: state read, features, model steps, state write")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofNanos(1_000))
            .maximumExpectedValue(Duration.ofSeconds(1))
            .register(registry);
    latency =
        Timer.builder("seqcast.speech.tag.latency")
            .description("From an audio chunk's Kafka record timestamp to its tags being made")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(1))
            .maximumExpectedValue(Duration.ofMinutes(1))
            .register(registry);
  }

  private Counter frames(String tag) {
    return Counter.builder("seqcast.speech.frames")
        .description("10 ms frames tagged, by tag")
        .tag("tag", tag)
        .register(registry);
  }

  private Counter segments(String event) {
    return Counter.builder("seqcast.speech.segments")
        .description("Speech segment events emitted, by event")
        .tag("event", event)
        .register(registry);
  }

  /** A chunk was tagged in {@code nanos}, {@code latencyMs} after its record timestamp. */
  public void chunkTagged(long nanos, long latencyMs) {
    tagged.increment();
    chunk.record(nanos, TimeUnit.NANOSECONDS);
    latency.record(latencyMs, TimeUnit.MILLISECONDS);
  }

  /** One frame got a tag; {@code known} is false before any model is loaded. */
  public void frame(boolean known, boolean speech) {
    (known ? (speech ? speechFrames : nonSpeechFrames) : unknownFrames).increment();
  }

  /** A segment started or ended. */
  public void segment(boolean start) {
    (start ? segmentStarts : segmentEnds).increment();
  }

  /** A control record (reset, delete) was applied; it tags nothing. */
  public void controlApplied() {
    controlled.increment();
  }

  /**
   * A stream's state was dropped, for {@code reason}: {@link #EXPIRED}, {@link #DELETED} or {@link
   * #RESET}.
   */
  public void evicted(String reason) {
    evictions.get(reason).increment();
  }

  /** A chunk went to the dead-letter topic. */
  public void deadLettered(DlqReason reason) {
    deadLetters.get(reason).increment();
    deadLettered.increment();
  }

  /** A model bundle was refused. */
  public void modelRefused(String reason) {
    SharedMeters.refusals(registry, reason).increment();
  }

  /** Model {@code name} at {@code version} became current. */
  public void modelSwapped(String name, long version) {
    model(name).set(version);
    SharedMeters.swaps(registry, name).increment();
  }

  /** Registers the version gauge of {@code name} (0 until a version loads). */
  public void expectModel(String name) {
    model(name);
  }

  private AtomicLong model(String name) {
    return versions.computeIfAbsent(
        name,
        n -> {
          AtomicLong version = new AtomicLong();
          SharedMeters.version(registry, n, version);
          SharedMeters.swaps(registry, n);
          return version;
        });
  }
}
