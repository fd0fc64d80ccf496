package dev.seqcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The --until syntax, and how each form resolves to exclusive end offsets per partition. */
class ReadBoundTest {

  private static final long MAY_1_2024 = 1_714_521_600_000L;

  @Test
  void aTimeCanBeWrittenAsAnInstantAnOffsetTimeADateOrEpochMillis() {
    ReadBound expected = new ReadBound.BeforeTime(MAY_1_2024);
    assertEquals(expected, ReadBound.parse("2024-05-01T00:00:00Z"));
    assertEquals(expected, ReadBound.parse("2024-05-01T02:00:00+02:00"));
    assertEquals(expected, ReadBound.parse("2024-05-01"));
    assertEquals(expected, ReadBound.parse("1714521600000"));
    assertEquals(expected, ReadBound.parse(" 1714521600000 "));
    assertEquals(
        new ReadBound.BeforeTime(MAY_1_2024 + 123), ReadBound.parse("2024-05-01T00:00:00.123Z"));
  }

  @Test
  void offsetsNamePartitionsAndRoundTripThroughTheirSpec() {
    ReadBound bound = ReadBound.parse("1:980,0:1200");
    assertEquals(new ReadBound.AtOffsets(new TreeMap<>(Map.of(0, 1200L, 1, 980L))), bound);
    assertEquals("0:1200,1:980", ReadBound.spec(((ReadBound.AtOffsets) bound).offsets()));
    assertEquals(bound, ReadBound.parse(ReadBound.spec(Map.of(1, 980L, 0, 1200L))));
  }

  @Test
  void mistakesSayWhatIsWrong() {
    assertTrue(message("yesterday").contains("is not an ISO-8601 time"), message("yesterday"));
    assertTrue(message("").contains("PARTITION:OFFSET"), message(""));
    assertTrue(message("2024-05-01T00:00").contains("no time zone"), message("2024-05-01T00:00"));
    assertTrue(message("0:5,0:6").contains("partition 0 more than once"), message("0:5,0:6"));
    assertTrue(message("0:5,1").contains("is not"), message("0:5,1"));
    assertTrue(message("0:-5").contains("is not"), message("0:-5"));
    assertTrue(message("99999999999999999999").contains("too large"));
    assertTrue(message("1969-12-31").contains("before 1970"), message("1969-12-31"));
  }

  private static String message(String text) {
    return assertThrows(IllegalArgumentException.class, () -> ReadBound.parse(text)).getMessage();
  }

  private static final Map<Integer, Long> ENDS = Map.of(0, 100L, 1, 50L, 2, 0L);

  @Test
  void withoutABoundTheReadStopsAtTheEndsCapturedAtStart() {
    assertEquals(ENDS, new ReadBound.EndAtStart().resolve(ENDS, Map.of(0, 3L)));
  }

  @Test
  void aTimeStopsAtTheFirstRecordAtOrAfterItAndAtTheEndWhereThereIsNone() {
    // Partition 0 has a record at or after the time at offset 70; partition 1 none (all earlier).
    assertEquals(
        Map.of(0, 70L, 1, 50L, 2, 0L),
        new ReadBound.BeforeTime(MAY_1_2024).resolve(ENDS, Map.of(0, 70L)));
    // A lookup beyond the captured end (records appended since) never extends the read.
    assertEquals(
        Map.of(0, 100L, 1, 50L, 2, 0L),
        new ReadBound.BeforeTime(MAY_1_2024).resolve(ENDS, Map.of(0, 130L)));
  }

  @Test
  void offsetsMustNameEveryPartitionAndStayWithinItsEnd() {
    assertEquals(
        Map.of(0, 10L, 1, 50L, 2, 0L), ReadBound.parse("0:10,1:50,2:0").resolve(ENDS, Map.of()));

    String missing =
        assertThrows(
                IllegalArgumentException.class,
                () -> ReadBound.parse("0:10,1:50").resolve(ENDS, Map.of()))
            .getMessage();
    assertTrue(missing.contains("[0, 1, 2]") && missing.contains("0:100,1:50,2:0"), missing);

    String unknown =
        assertThrows(
                IllegalArgumentException.class,
                () -> ReadBound.parse("0:10,1:50,2:0,7:1").resolve(ENDS, Map.of()))
            .getMessage();
    assertTrue(unknown.contains("[0, 1, 2, 7]"), unknown);

    String past =
        assertThrows(
                IllegalArgumentException.class,
                () -> ReadBound.parse("0:101,1:50,2:0").resolve(ENDS, Map.of()))
            .getMessage();
    assertTrue(past.contains("offset 101 of partition 0 is past its end 100"), past);
  }
}
