package dev.seqcast.testkit;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text-format scrape. */
public final class Scrapes {

  private Scrapes() {}

  /**
   * The value of the first sample named {@code name} whose label set contains every one of {@code
   * labels} ({@code key="value"}); NaN if there is none. Samples are lines {@code name{labels}
   * value}.
   */
  public static double value(String scrape, String name, String... labels) {
    Pattern line =
        Pattern.compile("^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE);
    Matcher m = line.matcher(scrape);
    while (m.find()) {
      String set = m.group(1) == null ? "" : m.group(1);
      if (Arrays.stream(labels).allMatch(set::contains)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return Double.NaN;
  }
}
