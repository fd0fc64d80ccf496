package dev.seqcast.forecast.data;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;

/**
 * Replays several series as one stream of ticks in event-time order, optionally forever.
 *
 * <p>Looping is ping-pong: after its last point a series is replayed backwards to its first, then
 * forwards again, and so on, with event times continuing at the series' mean spacing. Paths stay
 * continuous and bounded (no jump back to the start, no compounding growth) and event times keep
 * increasing per series. Single-threaded.
 */
public final class SeriesReplay {

  /** One replayed observation. */
  public record Tick(String series, long ts, double value) {}

  private record Cursor(Series series, long position, long spacing) implements Comparable<Cursor> {
    int last() {
      return series.size() - 1;
    }

    int index() {
      long period = 2L * last();
      long q = position % period;
      return (int) (q <= last() ? q : period - q);
    }

    long ts() {
      long[] ts = series.timestamps();
      return position <= last() ? ts[(int) position] : ts[last()] + (position - last()) * spacing;
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
      long spacing = Math.max(1, (ts[ts.length - 1] - ts[0]) / (ts.length - 1));
      queue.add(new Cursor(s, 0, spacing));
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
    Tick tick =
        new Tick(cursor.series().id(), cursor.ts(), cursor.series().values()[cursor.index()]);
    if (loop || cursor.position() < cursor.last()) {
      queue.add(new Cursor(cursor.series(), cursor.position() + 1, cursor.spacing()));
    }
    return tick;
  }
}
