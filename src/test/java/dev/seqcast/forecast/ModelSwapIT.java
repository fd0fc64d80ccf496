package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.ModelControl;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.KafkaTestSupport;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Model changes while ticks flow, on a real broker under exactly-once: a new version published
 * mid-stream goes live with no tick lost or predicted twice and versions never going back per
 * series; a rollback written as a control record takes effect and still holds after a restart.
 */
class ModelSwapIT {

  private static final int SERIES = 20;
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path stateDir;

  @Test
  void aVersionPublishedUnderLoadGoesLiveCleanlyAndARollbackSurvivesARestart() throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      String bootstrap = broker.bootstrapServers();
      Topics.createAll(KafkaConnection.to(bootstrap), Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(KafkaConnection.to(bootstrap), TestModels.random("sp500", 1, 8, 1));
      PredictorApp.Config config =
          PredictorApp.Config.defaults(KafkaConnection.to(bootstrap), stateDir);

      long sent;
      MeterRegistry meters = new SimpleMeterRegistry();
      try (StreamsApp app = PredictorApp.start(config, meters);
          Load load = new Load(bootstrap)) {
        app.awaitRunning(WAIT);
        load.start();
        awaitPredicted(meters, 1_500);
        ModelPublisher.publish(KafkaConnection.to(bootstrap), TestModels.random("sp500", 2, 8, 2));
        awaitLive(app, 2);
        long atSwap = load.sent();
        awaitPredicted(meters, atSwap + 1_500);
        ModelPublisher.publishControl(
            KafkaConnection.to(bootstrap),
            "sp500",
            new ModelControl(1L, null, "v2 misbehaves", Instant.now()));
        awaitLive(app, 1);
        long atRollback = load.sent();
        awaitPredicted(meters, atRollback + 1_000);
        sent = load.stop();
        awaitPredicted(meters, sent);
      }

      checkModelEvents(bootstrap);

      // A fresh instance (same id, same state) reads the control record again: v1 stays live
      // although v2 is the newest version.
      long restartFrom = sent;
      try (StreamsApp app = PredictorApp.start(config, new SimpleMeterRegistry())) {
        app.awaitRunning(WAIT);
        assertEquals(1, app.registry().current("sp500").version(), "rollback survives a restart");
        assertEquals(List.of(1L, 2L), app.registry().versions("sp500"));
        List<ProducerRecord<byte[], byte[]>> more = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
          more.add(Load.tick(restartFrom + i));
        }
        KafkaTestSupport.produce(bootstrap, more);
        sent += more.size();
        List<ConsumerRecord<byte[], byte[]>> records =
            KafkaTestSupport.readCommitted(bootstrap, Topics.PREDICTIONS, (int) sent, WAIT);
        check(records, sent, restartFrom);
      }
    }
  }

  /** Every tick predicted exactly once; versions 1 → 2 → 1 per series, and v1 after restart. */
  private static void check(List<ConsumerRecord<byte[], byte[]>> records, long sent, long restart) {
    assertEquals(sent, records.size(), "one prediction per tick, none lost, none twice");
    Set<String> seen = new HashSet<>();
    Map<String, List<Prediction>> bySeries = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      Prediction p = PredictionSerde.decode(r.value());
      assertTrue(seen.add(p.series() + "@" + p.ts()), "predicted twice: " + p);
      bySeries.computeIfAbsent(p.series(), s -> new ArrayList<>()).add(p);
    }
    int sawV2 = 0;
    for (List<Prediction> series : bySeries.values()) {
      // versions run 1…1 2…2 1…1: one switch up at the swap, one down at the rollback
      int switches = 0;
      for (int i = 1; i < series.size(); i++) {
        assertTrue(series.get(i).ts() > series.get(i - 1).ts(), "event-time order");
        if (series.get(i).modelVersion() != series.get(i - 1).modelVersion()) {
          switches++;
          assertEquals(
              switches == 1 ? 2 : 1, series.get(i).modelVersion(), "1 → 2 at the swap, then 2 → 1");
        }
      }
      assertTrue(switches <= 2, "no flapping between versions: " + switches);
      sawV2 += series.stream().anyMatch(p -> p.modelVersion() == 2) ? 1 : 0;
      Prediction last = series.get(series.size() - 1);
      assertEquals(1, last.modelVersion(), "rolled back, also after the restart");
      assertTrue(last.ts() >= Load.eventTime(restart), "the restarted instance predicted");
    }
    assertEquals(SERIES, sawV2, "every series ran v2 between swap and rollback");
  }

  /** The instance reported each switch, and on close its scorecard of both versions. */
  private static void checkModelEvents(String bootstrap) throws Exception {
    List<String> events = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r :
        KafkaTestSupport.readCommitted(bootstrap, Topics.MODEL_EVENTS, 4, WAIT)) {
      events.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
    }
    List<String> switches =
        events.stream()
            .filter(e -> e.contains("\"event\":\"live\""))
            .map(e -> e.replaceAll(".*\"version\":(\\d+).*", "$1"))
            .toList();
    assertEquals(List.of("1", "2", "1"), switches, String.join("\n", events));
    String card =
        events.stream()
            .filter(e -> e.contains("\"event\":\"scorecard\""))
            .findFirst()
            .orElseThrow();
    assertTrue(
        card.contains("\"role\":\"live\",\"version\":1")
            && card.contains("\"role\":\"live\",\"version\":2"),
        card);
  }

  private static void awaitPredicted(MeterRegistry meters, long count) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (meters.get("seqcast.events").tag("outcome", "predicted").counter().count() < count) {
      assertTrue(System.nanoTime() < deadline, "fewer than " + count + " predictions in " + WAIT);
      Thread.sleep(20);
    }
  }

  private static void awaitLive(StreamsApp app, long version) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (app.registry().current("sp500").version() != version) {
      assertTrue(System.nanoTime() < deadline, "version " + version + " not live in " + WAIT);
      Thread.sleep(5);
    }
  }

  /** Ticks round-robin over the series, sent continuously from a background thread. */
  private static final class Load implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private Thread thread;

    Load(String bootstrap) {
      producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ProducerConfig.ACKS_CONFIG,
                  "all",
                  ProducerConfig.LINGER_MS_CONFIG,
                  "2"),
              new ByteArraySerializer(),
              new ByteArraySerializer());
    }

    static long eventTime(long i) {
      return 1_000L * (i / SERIES);
    }

    static ProducerRecord<byte[], byte[]> tick(long i) {
      double price = 100 + 5 * Math.sin(i / (double) SERIES / 7.0) + (i % SERIES);
      return KafkaTestSupport.record(
          Topics.TICKS, "s" + (i % SERIES), TickCodec.encodeValue(eventTime(i), price));
    }

    void start() {
      thread =
          new Thread(
              () -> {
                try {
                  while (running) {
                    producer.send(tick(sent.get())).get();
                    sent.incrementAndGet();
                  }
                } catch (Exception e) {
                  failure.set(e);
                }
              },
              "swap-load");
      thread.start();
    }

    long sent() {
      return sent.get();
    }

    /** Stops sending; returns how many ticks were sent, all acknowledged. */
    long stop() throws InterruptedException {
      running = false;
      thread.join();
      assertEquals(null, failure.get(), "load producer failed");
      return sent.get();
    }

    @Override
    public void close() throws InterruptedException {
      if (running && thread != null) {
        stop();
      }
      producer.close();
    }
  }
}
