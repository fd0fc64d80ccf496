package dev.seqcast.forecast.data;

/**
 * One time series: parallel arrays of event times (epoch ms, UTC, increasing) and values.
 *
 * @param id series id, the Kafka record key of its ticks
 */
public record Series(String id, long[] timestamps, double[] values) {

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
}
