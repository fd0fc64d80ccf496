package dev.seqcast.forecast;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static dev.seqcast.testkit.KafkaTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docs/embedding.md topology run by a plain KafkaStreams of the user's, on a real broker. */
class EmbeddedPredictorIT {

  @TempDir Path stateDir;

  @Test
  void theEmbeddedPredictorRunsInTheUsersOwnKafkaStreams() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      KafkaConnection kafka = KafkaConnection.to(bootstrap);
      try (Admin admin = Admin.create(kafka.clientConfig())) {
        admin
            .createTopics(
                List.of("prices", "forecasts", "price-anomalies", "rejects", "ml.models").stream()
                    .map(name -> new NewTopic(name, 1, (short) 1))
                    .toList())
            .all()
            .get();
      }
      ModelPublisher.publish(kafka, "ml.models", "sp500/1", TestModels.bundledSp500());
      List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
      for (int t = 0; t < 30; t++) {
        input.add(record("prices", "alpha", TickCodec.encodeValue(86_400_000L * t, 100 + t)));
      }
      input.add(record("prices", "alpha", utf8("{\"ts\": \"yesterday\", \"value\": 1}")));
      produce(bootstrap, input);

      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "users-own-app");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      props.put("consumer.auto.offset.reset", "earliest");
      try (KafkaStreams streams =
          new KafkaStreams(
              EmbeddedPredictorTest.userTopology(
                  EmbeddedPredictorTest.registry(), new SimpleMeterRegistry()),
              props)) {
        streams.start();
        List<ConsumerRecord<byte[], byte[]>> rejects =
            readCommitted(bootstrap, "rejects", 1, Duration.ofSeconds(90));
        List<ConsumerRecord<byte[], byte[]>> forecasts =
            readCommitted(bootstrap, "forecasts", 30, Duration.ofSeconds(60));
        long oneStep =
            forecasts.stream()
                .map(r -> PredictionSerde.decode(r.value()))
                .filter(p -> p.horizon() == 1 && p.model().equals("sp500"))
                .count();
        assertEquals(30, oneStep, "one one-step sp500 prediction per good tick");
        assertEquals(1, rejects.size(), "the bad tick is dead-lettered once");
        assertEquals(
            "prices",
            new String(
                rejects.get(0).headers().lastHeader(DeadLetterHeaders.SOURCE_TOPIC).value(),
                StandardCharsets.UTF_8));
      }
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
