package dev.seqcast.forecast.data;

import dev.seqcast.forecast.Tick;
import dev.seqcast.forecast.TickAdmission;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.forecast.TickMapping;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Builds series from raw tick records (key = series id, value = tick JSON) the way the predictor
 * takes them: records it would dead-letter ({@link TickAdmission}: malformed, values the transform
 * cannot take, duplicate or out-of-order event times per series) are skipped and counted by reason,
 * and every other tick is appended to its series. Records of one series must arrive in the order
 * the predictor sees them (offset order; all ticks of a series share a partition).
 *
 * <p>An optional selection keeps only series whose id matches a pattern; records of other series
 * are counted as not selected before anything else is checked, and records without a key are
 * skipped as {@code missing-key} whatever the selection. Single-threaded.
 */
public final class SeriesFromTicks {

  /**
   * The series built and what became of every record.
   *
   * @param series series with enough points, ordered by id
   * @param tooShort points of each series with too few, by id
   * @param minimumPoints the fewest points a series needed
   * @param records records offered
   * @param accepted ticks appended to a series (including those of too-short series)
   * @param notSelected records of series the selection does not match
   * @param skipped records skipped, by the reason the predictor would give; only reasons that
   *     occurred
   */
  public record Result(
      List<Series> series,
      SortedMap<String, Integer> tooShort,
      int minimumPoints,
      long records,
      long accepted,
      long notSelected,
      Map<DlqReason, Long> skipped) {

    /** Points in the series kept. */
    public long points() {
      long points = 0;
      for (Series s : series) {
        points += s.size();
      }
      return points;
    }
  }

  private final TickAdmission admission;
  private final boolean seriesFromKey;
  private final Pattern selection;
  private final Map<String, Builder> builders = new TreeMap<>();
  private final Map<DlqReason, Long> skipped = new EnumMap<>(DlqReason.class);
  private long records;
  private long accepted;
  private long notSelected;

  /**
   * @param maxTickBytes largest accepted tick value, as the predictor is configured
   * @param selection series ids to keep (whole id must match), or null for all
   */
  public SeriesFromTicks(int maxTickBytes, Pattern selection) {
    this(maxTickBytes, TickMapping.defaults(), selection);
  }

  /**
   * @param maxTickBytes largest accepted tick value, as the predictor is configured
   * @param mapping where series id, value and event time are in a record, as the predictor reads
   * @param selection series ids to keep (whole id must match), or null for all
   */
  public SeriesFromTicks(int maxTickBytes, TickMapping mapping, Pattern selection) {
    this.admission = new TickAdmission(maxTickBytes, mapping);
    this.seriesFromKey = mapping.keyField() == null;
    this.selection = selection;
  }

  /** Takes one record that carries no timestamp of its own. */
  public void accept(byte[] key, byte[] value) {
    accept(key, value, TickCodec.NO_RECORD_TIMESTAMP);
  }

  /** Takes one record with its record timestamp (epoch ms). */
  public void accept(byte[] key, byte[] value, long timestamp) {
    records++;
    // With the id in the key, records of unselected series are passed over without decoding.
    if (seriesFromKey
        && selection != null
        && key != null
        && key.length > 0
        && !selection.matcher(new String(key, StandardCharsets.UTF_8)).matches()) {
      notSelected++;
      return;
    }
    try {
      Tick tick = admission.admit(key, value, timestamp);
      if (!seriesFromKey && selection != null && !selection.matcher(tick.series()).matches()) {
        notSelected++;
        return;
      }
      Builder series = builders.get(tick.series());
      if (series == null) {
        series = new Builder(tick.series());
        builders.put(tick.series(), series);
      } else {
        TickAdmission.requireAfter(tick.ts(), series.lastTs());
      }
      series.add(tick.ts(), tick.value());
      accepted++;
    } catch (InvalidRecordException e) {
      skipped.merge(e.reason(), 1L, Long::sum);
    }
  }

  /** The series with at least {@code minimumPoints} points, and the counts. */
  public Result finish(int minimumPoints) {
    List<Series> kept = new ArrayList<>();
    SortedMap<String, Integer> tooShort = new TreeMap<>();
    for (Builder b : builders.values()) {
      if (b.size >= minimumPoints) {
        kept.add(b.build());
      } else {
        tooShort.put(b.id, b.size);
      }
    }
    return new Result(
        List.copyOf(kept),
        Collections.unmodifiableSortedMap(tooShort),
        minimumPoints,
        records,
        accepted,
        notSelected,
        Collections.unmodifiableMap(new EnumMap<>(skipped)));
  }

  private static final class Builder {
    private final String id;
    private long[] ts = new long[64];
    private double[] values = new double[64];
    private int size;

    Builder(String id) {
      this.id = id;
    }

    long lastTs() {
      return ts[size - 1];
    }

    void add(long t, double v) {
      if (size == ts.length) {
        ts = Arrays.copyOf(ts, size * 2);
        values = Arrays.copyOf(values, size * 2);
      }
      ts[size] = t;
      values[size++] = v;
    }

    Series build() {
      return new Series(id, Arrays.copyOf(ts, size), Arrays.copyOf(values, size));
    }
  }
}
