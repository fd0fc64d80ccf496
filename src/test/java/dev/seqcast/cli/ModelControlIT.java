package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands against a live cluster and a running predictor: rollback, shadow, promote
 * and unpin each take effect in the running instance, and 'model show' reports the shadow's online
 * error next to the live version's from the instance's scorecards.
 */
class ModelControlIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path stateDir;

  private String bootstrap;

  @Test
  void operatorCommandsSteerARunningPredictor() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      bootstrap = broker.bootstrapServers();
      Topics.createAll(KafkaConnection.to(bootstrap), Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(KafkaConnection.to(bootstrap), TestModels.random("sp500", 1, 8, 1));
      ModelPublisher.publish(KafkaConnection.to(bootstrap), TestModels.random("sp500", 2, 8, 2));

      try (StreamsApp app =
          PredictorApp.start(
              PredictorApp.Config.defaults(KafkaConnection.to(bootstrap), stateDir),
              new SimpleMeterRegistry())) {
        app.awaitRunning(WAIT);
        await(() -> live(app) == 2, "newest version live");

        CliRun rollback = model("rollback", "sp500", "--reason", "v2 overshoots").ok();
        assertTrue(
            rollback.out().contains("sp500: live 1, shadow none (was live 2)"), rollback.out());
        await(() -> live(app) == 1, "rollback applied");
        CliRun list = model("list").ok();
        assertTrue(
            list.out().contains("sp500: live 1 (pinned: v2 overshoots), shadow none"), list.out());

        model("shadow", "sp500", "2").ok();
        await(() -> shadow(app) == 2, "shadow running");
        assertEquals(1, live(app));
        ticks(bootstrap, 0, 300);
        await(() -> scoredShadow() > 0, "a scorecard with the shadow's error");
        CliRun show = model("show", "sp500/2").ok();
        assertTrue(show.out().contains("running:   in shadow"), show.out());
        assertTrue(show.out().matches("(?s).*live +v1 +[\\d,]+ scored  MAE \\d.*"), show.out());

        model("promote", "sp500").ok();
        await(() -> live(app) == 2 && shadow(app) == 0, "promoted");

        model("unpin", "sp500").ok();
        ModelPublisher.publish(KafkaConnection.to(bootstrap), TestModels.random("sp500", 3, 8, 3));
        await(() -> live(app) == 3, "following the newest again");

        CliRun tooNew = model("rollback", "sp500", "--to", "7");
        assertEquals(2, tooNew.exit(), tooNew.err());
        assertTrue(tooNew.err().contains("valid versions: 1, 2, 3"), tooNew.err());
        CliRun noShadow = model("promote", "sp500");
        assertEquals(2, noShadow.exit());
        assertTrue(noShadow.err().contains("has no shadow version"), noShadow.err());
        CliRun unknown = model("pin", "nosuch", "1");
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("no valid version of model 'nosuch'"), unknown.err());
      }
    }
  }

  /** The newest scorecard's count for shadow version 2 (0 until one arrives). */
  private long scoredShadow() {
    CliRun show = model("show", "sp500/2");
    Matcher m = Pattern.compile("shadow +v2 +([\\d,]+) scored").matcher(show.out());
    return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : 0;
  }

  /** {@code seqcast model <args> --bootstrap-servers <the test broker>}. */
  private CliRun model(String... args) {
    List<String> all = new ArrayList<>(List.of("model"));
    all.addAll(List.of(args));
    all.addAll(List.of("--bootstrap-servers", bootstrap));
    return CliRun.of(all.toArray(String[]::new));
  }

  private static long live(StreamsApp app) {
    var model = app.registry().current("sp500");
    return model == null ? 0 : model.version();
  }

  private static long shadow(StreamsApp app) {
    var model = app.registry().shadow("sp500");
    return model == null ? 0 : model.version();
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

  private static void await(BooleanSupplier check, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.sleep(50);
    }
  }
}
