package dev.seqcast.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Replays several series as one stream of ticks in event-time order, optionally forever.
 *
 * <p>Looping: pass {@code k} (from 0) replays each series again with timestamps shifted by {@code
 * k} times (its span + its median spacing) and values multiplied by {@code (last/first)^k}, so the
 * path continues from where it ended with the same returns, and event times keep increasing per
 * series. Single-threaded.
 */
public final class SeriesReplay {

  /** One replayed observation. */
  public record Tick(String series, long ts, double value) {}

  private record Cursor(Series series, int index, int pass, long shift, double scale)
      implements Comparable<Cursor> {
    long ts() {
      return series.timestamps()[index] + shift * pass;
    }

    double value() {
      return series.values()[index] * Math.pow(scale, pass);
    }

    @Override
    public int compareTo(Cursor other) {
      int byTime = Long.compare(ts(), other.ts());
      return byTime != 0 ? byTime : series.id().compareTo(other.series.id());
    }
  }

  private final PriorityQueue<Cursor> queue = new PriorityQueue<>();
  private final boolean loop;

  /**
   * A replay of {@code series} (each with at least two points).
   *
   * @param loop true to continue forever (see class comment), false to stop after one pass
   */
  public SeriesReplay(List<Series> series, boolean loop) {
    this.loop = loop;
    for (Series s : series) {
      long[] ts = s.timestamps();
      if (ts.length < 2) {
        throw new IllegalArgumentException("series " + s.id() + " needs at least two points");
      }
      long spacing = (ts[ts.length - 1] - ts[0]) / (ts.length - 1);
      long shift = ts[ts.length - 1] - ts[0] + Math.max(1, spacing);
      double scale = s.values()[s.values().length - 1] / s.values()[0];
      queue.add(new Cursor(s, 0, 0, shift, scale));
    }
  }

  /** True if another tick follows (always true when looping). */
  public boolean hasNext() {
    return !queue.isEmpty();
  }

  /** The next tick in event-time order. */
  public Tick next() {
    Cursor cursor = queue.poll();
    if (cursor == null) {
      throw new NoSuchElementException("replay finished");
    }
    Tick tick = new Tick(cursor.series().id(), cursor.ts(), cursor.value());
    int nextIndex = cursor.index() + 1;
    if (nextIndex < cursor.series().timestamps().length) {
      queue.add(
          new Cursor(cursor.series(), nextIndex, cursor.pass(), cursor.shift(), cursor.scale()));
    } else if (loop) {
      queue.add(new Cursor(cursor.series(), 0, cursor.pass() + 1, cursor.shift(), cursor.scale()));
    }
    return tick;
  }
}
