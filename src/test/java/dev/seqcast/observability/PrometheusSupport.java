package dev.seqcast.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * The real Prometheus for the observability tests: finds {@code prometheus} and {@code promtool} on
 * the PATH, installs them with {@code scripts/install-prometheus.sh} when they are missing (a
 * failed install fails the test; it is never skipped), runs them, and writes the scrape
 * configuration the end-to-end test uses.
 */
final class PrometheusSupport {

  /** Scrape and rule-evaluation interval of the generated configuration. */
  static final String INTERVAL = "1s";

  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(10);

  private PrometheusSupport() {}

  /** The project's base directory (Maven's {@code basedir}, else the working directory). */
  static Path projectDir() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  }

  /** The Grafana directory holding dashboards, provisioning and alert rules. */
  static Path grafanaDir() {
    return projectDir().resolve("grafana");
  }

  /** Makes sure both binaries are on the PATH, running the install script if either is not. */
  static synchronized void ensureInstalled() {
    if (onPath("prometheus").isPresent() && onPath("promtool").isPresent()) {
      return;
    }
    Path script = projectDir().resolve("scripts/install-prometheus.sh");
    Result install = run(projectDir(), INSTALL_TIMEOUT, "bash", script.toString());
    assertEquals(
        0,
        install.exitCode(),
        "prometheus/promtool are not on the PATH and "
            + script
            + " could not install them:\n"
            + install.output());
    if (onPath("prometheus").isEmpty() || onPath("promtool").isEmpty()) {
      fail(
          script
              + " exited 0 but prometheus/promtool are still not on the PATH ("
              + System.getenv("PATH")
              + "):\n"
              + install.output());
    }
  }

  /** The executable {@code name} on the PATH, if there is one. */
  static Optional<Path> onPath(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /** Output and exit code of a finished command. */
  record Result(int exitCode, String output) {}

  /**
   * Runs a command to completion with stdout and stderr merged; a command still running after
   * {@code timeout} is killed and fails the test.
   */
  static Result run(Path workDir, Duration timeout, String... command) {
    Path log = null;
    try {
      log = Files.createTempFile("seqcast-cmd", ".log");
      Process process =
          new ProcessBuilder(command)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        fail(
            String.join(" ", command)
                + " did not finish within "
                + timeout
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
      return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + String.join(" ", command), e);
    } finally {
      if (log != null) {
        try {
          Files.deleteIfExists(log);
        } catch (IOException ignored) {
          // a temp file left behind is harmless
        }
      }
    }
  }

  /** Runs promtool with {@code args} from the project directory. */
  static Result promtool(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "promtool";
    System.arraycopy(args, 0, command, 1, args.length);
    return run(projectDir(), Duration.ofMinutes(2), command);
  }

  /**
   * Writes a Prometheus configuration that scrapes seqcast's {@code /metrics} at {@code target}
   * (host:port) every second as job {@code seqcast} and evaluates {@code grafana/alerts.yml}.
   */
  static Path writeScrapeConfig(Path dir, String... targets) throws IOException {
    Path rules = grafanaDir().resolve("alerts.yml");
    String config =
        String.join(
            "\n",
            List.of(
                "global:",
                "  scrape_interval: " + INTERVAL,
                "  scrape_timeout: " + INTERVAL,
                "  evaluation_interval: " + INTERVAL,
                "rule_files:",
                "  - '" + rules + "'",
                "scrape_configs:",
                "  - job_name: seqcast",
                "    metrics_path: /metrics",
                "    static_configs:",
                "      - targets: ['" + String.join("', '", targets) + "']",
                ""));
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config, StandardCharsets.UTF_8);
    return file;
  }

  /** A TCP port that was free a moment ago. */
  static int freePort() throws IOException {
    return freePorts(1)[0];
  }

  /**
   * {@code count} different TCP ports that were free a moment ago, none of them in {@code taken}.
   * Every socket stays open until all are found: ports looked up one at a time can repeat.
   */
  static int[] freePorts(int count, int... taken) throws IOException {
    List<ServerSocket> open = new ArrayList<>();
    try {
      int[] ports = new int[count];
      int found = 0;
      while (found < count) {
        ServerSocket socket = new ServerSocket(0);
        open.add(socket);
        int port = socket.getLocalPort();
        if (IntStream.of(taken).noneMatch(t -> t == port)) {
          ports[found++] = port;
        }
      }
      return ports;
    } finally {
      for (ServerSocket socket : open) {
        socket.close();
      }
    }
  }
}
