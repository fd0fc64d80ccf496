package dev.seqcast.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting rules and the generated scrape configuration pass the real promtool: syntax and
 * PromQL of every rule, the fire / stay-quiet cases of {@code grafana/alerts.test.yml}, and the
 * configuration {@link PrometheusIT} starts Prometheus with.
 */
class PrometheusRulesIT {

  @BeforeAll
  static void installPrometheus() {
    PrometheusSupport.ensureInstalled();
  }

  @Test
  void alertRulesAreValid() {
    assertPromtoolSucceeds("check", "rules", rules("alerts.yml"));
  }

  @Test
  void everyAlertFiresAndStaysQuietAsItsUnitTestsExpect() {
    assertPromtoolSucceeds("test", "rules", rules("alerts.test.yml"));
  }

  @Test
  void generatedScrapeConfigIsValid(@TempDir Path dir) throws IOException {
    Path config = PrometheusSupport.writeScrapeConfig(dir, "127.0.0.1:9464");
    assertPromtoolSucceeds("check", "config", config.toString());
  }

  private static String rules(String file) {
    return PrometheusSupport.grafanaDir().resolve(file).toString();
  }

  private static void assertPromtoolSucceeds(String... args) {
    PrometheusSupport.Result result = PrometheusSupport.promtool(args);
    assertEquals(
        0,
        result.exitCode(),
        () -> "promtool " + String.join(" ", args) + " failed:\n" + result.output());
  }
}
