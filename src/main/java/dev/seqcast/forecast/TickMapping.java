package dev.seqcast.forecast;

import java.util.Locale;

/**
 * Where a tick's series id, value and event time are in a record, for producers that already have
 * their own JSON shape ({@code {"sym":"AAPL","px":187.2,"t":"2026-12-03T10:15:00Z"}}). Fields are
 * named by dotted path into nested objects ({@code quote.px}). The defaults are seqcast's own
 * shape: series id = the record key, {@code value}, {@code ts} in epoch milliseconds.
 *
 * @param keyField path of the series id in the value, or null for the record key
 * @param valueField path of the observation
 * @param timeField path of the event time, or {@link #RECORD_TIMESTAMP} for the record's timestamp
 * @param timeFormat how the event time is written
 */
public record TickMapping(
    String keyField, String valueField, String timeField, TimeFormat timeFormat) {

  /** The {@code --time-field} that takes the event time from the Kafka record timestamp. */
  public static final String RECORD_TIMESTAMP = "@timestamp";

  /** How an event time is written. */
  public enum TimeFormat {
    /** Integer milliseconds since the epoch. */
    EPOCH_MS("epoch-ms"),
    /** Seconds since the epoch, integer or decimal. */
    EPOCH_S("epoch-s"),
    /** An ISO-8601 instant or offset date-time string, e.g. {@code 2026-12-03T10:15:00Z}. */
    ISO_8601("iso-8601");

    private final String wireName;

    TimeFormat(String wireName) {
      this.wireName = wireName;
    }

    /** How options and docs spell it. */
    public String wireName() {
      return wireName;
    }

    /** The format spelled {@code text} (as {@link #wireName()}), in any case. */
    public static TimeFormat parse(String text) {
      for (TimeFormat format : values()) {
        if (format.wireName.equals(text.toLowerCase(Locale.ROOT))) {
          return format;
        }
      }
      throw new IllegalArgumentException(
          "unknown time format '" + text + "' (expected epoch-ms, epoch-s or iso-8601)");
    }
  }

  /** Validates the paths. */
  public TickMapping {
    if (keyField != null) {
      requirePath(keyField, "key field");
    }
    requirePath(valueField, "value field");
    if (!RECORD_TIMESTAMP.equals(timeField)) {
      requirePath(timeField, "time field");
    }
    if (timeFormat == null) {
      throw new IllegalArgumentException("time format must be given");
    }
  }

  /** seqcast's own shape: key = series id, {@code {"ts": <epoch ms>, "value": <number>}}. */
  public static TickMapping defaults() {
    return new TickMapping(null, "value", "ts", TimeFormat.EPOCH_MS);
  }

  /** Whether this is the default shape. */
  public boolean isDefault() {
    return equals(defaults());
  }

  /** Whether the event time is the record timestamp rather than a field. */
  public boolean timeFromRecord() {
    return RECORD_TIMESTAMP.equals(timeField);
  }

  private static void requirePath(String path, String what) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException(what + " must name a field");
    }
    for (String segment : path.split("\\.", -1)) {
      if (segment.isEmpty()) {
        throw new IllegalArgumentException(
            what + " '" + path + "' has an empty segment; write a dotted path such as quote.px");
      }
    }
  }
}
