package dev.seqcast.forecast;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.HostileTicks;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accounting invariant on a real broker: thousands of generated records — valid ticks, late and
 * repeated ones, extreme numbers and event times, hostile JSON, random bytes, missing keys — go to
 * {@code seqcast.ticks}, and each one comes out exactly once as a prediction, a dead letter with a
 * reason, or a counted no-model acceptance, while the stream thread keeps running.
 */
class FuzzedInputIT {

  private static final int RECORDS = 4_000;
  private static final long SEED = 20261125L;

  @TempDir Path stateDir;

  @Test
  void everyFuzzedRecordIsAccountedForExactlyOnceAndTheStreamThreadSurvives() throws Exception {
    List<byte[][]> records = HostileTicks.stream(RECORDS, SEED);
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      Topics.createAll(broker.connection(), Topics.DEFAULT_PARTITIONS, (short) 1);
      // Half the records arrive before any model exists: they are the counted no-model path.
      int half = RECORDS / 2;
      produce(bootstrap, toTicks(records.subList(0, half)));
      MeterRegistry meters = new SimpleMeterRegistry();
      PredictorApp.Config config = PredictorApp.Config.defaults(broker.connection(), stateDir);
      try (StreamsApp app = PredictorApp.start(config, meters)) {
        app.awaitRunning(Duration.ofSeconds(60));
        awaitOutcomes(meters, half, app);
        ModelPublisher.publish(
            broker.connection(), Topics.MODELS, "sp500/1", TestModels.bundledSp500());
        produce(bootstrap, toTicks(records.subList(half, RECORDS)));
        awaitOutcomes(meters, RECORDS, app);

        double predicted = outcome(meters, "predicted");
        double deadLettered = outcome(meters, "dead_lettered");
        double noModel = outcome(meters, "no_model");
        assertEquals(RECORDS, predicted + deadLettered + noModel, "each record counted once");
        assertTrue(predicted > 0 && deadLettered > 0 && noModel > 0, "all three outcomes occur");

        List<ConsumerRecord<byte[], byte[]>> predictions =
            readCommitted(bootstrap, Topics.PREDICTIONS, (int) predicted, Duration.ofSeconds(60));
        List<ConsumerRecord<byte[], byte[]>> dead =
            readCommitted(bootstrap, Topics.DLQ, (int) deadLettered, Duration.ofSeconds(60));
        assertEquals((long) predicted, predictions.size(), "one prediction per counted one");
        assertEquals((long) deadLettered, dead.size(), "one dead letter per counted one");

        Map<String, Long> byReason = new HashMap<>();
        Set<String> sources = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> r : dead) {
          String reason = header(r, DeadLetterHeaders.REASON);
          assertNotNull(reason, "dead letter without a reason");
          byReason.merge(reason, 1L, Long::sum);
          assertTrue(
              sources.add(
                  header(r, DeadLetterHeaders.SOURCE_PARTITION)
                      + "@"
                      + header(r, DeadLetterHeaders.SOURCE_OFFSET)),
              "one input dead-lettered twice");
        }
        for (DlqReason reason : DlqReason.values()) {
          assertEquals(
              (double) byReason.getOrDefault(reason.code(), 0L),
              meters.get("seqcast.dead.letters").tag("reason", reason.code()).counter().count(),
              reason.code());
        }
        assertTrue(byReason.containsKey("out-of-order") && byReason.containsKey("duplicate"));
        assertTrue(predicted > RECORDS / 4, "most valid ticks predict: " + predicted);
        for (ConsumerRecord<byte[], byte[]> r : predictions) {
          Prediction p = PredictionSerde.decode(r.value());
          assertTrue(Double.isFinite(p.value()), "forecast " + p.value() + " for " + p.series());
        }
        assertEquals(KafkaStreams.State.RUNNING, app.streams().state());
        assertNull(app.notReadyReason());
        System.out.printf(
            "fuzzed end to end: %,d records -> %,.0f predictions, %,.0f dead letters %s, %,.0f"
                + " no-model%n",
            RECORDS, predicted, deadLettered, byReason, noModel);
      }
    }
  }

  private static List<ProducerRecord<byte[], byte[]>> toTicks(List<byte[][]> records) {
    return records.stream().map(r -> new ProducerRecord<>(Topics.TICKS, r[0], r[1])).toList();
  }

  /** Waits until {@code count} records have an outcome, failing if the stream thread stops. */
  private static void awaitOutcomes(MeterRegistry meters, int count, StreamsApp app)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (total(meters) < count) {
      assertEquals(KafkaStreams.State.RUNNING, app.streams().state(), "stream thread stopped");
      assertTrue(
          System.nanoTime() < deadline,
          "only " + total(meters) + " of " + count + " accounted for");
      Thread.sleep(100);
    }
    // Nothing may be counted twice: wait past a few commit intervals and check again.
    Thread.sleep(1_000);
    assertEquals(count, total(meters), "records counted more than once");
  }

  private static double total(MeterRegistry meters) {
    return outcome(meters, "predicted")
        + outcome(meters, "dead_lettered")
        + outcome(meters, "no_model");
  }

  private static double outcome(MeterRegistry meters, String outcome) {
    var counter = meters.find("seqcast.events").tag("outcome", outcome).counter();
    return counter == null ? 0 : counter.count();
  }

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    var header = r.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
