package dev.seqcast.forecast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesCsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-series suite {@code data/accuracy-suite.csv}: every entry loads, is long enough for its
 * folds, takes its season from the calendar and its traits are true of the data; the suite spans
 * the frequencies and awkward values it promises.
 */
class AccuracySuiteDataTest {

  private static final Path DATA = Path.of("data");

  @TempDir Path tmp;

  /** One manifest line. */
  private record Entry(
      String file,
      String column,
      String seriesColumn,
      String series,
      String frequency,
      int season,
      int horizon,
      int folds,
      Set<String> traits) {

    static Entry parse(String line) {
      String[] c = line.split(",", -1);
      assertEquals(9, c.length, line);
      return new Entry(
          c[0],
          c[1],
          c[2].isEmpty() ? null : c[2],
          c[3].isEmpty() ? null : c[3],
          c[4],
          Integer.parseInt(c[5]),
          Integer.parseInt(c[6]),
          Integer.parseInt(c[7]),
          c[8].isEmpty() ? Set.of() : Set.of(c[8].split(";")));
    }
  }

  private static List<Entry> entries() throws IOException {
    List<String> lines = Files.readAllLines(DATA.resolve("accuracy-suite.csv"));
    assertEquals(
        "file,column,series_column,series,frequency,season,horizon,folds,traits", lines.get(0));
    return lines.stream().skip(1).filter(l -> !l.isBlank()).map(Entry::parse).toList();
  }

  /**
   * The entry's series, and whether its value column had empty cells (those rows are left out of
   * the copy loaded here, as the loader does not take empty cells).
   */
  private record Loaded(Series series, boolean emptyCells) {}

  private Loaded load(Entry e) throws IOException {
    List<String> lines = Files.readAllLines(DATA.resolve(e.file()));
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int at = header.indexOf(e.column());
    int seriesAt = e.seriesColumn() == null ? -1 : header.indexOf(e.seriesColumn());
    assertTrue(at >= 0, e.file() + " has no column " + e.column());
    List<String> kept = new ArrayList<>(List.of(lines.get(0)));
    boolean empty = false;
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",", -1);
      if (cells[at].isEmpty()) {
        empty |= seriesAt < 0 || cells[seriesAt].equals(e.series());
      } else {
        kept.add(line);
      }
    }
    Path copy = tmp.resolve(e.file());
    Files.write(copy, kept);
    List<Series> all = SeriesCsv.load(copy, e.column(), e.seriesColumn(), null);
    Series series =
        e.series() == null
            ? all.get(0)
            : all.stream().filter(s -> s.id().equals(e.series())).findFirst().orElseThrow();
    return new Loaded(series, empty);
  }

  @Test
  void everyEntryLoadsWithACalendarSeasonAndEnoughPointsForItsFolds() throws IOException {
    for (Entry e : entries()) {
      Loaded loaded = load(e);
      Series s = loaded.series();
      String name = e.file() + " " + e.column() + (e.series() == null ? "" : " " + e.series());
      assertEquals(Backtest.seasonFromSpacing(s.timestamps()), e.season(), name + ": season");
      int order = Math.max(2, e.season() + 1); // the backtest's AR(p) rule
      int minimumTrain = Math.max(2 * order + 2, 2 * e.season() + 2);
      int block = Backtest.defaultBlock(s.size(), e.folds(), e.horizon());
      List<RollingOrigin.Fold> folds =
          RollingOrigin.plan(s.size(), e.folds(), block, 0, minimumTrain);
      assertTrue(folds.get(0).trainSize() >= 3 * e.season(), name + ": three seasons to fit");

      double[] v = s.values();
      boolean zeros = Arrays.stream(v).anyMatch(x -> x == 0);
      boolean negatives = Arrays.stream(v).anyMatch(x -> x < 0);
      assertEquals(e.traits().contains("zeros"), zeros, name + ": zeros");
      assertEquals(e.traits().contains("negatives"), negatives, name + ": negatives");
      assertEquals(e.traits().contains("gaps"), loaded.emptyCells(), name + ": gaps");
    }
  }

  @Test
  void theSuiteSpansFrequenciesAndAwkwardValuesAndEveryFileIsAccountedFor() throws IOException {
    List<Entry> entries = entries();
    assertTrue(entries.size() >= 10, entries.size() + " series");
    Set<String> frequencies = new HashSet<>();
    entries.forEach(e -> frequencies.add(e.frequency()));
    assertTrue(frequencies.size() >= 4, frequencies.toString());
    assertTrue(entries.stream().anyMatch(e -> e.traits().contains("gaps")));
    assertTrue(
        entries.stream()
            .anyMatch(e -> e.traits().contains("zeros") || e.traits().contains("negatives")));
    String notice = Files.readString(DATA.resolve("NOTICE.md"));
    for (Entry e : entries) {
      assertTrue(notice.contains("`" + e.file() + "`"), e.file() + " in data/NOTICE.md");
    }
  }
}
