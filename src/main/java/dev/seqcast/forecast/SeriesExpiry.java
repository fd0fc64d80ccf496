package dev.seqcast.forecast;

import java.time.Duration;

/**
 * When a series' state is dropped for going quiet. A series whose last tick's event time is more
 * than {@code ttl} before its task's event clock (the latest event time the task has accepted,
 * never ahead of the record timestamps) is expired: its next tick starts it afresh, as if it had
 * never been seen, and a wall-clock scan of at most {@code scanBatch} entries every {@code
 * scanEvery} deletes it from the store meanwhile. Judged on event time only, so whether the scan
 * reached a series first never changes the output.
 *
 * @param ttl how long a series may stay quiet, in event time; null = never expire
 * @param scanEvery wall-clock time between two scan slices
 * @param scanBatch most store entries one slice reads
 */
public record SeriesExpiry(Duration ttl, Duration scanEvery, int scanBatch) {

  /** Wall-clock time between scan slices by default. */
  public static final Duration DEFAULT_SCAN_EVERY = Duration.ofSeconds(1);

  /**
   * Entries one slice reads by default: about a millisecond of RocksDB reads and decoding, so a
   * task with a million series is swept every 17 minutes.
   */
  public static final int DEFAULT_SCAN_BATCH = 1_000;

  /** Validates the durations. */
  public SeriesExpiry {
    if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
      throw new IllegalArgumentException("series TTL must be positive, was " + ttl);
    }
    if (scanEvery == null || scanEvery.toMillis() < 1 || scanBatch < 1) {
      throw new IllegalArgumentException(
          "scan interval must be at least 1 ms and batch at least 1, were "
              + scanEvery
              + " and "
              + scanBatch);
    }
  }

  /** Series never expire. */
  public static SeriesExpiry never() {
    return new SeriesExpiry(null, DEFAULT_SCAN_EVERY, DEFAULT_SCAN_BATCH);
  }

  /** Series expire after {@code ttl} of event time, scanned at the default pace. */
  public static SeriesExpiry after(Duration ttl) {
    return new SeriesExpiry(ttl, DEFAULT_SCAN_EVERY, DEFAULT_SCAN_BATCH);
  }

  /** True when series expire at all. */
  public boolean enabled() {
    return ttl != null;
  }

  /** The TTL in milliseconds; only when {@link #enabled()}. */
  long ttlMs() {
    return ttl.toMillis();
  }
}
