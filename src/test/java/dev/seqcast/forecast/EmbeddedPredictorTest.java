package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * seqcast's predictor embedded in a topology of the user's own, built exactly as {@code
 * docs/embedding.md} shows: own topic, node and store names, own sinks.
 */
class EmbeddedPredictorTest {

  @TempDir Path stateDir;

  /** The example of docs/embedding.md (keep the two identical). */
  static Topology userTopology(ModelRegistry registry, MeterRegistry meters) {
    PredictorSettings settings = PredictorSettings.defaults(); // model "sp500"
    SeqcastPredictor predictor =
        SeqcastPredictor.builder(settings, registry, new PredictorMetrics(meters))
            .seriesStore("price-series")
            .seriesCountStore("price-series-count")
            .build();
    Topology topology = new Topology();
    SeqcastPredictor.addModelMirror(topology, "price-models", "ml.models", registry);
    topology
        .addSource("prices-in", new ByteArrayDeserializer(), new ByteArrayDeserializer(), "prices")
        .addProcessor("forecast-prices", predictor, "prices-in") // adds and connects its stores
        .addSink(
            SeqcastPredictor.PREDICTIONS,
            "forecasts",
            new StringSerializer(),
            new PredictionSerde().serializer(),
            "forecast-prices")
        .addSink(
            SeqcastPredictor.ANOMALIES,
            "price-anomalies",
            new StringSerializer(),
            new AnomalySerde().serializer(),
            "forecast-prices")
        .addSink(
            SeqcastPredictor.DEAD_LETTERS,
            "rejects",
            new ByteArraySerializer(),
            new ByteArraySerializer(),
            "forecast-prices");
    return topology;
  }

  /** The registry the example is given, as a seqcast predictor instance builds it. */
  static ModelRegistry registry() {
    return PredictorApp.registry(
        (source, reason, detail) -> {}, null, PredictorSettings.defaults().forecast().horizon());
  }

  @Test
  void aUserTopologyPredictsOnItsOwnTopicsAndStores() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "embedding-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    Topology topology = userTopology(registry(), new SimpleMeterRegistry());
    try (TopologyTestDriver driver = new TopologyTestDriver(topology, props)) {
      driver
          .createInputTopic("ml.models", new StringSerializer(), new ByteArraySerializer())
          .pipeInput(ModelPublisher.key("sp500", 1), TestModels.bundledSp500());
      TestInputTopic<byte[], byte[]> prices =
          driver.createInputTopic("prices", new ByteArraySerializer(), new ByteArraySerializer());
      for (int t = 0; t < 20; t++) {
        prices.pipeInput(utf8("alpha"), TickCodec.encodeValue(86_400_000L * t, 100 + t));
      }
      prices.pipeInput(utf8("alpha"), utf8("{\"ts\": \"yesterday\", \"value\": 1}"));

      List<Prediction> forecasts =
          driver
              .createOutputTopic(
                  "forecasts", new StringDeserializer(), new PredictionSerde().deserializer())
              .readValuesToList();
      List<TestRecord<byte[], byte[]>> rejects =
          driver
              .createOutputTopic(
                  "rejects", new ByteArrayDeserializer(), new ByteArrayDeserializer())
              .readRecordsToList();

      List<Prediction> oneStep = forecasts.stream().filter(p -> p.horizon() == 1).toList();
      assertEquals(20, oneStep.size(), "one one-step prediction per good tick");
      assertTrue(forecasts.stream().allMatch(p -> p.model().equals("sp500")), "" + forecasts);
      assertTrue(Double.isFinite(oneStep.get(19).value()), "" + oneStep.get(19));
      assertEquals(1, rejects.size(), "the bad tick is dead-lettered");
      assertEquals(
          DlqReason.WRONG_TYPE.code(),
          new String(
              rejects.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(),
              StandardCharsets.UTF_8));
      assertNotNull(
          driver.<String, SeriesState>getKeyValueStore("price-series").get("alpha"),
          "the series' state lives in the user's store");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
