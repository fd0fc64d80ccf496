package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The main job, bounded: real broker, bundled model and data, every tick accounted for. */
class DemoIT {

  @ParameterizedTest(name = "--cell {0}")
  @ValueSource(strings = {"lstm", "gru"})
  void demoAccountsForEveryTickAndExitsZero(String cell) {
    CommandLine cli = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));

    int exit =
        cli.execute(
            "demo",
            "--cell",
            cell,
            "--events",
            "3000",
            "--rate",
            "0",
            "--malformed-every",
            "100",
            "--metrics-port",
            "0");

    String text = out.toString();
    assertEquals(0, exit, text + err);
    assertTrue(text.contains("published model sp500 v1 (" + cell), text);
    assertEquals("3,030", field(text, "ticks in\\s+([\\d,]+)"), text);
    assertEquals("3,000", field(text, "predictions out\\s+([\\d,]+)"), text);
    assertEquals("30", field(text, "dead letters\\s+([\\d,]+)"), text);
    assertTrue(text.contains("model                      sp500 v1"), text);
    for (String series : new String[] {"sp500", "AAPL", "AMZN", "GOOG", "IBM", "MSFT"}) {
      assertTrue(
          Pattern.compile("\\n\\s+" + series + "\\s+[\\d,]+\\s+\\d").matcher(text).find(), series);
    }
  }

  private static String field(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    return m.find() ? m.group(1) : "<missing>";
  }
}
