package dev.seqcast.forecast;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static dev.seqcast.testkit.KafkaTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesCsv;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Anomalies on a real KRaft broker: real S&amp;P 500 closes with a spike injected at a known tick
 * yield an anomaly record for that tick on {@code seqcast.anomalies}, keyed by the series, in the
 * same transactions as the predictions.
 */
class AnomaliesIT {

  private static final int TICKS = 400;
  private static final int SPIKE_AT = 300;

  @TempDir Path stateDir;

  @Test
  void aSpikeInjectedIntoRealClosesIsPublishedAsAnAnomaly() throws Exception {
    Series sp500 = SeriesCsv.load(Path.of("data/sp500-2000.csv"), "close", null, "sp500").get(0);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      KafkaConnection kafka = KafkaConnection.to(bootstrap);
      Topics.createAll(kafka, Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(kafka, Topics.MODELS, "sp500/1", TestModels.bundledSp500());
      List<ProducerRecord<byte[], byte[]>> input = new ArrayList<>();
      double spiked = sp500.values()[SPIKE_AT] * 1.15;
      for (int t = 0; t < TICKS; t++) {
        double value = t == SPIKE_AT ? spiked : sp500.values()[t];
        input.add(
            record(Topics.TICKS, "sp500", TickCodec.encodeValue(sp500.timestamps()[t], value)));
      }
      produce(bootstrap, input);

      PredictorApp.Config config = PredictorApp.Config.defaults(kafka, stateDir);
      try (StreamsApp app = PredictorApp.start(config, new SimpleMeterRegistry())) {
        app.awaitRunning(Duration.ofSeconds(60));
        readCommitted(bootstrap, Topics.PREDICTIONS, TICKS, Duration.ofSeconds(90));
        List<ConsumerRecord<byte[], byte[]>> records =
            readCommitted(bootstrap, Topics.ANOMALIES, 1, Duration.ofSeconds(30));
        List<Anomaly> anomalies = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
          Anomaly a = AnomalySerde.decode(r.value());
          assertEquals(a.series(), new String(r.key(), StandardCharsets.UTF_8));
          anomalies.add(a);
        }
        Anomaly spike =
            anomalies.stream()
                .filter(a -> a.ts() == sp500.timestamps()[SPIKE_AT])
                .findFirst()
                .orElseThrow(() -> new AssertionError("spike not flagged: " + anomalies));
        assertEquals(Anomaly.JUMP, spike.kind());
        assertEquals(spiked, spike.observed());
        assertTrue(spike.observed() > spike.hi(), spike.toString());
        assertTrue(spike.score() >= 3.0, spike.toString());
        assertEquals(3.0, spike.threshold());
        // Real daily closes raise few alerts besides the spike (and the fall back after it).
        assertTrue(anomalies.size() <= TICKS / 20, anomalies.size() + " anomalies: " + anomalies);
      }
    }
  }
}
