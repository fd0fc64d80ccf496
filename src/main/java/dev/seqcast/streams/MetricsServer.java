package dev.seqcast.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The HTTP side of observability: {@code GET /metrics} (Prometheus text format), {@code GET
 * /health/live} (200 while the process serves requests) and {@code GET /health/ready} (200 once the
 * predictor is RUNNING with a model loaded, 503 with the reason before). One small daemon thread
 * answers; scrapes are rare and cheap next to the stream.
 */
public final class MetricsServer implements AutoCloseable {

  /** Default port, the one registered for Prometheus exporters of this kind. */
  public static final int DEFAULT_PORT = 9464;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final JvmGcMetrics gcMetrics;

  private MetricsServer(HttpServer server, ExecutorService executor, JvmGcMetrics gcMetrics) {
    this.server = server;
    this.executor = executor;
    this.gcMetrics = gcMetrics;
  }

  /** A Prometheus registry; {@link #start} adds the JVM and process meters to it. */
  public static PrometheusMeterRegistry newRegistry() {
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }

  /**
   * Binds {@code port} on all interfaces (0 picks a free one) and starts answering.
   *
   * @param notReadyReason why the instance is not ready, or null when it is
   * @throws IOException if the port cannot be bound
   */
  public static MetricsServer start(
      int port, PrometheusMeterRegistry registry, Supplier<String> notReadyReason)
      throws IOException {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    JvmGcMetrics gcMetrics = new JvmGcMetrics();
    gcMetrics.bindTo(registry);
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
    server.createContext(
        "/metrics",
        exchange ->
            respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
    server.createContext(
        "/health/live", exchange -> respond(exchange, 200, "application/json", "{\"live\":true}"));
    server.createContext(
        "/health/ready",
        exchange -> {
          String reason = notReadyReason.get();
          if (reason == null) {
            respond(exchange, 200, "application/json", "{\"ready\":true}");
          } else {
            String body = JSON.writeValueAsString(Map.of("ready", false, "reason", reason));
            respond(exchange, 503, "application/json", body);
          }
        });
    ExecutorService executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "seqcast-metrics-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.start();
    return new MetricsServer(server, executor, gcMetrics);
  }

  /** The bound port (useful when started on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      boolean head = "HEAD".equals(exchange.getRequestMethod());
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    gcMetrics.close();
  }
}
