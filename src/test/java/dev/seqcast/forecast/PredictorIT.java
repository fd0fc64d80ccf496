package dev.seqcast.forecast;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static dev.seqcast.testkit.KafkaTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The predictor on a real KRaft broker: one prediction per good tick, bad ticks dead-lettered. */
class PredictorIT {

  private static final List<String> SERIES = List.of("alpha", "beta", "gamma");
  private static final int TICKS = 500;

  @TempDir Path stateDir;

  @Test
  void everyGoodTickYieldsOnePredictionInOrderAndBadOnesLandInTheDeadLetterTopic()
      throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      Topics.createAll(KafkaConnection.to(bootstrap), Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(
          KafkaConnection.to(bootstrap), Topics.MODELS, "sp500/1", TestModels.bundledSp500());

      List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
      for (int t = 0; t < TICKS; t++) {
        for (String series : SERIES) {
          double price = 100 * Math.exp(0.01 * Math.sin(t * 0.3 + series.length()) + t * 1e-3);
          input.add(record(Topics.TICKS, series, TickCodec.encodeValue(86_400_000L * t, price)));
        }
        if (t % 50 == 25) {
          String series = SERIES.get(t % 3);
          input.add(record(Topics.TICKS, series, utf8("{\"ts\": \"yesterday\", \"value\": 1}")));
          input.add(record(Topics.TICKS, series, utf8("{\"ts\": " + t + ", \"value\": 0}")));
          input.add(record(Topics.TICKS, null, TickCodec.encodeValue(t, 1)));
        }
      }
      produce(bootstrap, input);

      PredictorApp.Config config =
          PredictorApp.Config.defaults(KafkaConnection.to(bootstrap), stateDir);
      try (StreamsApp app = PredictorApp.start(config, new SimpleMeterRegistry())) {
        app.awaitRunning(Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> predictions =
            readCommitted(
                bootstrap, Topics.PREDICTIONS, SERIES.size() * TICKS, Duration.ofSeconds(90));
        List<ConsumerRecord<byte[], byte[]>> dead =
            readCommitted(bootstrap, Topics.DLQ, 30, Duration.ofSeconds(30));

        assertEquals(SERIES.size() * TICKS, predictions.size(), "exactly one prediction per tick");
        Map<String, List<Prediction>> bySeries = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : predictions) {
          Prediction p = PredictionSerde.decode(r.value());
          assertEquals(p.series(), new String(r.key(), StandardCharsets.UTF_8));
          bySeries.computeIfAbsent(p.series(), s -> new ArrayList<>()).add(p);
        }
        for (String series : SERIES) {
          List<Prediction> got = bySeries.get(series);
          assertEquals(TICKS, got.size(), series);
          for (int t = 0; t < TICKS; t++) {
            assertEquals(86_400_000L * t, got.get(t).ts(), series + " in event-time order");
            assertEquals(1, got.get(t).modelVersion());
            assertEquals("sp500", got.get(t).model());
            assertTrue(Double.isFinite(got.get(t).value()) && got.get(t).value() > 0);
          }
        }

        assertEquals(30, dead.size(), "every bad record dead-lettered once");
        Map<String, Integer> reasons = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
          String reason = header(r, DeadLetterHeaders.REASON);
          reasons.merge(reason, 1, Integer::sum);
          assertEquals(Topics.TICKS, header(r, DeadLetterHeaders.SOURCE_TOPIC));
          assertTrue(Long.parseLong(header(r, DeadLetterHeaders.SOURCE_OFFSET)) >= 0);
        }
        assertEquals(Map.of("wrong-type", 10, "unsupported-value", 10, "missing-key", 10), reasons);
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
