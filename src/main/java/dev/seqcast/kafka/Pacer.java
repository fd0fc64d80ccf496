package dev.seqcast.kafka;

import java.util.concurrent.locks.LockSupport;

/**
 * Paces records sent at a fixed rate: record {@code n} is due {@code n} intervals after the start,
 * and {@link #pace} waits until the next one is due. A sender that falls behind does not wait, so
 * it catches up at full speed; {@link #restart} re-anchors the schedule after a deliberate hold, so
 * no burst follows it. Rate 0 means unpaced. Confined to the sending thread.
 */
public final class Pacer {

  private final long intervalNanos;
  private long startNanos;
  private long paced;

  private Pacer(long intervalNanos) {
    this.intervalNanos = intervalNanos;
    this.startNanos = System.nanoTime();
  }

  /** {@code perSecond} records a second from now on; 0 for as fast as possible. */
  public static Pacer perSecond(double perSecond) {
    if (!(perSecond >= 0) || Double.isInfinite(perSecond)) {
      throw new IllegalArgumentException("rate must be 0 (unpaced) or positive, was " + perSecond);
    }
    return new Pacer(perSecond == 0 ? 0 : Math.round(1e9 / perSecond));
  }

  /** One record every {@code intervalMillis} milliseconds, the first at once. */
  public static Pacer everyMillis(long intervalMillis) {
    if (intervalMillis < 1) {
      throw new IllegalArgumentException("interval must be at least 1 ms, was " + intervalMillis);
    }
    return new Pacer(intervalMillis * 1_000_000L);
  }

  /**
   * Waits until the next record is due, then counts it. Returns at once when unpaced or late.
   *
   * @throws InterruptedException when the thread is interrupted while waiting
   */
  public void pace() throws InterruptedException {
    long due = startNanos + paced * intervalNanos;
    paced++;
    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
      LockSupport.parkNanos(wait);
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while pacing");
      }
    }
  }

  /** Starts the schedule again from now, e.g. after a hold, so the sender does not burst. */
  public void restart() {
    startNanos = System.nanoTime();
    paced = 0;
  }
}
