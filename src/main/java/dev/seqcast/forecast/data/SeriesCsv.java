package dev.seqcast.forecast.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
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
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Loads series from a CSV file with a header row: a date column ({@code date} or {@code Date};
 * {@code yyyy-MM-dd} or {@code MMM d yyyy}, taken as midnight UTC, or an ISO date-time such as
 * {@code 2010-01-01T01:00:00}, taken as UTC), a value column chosen by name, and optionally a
 * series column that splits the rows into one series per distinct id. Rows of a series must be in
 * increasing date order. Errors name the file, line and column.
 *
 * <p>The file is UTF-8, with or without a byte-order mark; fields may be quoted ({@code "1,234"}
 * holds a comma), lines may end in CRLF, and spaces around a field are ignored. An empty value cell
 * is a missing value ({@link Series#isMissing}); {@link #loadWithoutGaps} refuses it instead, for
 * uses that need every value.
 */
public final class SeriesCsv {

  private static final List<DateTimeFormatter> DATE_FORMATS =
      List.of(
          DateTimeFormatter.ISO_LOCAL_DATE,
          DateTimeFormatter.ofPattern("MMM d yyyy", Locale.ENGLISH));

  private static final CSVFormat FORMAT =
      CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).setTrim(true).get();

  private static final char BYTE_ORDER_MARK = '\uFEFF';

  private SeriesCsv() {}

  /**
   * Reads the series in {@code file}; an empty value cell becomes a missing value.
   *
   * @param valueColumn name of the value column, e.g. {@code close}
   * @param seriesColumn name of the column holding series ids, or null for a single series
   * @param seriesId id of the single series when {@code seriesColumn} is null; null = file stem
   */
  public static List<Series> load(
      Path file, String valueColumn, String seriesColumn, String seriesId) throws IOException {
    return read(file, valueColumn, seriesColumn, seriesId, true);
  }

  /**
   * Reads the series in {@code file} like {@link #load}, but refuses a file with an empty value
   * cell, naming the first one's line and how many there are: for uses that need every value.
   */
  public static List<Series> loadWithoutGaps(
      Path file, String valueColumn, String seriesColumn, String seriesId) throws IOException {
    return read(file, valueColumn, seriesColumn, seriesId, false);
  }

  private static List<Series> read(
      Path file, String valueColumn, String seriesColumn, String seriesId, boolean gapsAllowed)
      throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("data file '" + file + "' does not exist");
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(file + " is not UTF-8 text");
    }
    if (!text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
      text = text.substring(1);
    }
    LineCounter lines = new LineCounter(text);
    try (CSVParser parser = CSVParser.parse(text, FORMAT)) {
      Iterator<CSVRecord> records = parser.iterator();
      if (!records.hasNext()) {
        throw new IllegalArgumentException(file + " is empty");
      }
      List<String> header = records.next().toList();
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
      int gaps = 0;
      int firstGapLine = 0;
      while (records.hasNext()) {
        CSVRecord record = records.next();
        int line = lines.lineOf(record);
        if (record.size() == 1 && record.get(0).isEmpty()) {
          continue; // a line of spaces only
        }
        if (record.size() != header.size()) {
          throw new IllegalArgumentException(
              file
                  + " line "
                  + line
                  + ": "
                  + record.size()
                  + " cells, header has "
                  + header.size());
        }
        String id = seriesAt < 0 ? single : record.get(seriesAt);
        long ts = parseDate(file, line, header.get(dateAt), record.get(dateAt));
        String valueText = record.get(valueAt);
        double value;
        if (valueText.isEmpty()) {
          value = Series.MISSING;
          if (gaps++ == 0) {
            firstGapLine = line;
          }
        } else {
          value = parseValue(file, line, valueColumn, valueText);
        }
        builders.computeIfAbsent(id, Builder::new).add(file, line, ts, value);
      }
      if (gaps > 0 && !gapsAllowed) {
        throw new IllegalArgumentException(
            file
                + " line "
                + firstGapLine
                + " column '"
                + valueColumn
                + "': empty cell, the first of "
                + gaps
                + "; series with missing values are not supported yet: fill in or remove the"
                + " rows with empty cells");
      }
      List<Series> series = new ArrayList<>();
      builders.values().forEach(b -> series.add(b.build()));
      return series;
    } catch (UncheckedIOException e) {
      // how commons-csv reports malformed text: an unclosed quote, text after a closing quote
      throw new IllegalArgumentException(
          file + " is not valid CSV: " + e.getCause().getMessage(), e);
    }
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

  /**
   * The line each record starts on, counted once over the text as the records come in order, so
   * errors name the line an editor shows even when a quoted field spans lines.
   */
  private static final class LineCounter {
    private final String text;
    private int at;
    private int line = 1;

    LineCounter(String text) {
      this.text = text;
    }

    int lineOf(CSVRecord record) {
      while (at < record.getCharacterPosition()) {
        step();
      }
      // The record's position is before the blank lines the parser skipped to reach it.
      while (at < text.length() && (text.charAt(at) == '\n' || text.charAt(at) == '\r')) {
        step();
      }
      return line;
    }

    private void step() {
      char c = text.charAt(at++);
      if (c == '\n' || (c == '\r' && (at == text.length() || text.charAt(at) != '\n'))) {
        line++;
      }
    }
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
