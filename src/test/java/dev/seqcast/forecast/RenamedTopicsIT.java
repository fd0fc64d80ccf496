package dev.seqcast.forecast;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static dev.seqcast.testkit.KafkaTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.TopicNames;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predictor on topics of an existing estate's own names: ticks from one, models from another,
 * predictions, dead letters and model events to theirs, and not one seqcast default name touched.
 */
class RenamedTopicsIT {

  private static final TopicNames NAMES =
      new TopicNames(
          "prices",
          "forecasts",
          "forecast-anomalies",
          "rejects",
          "ml.models",
          "ml.model-events",
          "mic.audio",
          "mic.tags");

  private static final List<String> SERIES = List.of("alpha", "beta");
  private static final int TICKS = 100;

  @TempDir Path stateDir;

  @Test
  void thePredictorReadsAndWritesOnlyTheTopicsItWasNamed() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      KafkaConnection kafka = KafkaConnection.to(bootstrap);
      Topics.createAll(kafka, NAMES, 2, (short) 1);
      ModelPublisher.publish(kafka, NAMES.models(), "sp500/1", TestModels.bundledSp500());

      List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
      for (int t = 0; t < TICKS; t++) {
        for (String series : SERIES) {
          double price = 100 * Math.exp(0.01 * Math.sin(t * 0.3 + series.length()) + t * 1e-3);
          input.add(record("prices", series, TickCodec.encodeValue(86_400_000L * t, price)));
        }
      }
      input.add(record("prices", "alpha", utf8("{\"ts\": \"yesterday\", \"value\": 1}")));
      input.add(record("prices", null, TickCodec.encodeValue(1, 1)));
      produce(bootstrap, input);

      SimpleMeterRegistry meters = new SimpleMeterRegistry();
      PredictorApp.Config config = PredictorApp.Config.defaults(kafka, stateDir).withTopics(NAMES);
      try (StreamsApp app = PredictorApp.start(config, meters)) {
        app.awaitRunning(Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> predictions =
            readCommitted(bootstrap, "forecasts", SERIES.size() * TICKS, Duration.ofSeconds(90));
        List<ConsumerRecord<byte[], byte[]>> dead =
            readCommitted(bootstrap, "rejects", 2, Duration.ofSeconds(30));
        List<ConsumerRecord<byte[], byte[]>> events =
            readCommitted(bootstrap, "ml.model-events", 1, Duration.ofSeconds(30));

        assertEquals(SERIES.size() * TICKS, predictions.size(), "one prediction per good tick");
        assertEquals("sp500", PredictionSerde.decode(predictions.get(0).value()).model());
        assertEquals(2, dead.size(), "each bad tick dead-lettered once");
        for (ConsumerRecord<byte[], byte[]> r : dead) {
          assertEquals("prices", header(r, DeadLetterHeaders.SOURCE_TOPIC));
        }
        String live = new String(events.get(0).value(), StandardCharsets.UTF_8);
        assertTrue(live.contains("\"event\":\"live\""), live);
        assertTrue(live.contains("\"model\":\"sp500\""), live);
        assertEquals(
            SERIES.size() * TICKS,
            meters
                .get("seqcast.events")
                .tag("topic", "prices")
                .tag("outcome", "predicted")
                .counter()
                .count(),
            "events are counted under the ticks topic's own name");
      }

      try (Admin admin = Admin.create(kafka.clientConfig())) {
        Set<String> topics = admin.listTopics().names().get();
        for (String name : Topics.definitions(1, (short) 1).stream().map(t -> t.name()).toList()) {
          assertFalse(topics.contains(name), name + " exists: " + topics);
        }
      }
    }
  }

  @Test
  void theTopologysSinksAreTheNamedTopics() {
    String described =
        PredictorTopology.build(
                NAMES,
                PredictorSettings.defaults(),
                new ModelRegistry(1, (source, reason, detail) -> {}),
                new PredictorMetrics(new SimpleMeterRegistry()),
                model -> model.newKernel())
            .describe()
            .toString();
    for (String topic :
        List.of("prices", "forecasts", "forecast-anomalies", "rejects", "ml.models")) {
      assertTrue(described.contains(topic), topic + " in " + described);
    }
    assertFalse(described.contains("seqcast.ticks"), described);
  }

  @Test
  void theModelCommandsReadTheModelsTopicTheyAreNamed() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      KafkaConnection kafka = KafkaConnection.to(bootstrap);
      Topics.createAll(kafka, NAMES, 1, (short) 1);
      ModelPublisher.publish(kafka, NAMES.models(), "sp500/1", TestModels.bundledSp500());

      CliRun named =
          CliRun.withEnvironment(
                  Map.of(
                      "SEQCAST_BOOTSTRAP_SERVERS", bootstrap, "SEQCAST_MODELS_TOPIC", "ml.models"),
                  "model",
                  "list")
              .ok();
      assertTrue(named.out().contains("sp500"), named.out());

      CliRun pinned =
          CliRun.of(
                  "model",
                  "pin",
                  "sp500",
                  "1",
                  "--bootstrap-servers",
                  bootstrap,
                  "--models-topic",
                  "ml.models")
              .ok();
      assertTrue(pinned.out().contains("sp500: live 1"), pinned.out());

      CliRun defaults =
          CliRun.withEnvironment(Map.of("SEQCAST_BOOTSTRAP_SERVERS", bootstrap), "model", "list")
              .flattened();
      assertEquals(1, defaults.exit(), defaults.all());
      assertTrue(defaults.err().contains("topic seqcast.models does not exist"), defaults.err());
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
