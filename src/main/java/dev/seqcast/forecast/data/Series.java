package dev.seqcast.forecast.data;

import java.util.Arrays;

/**
 * One time series: parallel arrays of event times (epoch ms, UTC, increasing) and values. A value
 * may be missing (an empty cell of a CSV file): it is then {@link #MISSING}, a NaN.
 *
 * @param id series id, the Kafka record key of its ticks
 */
public record Series(String id, long[] timestamps, double[] values) {

  /** The value of a point whose value is missing. */
  public static final double MISSING = Double.NaN;

  /** Validates that the arrays are parallel. */
  public Series {
    if (timestamps.length != values.length) {
      throw new IllegalArgumentException("timestamps and values differ in length");
    }
  }

  /** Number of points. */
  public int size() {
    return values.length;
  }

  /** Whether the value of point {@code index} is missing. */
  public boolean isMissing(int index) {
    return Double.isNaN(values[index]);
  }

  /** Points {@code from} (inclusive) to {@code to} (exclusive), under the same id. */
  public Series range(int from, int to) {
    return new Series(
        id, Arrays.copyOfRange(timestamps, from, to), Arrays.copyOfRange(values, from, to));
  }

  /** Index of the first point with a value; {@link #size()} when every value is missing. */
  public int firstObserved() {
    int first = 0;
    while (first < values.length && Double.isNaN(values[first])) {
      first++;
    }
    return first;
  }

  /** The points at or before event time {@code last}, under the same id. */
  public Series upTo(long last) {
    int to = 0;
    while (to < timestamps.length && timestamps[to] <= last) {
      to++;
    }
    return range(0, to);
  }

  /** Number of points whose value is missing; 0 for a series without gaps. */
  public int missing() {
    int count = 0;
    for (double v : values) {
      count += Double.isNaN(v) ? 1 : 0;
    }
    return count;
  }
}
