package dev.seqcast.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compose stack's Prometheus configuration ({@code deploy/prometheus/prometheus.yml}) passes
 * the real {@code promtool check config}, with {@code grafana/alerts.yml} beside it exactly as the
 * compose file mounts the two into {@code /etc/prometheus/}; and promtool does catch a broken copy.
 */
class ComposePrometheusConfigIT {

  @BeforeAll
  static void installPrometheus() {
    PrometheusSupport.ensureInstalled();
  }

  @Test
  void composePrometheusConfigAndItsRulesAreValid(@TempDir Path dir) throws IOException {
    Path config = mountLikeCompose(dir, composeConfig());
    PrometheusSupport.Result result =
        PrometheusSupport.promtool("check", "config", config.toString());
    assertEquals(0, result.exitCode(), () -> "promtool check config failed:\n" + result.output());
    assertTrue(result.output().contains("alerts.yml"), "the alert rules were loaded and checked");
  }

  @Test
  void promtoolRefusesABrokenCopy(@TempDir Path dir) throws IOException {
    String broken = composeConfig().replace("type: A", "type: NOT_A_RECORD_TYPE");
    Path config = mountLikeCompose(dir, broken);
    PrometheusSupport.Result result =
        PrometheusSupport.promtool("check", "config", config.toString());
    assertNotEquals(0, result.exitCode(), () -> "promtool accepted:\n" + broken);
  }

  private static String composeConfig() throws IOException {
    return Files.readString(
        PrometheusSupport.projectDir().resolve("deploy/prometheus/prometheus.yml"),
        StandardCharsets.UTF_8);
  }

  /** prometheus.yml and alerts.yml side by side, as in the container's /etc/prometheus/. */
  private static Path mountLikeCompose(Path dir, String config) throws IOException {
    Files.copy(PrometheusSupport.grafanaDir().resolve("alerts.yml"), dir.resolve("alerts.yml"));
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config, StandardCharsets.UTF_8);
    return file;
  }
}
