package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CalendarTermTest {

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;

  @Test
  void phasesAgreeWithJavaTimeInUtcOverFourCenturies() {
    Random random = new Random(4);
    for (int i = 0; i < 20_000; i++) {
      long millis = (long) ((random.nextDouble() - 0.3) * 400 * 365.25 * DAY);
      ZonedDateTime utc = Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC);
      assertEquals(
          (utc.getMonthValue() - 1) / 12.0, CalendarTerm.MONTH_OF_YEAR.phase(millis), utc + "");
      assertEquals(
          (utc.getDayOfWeek().getValue() - 1) / 7.0,
          CalendarTerm.DAY_OF_WEEK.phase(millis),
          utc + "");
      double dayFraction = (utc.toLocalTime().toNanoOfDay() / 1e6) / DAY;
      assertEquals(dayFraction, CalendarTerm.HOUR_OF_DAY.phase(millis), 1e-12, utc + "");
    }
  }

  @Test
  void eachTermIsWrittenAsTheSineAndCosineOfItsPhase() {
    float[] into = new float[3];
    CalendarTerm.HOUR_OF_DAY.write(6 * HOUR, into, 1); // 06:00 is a quarter of the day
    assertEquals(0f, into[0]);
    assertEquals(1f, into[1], 1e-7);
    assertEquals(0f, into[2], 1e-7);
  }

  @Test
  void theTermsFollowTheSpacingOfTheData() {
    assertEquals(
        List.of(CalendarTerm.HOUR_OF_DAY, CalendarTerm.DAY_OF_WEEK), CalendarTerm.forSpacing(HOUR));
    assertEquals(
        List.of(CalendarTerm.DAY_OF_WEEK, CalendarTerm.MONTH_OF_YEAR),
        CalendarTerm.forSpacing(DAY));
    assertEquals(List.of(CalendarTerm.MONTH_OF_YEAR), CalendarTerm.forSpacing(30 * DAY));
    assertEquals(List.of(), CalendarTerm.forSpacing(365 * DAY));
  }

  @Test
  void headerNamesRoundTripAndUnknownOnesAreRefused() {
    for (CalendarTerm term : CalendarTerm.values()) {
      assertEquals(term, CalendarTerm.parse(term.wireName()));
    }
    assertThrows(IllegalArgumentException.class, () -> CalendarTerm.parse("minute-of-hour"));
  }
}
