package dev.seqcast.streams;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Sweeps a per-key state store for expired entries a bounded slice at a time, as a wall-clock
 * punctuator calls it: each slice reads at most {@code batch} entries after the last key the
 * previous slice read, wrapping to the first key at the end, and deletes those expired (a tombstone
 * each in the changelog, so compaction frees them). Confined to the stream thread of one task.
 *
 * @param <V> the stored state
 */
public final class ExpiryScan<V> {

  private final KeyValueStore<String, V> store;
  private final int batch;

  /** Key the next slice resumes after; null to start from the first key. */
  private String after;

  /** A scan of {@code store} reading at most {@code batch} entries per slice. */
  public ExpiryScan(KeyValueStore<String, V> store, int batch) {
    if (batch < 1) {
      throw new IllegalArgumentException("batch must be at least 1, was " + batch);
    }
    this.store = store;
    this.batch = batch;
  }

  /** Runs one slice; returns the keys it deleted. */
  public List<String> slice(Predicate<V> expired) {
    List<String> doomed = new ArrayList<>();
    String last = null;
    boolean more;
    try (KeyValueIterator<String, V> entries =
        after == null ? store.all() : store.range(after, null)) {
      int read = 0;
      while (read < batch && entries.hasNext()) {
        KeyValue<String, V> entry = entries.next();
        if (entry.key.equals(after)) {
          continue; // the range is inclusive; this key was read by the previous slice
        }
        read++;
        last = entry.key;
        if (expired.test(entry.value)) {
          doomed.add(entry.key);
        }
      }
      more = entries.hasNext();
    }
    after = more ? last : null;
    doomed.forEach(store::delete);
    return doomed;
  }
}
