package dev.seqcast.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end with real parts: the demo (broker, model, predictor, replayed ticks) and the looping
 * speech demo (broker, speech model, tagger, replayed microphones) run in child JVMs, a real
 * Prometheus scrapes both {@code /metrics} every second and evaluates {@code grafana/alerts.yml},
 * and every query of every Grafana panel must return data from them.
 */
class PrometheusIT {

  private static final Duration DEMO_READY_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration PROMETHEUS_TIMEOUT = Duration.ofSeconds(60);

  /** Scrapes to wait for before querying: enough 1 s samples for every 30 s rate window. */
  private static final int SCRAPES_BEFORE_QUERYING = 15;

  /**
   * How long queries that return nothing yet are retried. Kafka client meters appear as Micrometer
   * polls the clients, so a panel may need a little longer than the first scrapes.
   */
  private static final Duration DATA_TIMEOUT = Duration.ofSeconds(90);

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Path workDir;
  private static Process demo;
  private static Process speechDemo;
  private static Process prometheus;
  private static String metricsUrl;
  private static String prometheusUrl;

  @BeforeAll
  static void startDemoAndPrometheus() throws Exception {
    PrometheusSupport.ensureInstalled();
    workDir = Files.createTempDirectory("seqcast-prometheus-it");
    int[] demoPorts = PrometheusSupport.freePorts(2);
    int metricsPort = demoPorts[0];
    metricsUrl = "http://127.0.0.1:" + metricsPort;
    demo =
        demo(
            "demo",
            "demo",
            "--metrics-port",
            Integer.toString(metricsPort),
            "--rate",
            "300",
            "--malformed-every",
            "50",
            "--report-every",
            "30");
    int speechPort = demoPorts[1];
    String speechUrl = "http://127.0.0.1:" + speechPort;
    speechDemo =
        demo(
            "speech-demo",
            "demo",
            "--speech",
            "--loop",
            "--metrics-port",
            Integer.toString(speechPort));
    awaitTrue(
        "the demo's /health/ready to answer 200",
        DEMO_READY_TIMEOUT,
        demo,
        () -> status(metricsUrl + "/health/ready") == 200);
    awaitTrue(
        "the speech demo's /health/ready to answer 200",
        DEMO_READY_TIMEOUT,
        speechDemo,
        () -> status(speechUrl + "/health/ready") == 200);

    int prometheusPort = PrometheusSupport.freePorts(1, demoPorts)[0];
    prometheusUrl = "http://127.0.0.1:" + prometheusPort;
    Path config =
        PrometheusSupport.writeScrapeConfig(
            workDir, "127.0.0.1:" + metricsPort, "127.0.0.1:" + speechPort);
    prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("tsdb"),
                "--web.listen-address=127.0.0.1:" + prometheusPort)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("prometheus.log").toFile())
            .start();
    awaitTrue(
        "Prometheus to be ready",
        PROMETHEUS_TIMEOUT,
        prometheus,
        () -> status(prometheusUrl + "/-/ready") == 200);
    awaitTrue(
        "Prometheus to scrape both demos (count(up{job=\"seqcast\"} == 1) == 2)",
        PROMETHEUS_TIMEOUT,
        prometheus,
        () -> hasData(query("count(up{job=\"seqcast\"} == 1) == 2")));
    awaitTrue(
        SCRAPES_BEFORE_QUERYING + " successful scrapes of both demos",
        PROMETHEUS_TIMEOUT,
        prometheus,
        () ->
            hasData(
                query(
                    "count(sum_over_time(up{job=\"seqcast\"}[5m]) >= "
                        + SCRAPES_BEFORE_QUERYING
                        + ") == 2")));
  }

  /** {@code seqcast args…} in a child JVM, output to {@code <name>.out} and {@code .err}. */
  private static Process demo(String name, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.seqcast.cli.Main");
    command.addAll(List.of(args));
    return new ProcessBuilder(command)
        .directory(PrometheusSupport.projectDir().toFile())
        .redirectOutput(workDir.resolve(name + ".out").toFile())
        .redirectError(workDir.resolve(name + ".err").toFile())
        .start();
  }

  @AfterAll
  static void stopDemoAndPrometheus() throws IOException {
    stop(prometheus);
    stop(demo);
    stop(speechDemo);
    if (workDir != null) {
      try (Stream<Path> files = Files.walk(workDir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void everyDashboardPanelQueryReturnsData() throws Exception {
    List<GrafanaDashboards.PanelQuery> queries =
        GrafanaDashboards.queries(PrometheusSupport.grafanaDir().resolve("dashboards"));
    Map<String, String> exprs = new LinkedHashMap<>();
    queries.forEach(q -> exprs.put(q.toString(), q.resolved()));
    Map<String, String> failures = failingQueries(exprs);
    assertTrue(
        failures.isEmpty(),
        () ->
            failures.size()
                + " of "
                + queries.size()
                + " panel queries returned no data:\n"
                + describe(failures)
                + diagnostics());
  }

  @Test
  void everyRecordingRuleReturnsData() throws Exception {
    String rules =
        Files.readString(
            PrometheusSupport.grafanaDir().resolve("alerts.yml"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("(?m)^\\s*-\\s*record:\\s*(\\S+)\\s*$").matcher(rules);
    Map<String, String> records = new LinkedHashMap<>();
    while (m.find()) {
      records.put(m.group(1), m.group(1));
    }
    assertTrue(records.size() >= 2, "no recording rules found in alerts.yml:\n" + rules);
    // The rules are evaluated by the same Prometheus, so their inputs exist under those names.
    Map<String, String> failures = failingQueries(records);
    assertTrue(
        failures.isEmpty(),
        () -> "recording rules without data:\n" + describe(failures) + diagnostics());
  }

  @Test
  void everySeqcastMetricIsDocumentedAndEveryDocumentedOneIsExposed() throws Exception {
    String scrape = body(metricsUrl + "/metrics");
    String docs =
        Files.readString(
            PrometheusSupport.projectDir().resolve("docs/observability.md"),
            StandardCharsets.UTF_8);
    Set<String> families = new TreeSet<>();
    Matcher type = Pattern.compile("(?m)^# TYPE (seqcast_\\w+) ").matcher(scrape);
    while (type.find()) {
      families.add(type.group(1).replaceFirst("_max$", ""));
    }
    Set<String> samples = new TreeSet<>();
    Matcher sample = Pattern.compile("(?m)^(seqcast_\\w+)[{ ]").matcher(scrape);
    while (sample.find()) {
      samples.add(sample.group(1));
    }
    assertTrue(families.size() >= 10, "too few seqcast metrics exposed:\n" + scrape);
    List<String> undocumented =
        new ArrayList<>(families.stream().filter(f -> !docs.contains(f)).toList());
    // Names in the docs, not label values such as topic="seqcast_ticks"; shadow meters exist only
    // while a shadow version runs, which the demo does not do; the speech tagger's (its meters and
    // its dashboard) are another application's (SpeechIT checks them).
    String withoutShadow = docs.replaceAll("(?s)\n### Shadow versions\n.*?(?=\n### )", "\n");
    assertTrue(withoutShadow.length() < docs.length(), "no shadow section in the docs");
    String withoutSpeechMetrics =
        withoutShadow.replaceAll("(?s)\n### The speech tagger\n.*?(?=\n### )", "\n");
    assertTrue(
        withoutSpeechMetrics.length() < withoutShadow.length(), "no speech section in the docs");
    String alwaysExposed =
        withoutSpeechMetrics.replaceAll(
            "(?s)\n### seqcast / Speech tagging [^\n]*\n.*?(?=\n##)", "\n");
    assertTrue(
        alwaysExposed.length() < withoutSpeechMetrics.length(),
        "no speech dashboard section in the docs");
    Matcher named =
        Pattern.compile("(?<![\\w\"])seqcast_[a-z0-9_]*[a-z0-9]").matcher(alwaysExposed);
    Set<String> missing = new TreeSet<>();
    while (named.find()) {
      String name = named.group();
      if (samples.stream().noneMatch(s -> s.startsWith(name))) {
        missing.add(name);
      }
    }
    // Reasons are part of the contract too: dashboards and alerts show them by name.
    Matcher reason =
        Pattern.compile("(?m)^seqcast_(?:dead_letters|model_refusals)_total\\{reason=\"([^\"]+)\"")
            .matcher(scrape);
    while (reason.find()) {
      if (!docs.contains("`" + reason.group(1) + "`")) {
        undocumented.add("reason " + reason.group(1));
      }
    }
    assertTrue(
        undocumented.isEmpty() && missing.isEmpty(),
        "exposed but not in docs/observability.md: "
            + undocumented
            + "\nin docs/observability.md but not exposed: "
            + missing
            + "\nexposed: "
            + samples);
  }

  @Test
  void liveAndReadyAnswer200WhileTheDemoServes() throws Exception {
    assertEquals(200, status(metricsUrl + "/health/live"), diagnostics());
    assertEquals(200, status(metricsUrl + "/health/ready"), diagnostics());
  }

  /**
   * Of {@code exprs} (label to PromQL), those that still return no finite value after retrying
   * until {@link #DATA_TIMEOUT}, mapped from label to what went wrong.
   */
  private static Map<String, String> failingQueries(Map<String, String> exprs)
      throws InterruptedException {
    long deadline = System.nanoTime() + DATA_TIMEOUT.toNanos();
    Map<String, String> pending = new LinkedHashMap<>(exprs);
    while (true) {
      Map<String, String> failures = new LinkedHashMap<>();
      pending.forEach(
          (label, expr) -> {
            String problem = problem(query(expr));
            if (problem != null) {
              failures.put(label, problem);
            }
          });
      if (failures.isEmpty() || System.nanoTime() > deadline) {
        return failures;
      }
      pending.keySet().retainAll(failures.keySet());
      Thread.sleep(2_000);
    }
  }

  /** Why a query response holds no data, or null if it holds at least one finite value. */
  private static String problem(JsonNode response) {
    if (!"success".equals(response.path("status").asText())) {
      return "status "
          + response.path("status").asText()
          + ": "
          + response.path("errorType").asText()
          + " "
          + response.path("error").asText();
    }
    JsonNode data = response.path("data");
    JsonNode result = data.path("result");
    if ("scalar".equals(data.path("resultType").asText())) {
      return finite(result.path(1).asText()) ? null : "scalar " + result;
    }
    if (result.isEmpty()) {
      return "empty result";
    }
    for (JsonNode sample : result) {
      if (finite(sample.path("value").path(1).asText())) {
        return null;
      }
    }
    return "no finite value: " + result;
  }

  private static boolean finite(String value) {
    try {
      return Double.isFinite(Double.parseDouble(value));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static boolean hasData(JsonNode response) {
    return problem(response) == null;
  }

  private static JsonNode query(String expr) {
    String url =
        prometheusUrl + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8);
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    } catch (IOException e) {
      return JSON.createObjectNode().put("status", "unreachable").put("error", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static String body(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url + ":\n" + response.body());
    return response.body();
  }

  /** The HTTP status of a GET, or -1 if nothing answers. */
  private static int status(String url) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  /** Polls {@code condition} until true; fails if {@code process} dies or time runs out. */
  private static void awaitTrue(
      String what, Duration timeout, Process process, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (!process.isAlive()) {
        fail(
            "process exited with "
                + process.exitValue()
                + " while waiting for "
                + what
                + diagnostics());
      }
      if (System.nanoTime() > deadline) {
        fail("timed out after " + timeout + " waiting for " + what + diagnostics());
      }
      Thread.sleep(500);
    }
  }

  private static String describe(Map<String, String> failures) {
    StringBuilder text = new StringBuilder();
    failures.forEach(
        (q, why) -> text.append("  ").append(q).append("\n    -> ").append(why).append('\n'));
    return text.toString();
  }

  /** The tails of the demos' and Prometheus' output, for failure messages. */
  private static String diagnostics() {
    return "\n--- demo stdout ---\n"
        + tail("demo.out", 60)
        + "\n--- demo stderr ---\n"
        + tail("demo.err", 60)
        + "\n--- speech demo stdout ---\n"
        + tail("speech-demo.out", 30)
        + "\n--- speech demo stderr ---\n"
        + tail("speech-demo.err", 30)
        + "\n--- prometheus log ---\n"
        + tail("prometheus.log", 30);
  }

  private static String tail(String file, int lines) {
    try {
      List<String> all = Files.readAllLines(workDir.resolve(file), StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no " + file + ": " + e + ")";
    }
  }

  private static void stop(Process process) {
    if (process == null) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
