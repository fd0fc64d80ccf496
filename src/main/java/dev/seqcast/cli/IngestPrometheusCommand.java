package dev.seqcast.cli;

import dev.seqcast.forecast.TickCodec;
import dev.seqcast.forecast.data.PrometheusSource;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.Topics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Feeds a Prometheus query's samples to {@code seqcast.ticks}: first the last {@code --lookback}
 * (catch-up), then every {@code --poll-interval} the samples since. Each result series becomes a
 * tick series keyed by {@link PrometheusSource#seriesKey}; a sample is sent once, the newest event
 * time sent per series being remembered for the run.
 */
@Command(
    name = "ingest-prometheus",
    mixinStandardHelpOptions = true,
    description =
        "Poll a Prometheus server's query API and send the samples of a PromQL query to"
            + " seqcast.ticks as ticks, one series per result (key = metric name and sorted"
            + " labels, e.g. up{instance=\"a:9100\",job=\"node\"}), so the predictor forecasts"
            + " them. Catches up over --lookback, then polls until Ctrl-C (or --polls).")
public final class IngestPrometheusCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions kafka;

  @Option(
      names = "--url",
      required = true,
      description = "Base URL of the Prometheus server, e.g. http://localhost:9090.")
  String url;

  @Option(
      names = "--query",
      required = true,
      description =
          "PromQL expression; each series of its result becomes a tick series, e.g."
              + " 'rate(http_requests_total[5m])'.")
  String query;

  @Option(
      names = "--step",
      defaultValue = "15s",
      description =
          "Spacing of the samples (query_range step): one tick per series per step, e.g. 15s, 1m.")
  String step;

  @Option(
      names = "--lookback",
      defaultValue = "1h",
      description = "History sent at start before polling (catch-up), e.g. 30m, 6h, 7d.")
  String lookback;

  @Option(names = "--poll-interval", description = "Time between polls (default: the --step).")
  String pollInterval;

  @Option(
      names = "--polls",
      defaultValue = "0",
      description = "Stop after this many polls after the catch-up; 0 = until Ctrl-C.")
  int polls;

  @Option(
      names = "--timeout",
      defaultValue = "10s",
      description = "HTTP timeout of each request to Prometheus.")
  String timeout;

  /** The one topic this command writes; --topic, its earlier name, still works. */
  @Option(
      names = {"--ticks-topic", "--topic"},
      paramLabel = "NAME",
      defaultValue = Topics.TICKS,
      description = "Topic the ticks go to, as serve's --ticks-topic (--topic is the same option).")
  String topic;

  private final Map<String, Long> lastSent = new HashMap<>();
  private long sent;
  private long skippedNonFinite;

  @Override
  public Integer call() throws Exception {
    CommandLine cli = spec.commandLine();
    Duration stepDuration = duration("--step", step);
    Duration lookbackDuration = duration("--lookback", lookback);
    Duration every =
        pollInterval == null ? stepDuration : duration("--poll-interval", pollInterval);
    Duration httpTimeout = duration("--timeout", timeout);
    if (polls < 0) {
      throw new CommandLine.ParameterException(cli, "--polls must be 0 (no limit) or more");
    }
    TopicOptions.requireValid(cli, "--ticks-topic", topic);
    if (stepDuration.toMillis() < 1) {
      throw new CommandLine.ParameterException(cli, "--step must be at least 1ms");
    }
    PrometheusSource source;
    try {
      source = new PrometheusSource(url, query, httpTimeout);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, "--url/--query: " + e.getMessage());
    }
    try {
      source.check();
    } catch (PrometheusSource.QueryException e) {
      throw new CommandLine.ParameterException(
          cli,
          "Prometheus at "
              + source.baseUrl()
              + " refused --query '"
              + query
              + "': "
              + e.getMessage()
              + "; check the PromQL (try it in Prometheus' graph page)");
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          cli, "--url: " + e.getMessage() + "; check the address and that Prometheus is running");
    }
    KafkaConnection connection = kafka.connection(cli);
    PrintWriter out = cli.getOut();
    try (StopSignal stop = StopSignal.install("ingest");
        KafkaProducer<byte[], byte[]> producer = producer(connection)) {
      long stepMs = stepDuration.toMillis();
      long now = System.currentTimeMillis();
      long from = align(now - lookbackDuration.toMillis(), stepMs);
      long to = align(now, stepMs);
      int batch = send(producer, source.range(from, to, stepDuration));
      out.printf(
          "caught up: %d samples of %d series from %s (query %s, step %s)%n",
          batch, lastSent.size(), source.baseUrl(), query, step);
      out.flush();
      for (int poll = 1; polls == 0 || poll <= polls; poll++) {
        if (stop.sleep(every)) {
          break;
        }
        from = to;
        to = align(System.currentTimeMillis(), stepMs);
        if (to < from) {
          continue;
        }
        try {
          batch = send(producer, source.range(from, to, stepDuration));
          out.printf("poll %d: %d new samples, %d series%n", poll, batch, lastSent.size());
        } catch (IOException e) {
          // A poll that fails (Prometheus restarting, a network blip) is retried by the next one
          // over the same range: nothing is lost, nothing is sent twice.
          to = from;
          cli.getErr().printf("poll %d failed, retrying at the next: %s%n", poll, e.getMessage());
          cli.getErr().flush();
        }
        out.flush();
      }
    }
    out.printf(
        "sent %d ticks of %d series to %s; skipped %d samples that were not finite numbers%n",
        sent, lastSent.size(), topic, skippedNonFinite);
    out.flush();
    return 0;
  }

  /** Sends the samples newer than the newest sent for their series; returns how many. */
  private int send(KafkaProducer<byte[], byte[]> producer, List<PrometheusSource.Sample> samples) {
    int count = 0;
    for (PrometheusSource.Sample s : samples) {
      Long last = lastSent.get(s.series());
      if (last != null && s.ts() <= last) {
        continue;
      }
      if (!Double.isFinite(s.value())) {
        skippedNonFinite++;
        lastSent.put(s.series(), s.ts());
        continue;
      }
      producer.send(
          new ProducerRecord<>(
              topic,
              s.series().getBytes(StandardCharsets.UTF_8),
              TickCodec.encodeValue(s.ts(), s.value())));
      lastSent.put(s.series(), s.ts());
      count++;
    }
    producer.flush();
    sent += count;
    return count;
  }

  private Duration duration(String option, String text) {
    return Durations.parse(spec.commandLine(), option, text);
  }

  private static long align(long ms, long stepMs) {
    return Math.floorDiv(ms, stepMs) * stepMs;
  }

  private static KafkaProducer<byte[], byte[]> producer(KafkaConnection kafka) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
