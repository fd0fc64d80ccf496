package dev.seqcast.observability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The dashboards under {@code grafana/dashboards/} and the queries their panels send, with
 * Grafana's variables replaced the way Grafana would before a query reaches Prometheus.
 */
final class GrafanaDashboards {

  /** Values for Grafana's built-in interval variables, for a 1 s scrape of a few minutes. */
  static final Map<String, String> BUILT_INS =
      Map.of("__rate_interval", "30s", "__interval", "5s", "__range", "5m");

  /** What a template variable becomes: a regex matching every value (used with {@code =~}). */
  static final String ALL = ".+";

  /** {@code $name}, {@code ${name}}, {@code ${name:format}} and {@code [[name]]}. */
  static final Pattern VARIABLE =
      Pattern.compile("\\$\\{(\\w+)(?::[^}]*)?\\}|\\$(\\w+)|\\[\\[(\\w+)(?::[^\\]]*)?\\]\\]");

  private static final ObjectMapper JSON = new ObjectMapper();

  private GrafanaDashboards() {}

  /** One dashboard file, parsed. */
  record Dashboard(Path file, JsonNode json) {
    String title() {
      return json.path("title").asText(file.getFileName().toString());
    }

    /** Names of the dashboard's template variables. */
    Set<String> templateVariables() {
      Set<String> names = new HashSet<>();
      json.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
      return names;
    }

    /** Top-level panels (the dashboards use no rows). */
    List<JsonNode> panels() {
      List<JsonNode> panels = new ArrayList<>();
      json.path("panels").forEach(panels::add);
      return panels;
    }
  }

  /** One panel target: where it comes from, its expression as written and as Prometheus gets it. */
  record PanelQuery(String dashboard, String panel, String refId, String expr, String resolved) {
    @Override
    public String toString() {
      return dashboard + " / " + panel + " [" + refId + "]: " + resolved;
    }
  }

  /** Every {@code *.json} file in {@code dir}, sorted by name; fails if there is none. */
  static List<Dashboard> load(Path dir) throws IOException {
    List<Dashboard> dashboards = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        dashboards.add(new Dashboard(file, JSON.readTree(file.toFile())));
      }
    }
    if (dashboards.isEmpty()) {
      throw new IllegalStateException("no dashboard JSON files in " + dir);
    }
    return dashboards;
  }

  /**
   * Every target of every panel of every dashboard in {@code dir}, resolved.
   *
   * @throws IllegalArgumentException naming the panels whose expressions use unknown variables
   */
  static List<PanelQuery> queries(Path dir) throws IOException {
    List<PanelQuery> queries = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Dashboard dashboard : load(dir)) {
      Set<String> variables = dashboard.templateVariables();
      for (JsonNode panel : dashboard.panels()) {
        String title = panel.path("title").asText();
        for (JsonNode target : panel.path("targets")) {
          String expr = target.path("expr").asText();
          String refId = target.path("refId").asText();
          try {
            queries.add(
                new PanelQuery(dashboard.title(), title, refId, expr, resolve(expr, variables)));
          } catch (IllegalArgumentException e) {
            problems.add(dashboard.title() + " / " + title + " [" + refId + "]: " + e.getMessage());
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("\n", problems));
    }
    return queries;
  }

  /** The variable name of a {@link #VARIABLE} match, whichever syntax it used. */
  static String variableName(Matcher m) {
    return m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
  }

  /**
   * Replaces Grafana's variables in {@code expr}: built-in intervals by {@link #BUILT_INS},
   * template variables by {@link #ALL}.
   *
   * @throws IllegalArgumentException if a variable is neither
   */
  static String resolve(String expr, Set<String> templateVariables) {
    Matcher m = VARIABLE.matcher(expr);
    StringBuilder out = new StringBuilder();
    List<String> unknown = new ArrayList<>();
    while (m.find()) {
      String name = variableName(m);
      String value = BUILT_INS.get(name);
      if (value == null && templateVariables.contains(name)) {
        value = ALL;
      }
      if (value == null) {
        unknown.add(m.group());
        value = m.group();
      }
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException("unknown variable(s) " + unknown + " in '" + expr + "'");
    }
    return out.toString();
  }
}
