package dev.seqcast.speech;

import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.ModelStoreProcessor;
import dev.seqcast.streams.TopicNames;
import java.time.Duration;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The speech tagger topology, top to bottom (the default topic names; {@link TopicNames} renames
 * them):
 *
 * <pre>
 *   seqcast.models ─► speech-models (global store) ─► ModelRegistry (speech transform only)
 *   seqcast.frames ─► tag (+ seqcast-speech-streams store) ─┬► seqcast.tags
 *                                                            └► seqcast.dlq
 * </pre>
 *
 * It runs as its own Kafka Streams application ({@link SpeechApp}, application id {@code
 * seqcast-speech}) beside the forecaster, so each scales and restarts on its own. {@code
 * Topology#describe()} is printed in {@code docs/architecture.md}.
 */
public final class SpeechTopology {

  /** Per-stream state (RocksDB, changelogged). */
  public static final String STREAM_STORE = "seqcast-speech-streams";

  /** Global store mirroring the models topic for this application. */
  public static final String MODELS_STORE = "seqcast-speech-models";

  static final String TAGS_SINK = "tags";
  static final String DLQ_SINK = "dead-letters";

  private SpeechTopology() {}

  /**
   * The topology on the default names tagging every stream with the live model named {@code
   * modelName}, dropping the state of streams silent for {@link SpeechApp#DEFAULT_STREAM_TTL}.
   */
  public static Topology build(String modelName, ModelRegistry registry, SpeechMetrics metrics) {
    return build(TopicNames.defaults(), modelName, registry, metrics, SpeechApp.DEFAULT_STREAM_TTL);
  }

  /**
   * The topology on {@code topics} tagging every stream with the live model named {@code
   * modelName}.
   *
   * @param streamTtl how long a stream may send nothing, in record time, before its state is
   *     dropped; null = never
   */
  public static Topology build(
      TopicNames topics,
      String modelName,
      ModelRegistry registry,
      SpeechMetrics metrics,
      Duration streamTtl) {
    Topology topology = new Topology();
    ModelStoreProcessor.addMirror(
        topology, MODELS_STORE, "speech-models", topics.models(), registry);
    topology
        .addSource(
            "frames", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.frames())
        .addProcessor(
            "tag", () -> new SpeechProcessor(modelName, registry, metrics, streamTtl), "frames")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                    Stores.persistentKeyValueStore(STREAM_STORE),
                    Serdes.String(),
                    new SpeechStateSerde())
                // Chunks of one stream arrive every few tens of ms: the cache writes each stream's
                // state to RocksDB and the changelog once per commit, not once per chunk.
                .withCachingEnabled(),
            "tag")
        .addSink(
            TAGS_SINK,
            topics.tags(),
            new StringSerializer(),
            new TagEventSerde().serializer(),
            "tag")
        .addSink(
            DLQ_SINK, topics.dlq(), new ByteArraySerializer(), new ByteArraySerializer(), "tag");
    return topology;
  }
}
