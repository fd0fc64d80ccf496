package dev.seqcast.forecast.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads samples from a Prometheus server's HTTP query API ({@code /api/v1/query_range}), one series
 * per result of a PromQL query, keyed canonically ({@link #seriesKey}). Parses Prometheus' duration
 * syntax for steps. Uses {@code java.net.http} and Jackson; one instance per poller.
 */
public final class PrometheusSource {

  /** Most points Prometheus returns per series and range query; longer ranges are split. */
  static final int MAX_POINTS_PER_QUERY = 10_000;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern DURATION = Pattern.compile("((\\d+)(ms|s|m|h|d|w|y))+");
  private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

  private final URI base;
  private final String query;
  private final HttpClient http;
  private final Duration timeout;

  /** One sample of one series: event time in epoch milliseconds and its value. */
  public record Sample(String series, long ts, double value) {}

  /** Prometheus answered, but refused the request (bad query, bad parameter …). */
  public static final class QueryException extends Exception {
    /** The error Prometheus reported. */
    public QueryException(String message) {
      super(message);
    }
  }

  /**
   * A source for {@code query} on the server at {@code url} (e.g. {@code http://prom:9090}, with
   * any path prefix the server is served under).
   *
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL with a host
   */
  public PrometheusSource(String url, String query, Duration timeout) {
    this.base = parseUrl(url);
    if (query == null || query.isBlank()) {
      throw new IllegalArgumentException("the query is empty; give a PromQL expression");
    }
    this.query = query;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  private static URI parseUrl(String url) {
    URI uri;
    try {
      uri = new URI(url == null ? "" : url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "'" + url + "' is not a URL: " + e.getReason() + "; give e.g. http://localhost:9090");
    }
    String scheme = uri.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "'"
              + url
              + "' is not an http(s) URL with a host; give the Prometheus server's address, e.g."
              + " http://localhost:9090");
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceAll("/+$", "");
    return URI.create(scheme.toLowerCase() + "://" + uri.getRawAuthority() + path);
  }

  /**
   * Parses a Prometheus duration ({@code 15s}, {@code 1m30s}, {@code 500ms}) or a number of seconds
   * ({@code 15}, {@code 0.5}).
   *
   * @throws IllegalArgumentException if it is neither, or not positive
   */
  public static Duration parseDuration(String text) {
    String t = text == null ? "" : text.strip();
    Duration d;
    if (DURATION.matcher(t).matches()) {
      d = Duration.ZERO;
      Matcher part = DURATION_PART.matcher(t);
      while (part.find()) {
        long n = Long.parseLong(part.group(1));
        d =
            d.plus(
                switch (part.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  case "h" -> Duration.ofHours(n);
                  case "d" -> Duration.ofDays(n);
                  case "w" -> Duration.ofDays(7 * n);
                  default -> Duration.ofDays(365 * n);
                });
      }
    } else {
      try {
        double seconds = Double.parseDouble(t);
        if (!Double.isFinite(seconds)) {
          throw new NumberFormatException();
        }
        d = Duration.ofNanos(Math.round(seconds * 1e9));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a duration; give e.g. 15s, 1m, 1h30m or a number of seconds");
      }
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("'" + text + "' is not a positive duration");
    }
    return d;
  }

  /**
   * The canonical series key of a result's labels: the metric name followed by every other label
   * sorted by name, in Prometheus' own notation, {@code name{a="1",b="x"}}; label values escaped as
   * in the exposition format ({@code \\}, {@code \"}, {@code \n}). Without labels besides the name,
   * just the name; without a name (an aggregation), just the braces.
   */
  public static String seriesKey(Map<String, String> labels) {
    Map<String, String> sorted = new TreeMap<>(labels);
    String name = sorted.remove("__name__");
    StringBuilder key = new StringBuilder(name == null ? "" : name);
    if (!sorted.isEmpty() || name == null) {
      key.append('{');
      boolean first = true;
      for (Map.Entry<String, String> label : sorted.entrySet()) {
        if (!first) {
          key.append(',');
        }
        first = false;
        key.append(label.getKey()).append("=\"");
        String v = label.getValue();
        for (int i = 0; i < v.length(); i++) {
          char c = v.charAt(i);
          switch (c) {
            case '\\' -> key.append("\\\\");
            case '"' -> key.append("\\\"");
            case '\n' -> key.append("\\n");
            default -> key.append(c);
          }
        }
        key.append('"');
      }
      key.append('}');
    }
    return key.toString();
  }

  /**
   * Every sample of the query evaluated at {@code start, start + step, …} up to {@code end} (epoch
   * milliseconds), in time order per series; ranges longer than Prometheus' point limit are read in
   * parts. Samples that are not finite numbers (NaN, ±Inf) are returned too; the caller decides.
   *
   * @throws QueryException when Prometheus refuses the query or its parameters
   * @throws IOException when the server cannot be reached or does not answer like Prometheus
   */
  public List<Sample> range(long startMs, long endMs, Duration step)
      throws IOException, InterruptedException, QueryException {
    List<Sample> samples = new ArrayList<>();
    long stepMs = Math.max(1, step.toMillis());
    long chunk = stepMs * (MAX_POINTS_PER_QUERY - 1);
    for (long from = startMs; from <= endMs; from += chunk + stepMs) {
      long to = Math.min(endMs, from + chunk);
      JsonNode data =
          call(
              "/api/v1/query_range",
              "query="
                  + encode(query)
                  + "&start="
                  + seconds(from)
                  + "&end="
                  + seconds(to)
                  + "&step="
                  + seconds(stepMs));
      parse(data, samples);
    }
    return samples;
  }

  /**
   * Checks that the server answers like Prometheus and accepts the query (evaluated once, now).
   *
   * @throws QueryException when Prometheus refuses the query
   * @throws IOException when the server cannot be reached or does not answer like Prometheus
   */
  public void check() throws IOException, InterruptedException, QueryException {
    call("/api/v1/query", "query=" + encode(query));
  }

  private static void parse(JsonNode data, List<Sample> samples) throws IOException {
    String type = data.path("resultType").asText();
    if (!type.equals("matrix")) {
      throw new IOException("expected a matrix result from query_range, got '" + type + "'");
    }
    for (JsonNode series : data.path("result")) {
      Map<String, String> labels = new TreeMap<>();
      Iterator<Map.Entry<String, JsonNode>> fields = series.path("metric").fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> label = fields.next();
        labels.put(label.getKey(), label.getValue().asText());
      }
      String key = seriesKey(labels);
      for (JsonNode point : series.path("values")) {
        long ts = Math.round(point.path(0).asDouble() * 1000);
        samples.add(new Sample(key, ts, parseValue(point.path(1).asText())));
      }
    }
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "NaN" -> Double.NaN;
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      default -> Double.parseDouble(text);
    };
  }

  private JsonNode call(String path, String params)
      throws IOException, InterruptedException, QueryException {
    URI uri = URI.create(base + path + "?" + params);
    HttpResponse<String> response;
    try {
      response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IOException("cannot reach Prometheus at " + base + ": " + e, e);
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.has("status")) {
      throw new IOException(
          base
              + path
              + " answered HTTP "
              + response.statusCode()
              + " without Prometheus' JSON; is "
              + base
              + " a Prometheus server (give its base URL, e.g. http://localhost:9090)?");
    }
    if (!"success".equals(body.path("status").asText())) {
      String error = body.path("errorType").asText() + ": " + body.path("error").asText();
      if (response.statusCode() == 400 || response.statusCode() == 422) {
        throw new QueryException(error);
      }
      throw new IOException("Prometheus at " + base + " failed the query: " + error);
    }
    return body.path("data");
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static String seconds(long ms) {
    return java.math.BigDecimal.valueOf(ms, 3).toPlainString();
  }

  /** The server's base URL, normalised. */
  public URI baseUrl() {
    return base;
  }
}
