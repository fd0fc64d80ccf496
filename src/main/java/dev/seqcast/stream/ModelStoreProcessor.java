package dev.seqcast.stream;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Keeps the global models store a mirror of the compacted {@code seqcast.models} topic and hands
 * every bundle to the {@link ModelRegistry}, which validates it. The store holds raw bytes, valid
 * or not, so that validation happens in one place however the store was filled (live records or
 * restoration at start-up). Runs on the global-store thread.
 */
final class ModelStoreProcessor implements Processor<String, byte[], Void, Void> {

  private final String storeName;
  private final ModelRegistry registry;
  private KeyValueStore<String, byte[]> store;

  ModelStoreProcessor(String storeName, ModelRegistry registry) {
    this.storeName = storeName;
    this.registry = registry;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(storeName);
    try (KeyValueIterator<String, byte[]> stored = store.all()) {
      stored.forEachRemaining(entry -> registry.offer(entry.key, entry.value, true));
    }
  }

  @Override
  public void process(Record<String, byte[]> record) {
    if (record.key() == null) {
      registry.refuse("seqcast.models", "missing-key", "model records need key <name>/<version>");
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
      return;
    }
    store.put(record.key(), record.value());
    registry.offer(record.key(), record.value(), false);
  }
}
