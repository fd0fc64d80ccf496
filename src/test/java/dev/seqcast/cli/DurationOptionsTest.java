package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.testkit.CliRun;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Duration options (TTLs, Prometheus steps) read one notation, and a bad one is exit 2. */
class DurationOptionsTest {

  private final CommandLine cli = Main.commandLine(Map.of());

  @Test
  void aTtlIsAPrometheusOrIsoDurationOrOff() {
    assertEquals(Duration.ofMinutes(30), Durations.ttl(cli, "--series-ttl", "30m"));
    assertEquals(Duration.ofHours(6), Durations.ttl(cli, "--series-ttl", "6h"));
    assertEquals(Duration.ofDays(7), Durations.ttl(cli, "--series-ttl", "7d"));
    assertEquals(Duration.ofMinutes(90), Durations.ttl(cli, "--series-ttl", "1h30m"));
    assertEquals(Duration.ofMinutes(30), Durations.ttl(cli, "--series-ttl", "PT30M"));
    assertEquals(Duration.ofDays(7), Durations.ttl(cli, "--series-ttl", "P7D"));
    assertNull(Durations.ttl(cli, "--series-ttl", "off"));
    assertNull(Durations.ttl(cli, "--series-ttl", "OFF"));
    for (String bad : new String[] {"soon", "7 days", "0", "-5m", "PT0S", "PT-5M", "P", ""}) {
      CommandLine.ParameterException e =
          assertThrows(
              CommandLine.ParameterException.class,
              () -> Durations.ttl(cli, "--series-ttl", bad),
              bad);
      assertTrue(e.getMessage().startsWith("--series-ttl: "), e.getMessage());
    }
  }

  @Test
  void aMalformedTtlFromTheFlagOrItsVariableIsAUsageErrorNamingTheOption() {
    CliRun flag = CliRun.of("serve", "--series-ttl", "a week").flattened();
    assertEquals(2, flag.exit(), flag.err());
    assertTrue(flag.err().contains("--series-ttl: 'a week' is not a duration"), flag.err());

    CliRun variable =
        CliRun.withEnvironment(Map.of("SEQCAST_STREAM_TTL", "PT-1H"), "serve", "--speech")
            .flattened();
    assertEquals(2, variable.exit(), variable.err());
    assertTrue(variable.err().contains("--stream-ttl: 'PT-1H'"), variable.err());
  }

  @Test
  void theTtlsDefaultToOffForSeriesAndAnHourForAudioStreams() {
    ServeCommand serve =
        (ServeCommand) cli.parseArgs("serve").subcommand().commandSpec().userObject();
    assertEquals("off", serve.seriesTtl);
    assertEquals("1h", serve.streamTtl);
    CommandLine fromEnv = Main.commandLine(Map.of("SEQCAST_SERIES_TTL", "6h"));
    ServeCommand set =
        (ServeCommand) fromEnv.parseArgs("serve").subcommand().commandSpec().userObject();
    assertEquals("6h", set.seriesTtl);
  }

  @Test
  void aSeriesCommandWithAnInvalidIdIsAUsageErrorBeforeAnyConnection() {
    CliRun run =
        CliRun.of("series", "reset", "ok", "bad\u0001id", "--bootstrap-servers", "unused:1")
            .flattened();
    assertEquals(2, run.exit(), run.err());
    assertTrue(run.err().contains("control character"), run.err());
    CliRun none = CliRun.of("series", "delete").flattened();
    assertEquals(2, none.exit());
    assertTrue(none.err().contains("ID"), none.err());
  }
}
