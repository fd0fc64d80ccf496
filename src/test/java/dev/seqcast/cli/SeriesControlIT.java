package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.Prediction;
import dev.seqcast.forecast.PredictionSerde;
import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.KafkaTestSupport;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seqcast series reset} and {@code delete} against a running predictor on a real broker: the
 * control record lands on the series' own partition and the owning instance applies it in order
 * with the series' ticks, predicting nothing for it.
 */
class SeriesControlIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path stateDir;

  @Test
  void resetAndDeleteReachTheInstanceOwningTheSeriesAndItsNextPredictionSaysSo() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      KafkaConnection kafka = KafkaConnection.to(bootstrap);
      Topics.createAll(kafka, Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(kafka, TestModels.random("sp500", 1, 8, 1));
      try (StreamsApp app =
          PredictorApp.start(
              PredictorApp.Config.defaults(kafka, stateDir), new SimpleMeterRegistry())) {
        app.awaitRunning(WAIT);
        ticks(bootstrap, 0, 10);
        CliRun reset =
            CliRun.of("series", "reset", "a", "--bootstrap-servers", bootstrap).ok().flattened();
        assertTrue(reset.out().matches("(?s)a: reset sent to seqcast\\.ticks-\\d+ at offset.*"));
        CliRun delete =
            CliRun.of("series", "delete", "b", "--bootstrap-servers", bootstrap).ok().flattened();
        assertTrue(delete.out().contains("b: delete sent to seqcast.ticks-"), delete.out());
        ticks(bootstrap, 10, 2);

        List<Prediction> predictions = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r :
            KafkaTestSupport.readCommitted(bootstrap, Topics.PREDICTIONS, 3 * 12, WAIT)) {
          predictions.add(PredictionSerde.decode(r.value()));
        }
        assertEquals(3 * 12, predictions.size(), "nothing for the control records");
        assertEquals(List.of(Prediction.NEW, "-", Prediction.RESET, "-"), fresh(predictions, "a"));
        assertEquals(List.of(Prediction.NEW, "-", Prediction.NEW, "-"), fresh(predictions, "b"));
        assertEquals(List.of(Prediction.NEW, "-", "-", "-"), fresh(predictions, "c"));
        assertTrue(
            KafkaTestSupport.readCommitted(bootstrap, Topics.DLQ, 0, Duration.ofSeconds(2))
                .isEmpty(),
            "nothing dead-lettered");
      }
    }
  }

  /** {@code fresh} of the series' predictions at ticks 0, 1, 10 and 11 ("-" for none). */
  private static List<String> fresh(List<Prediction> predictions, String series) {
    List<Prediction> of = predictions.stream().filter(p -> p.series().equals(series)).toList();
    assertEquals(12, of.size(), series);
    assertNull(of.get(5).fresh());
    List<String> marks = new ArrayList<>();
    for (int i : new int[] {0, 1, 10, 11}) {
      marks.add(of.get(i).fresh() == null ? "-" : of.get(i).fresh());
    }
    return marks;
  }

  private static void ticks(String bootstrap, int from, int count) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int t = from; t < from + count; t++) {
      for (String series : List.of("a", "b", "c")) {
        records.add(
            KafkaTestSupport.record(
                Topics.TICKS,
                series,
                TickCodec.encodeValue(60_000L * t, 100 + Math.sin(t / 5.0) + series.length())));
      }
    }
    KafkaTestSupport.produce(bootstrap, records);
  }
}
