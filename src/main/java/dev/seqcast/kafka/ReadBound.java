package dev.seqcast.kafka;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Where a bounded read of a topic stops, per partition, as an exclusive end offset: the first
 * offset not read. Written on the command line as {@code train --until}:
 *
 * <ul>
 *   <li>absent: the end of every partition when the read starts ({@link EndAtStart});
 *   <li>a time, ISO-8601 ({@code 2024-05-01T00:00:00Z}, {@code 2024-05-01T02:00:00+02:00}, or a
 *       date {@code 2024-05-01} meaning midnight UTC) or epoch milliseconds ({@code
 *       1714521600000}): each partition stops at its first record whose <em>record timestamp</em>
 *       is at or after that time, as {@code KafkaConsumer#offsetsForTimes} finds it ({@link
 *       BeforeTime});
 *   <li>{@code PARTITION:OFFSET,...} for every partition of the topic ({@code 0:1200,1:980}): the
 *       exclusive end offset of each, as a previous read printed them ({@link AtOffsets}).
 * </ul>
 *
 * <p>Immutable.
 */
public sealed interface ReadBound {

  /** The end offset of every partition, captured when the read starts. */
  record EndAtStart() implements ReadBound {}

  /**
   * Stop at each partition's first record timestamped at or after {@code epochMs}.
   *
   * @param epochMs a time, epoch milliseconds, not negative
   */
  record BeforeTime(long epochMs) implements ReadBound {
    /** Validates the time. */
    public BeforeTime {
      if (epochMs < 0) {
        throw new IllegalArgumentException("a time bound cannot be before 1970, was " + epochMs);
      }
    }
  }

  /**
   * Stop at explicit offsets.
   *
   * @param offsets exclusive end offset per partition
   */
  record AtOffsets(SortedMap<Integer, Long> offsets) implements ReadBound {
    /** Validates and copies the offsets. */
    public AtOffsets {
      if (offsets.isEmpty()) {
        throw new IllegalArgumentException("an offset bound needs at least one partition");
      }
      for (Map.Entry<Integer, Long> e : offsets.entrySet()) {
        if (e.getKey() < 0 || e.getValue() < 0) {
          throw new IllegalArgumentException(
              "partitions and offsets cannot be negative: " + e.getKey() + ":" + e.getValue());
        }
      }
      offsets = Collections.unmodifiableSortedMap(new TreeMap<>(offsets));
    }
  }

  /** How to write each form on the command line; shown when a bound does not parse. */
  String SYNTAX =
      "an ISO-8601 time (2024-05-01T00:00:00Z, 2024-05-01T02:00:00+02:00, or a date 2024-05-01"
          + " for midnight UTC), epoch milliseconds (1714521600000), or PARTITION:OFFSET for"
          + " every partition (0:1200,1:980)";

  /** Parses the {@code --until} syntax described on this type. */
  static ReadBound parse(String text) {
    String spec = text.trim();
    if (spec.matches("\\d+")) {
      try {
        return new BeforeTime(Long.parseLong(spec));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + spec + "' is too large for epoch milliseconds");
      }
    }
    if (spec.matches("\\d+:\\d+(,\\d+:\\d+)*")) {
      SortedMap<Integer, Long> offsets = new TreeMap<>();
      for (String pair : spec.split(",")) {
        String[] parts = pair.split(":");
        int partition;
        long offset;
        try {
          partition = Integer.parseInt(parts[0]);
          offset = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("'" + pair + "' is out of range");
        }
        if (offsets.put(partition, offset) != null) {
          throw new IllegalArgumentException(
              "'" + spec + "' names partition " + partition + " more than once");
        }
      }
      return new AtOffsets(offsets);
    }
    return new BeforeTime(parseTime(spec).toEpochMilli());
  }

  private static Instant parseTime(String spec) {
    try {
      return ZonedDateTime.parse(spec).toInstant();
    } catch (DateTimeException ignored) {
      // not a zoned time; try the other forms
    }
    try {
      LocalDateTime.parse(spec);
      throw new IllegalArgumentException(
          "'" + spec + "' has no time zone: add Z for UTC or an offset such as +02:00");
    } catch (DateTimeException ignored) {
      // not a local date-time either
    }
    try {
      return LocalDate.parse(spec).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("'" + spec + "' is not " + SYNTAX);
    }
  }

  /**
   * The exclusive end offset of each partition.
   *
   * @param endOffsets each partition's end offset when the read starts
   * @param firstAtOrAfter for {@link BeforeTime}: the offset of each partition's first record
   *     timestamped at or after the bound; a partition without one is absent
   * @throws IllegalArgumentException if an {@link AtOffsets} bound does not name exactly the
   *     topic's partitions or points past a partition's end
   */
  default SortedMap<Integer, Long> resolve(
      Map<Integer, Long> endOffsets, Map<Integer, Long> firstAtOrAfter) {
    SortedMap<Integer, Long> ends = new TreeMap<>(endOffsets);
    if (this instanceof BeforeTime) {
      ends.replaceAll((p, end) -> Math.min(end, firstAtOrAfter.getOrDefault(p, end)));
    } else if (this instanceof AtOffsets at) {
      if (!at.offsets().keySet().equals(ends.keySet())) {
        throw new IllegalArgumentException(
            "offsets name partitions "
                + at.offsets().keySet()
                + " but the topic has partitions "
                + ends.keySet()
                + "; name each exactly once (end offsets now: "
                + spec(endOffsets)
                + ")");
      }
      for (Map.Entry<Integer, Long> e : at.offsets().entrySet()) {
        if (e.getValue() > endOffsets.get(e.getKey())) {
          throw new IllegalArgumentException(
              "offset "
                  + e.getValue()
                  + " of partition "
                  + e.getKey()
                  + " is past its end "
                  + endOffsets.get(e.getKey())
                  + " (end offsets now: "
                  + spec(endOffsets)
                  + ")");
        }
      }
      ends.putAll(at.offsets());
    }
    return ends;
  }

  /** Offsets in the {@code PARTITION:OFFSET,...} form, by partition, which {@link #parse} reads. */
  static String spec(Map<Integer, Long> offsets) {
    StringJoiner text = new StringJoiner(",");
    new TreeMap<>(offsets).forEach((p, o) -> text.add(p + ":" + o));
    return text.toString();
  }
}
