package dev.seqcast.cli;

import dev.seqcast.streams.MetricsServer;
import dev.seqcast.streams.Readiness;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The metrics options shared by {@code serve} and {@code demo}. */
final class MetricsOptions {

  @Option(
      names = "--metrics-port",
      defaultValue = "" + MetricsServer.DEFAULT_PORT,
      description =
          "Port serving /metrics (Prometheus), /health/live and /health/ready; 0 picks a free"
              + " one.")
  int port;

  @Option(
      names = "--metrics-series",
      split = ",",
      paramLabel = "SERIES",
      description =
          "Series whose actual and forecast values are exported as metrics, comma-separated;"
              + " keep it short, each adds labelled series (default: none for serve, sp500,AAPL"
              + " for demo).")
  List<String> series;

  /** The allow-listed series, or {@code fallback} when the option was not given. */
  Set<String> series(Set<String> fallback) {
    return series == null ? fallback : new LinkedHashSet<>(series);
  }

  /** Checks the values; a mistake is a usage error naming the option. */
  void validate(CommandLine cli) {
    if (port < 0 || port > 65_535) {
      throw new CommandLine.ParameterException(
          cli, "--metrics-port must be between 0 and 65535, was " + port);
    }
    if (series != null && series.stream().anyMatch(String::isBlank)) {
      throw new CommandLine.ParameterException(
          cli, "--metrics-series must list non-empty series ids, was " + series);
    }
  }

  /**
   * Starts the metrics server before anything heavy, so a taken port fails fast; readiness reports
   * "{@code what} not started yet" until {@code app} is set.
   */
  MetricsServer start(
      PrometheusMeterRegistry registry, AtomicReference<? extends Readiness> app, String what)
      throws IOException {
    Supplier<String> notReadyReason =
        () -> {
          Readiness running = app.get();
          return running == null ? what + " not started yet" : running.notReadyReason();
        };
    try {
      return MetricsServer.start(port, registry, notReadyReason);
    } catch (BindException e) {
      throw new IllegalStateException(
          "cannot serve metrics on port "
              + port
              + " ("
              + e.getMessage()
              + "); pass --metrics-port with a free port, or 0 to pick one",
          e);
    }
  }
}
