package dev.seqcast.model;

import java.util.List;
import java.util.Locale;

/**
 * A cycle of the calendar a forecaster can take as input, derived from a tick's event time alone
 * (epoch ms, read as UTC), so it is causal and needs no state. Each term enters the network as the
 * sine and cosine of its phase, which puts the last hour of a day next to the first.
 *
 * <ul>
 *   <li>{@link #HOUR_OF_DAY}: the time of day, continuous (minutes included).
 *   <li>{@link #DAY_OF_WEEK}: the weekday, Monday 0 to Sunday 6, over 7.
 *   <li>{@link #MONTH_OF_YEAR}: the month, January 0 to December 11, over 12.
 * </ul>
 *
 * Which terms a model reads is fixed at training by the data's spacing ({@link #forSpacing}) and
 * listed in its bundle header. Stateless; any thread; nothing allocates.
 */
public enum CalendarTerm {
  /** Time of day. */
  HOUR_OF_DAY,
  /** Day of the week. */
  DAY_OF_WEEK,
  /** Month of the year. */
  MONTH_OF_YEAR;

  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;

  /** The spelling in bundle headers, e.g. {@code hour-of-day}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses the header spelling. */
  public static CalendarTerm parse(String text) {
    for (CalendarTerm term : values()) {
      if (term.wireName().equals(text)) {
        return term;
      }
    }
    throw new IllegalArgumentException(
        "unknown calendar term '" + text + "' (expected hour-of-day, day-of-week, month-of-year)");
  }

  /** Where {@code epochMillis} lies in this cycle, in [0, 1). */
  public double phase(long epochMillis) {
    return switch (this) {
      case HOUR_OF_DAY -> Math.floorMod(epochMillis, DAY) / (double) DAY;
      case DAY_OF_WEEK -> Math.floorMod(Math.floorDiv(epochMillis, DAY) + 3, 7) / 7.0;
      case MONTH_OF_YEAR -> (monthOfYear(Math.floorDiv(epochMillis, DAY)) - 1) / 12.0;
    };
  }

  /** Writes {@code sin} and {@code cos} of the phase at {@code into[at]} and {@code into[at+1]}. */
  public void write(long epochMillis, float[] into, int at) {
    double angle = 2 * Math.PI * phase(epochMillis);
    into[at] = (float) Math.sin(angle);
    into[at + 1] = (float) Math.cos(angle);
  }

  /**
   * The terms that vary between consecutive points of data this far apart, and so can say something
   * the series' own season does not: time of day and weekday below a day's spacing; weekday and
   * month for daily data; month for weekly to quarterly data; none for yearly or sparser data.
   */
  public static List<CalendarTerm> forSpacing(long spacingMillis) {
    if (spacingMillis < DAY) {
      return List.of(HOUR_OF_DAY, DAY_OF_WEEK);
    }
    if (spacingMillis < 7 * DAY) {
      return List.of(DAY_OF_WEEK, MONTH_OF_YEAR);
    }
    if (spacingMillis < 300 * DAY) {
      return List.of(MONTH_OF_YEAR);
    }
    return List.of();
  }

  /**
   * The civil month (1 to 12) of a day counted from 1970-01-01, proleptic Gregorian: the
   * days-from-civil inverse of H. Hinnant's date algorithms, integer arithmetic only.
   */
  static int monthOfYear(long epochDay) {
    long z = epochDay + 719_468;
    long era = Math.floorDiv(z, 146_097);
    long dayOfEra = z - era * 146_097;
    long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365;
    long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100);
    long shifted = (5 * dayOfYear + 2) / 153; // 0 = March
    return (int) (shifted < 10 ? shifted + 3 : shifted - 9);
  }
}
