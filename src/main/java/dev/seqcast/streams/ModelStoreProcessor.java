package dev.seqcast.streams;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * Keeps the global models store a mirror of the compacted models topic and hands every bundle and
 * control record ({@link ModelControl}) to the {@link ModelRegistry}, which validates them. The
 * store holds raw bytes, valid or not, so that validation happens in one place however the store
 * was filled (live records or restoration at start-up). Runs on the global-store thread.
 */
public final class ModelStoreProcessor implements Processor<String, byte[], Void, Void> {

  private final String storeName;
  private final String topic;
  private final ModelRegistry registry;
  private KeyValueStore<String, byte[]> store;

  /**
   * Adds the models mirror to {@code topology}: a global store {@code storeName} fed by the
   * compacted models topic {@code topic} (its own changelog), read into {@code registry}. Both
   * pipelines wire it here, so every instance sees every version the same way.
   *
   * @param nodes name of the source node; the processor node is {@code <nodes>-mirror}
   */
  public static Topology addMirror(
      Topology topology, String storeName, String nodes, String topic, ModelRegistry registry) {
    return topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(storeName), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(), // the compacted models topic is its changelog
        nodes,
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        topic,
        nodes + "-mirror",
        () -> new ModelStoreProcessor(storeName, topic, registry));
  }

  /**
   * Mirrors {@code topic} into the global store {@code storeName} and offers every record to {@code
   * registry}.
   */
  public ModelStoreProcessor(String storeName, String topic, ModelRegistry registry) {
    this.storeName = storeName;
    this.topic = topic;
    this.registry = registry;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
    Map<String, byte[]> stored = new LinkedHashMap<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining(entry -> stored.put(entry.key, entry.value));
    }
    registry.catchUp(stored, topic);
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      registry.refuse(topic, "missing-key", "model records need key <name>/<version>");
      return;
    }
    boolean control = ModelControl.isControlKey(record.key());
    if (record.value() == null) {
      store.delete(record.key());
      if (control) { // deleting the control record: back to following the newest version
        registry.control(record.key(), ModelControl.followNewest().encode());
      }
      return;
    }
    store.put(record.key(), record.value());
    if (control) {
      registry.control(record.key(), record.value());
    } else {
      registry.offer(record.key(), record.value());
    }
  }
}
