package dev.seqcast.bench;

import dev.seqcast.cli.InputFiles;
import dev.seqcast.forecast.data.Series;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import picocli.CommandLine;

/**
 * The real-series suite {@code bench accuracy} runs on: a manifest CSV ({@code
 * data/accuracy-suite.csv}, described in {@code data/NOTICE.md}) with one series a line, its data
 * files in the manifest's directory.
 */
public final class AccuracySuite {

  /** The manifest's header, in this order. */
  static final List<String> HEADER =
      List.of(
          "file",
          "column",
          "series_column",
          "series",
          "frequency",
          "season",
          "horizon",
          "folds",
          "traits");

  /**
   * One series of the suite.
   *
   * @param line the manifest line it was read from
   * @param file data file, in the manifest's directory
   * @param column value column
   * @param seriesColumn column of series ids, or null when the file is one series
   * @param series id of the series to take when {@code seriesColumn} is set, else null
   * @param frequency e.g. {@code monthly}, for the tables
   * @param season observations per seasonal cycle
   * @param horizon forecast horizons 1..horizon
   * @param folds rolling-origin test blocks
   * @param traits {@code zeros}, {@code negatives}, {@code gaps}
   */
  public record Entry(
      int line,
      String file,
      String column,
      String seriesColumn,
      String series,
      String frequency,
      int season,
      int horizon,
      int folds,
      Set<String> traits) {

    /** The series' name in tables and for {@code --only}: file stem, column and series id. */
    public String name() {
      String stem = file.endsWith(".csv") ? file.substring(0, file.length() - 4) : file;
      return stem + "/" + column + (series == null ? "" : "/" + series);
    }
  }

  private AccuracySuite() {}

  /**
   * The entries of {@code manifest}.
   *
   * @throws IllegalArgumentException naming the line and field when the manifest is malformed
   */
  public static List<Entry> read(Path manifest) throws IOException {
    String text = Files.readString(manifest, StandardCharsets.UTF_8);
    CSVFormat format =
        CSVFormat.DEFAULT.builder().setIgnoreSurroundingSpaces(true).setTrim(true).get();
    List<Entry> entries = new ArrayList<>();
    try (CSVParser parser = CSVParser.parse(text, format)) {
      List<CSVRecord> records = parser.getRecords();
      if (records.isEmpty() || !records.get(0).toList().equals(HEADER)) {
        throw new IllegalArgumentException(
            manifest + ": the header must be " + String.join(",", HEADER));
      }
      for (CSVRecord record : records.subList(1, records.size())) {
        int line = (int) record.getRecordNumber();
        if (record.size() == 1 && record.get(0).isEmpty()) {
          continue;
        }
        if (record.size() != HEADER.size()) {
          throw new IllegalArgumentException(
              manifest + " line " + line + ": " + record.size() + " fields, not 9");
        }
        String seriesColumn = emptyAsNull(record.get(2));
        String series = emptyAsNull(record.get(3));
        if ((seriesColumn == null) != (series == null)) {
          throw new IllegalArgumentException(
              manifest + " line " + line + ": series_column and series go together");
        }
        Set<String> traits =
            record.get(8).isEmpty()
                ? Set.of()
                : new LinkedHashSet<>(Arrays.asList(record.get(8).split(";")));
        entries.add(
            new Entry(
                line,
                record.get(0),
                record.get(1),
                seriesColumn,
                series,
                record.get(4),
                positive(manifest, line, "season", record.get(5)),
                positive(manifest, line, "horizon", record.get(6)),
                positive(manifest, line, "folds", record.get(7)),
                traits));
      }
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException(
          manifest + " is not valid CSV: " + e.getCause().getMessage(), e);
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(manifest + " lists no series");
    }
    return entries;
  }

  /**
   * The series of {@code entry}, from its file in {@code dataDir}, starting at its first observed
   * value: the points before it have nothing a forecast could carry forward (the bench's gap rule,
   * see {@code Backtest}). Interior gaps stay missing values.
   *
   * @param cli the command, for usage errors naming the file
   */
  public static Series load(CommandLine cli, Path dataDir, Entry entry) {
    return select(cli, readFile(cli, dataDir, entry), entry);
  }

  /**
   * The series of {@code entry} among {@code all}, the series of its file and column, as {@link
   * #load} returns it.
   */
  public static Series select(CommandLine cli, List<Series> all, Entry entry) {
    Series series =
        entry.series() == null
            ? all.get(0)
            : all.stream()
                .filter(s -> s.id().equals(entry.series()))
                .findFirst()
                .orElseThrow(
                    () ->
                        new CommandLine.ParameterException(
                            cli,
                            entry.file()
                                + " has no series '"
                                + entry.series()
                                + "' (--suite line "
                                + entry.line()
                                + ")"));
    int first = series.firstObserved();
    if (first == series.size()) {
      throw new CommandLine.ParameterException(
          cli, entry.name() + " has no values (--suite line " + entry.line() + ")");
    }
    Series observed = series.range(first, series.size());
    return new Series(entry.name(), observed.timestamps(), observed.values());
  }

  /**
   * Every series of {@code entry}'s file and column, the panel a global model of that file trains
   * on, each named by its id in the series column (gaps kept); null when the entry is a file's only
   * series (no series column).
   *
   * @param cli the command, for usage errors naming the file
   */
  public static List<Series> loadPanel(CommandLine cli, Path dataDir, Entry entry) {
    return entry.seriesColumn() == null ? null : readFile(cli, dataDir, entry);
  }

  /** Every series of {@code entry}'s file and column, gaps kept. */
  private static List<Series> readFile(CommandLine cli, Path dataDir, Entry entry) {
    return InputFiles.seriesWithGaps(
        cli,
        dataDir.resolve(entry.file()),
        entry.column(),
        entry.seriesColumn(),
        null,
        "--suite line " + entry.line());
  }

  /** The panel {@code entry} belongs to: its file, column and series column; null for none. */
  public static String panelName(Entry entry) {
    if (entry.seriesColumn() == null) {
      return null;
    }
    String stem =
        entry.file().endsWith(".csv")
            ? entry.file().substring(0, entry.file().length() - 4)
            : entry.file();
    return stem + "/" + entry.column();
  }

  private static String emptyAsNull(String text) {
    return text.isEmpty() ? null : text;
  }

  private static int positive(Path manifest, int line, String field, String text) {
    try {
      int value = Integer.parseInt(text);
      if (value >= 1) {
        return value;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(
        manifest + " line " + line + ": " + field + " '" + text + "' is not a positive integer");
  }
}
