package dev.seqcast.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.forecast.PredictorSettings;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.testkit.KafkaTestSupport;
import dev.seqcast.testkit.Scrapes;
import dev.seqcast.testkit.TestModels;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /metrics} and the health endpoints of a predictor running on a real broker: readiness
 * follows Kafka Streams and the model, and the scrape carries the seqcast, Kafka client and JVM
 * meters with the values the traffic implies.
 */
class MetricsEndpointIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path stateDir;

  private final HttpClient http = HttpClient.newHttpClient();
  private volatile String lastScrape = "";

  @Test
  void readinessWaitsForTheModelAndTheScrapeReflectsTraffic() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      Topics.createAll(KafkaConnection.to(bootstrap), Topics.DEFAULT_PARTITIONS, (short) 1);
      PredictorApp.Config defaults =
          PredictorApp.Config.defaults(KafkaConnection.to(bootstrap), stateDir);
      PredictorApp.Config config =
          defaults.withPredictor(
              new PredictorSettings("sp500", 16, TickCodec.DEFAULT_MAX_BYTES, Set.of("alpha")));
      PrometheusMeterRegistry meters = MetricsServer.newRegistry();
      try (StreamsApp app = PredictorApp.start(config, meters);
          MetricsServer server = MetricsServer.start(0, meters, app::notReadyReason)) {
        String base = "http://127.0.0.1:" + server.port();
        assertEquals(200, get(base + "/health/live").statusCode());
        app.awaitRunning(WAIT);
        HttpResponse<String> notReady = get(base + "/health/ready");
        assertEquals(503, notReady.statusCode(), "RUNNING but no model yet");
        assertTrue(notReady.body().contains("no valid version of model 'sp500'"), notReady.body());

        ModelPublisher.publish(
            KafkaConnection.to(bootstrap), Topics.MODELS, "sp500/1", TestModels.bundledSp500());
        await(() -> get(base + "/health/ready").statusCode() == 200, "ready after the model");

        List<ProducerRecord<byte[], byte[]>> ticks = new ArrayList<>();
        for (int t = 0; t < 50; t++) {
          for (String series : List.of("alpha", "beta")) {
            double price = 100 + Math.sin(t / 3.0) + series.length();
            ticks.add(
                KafkaTestSupport.record(
                    Topics.TICKS, series, TickCodec.encodeValue(60_000L * t, price)));
          }
        }
        ticks.add(
            KafkaTestSupport.record(
                Topics.TICKS, "alpha", "{oops".getBytes(StandardCharsets.UTF_8)));
        KafkaTestSupport.produce(bootstrap, ticks);
        await(
            () ->
                Scrapes.value(scrape(base), "seqcast_events_total", "outcome=\"predicted\"") == 100,
            "100 predictions counted");

        byte[] corrupt = TestModels.bundledSp500().clone();
        corrupt[corrupt.length - 40] ^= 1;
        ModelPublisher.publish(KafkaConnection.to(bootstrap), Topics.MODELS, "sp500/2", corrupt);
        await(
            () ->
                Scrapes.value(
                        scrape(base), "seqcast_model_refusals_total", "reason=\"bad-checksum\"")
                    == 1,
            "refusal counted");
        await(
            () ->
                Scrapes.value(scrape(base), "seqcast_state_series", "store=\"seqcast-series\"")
                    == 2,
            "two series in the local store");

        String text = scrape(base);
        assertEquals(
            1, Scrapes.value(text, "seqcast_dead_letters_total", "reason=\"malformed-json\""));
        assertEquals(0, Scrapes.value(text, "seqcast_dead_letters_total", "reason=\"duplicate\""));
        assertEquals(1, Scrapes.value(text, "seqcast_model_version", "model=\"sp500\""));
        assertEquals(1, Scrapes.value(text, "seqcast_model_swaps_total", "model=\"sp500\""));
        assertEquals(100, Scrapes.value(text, "seqcast_step_seconds_count", ""));
        assertEquals(100, Scrapes.value(text, "seqcast_prediction_latency_seconds_count", ""));
        assertEquals(
            98, Scrapes.value(text, "seqcast_forecast_abs_error_count", "model=\"sp500\""));
        assertTrue(
            Scrapes.value(text, "seqcast_forecast_value", "series=\"alpha\"", "kind=\"actual\"")
                > 0);
        assertTrue(text.contains("seqcast_step_seconds_bucket{le="), "step-time histogram");
        assertTrue(!text.contains("series=\"beta\""), "beta is not allow-listed");
        assertTrue(text.contains("kafka_consumer_fetch_manager_records_lag_max"), "client metrics");
        assertTrue(text.contains("kafka_stream_thread_process_rate"), "streams metrics");
        assertTrue(text.contains("jvm_memory_used_bytes"), "JVM metrics");
      }
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private String scrape(String base) throws Exception {
    HttpResponse<String> response = get(base + "/metrics");
    assertEquals(200, response.statusCode());
    lastScrape = response.body();
    return response.body();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private void await(Check check, String what) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        String seqcastLines =
            lastScrape
                .lines()
                .filter(l -> l.startsWith("seqcast_") && !l.contains("_bucket"))
                .collect(java.util.stream.Collectors.joining("\n"));
        throw new AssertionError("not within " + WAIT + ": " + what + "\n" + seqcastLines);
      }
      Thread.sleep(100);
    }
  }
}
