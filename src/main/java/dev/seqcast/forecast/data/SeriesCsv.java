package dev.seqcast.forecast.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads series from a CSV file with a header row: a date column ({@code date} or {@code Date};
 * {@code yyyy-MM-dd} or {@code MMM d yyyy}, taken as midnight UTC, or an ISO date-time such as
 * {@code 2010-01-01T01:00:00}, taken as UTC), a value column chosen by name, and optionally a
 * series column that splits the rows into one series per distinct id. Rows of a series must be in
 * increasing date order. Errors name the file, line and column. Plain comma-separated values
 * without quoting, as in the bundled data.
 */
public final class SeriesCsv {

  private static final List<DateTimeFormatter> DATE_FORMATS =
      List.of(
          DateTimeFormatter.ISO_LOCAL_DATE,
          DateTimeFormatter.ofPattern("MMM d yyyy", Locale.ENGLISH));

  private SeriesCsv() {}

  /**
   * Reads the series in {@code file}.
   *
   * @param valueColumn name of the value column, e.g. {@code close}
   * @param seriesColumn name of the column holding series ids, or null for a single series
   * @param seriesId id of the single series when {@code seriesColumn} is null; null = file stem
   */
  public static List<Series> load(
      Path file, String valueColumn, String seriesColumn, String seriesId) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("data file '" + file + "' does not exist");
    }
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.isEmpty()) {
      throw new IllegalArgumentException(file + " is empty");
    }
    List<String> header = Arrays.asList(lines.get(0).trim().split(","));
    int dateAt = header.indexOf("date") >= 0 ? header.indexOf("date") : header.indexOf("Date");
    int valueAt = header.indexOf(valueColumn);
    int seriesAt = seriesColumn == null ? -1 : header.indexOf(seriesColumn);
    if (dateAt < 0) {
      throw new IllegalArgumentException(file + ": no 'date' column in header " + header);
    }
    if (valueAt < 0) {
      throw new IllegalArgumentException(
          file + ": no column '" + valueColumn + "'; columns are " + header);
    }
    if (seriesColumn != null && seriesAt < 0) {
      throw new IllegalArgumentException(
          file + ": no series column '" + seriesColumn + "'; columns are " + header);
    }
    String single = seriesId != null ? seriesId : stem(file);
    Map<String, Builder> builders = new LinkedHashMap<>();
    for (int line = 2; line <= lines.size(); line++) {
      String text = lines.get(line - 1).trim();
      if (text.isEmpty()) {
        continue;
      }
      String[] cells = text.split(",", -1);
      if (cells.length != header.size()) {
        throw new IllegalArgumentException(
            file + " line " + line + ": " + cells.length + " cells, header has " + header.size());
      }
      String id = seriesAt < 0 ? single : cells[seriesAt];
      long ts = parseDate(file, line, header.get(dateAt), cells[dateAt]);
      double value = parseValue(file, line, valueColumn, cells[valueAt]);
      builders.computeIfAbsent(id, Builder::new).add(file, line, ts, value);
    }
    List<Series> series = new ArrayList<>();
    builders.values().forEach(b -> series.add(b.build()));
    return series;
  }

  private static long parseDate(Path file, int line, String column, String text) {
    for (DateTimeFormatter format : DATE_FORMATS) {
      try {
        return LocalDate.parse(text, format)
            .atStartOfDay(ZoneOffset.UTC)
            .toInstant()
            .toEpochMilli();
      } catch (DateTimeParseException ignored) {
        // try the next format
      }
    }
    try {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
    } catch (DateTimeParseException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(
        file + " line " + line + " column '" + column + "': '" + text + "' is not a date");
  }

  private static double parseValue(Path file, int line, String column, String text) {
    try {
      double value = Double.parseDouble(text);
      if (Double.isFinite(value)) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(
        file + " line " + line + " column '" + column + "': '" + text + "' is not a finite number");
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  private static final class Builder {
    private final String id;
    private long[] ts = new long[256];
    private double[] values = new double[256];
    private int size;

    Builder(String id) {
      this.id = id;
    }

    void add(Path file, int line, long t, double v) {
      if (size > 0 && t <= ts[size - 1]) {
        throw new IllegalArgumentException(
            file + " line " + line + ": series '" + id + "' is not in increasing date order");
      }
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
