package dev.seqcast.bench;

import java.time.Duration;

/**
 * Fails a benchmark wait loop when its progress counter stops moving, so a run that can never
 * finish (nothing left to read, a crashed stream thread) ends with a message instead of hanging.
 */
final class StallGuard {

  private final long limitNanos;
  private double last = -1;
  private long lastProgress = System.nanoTime();

  StallGuard(Duration limit) {
    this.limitNanos = limit.toNanos();
  }

  /**
   * Records the current count; throws if it has not grown for longer than the limit.
   *
   * @param what names the work in the failure message, e.g. "seqcast round 2"
   */
  void check(double done, long target, String what) {
    long now = System.nanoTime();
    if (done > last) {
      last = done;
      lastProgress = now;
    } else if (now - lastProgress > limitNanos) {
      throw new IllegalStateException(
          String.format(
              "%s stalled at %,d of %,d ticks: no progress for %d s",
              what, (long) done, target, Duration.ofNanos(limitNanos).toSeconds()));
    }
  }
}
