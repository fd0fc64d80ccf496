package dev.seqcast.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code seqcast serve} in a child JVM, as an operator runs it: started with {@code java -cp <this
 * JVM's class path> dev.seqcast.cli.Main serve …}, its output appended to a log file, and stopped
 * either cleanly ({@link #stop()}: SIGTERM, so the shutdown hook commits and leaves the group) or
 * brutally ({@link #kill()}: SIGKILL, nothing runs). Used by the reliability tests and {@code bench
 * reliability}; reusable wherever a real app process is needed.
 *
 * <p>The class path is this JVM's own: under Maven's test runners that is a manifest-only jar
 * naming the test and main classes, and under {@code java -jar target/seqcast.jar} the jar, whose
 * manifest names {@code lib/}; the child sees the same classes either way.
 *
 * <p>Not thread-safe: one owner drives each process.
 */
public final class ServeProcess implements AutoCloseable {

  private static final Pattern RUNNING =
      Pattern.compile("seqcast predictor running: .* metrics=http://localhost:(\\d+)/metrics");

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * How to start an instance.
   *
   * @param name label used in the log file name and reports
   * @param bootstrapServers Kafka bootstrap servers
   * @param applicationId Kafka Streams application id (instances sharing it share the work)
   * @param stateDir the instance's local state directory
   * @param guarantee {@code exactly_once_v2} or {@code at_least_once}
   * @param standbyReplicas {@code --standby-replicas}
   * @param environment extra environment variables, e.g. {@code SEQCAST_KAFKA_*} client settings
   * @param logDir where {@code <name>.log} is written
   * @param jvmOptions extra JVM options, e.g. {@code -XX:TieredStopAtLevel=1} for a quick start
   */
  public record Spec(
      String name,
      String bootstrapServers,
      String applicationId,
      Path stateDir,
      String guarantee,
      int standbyReplicas,
      Map<String, String> environment,
      Path logDir,
      List<String> jvmOptions) {}

  private final Spec spec;
  private final Process process;
  private final Path log;
  private final long startedNanos;
  private int metricsPort = -1;

  private ServeProcess(Spec spec, Process process, Path log, long startedNanos) {
    this.spec = spec;
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
  }

  /** Launches the instance; returns at once (see {@link #awaitRunning}). */
  public static ServeProcess start(Spec spec) throws IOException {
    Files.createDirectories(spec.logDir());
    Path log = spec.logDir().resolve(spec.name() + ".log");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:+UseSerialGC"); // two cores shared by many JVMs: no parallel GC threads
    command.addAll(spec.jvmOptions());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.seqcast.cli.Main");
    command.addAll(
        List.of(
            "serve",
            "--bootstrap-servers",
            spec.bootstrapServers(),
            "--application-id",
            spec.applicationId(),
            "--state-dir",
            spec.stateDir().toString(),
            "--processing-guarantee",
            spec.guarantee(),
            "--standby-replicas",
            Integer.toString(spec.standbyReplicas()),
            "--metrics-port",
            "0"));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(spec.environment());
    Files.writeString(
        log,
        "=== start " + java.time.Instant.now() + "\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    return new ServeProcess(spec, builder.start(), log, System.nanoTime());
  }

  /** This instance's start specification. */
  public Spec spec() {
    return spec;
  }

  /** The process id. */
  public long pid() {
    return process.pid();
  }

  /** Whether the process is still alive. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** The log file holding the instance's standard output and error. */
  public Path log() {
    return log;
  }

  /**
   * Waits until {@code serve} printed its "running" line (Kafka Streams RUNNING: every active store
   * restored) and returns the seconds since launch.
   *
   * @throws IllegalStateException when the process exited first, with the log's tail
   */
  public double awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Matcher m = RUNNING.matcher(currentRun());
      if (m.find()) {
        metricsPort = Integer.parseInt(m.group(1));
        return (System.nanoTime() - startedNanos) / 1e9;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            spec.name() + " exited with " + process.exitValue() + " before running:\n" + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(spec.name() + " not running after " + timeout + ":\n" + tail());
      }
      Thread.sleep(100);
    }
  }

  /**
   * Whether {@code /health/ready} answers 200: Kafka Streams RUNNING (not rebalancing or restoring)
   * and the model loaded. False while the instance is not reachable.
   */
  public boolean isReady() {
    if (metricsPort < 0) {
      return false;
    }
    try {
      HttpResponse<Void> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create("http://localhost:" + metricsPort + "/health/ready"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * The value of the sample of meter {@code name} on this instance's {@code /metrics} whose labels
   * contain {@code labels} (e.g. {@code reason="expired"}; empty for any), or NaN when it is not
   * running or exports none.
   */
  public double metric(String name, String labels) {
    if (metricsPort < 0 || !process.isAlive()) {
      return Double.NaN;
    }
    try {
      String body =
          HTTP.send(
                  HttpRequest.newBuilder(URI.create("http://localhost:" + metricsPort + "/metrics"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String line : body.lines().toList()) {
        if ((line.startsWith(name + "{") || line.startsWith(name + " ")) && line.contains(labels)) {
          return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return Double.NaN;
    } catch (IOException e) {
      return Double.NaN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    }
  }

  /** SIGKILL: the JVM stops at once, no shutdown hook, no commit, no leaving the group. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM: the shutdown hook closes Kafka Streams cleanly; SIGKILL after 60 s. */
  public void stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      kill();
    }
  }

  /** How often the log of this instance mentions {@code text} (e.g. a state transition). */
  public int logCount(String text) {
    String all = read();
    int count = 0;
    for (int i = all.indexOf(text); i >= 0; i = all.indexOf(text, i + text.length())) {
      count++;
    }
    return count;
  }

  /** The last 40 lines of the log. */
  public String tail() {
    List<String> lines = read().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  /** The log written since this launch (the file gathers every launch of the same name). */
  private String currentRun() {
    String all = read();
    int start = all.lastIndexOf("=== start ");
    return start < 0 ? all : all.substring(start);
  }

  private String read() {
    try {
      return Files.readString(log, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the process if it still runs. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
