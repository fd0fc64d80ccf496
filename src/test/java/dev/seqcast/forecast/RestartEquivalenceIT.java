package dev.seqcast.forecast;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static dev.seqcast.testkit.KafkaTestSupport.record;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the predictor mid-stream and starting it again — once with its local state, once with
 * the state directory wiped so everything is restored from the changelog — yields exactly the
 * predictions of an uninterrupted run: state is restored, never reset.
 */
class RestartEquivalenceIT {

  private static final List<String> SERIES = List.of("s1", "s2", "s3", "s4", "s5");
  private static final int TICKS = 300;

  @TempDir Path tmp;

  /** What must match between runs: everything but the wall-clock latency. */
  record Outcome(String series, long ts, double value, double observed, long modelVersion) {
    static Outcome of(ConsumerRecord<byte[], byte[]> r) {
      Prediction p = PredictionSerde.decode(r.value());
      return new Outcome(p.series(), p.ts(), p.value(), p.observed(), p.modelVersion());
    }
  }

  private static List<ProducerRecord<byte[], byte[]>> ticks(int from, int to) {
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    for (int t = from; t < to; t++) {
      for (String series : SERIES) {
        double price = 50 + 10 * Math.sin(t / (7.0 + series.hashCode() % 5)) + 0.05 * t;
        records.add(record(Topics.TICKS, series, TickCodec.encodeValue(60_000L * t, price)));
      }
    }
    return records;
  }

  private static List<Outcome> sorted(List<ConsumerRecord<byte[], byte[]>> records) {
    return records.stream()
        .map(Outcome::of)
        .sorted(Comparator.comparing(Outcome::series).thenComparingLong(Outcome::ts))
        .toList();
  }

  private static StreamsApp startApp(String bootstrap, Path stateDir) throws Exception {
    StreamsApp app =
        PredictorApp.start(
            PredictorApp.Config.defaults(KafkaConnection.to(bootstrap), stateDir),
            new SimpleMeterRegistry());
    app.awaitRunning(Duration.ofSeconds(60));
    return app;
  }

  private static void prepare(String bootstrap) throws Exception {
    Topics.createAll(KafkaConnection.to(bootstrap), Topics.DEFAULT_PARTITIONS, (short) 1);
    ModelPublisher.publish(
        KafkaConnection.to(bootstrap), Topics.MODELS, "sp500/1", TestModels.bundledSp500());
  }

  @Test
  void predictionsAfterRestartsEqualThoseOfAnUninterruptedRun() throws Exception {
    int total = SERIES.size() * TICKS;
    List<Outcome> reference;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      prepare(bootstrap);
      produce(bootstrap, ticks(0, TICKS));
      try (StreamsApp app = startApp(bootstrap, tmp.resolve("reference"))) {
        reference =
            sorted(readCommitted(bootstrap, Topics.PREDICTIONS, total, Duration.ofSeconds(90)));
      }
    }
    assertEquals(total, reference.size());

    List<Outcome> interrupted;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      prepare(bootstrap);
      Path stateDir = tmp.resolve("interrupted");
      int third = TICKS / 3;

      produce(bootstrap, ticks(0, third));
      try (StreamsApp app = startApp(bootstrap, stateDir)) {
        readCommitted(bootstrap, Topics.PREDICTIONS, SERIES.size() * third, Duration.ofSeconds(90));
      }

      produce(bootstrap, ticks(third, 2 * third));
      try (StreamsApp app = startApp(bootstrap, stateDir)) { // local state kept
        readCommitted(
            bootstrap, Topics.PREDICTIONS, SERIES.size() * 2 * third, Duration.ofSeconds(90));
      }

      deleteRecursively(stateDir); // everything must come back from the changelog
      produce(bootstrap, ticks(2 * third, TICKS));
      try (StreamsApp app = startApp(bootstrap, stateDir)) {
        interrupted =
            sorted(readCommitted(bootstrap, Topics.PREDICTIONS, total, Duration.ofSeconds(90)));
      }
    }
    assertEquals(total, interrupted.size(), "no prediction lost or repeated across restarts");
    assertEquals(reference, interrupted);
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
