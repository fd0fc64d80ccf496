package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.KafkaTestSupport;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two models in one application on a real broker, series routed by their id. */
class RoutingIT {

  @TempDir Path stateDir;

  @Test
  void eachSeriesIsPredictedByTheModelItsRouteNames() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      Topics.createAll(KafkaConnection.to(bootstrap), Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(KafkaConnection.to(bootstrap), TestModels.random("sp500", 1, 8, 1));
      ModelPublisher.publish(KafkaConnection.to(bootstrap), TestModels.random("fx", 4, 8, 2));
      PredictorApp.Config defaults =
          PredictorApp.Config.defaults(KafkaConnection.to(bootstrap), stateDir);
      PredictorApp.Config config =
          defaults.withPredictor(
              defaults.predictor().withRoutes(List.of(ModelRouting.Route.parse("px\\..*=fx"))));
      List<String> series = List.of("sp500", "AAPL", "px.eurusd", "px.usdjpy");
      List<ProducerRecord<byte[], byte[]>> ticks = new ArrayList<>();
      for (int t = 0; t < 50; t++) {
        for (String s : series) {
          ticks.add(
              KafkaTestSupport.record(
                  Topics.TICKS, s, TickCodec.encodeValue(1_000L * t, 100 + t % 7 + s.length())));
        }
      }
      KafkaTestSupport.produce(bootstrap, ticks);
      try (StreamsApp app = PredictorApp.start(config, new SimpleMeterRegistry())) {
        app.awaitRunning(Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> out =
            KafkaTestSupport.readCommitted(
                bootstrap, Topics.PREDICTIONS, ticks.size(), Duration.ofSeconds(90));
        assertEquals(ticks.size(), out.size());
        Map<String, String> modelsBySeries = new TreeMap<>();
        for (ConsumerRecord<byte[], byte[]> r : out) {
          Prediction p = PredictionSerde.decode(r.value());
          String model = p.model() + "/" + p.modelVersion();
          String before = modelsBySeries.putIfAbsent(p.series(), model);
          assertEquals(before == null ? model : before, model, p.series() + " changed model");
        }
        assertEquals(
            Map.of("AAPL", "sp500/1", "px.eurusd", "fx/4", "px.usdjpy", "fx/4", "sp500", "sp500/1"),
            modelsBySeries);
        assertEquals(null, app.notReadyReason(), "ready: both routed models are loaded");
      }
    }
  }
}
