package dev.seqcast.cli;

import dev.seqcast.forecast.data.PrometheusSource;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Duration options, read one way everywhere: Prometheus' notation ({@code 30m}, {@code 6h}, {@code
 * 7d}, {@code 1h30m}, a number of seconds; see {@link PrometheusSource#parseDuration}) or ISO-8601
 * ({@code PT30M}, {@code P7D}). A malformed one is a usage error naming the option (exit 2).
 */
final class Durations {

  /** What a TTL option takes to mean "never expire". */
  static final String OFF = "off";

  private Durations() {}

  /** {@code text}, the value of {@code option}, as a positive duration. */
  static Duration parse(CommandLine cli, String option, String text) {
    try {
      String t = text == null ? "" : text.strip();
      if (t.length() > 1 && (t.charAt(0) == 'P' || t.charAt(0) == 'p')) {
        Duration iso = parseIso(t);
        if (iso.isNegative() || iso.isZero()) {
          throw new IllegalArgumentException("'" + text + "' is not a positive duration");
        }
        return iso;
      }
      return PrometheusSource.parseDuration(t);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, option + ": " + e.getMessage());
    }
  }

  /** A TTL: {@value #OFF} (null, never expire) or a positive duration. */
  static Duration ttl(CommandLine cli, String option, String text) {
    if (text != null && text.strip().toLowerCase(Locale.ROOT).equals(OFF)) {
      return null;
    }
    return parse(cli, option, text);
  }

  private static Duration parseIso(String text) {
    try {
      return Duration.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not an ISO-8601 duration such as PT30M or P7D");
    }
  }
}
