package dev.seqcast.observability;

import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqcast.forecast.Prediction;
import dev.seqcast.forecast.PredictionSerde;
import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.forecast.Tick;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.math.BigDecimal;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqcast ingest-prometheus} against the real Prometheus server scraping itself every
 * second, with a real broker and the predictor running: the ticks carry the canonical keys and
 * exactly the values Prometheus reports at their timestamps, none twice, and predictions come out.
 */
class PrometheusIngestIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two positive series of Prometheus' own metrics. */
  private static final String QUERY =
      "{__name__=~\"process_resident_memory_bytes|go_goroutines\"," + "job=\"self\"}";

  @TempDir Path workDir;

  @Test
  void samplesOfALiveTargetBecomeTicksWithCanonicalKeysAndPredictionsFollow() throws Exception {
    PrometheusSupport.ensureInstalled();
    int port = PrometheusSupport.freePort();
    String target = "127.0.0.1:" + port;
    String url = "http://" + target;
    Path config = workDir.resolve("prometheus.yml");
    Files.writeString(
        config,
        String.join(
            "\n",
            "global:",
            "  scrape_interval: 1s",
            "scrape_configs:",
            "  - job_name: self",
            "    static_configs:",
            "      - targets: ['" + target + "']",
            ""));
    Process prometheus =
        new ProcessBuilder(
                "prometheus",
                "--config.file=" + config,
                "--storage.tsdb.path=" + workDir.resolve("tsdb"),
                "--web.listen-address=" + target)
            .redirectErrorStream(true)
            .redirectOutput(workDir.resolve("prometheus.log").toFile())
            .start();
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      // Enough history that the catch-up read alone holds the 10 samples per series checked below;
      // the polls after it add whatever the scrapes in the meantime bring.
      awaitSelfScrapes(url, prometheus, 12);
      String bootstrap = broker.bootstrapServers();
      KafkaConnection kafka = KafkaConnection.to(bootstrap);
      Topics.createAll(kafka, Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(kafka, Topics.MODELS, "sp500/1", TestModels.bundledSp500());

      // Usage mistakes fail before anything is sent, saying what to change.
      CliRun badQuery =
          CliRun.of(
                  "ingest-prometheus",
                  "--bootstrap-servers",
                  bootstrap,
                  "--url",
                  url,
                  "--query",
                  "rate((up")
              .flattened();
      assertEquals(2, badQuery.exit(), badQuery.all());
      assertTrue(badQuery.err().contains("refused --query"), badQuery.err());
      CliRun notPrometheus =
          CliRun.of(
                  "ingest-prometheus",
                  "--bootstrap-servers",
                  bootstrap,
                  "--url",
                  url + "/no-such-prefix",
                  "--query",
                  "up")
              .flattened();
      assertEquals(2, notPrometheus.exit(), notPrometheus.all());
      assertTrue(notPrometheus.err().contains("a Prometheus server"), notPrometheus.err());

      CliRun run =
          CliRun.of(
              "ingest-prometheus",
              "--bootstrap-servers",
              bootstrap,
              "--url",
              url,
              "--query",
              QUERY,
              "--step",
              "1s",
              "--lookback",
              "20s",
              "--polls",
              "3",
              "--poll-interval",
              "1s");
      run.ok();
      Matcher summary = Pattern.compile("sent (\\d+) ticks of (\\d+) series").matcher(run.out());
      assertTrue(summary.find(), run.out());
      int sent = Integer.parseInt(summary.group(1));
      assertEquals(2, Integer.parseInt(summary.group(2)), run.out());

      List<ConsumerRecord<byte[], byte[]>> records =
          readCommitted(bootstrap, Topics.TICKS, sent, Duration.ofSeconds(30));
      assertEquals(sent, records.size(), "every tick the command counted, and no more");
      Map<String, List<Tick>> byKey = new TreeMap<>();
      TickCodec codec = new TickCodec(TickCodec.DEFAULT_MAX_BYTES);
      for (ConsumerRecord<byte[], byte[]> r : records) {
        Tick tick = codec.decode(r.key(), r.value());
        byKey.computeIfAbsent(tick.series(), k -> new ArrayList<>()).add(tick);
      }
      assertEquals(
          List.of(
              "go_goroutines{instance=\"" + target + "\",job=\"self\"}",
              "process_resident_memory_bytes{instance=\"" + target + "\",job=\"self\"}"),
          new ArrayList<>(byKey.keySet()));
      for (Map.Entry<String, List<Tick>> series : byKey.entrySet()) {
        List<Tick> ticks = series.getValue();
        assertTrue(ticks.size() >= 10, series.getKey() + ": " + ticks.size() + " ticks");
        for (int i = 1; i < ticks.size(); i++) {
          assertTrue(ticks.get(i).ts() > ticks.get(i - 1).ts(), "sent once, in time order");
        }
        // The values are what Prometheus reports for that series at those times.
        for (Tick tick :
            List.of(ticks.get(0), ticks.get(ticks.size() / 2), ticks.get(ticks.size() - 1))) {
          assertEquals(
              valueAt(url, series.getKey(), tick.ts()),
              tick.value(),
              series.getKey() + " @ " + tick.ts());
        }
      }

      PredictorApp.Config appConfig = PredictorApp.Config.defaults(kafka, workDir.resolve("state"));
      try (StreamsApp app = PredictorApp.start(appConfig, new SimpleMeterRegistry())) {
        app.awaitRunning(Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> predictions =
            readCommitted(bootstrap, Topics.PREDICTIONS, sent, Duration.ofSeconds(90));
        Map<String, Integer> perSeries = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : predictions) {
          Prediction p = PredictionSerde.decode(r.value());
          assertTrue(byKey.containsKey(p.series()), p.series());
          assertTrue(Double.isFinite(p.value()) && p.value() > 0, p.toString());
          perSeries.merge(p.series(), 1, Integer::sum);
        }
        for (Map.Entry<String, List<Tick>> series : byKey.entrySet()) {
          assertEquals(series.getValue().size(), perSeries.get(series.getKey()), series.getKey());
        }
      }
    } finally {
      prometheus.destroy();
      if (!prometheus.waitFor(30, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
      }
    }
  }

  /** The value of the series named by its canonical key at {@code tsMs}, as Prometheus says. */
  private static double valueAt(String url, String key, long tsMs) throws Exception {
    JsonNode result =
        get(url + "/api/v1/query?query=" + encode(key) + "&time=" + BigDecimal.valueOf(tsMs, 3));
    JsonNode series = result.path("data").path("result");
    assertEquals(1, series.size(), key + " at " + tsMs + ": " + result);
    return Double.parseDouble(series.get(0).path("value").path(1).asText());
  }

  private static void awaitSelfScrapes(String url, Process prometheus, int scrapes)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String query = "count_over_time(up{job=\"self\"}[1m]) >= " + scrapes;
    while (true) {
      if (!prometheus.isAlive()) {
        fail("Prometheus exited with " + prometheus.exitValue());
      }
      try {
        if (get(url + "/api/v1/query?query=" + encode(query)).path("data").path("result").size()
            > 0) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      if (System.nanoTime() > deadline) {
        fail("Prometheus did not scrape itself " + scrapes + " times within 60 s");
      }
      Thread.sleep(500);
    }
  }

  private static JsonNode get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
