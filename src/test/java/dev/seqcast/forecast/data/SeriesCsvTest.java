package dev.seqcast.forecast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CSV series files as spreadsheets and scripts write them: quoted fields, a byte-order mark, CRLF
 * lines, spaces around fields and empty value cells, each read to the same series; mistakes named
 * by file, line and column.
 */
class SeriesCsvTest {

  private static final LocalDate START = LocalDate.of(2000, 1, 3);

  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static long day(int offset) {
    return START.plusDays(offset).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  @Test
  void aQuotedFieldMayHoldCommasAndQuotes() throws IOException {
    Path file =
        write(
            "quoted.csv",
            "symbol,date,note,price\n"
                + "\"ACME, Inc.\",2000-01-03,\"split 2:1, \"\"final\"\"\",10.5\n"
                + "\"ACME, Inc.\",2000-01-04,plain,\"11.25\"\n");
    List<Series> series = SeriesCsv.load(file, "price", "symbol", null);
    assertEquals(1, series.size());
    assertEquals("ACME, Inc.", series.get(0).id());
    assertArrayEquals(new double[] {10.5, 11.25}, series.get(0).values());
    assertArrayEquals(new long[] {day(0), day(1)}, series.get(0).timestamps());
  }

  @Test
  void aByteOrderMarkBeforeTheHeaderIsNotPartOfTheFirstColumnsName() throws IOException {
    Path file = write("bom.csv", "\uFEFFdate,close\n2000-01-03,1455.2\n2000-01-04,1399.4\n");
    Series series = SeriesCsv.load(file, "close", null, null).get(0);
    assertEquals("bom", series.id());
    assertArrayEquals(new double[] {1455.2, 1399.4}, series.values());
  }

  @Test
  void crlfLineEndingsReadLikeNewlines() throws IOException {
    Path crlf = write("crlf.csv", "date,close\r\n2000-01-03,1.5\r\n2000-01-04,2.5\r\n");
    Path lf = write("lf.csv", "date,close\n2000-01-03,1.5\n2000-01-04,2.5\n");
    Series fromCrlf = SeriesCsv.load(crlf, "close", null, "s").get(0);
    Series fromLf = SeriesCsv.load(lf, "close", null, "s").get(0);
    assertArrayEquals(fromLf.values(), fromCrlf.values());
    assertArrayEquals(fromLf.timestamps(), fromCrlf.timestamps());
  }

  @Test
  void anEmptyOrBlankValueCellIsAMissingValueNotAnError() throws IOException {
    Path file =
        write(
            "gaps.csv",
            "date,close,volume\n"
                + "2000-01-03,1.5,10\n"
                + "2000-01-04,,11\n"
                + "2000-01-05,   ,12\n"
                + "2000-01-06,2.5,13\n");
    Series series = SeriesCsv.load(file, "close", null, "s").get(0);
    assertEquals(4, series.size(), "a row with a missing value is still a point");
    assertEquals(2, series.missing());
    assertFalse(series.isMissing(0));
    assertTrue(series.isMissing(1));
    assertTrue(series.isMissing(2));
    assertFalse(series.isMissing(3));
    assertEquals(2.5, series.values()[3]);
    assertEquals(0, SeriesCsv.load(file, "volume", null, "s").get(0).missing());
  }

  @Test
  void loadWithoutGapsNamesTheFirstEmptyCellsLineAndColumnAndHowManyThereAre() throws IOException {
    Path file =
        write(
            "gaps.csv",
            "date,close\n2000-01-03,1.5\n\n2000-01-04,\n2000-01-05,2\n2000-01-06,\"\"\n");
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> SeriesCsv.loadWithoutGaps(file, "close", null, "s"));
    assertTrue(
        refused
            .getMessage()
            .startsWith(file + " line 4 column 'close': empty cell, the first of 2"),
        refused.getMessage());
    assertTrue(refused.getMessage().contains("missing values"), refused.getMessage());
  }

  @Test
  void aBadNumberNamesTheFileLineAndColumn() throws IOException {
    Path file = write("bad.csv", "date,close\n2000-01-03,1.5\n2000-01-04,1.2.3\n");
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> SeriesCsv.load(file, "close", null, "s"));
    assertEquals(
        file + " line 3 column 'close': '1.2.3' is not a finite number", refused.getMessage());
    Path nan = write("nan.csv", "date,close\n2000-01-03,NaN\n");
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SeriesCsv.load(nan, "close", null, "s"))
            .getMessage()
            .contains("line 2 column 'close': 'NaN' is not a finite number"),
        "only an empty cell is a missing value");
  }

  @Test
  void lineNumbersCountBlankLinesAndQuotedFieldsSpanningLines() throws IOException {
    Path file =
        write(
            "lines.csv",
            "date,note,close\r\n"
                + "2000-01-03,\"two\r\nlines\",1\r\n"
                + "\r\n"
                + "2000-01-04,x,oops\r\n");
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class, () -> SeriesCsv.load(file, "close", null, "s"));
    assertTrue(
        refused.getMessage().startsWith(file + " line 5 column 'close'"), refused.getMessage());
  }

  @Test
  void malformedCsvAndARowOfTheWrongWidthAreRefusedNamingTheFile() throws IOException {
    Path unclosed = write("unclosed.csv", "date,close\n2000-01-03,\"1.5\n");
    IllegalArgumentException malformed =
        assertThrows(
            IllegalArgumentException.class, () -> SeriesCsv.load(unclosed, "close", null, "s"));
    assertTrue(
        malformed.getMessage().startsWith(unclosed + " is not valid CSV"), malformed.getMessage());

    Path narrow = write("narrow.csv", "date,close,volume\n2000-01-03,1.5\n");
    assertEquals(
        narrow + " line 2: 2 cells, header has 3",
        assertThrows(
                IllegalArgumentException.class, () -> SeriesCsv.load(narrow, "close", null, "s"))
            .getMessage());
  }

  @Test
  void theHeaderStillNamesTheMissingColumn() throws IOException {
    Path file = write("cols.csv", "\uFEFF\"date\",close\n2000-01-03,1\n");
    assertEquals(1, SeriesCsv.load(file, "close", null, "s").get(0).size());
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SeriesCsv.load(file, "price", null, "s"))
            .getMessage()
            .contains("no column 'price'; columns are [date, close]"));
  }

  /**
   * However a file is written (BOM or not, CRLF or LF, every field quoted or none, spaces around
   * fields), it reads back to the series it was written from, gaps included.
   */
  @Property(tries = 200)
  void everyWayOfWritingAFileReadsBackToTheSameSeries(
      @ForAll("points") List<Optional<Double>> points,
      @ForAll boolean byteOrderMark,
      @ForAll boolean crlf,
      @ForAll boolean quoteEverything,
      @ForAll boolean spaces)
      throws IOException {
    String newline = crlf ? "\r\n" : "\n";
    String pad = spaces ? "  " : "";
    StringBuilder text = new StringBuilder(byteOrderMark ? "\uFEFF" : "");
    text.append(String.join(",", field("symbol", quoteEverything, pad), "date", "note", "value"))
        .append(newline);
    for (int i = 0; i < points.size(); i++) {
      String value = points.get(i).map(String::valueOf).orElse(spaces ? " " : "");
      text.append(
              String.join(
                  ",",
                  field("A, \"the\" series", true, pad),
                  field(START.plusDays(i).toString(), quoteEverything, pad),
                  field("note " + i + ", with a comma", true, pad),
                  field(value, quoteEverything, pad)))
          .append(newline);
    }
    Path file = Files.createTempFile("seqcast-csv", ".csv");
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
      List<Series> loaded = SeriesCsv.load(file, "value", "symbol", null);
      assertEquals(1, loaded.size(), text.toString());
      Series series = loaded.get(0);
      assertEquals("A, \"the\" series", series.id());
      List<Double> expected = new ArrayList<>();
      points.forEach(p -> expected.add(p.orElse(Series.MISSING)));
      assertEquals(expected.size(), series.size());
      for (int i = 0; i < expected.size(); i++) {
        assertEquals(expected.get(i), series.values()[i], "value " + i + " of\n" + text);
        assertEquals(day(i), series.timestamps()[i]);
      }
      assertEquals(points.stream().filter(Optional::isEmpty).count(), series.missing());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** A CSV field: quoted (quotes doubled) when asked, with {@code pad} around it. */
  private static String field(String text, boolean quoted, String pad) {
    return pad + (quoted ? "\"" + text.replace("\"", "\"\"") + "\"" : text) + pad;
  }

  @Provide
  Arbitrary<List<Optional<Double>>> points() {
    Arbitrary<Double> values =
        Arbitraries.oneOf(
            Arbitraries.doubles().between(-1e9, 1e9),
            Arbitraries.of(0.0, -0.0, 1e-300, 123456.789));
    return Combinators.combine(values, Arbitraries.integers().between(0, 4))
        .as((v, k) -> k == 0 ? Optional.<Double>empty() : Optional.of(v))
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }
}
