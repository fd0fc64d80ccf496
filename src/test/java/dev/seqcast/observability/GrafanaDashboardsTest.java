package dev.seqcast.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seqcast.observability.GrafanaDashboards.Dashboard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The dashboards are well-formed Grafana JSON that the provisioned datasource serves. Whether their
 * queries return data from a running instance is {@link PrometheusIT}'s job.
 */
class GrafanaDashboardsTest {

  private static final Path GRAFANA = PrometheusSupport.grafanaDir();
  private static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat");

  @Test
  void everyPanelIsATitledDescribedPrometheusPanelWithQueries() throws IOException {
    List<String> problems = new ArrayList<>();
    Set<String> uids = new HashSet<>();
    for (Dashboard dashboard : GrafanaDashboards.load(GRAFANA.resolve("dashboards"))) {
      JsonNode json = dashboard.json();
      String name = dashboard.file().getFileName().toString();
      if (!uids.add(json.path("uid").asText()) || json.path("uid").asText().isBlank()) {
        problems.add(name + ": missing or duplicate uid");
      }
      if (json.path("title").asText().isBlank()) {
        problems.add(name + ": no title");
      }
      if (json.path("schemaVersion").asInt() < 36) {
        problems.add(
            name + ": schemaVersion " + json.path("schemaVersion") + " predates Grafana 9");
      }
      if (dashboard.panels().isEmpty()) {
        problems.add(name + ": no panels");
      }
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : dashboard.panels()) {
        String where = name + " / " + panel.path("title").asText("<untitled>");
        if (!ids.add(panel.path("id").asInt(-1)) || !panel.path("id").isInt()) {
          problems.add(where + ": missing or duplicate panel id");
        }
        if (!PANEL_TYPES.contains(panel.path("type").asText())) {
          problems.add(where + ": type '" + panel.path("type").asText() + "'");
        }
        if (panel.path("title").asText().isBlank()) {
          problems.add(where + ": no title");
        }
        if (panel.path("description").asText().length() < 20) {
          problems.add(where + ": no real description");
        }
        for (String key : List.of("x", "y", "w", "h")) {
          if (!panel.path("gridPos").path(key).isInt()) {
            problems.add(where + ": gridPos." + key + " missing");
          }
        }
        if (!isProvisionedPrometheus(panel.path("datasource"))) {
          problems.add(where + ": datasource " + panel.path("datasource"));
        }
        if (panel.path("targets").isEmpty()) {
          problems.add(where + ": no targets");
        }
        Set<String> refIds = new HashSet<>();
        for (JsonNode target : panel.path("targets")) {
          if (target.path("expr").asText().isBlank()) {
            problems.add(where + ": a target without expr");
          }
          if (!refIds.add(target.path("refId").asText())
              || target.path("refId").asText().isBlank()) {
            problems.add(where + ": missing or duplicate refId");
          }
          if (!isProvisionedPrometheus(target.path("datasource"))) {
            problems.add(where + ": target datasource " + target.path("datasource"));
          }
        }
      }
    }
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void templateVariablesAreUsedAsRegexMatchers() throws IOException {
    List<String> problems = new ArrayList<>();
    for (Dashboard dashboard : GrafanaDashboards.load(GRAFANA.resolve("dashboards"))) {
      Set<String> variables = dashboard.templateVariables();
      for (JsonNode panel : dashboard.panels()) {
        for (JsonNode target : panel.path("targets")) {
          String expr = target.path("expr").asText();
          Matcher m = GrafanaDashboards.VARIABLE.matcher(expr);
          while (m.find()) {
            String name = GrafanaDashboards.variableName(m);
            if (variables.contains(name) && !insideRegexMatcher(expr, m.start())) {
              problems.add(panel.path("title").asText() + ": " + m.group() + " in " + expr);
            }
          }
        }
      }
    }
    // Multi-value and "All" selections expand to regex alternations, which only =~ accepts.
    assertTrue(problems.isEmpty(), String.join("\n", problems));
  }

  @Test
  void everyQueryResolvesWithoutUnknownVariables() throws IOException {
    List<GrafanaDashboards.PanelQuery> queries =
        GrafanaDashboards.queries(GRAFANA.resolve("dashboards"));
    assertTrue(queries.size() >= 20, "expected every panel's queries, got " + queries);
    for (GrafanaDashboards.PanelQuery query : queries) {
      assertTrue(!GrafanaDashboards.VARIABLE.matcher(query.resolved()).find(), query.toString());
    }
  }

  @Test
  void variablesResolveToBuiltInIntervalsAndMatchAllRegexes() {
    assertEquals(
        "rate(x{series=~\".+\"}[30s]) + rate(y{model=~\".+\"}[5m]) + z{s=~\".+\"}",
        GrafanaDashboards.resolve(
            "rate(x{series=~\"$series\"}[$__rate_interval]) + rate(y{model=~\"${model}\"}[$__range])"
                + " + z{s=~\"[[series]]\"}",
            Set.of("series", "model")));
  }

  @Test
  void anUnknownVariableIsReportedNotSentToPrometheus() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                GrafanaDashboards.resolve("x{job=~\"$job\"}[$__rate_interval]", Set.of("series")));
    assertTrue(e.getMessage().contains("$job"), e.getMessage());
  }

  @Test
  void dashboardsUseTheDatasourceTheProvisioningFileDefines() throws IOException {
    String datasources =
        Files.readString(
            GRAFANA.resolve("provisioning/datasources/prometheus.yml"), StandardCharsets.UTF_8);
    assertTrue(
        Pattern.compile("(?m)^\\s+uid:\\s*prometheus\\s*$").matcher(datasources).find(),
        datasources);
    assertTrue(
        Pattern.compile("(?m)^\\s+type:\\s*prometheus\\s*$").matcher(datasources).find(),
        datasources);
    String provider =
        Files.readString(
            GRAFANA.resolve("provisioning/dashboards/seqcast.yml"), StandardCharsets.UTF_8);
    assertTrue(
        Pattern.compile("(?m)^\\s+path:\\s*/var/lib/grafana/dashboards/seqcast\\s*$")
            .matcher(provider)
            .find(),
        provider);
  }

  private static boolean isProvisionedPrometheus(JsonNode datasource) {
    return "prometheus".equals(datasource.path("type").asText())
        && "prometheus".equals(datasource.path("uid").asText());
  }

  /** True if {@code index} lies inside the quoted value of a {@code =~"..."} label matcher. */
  private static boolean insideRegexMatcher(String expr, int index) {
    int quote = expr.lastIndexOf('"', index - 1);
    return quote >= 2 && expr.startsWith("=~", quote - 2) && countQuotes(expr, quote) % 2 == 0;
  }

  private static long countQuotes(String expr, int end) {
    return expr.substring(0, end).chars().filter(c -> c == '"').count();
  }
}
