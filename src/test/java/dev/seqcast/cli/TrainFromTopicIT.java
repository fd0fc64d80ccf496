package dev.seqcast.cli;

import static dev.seqcast.testkit.KafkaTestSupport.produce;
import static dev.seqcast.testkit.KafkaTestSupport.readCommitted;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.Prediction;
import dev.seqcast.forecast.PredictionSerde;
import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesCsv;
import dev.seqcast.forecast.data.SeriesReplay;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.kafka.ReadBound;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.CliRun;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retraining from the ticks topic on a real KRaft broker. History: the S&amp;P 500 and five stocks
 * replayed in event-time order, with malformed, non-positive, keyless, duplicate and out-of-order
 * records mixed in, and an aborted transaction. Everything before 2007 (event time) is sent before
 * the {@code --until} time, everything after it later, and a background producer keeps appending
 * ticks while the trainer reads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrainFromTopicIT {

  /** Event time splitting the history into before and after the record-time bound. */
  private static final long CUT = Instant.parse("2007-01-01T00:00:00Z").toEpochMilli();

  private static final long DAY = 86_400_000L;

  /** A record the predictor dead-letters, with the reason code it gives. */
  private record Injected(String key, byte[] value, String reason) {}

  @TempDir Path tmp;

  private EmbeddedKafkaBroker broker;
  private String bootstrap;

  /** The {@code --until} time: records before the bound were sent before it, all others after. */
  private long untilMs;

  private final List<SeriesReplay.Tick> before = new ArrayList<>();
  private final List<SeriesReplay.Tick> after = new ArrayList<>();
  private final List<Injected> injected = new ArrayList<>();
  private Map<Integer, Long> endsAtBound;
  private Background background;

  @BeforeAll
  void produceHistory() throws Exception {
    broker = EmbeddedKafkaBroker.start(0, null);
    bootstrap = broker.bootstrapServers();
    Topics.createAll(KafkaConnection.to(bootstrap), Topics.DEFAULT_PARTITIONS, (short) 1);

    List<Series> series =
        new ArrayList<>(SeriesCsv.load(Path.of("data/sp500-2000.csv"), "close", null, "sp500"));
    series.addAll(SeriesCsv.load(Path.of("data/stocks.csv"), "price", "symbol", null));
    SeriesReplay replay = new SeriesReplay(series, false);
    while (replay.hasNext()) {
      SeriesReplay.Tick tick = replay.next();
      (tick.ts() < CUT ? before : after).add(tick);
    }

    // Record timestamps are the producer's send time, as the wire format asks of producers.
    produceAbortedTransaction();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < before.size(); i++) {
      SeriesReplay.Tick tick = before.get(i);
      byte[] value = TickCodec.encodeValue(tick.ts(), tick.value());
      records.add(record(tick.series(), value));
      int n = seen.merge(tick.series(), 1, Integer::sum);
      if (tick.series().equals("sp500") && Set.of(100, 500, 900, 1300).contains(n)) {
        inject(records, new Injected("sp500", value, "duplicate"));
      }
      if (tick.series().equals("MSFT") && (n == 30 || n == 60)) {
        byte[] earlier = TickCodec.encodeValue(tick.ts() - 1, tick.value());
        inject(records, new Injected("MSFT", earlier, "out-of-order"));
      }
      long next = tick.ts() + 1;
      switch (i) {
        case 50 -> inject(records, bad("sp500", "{\"ts\": " + next + ", \"value\": "));
        case 300 -> inject(records, bad("AAPL", "not json at all"));
        case 700 -> inject(records, bad("MSFT", "[" + next + ", 1.0]"));
        case 900 -> inject(records, bad("IBM", "{\"ts\": \"yesterday\", \"value\": 1}"));
        case 1100 -> inject(records, bad("AMZN", "{\"value\": 100.0}"));
        case 1300 -> inject(records, value("sp500", next, -5, "unsupported-value"));
        case 1500 -> inject(records, value("AAPL", next, 0, "unsupported-value"));
        case 1700 -> inject(records, value(null, next, 10, "missing-key"));
        default -> {}
      }
    }
    produce(bootstrap, records);
    endsAtBound = stableEndOffsets();
    // Every record so far was sent before this instant; every record from here on after it.
    untilMs = System.currentTimeMillis() + 1;
    while (System.currentTimeMillis() <= untilMs) {
      Thread.sleep(1);
    }

    List<ProducerRecord<byte[], byte[]>> later = new ArrayList<>();
    for (SeriesReplay.Tick tick : after) {
      later.add(record(tick.series(), TickCodec.encodeValue(tick.ts(), tick.value())));
    }
    produce(bootstrap, later);

    long lastSp500 = 0;
    for (SeriesReplay.Tick tick : after) {
      if (tick.series().equals("sp500")) {
        lastSp500 = tick.ts();
      }
    }
    background = new Background(bootstrap, lastSp500);
  }

  @AfterAll
  void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void retrainsOnWhatPrecededTheTimeBoundWhileTicksKeepArrivingAndThePredictorSwapsToIt()
      throws Exception {
    ModelPublisher.publish(
        KafkaConnection.to(bootstrap), Topics.MODELS, "sp500/1", TestModels.bundledSp500());
    PredictorApp.Config config =
        PredictorApp.Config.defaults(KafkaConnection.to(bootstrap), tmp.resolve("state"));
    try (StreamsApp app = PredictorApp.start(config, new SimpleMeterRegistry())) {
      app.awaitRunning(Duration.ofSeconds(60));
      Path out = tmp.resolve("retrained.bundle");
      String until = Instant.ofEpochMilli(untilMs).toString();

      background.start();
      CliRun run;
      try {
        run =
            train(
                "--from-topic",
                Topics.TICKS,
                "--bootstrap-servers",
                bootstrap,
                "--until",
                until,
                "--name",
                "sp500",
                "--model-version",
                "2",
                "--hidden",
                "8",
                "--epochs",
                "2",
                "--out",
                out.toString(),
                "--publish");
      } finally {
        background.stop();
      }

      assertEquals(0, run.exit(), run.all());
      String text = run.out();
      assertEquals(before.size() + injected.size(), number(text, "records read"), text);
      assertEquals(before.size(), number(text, "accepted"), text);
      Map<String, Integer> skipped = expectedSkipped(key -> true);
      assertEquals(skipped, skippedCounts(text), text);
      assertEquals(7, skipped.size(), "every injected kind was produced");

      Map<String, List<SeriesReplay.Tick>> bySeries = bySeries(before);
      List<Integer> sizes = new ArrayList<>();
      bySeries.forEach(
          (id, ticks) -> {
            if (!id.equals("GOOG")) {
              sizes.add(ticks.size());
            }
          });
      assertEquals(29, bySeries.get("GOOG").size(), "GOOG listed in August 2004");
      assertTrue(text.contains(String.format("%-28s GOOG (29)", "too short (< 65 points)")), text);
      assertEquals(5, sizes.size());
      long points = sizes.stream().mapToLong(Integer::longValue).sum();
      assertTrue(text.contains(String.format("%-28s %,d (%,d points)", "series", 5, points)), text);
      long trainRows = 0;
      long holdoutRows = 0;
      for (int n : sizes) {
        long split = Math.round(n * 0.8);
        trainRows += split - 1;
        holdoutRows += n - split;
      }
      assertTrue(
          text.contains(String.format("%,d train / %,d holdout", trainRows, holdoutRows)), text);

      byte[] written = Files.readAllBytes(out);
      ModelHeader header = ModelBundle.decode(written).header();
      assertEquals("sp500", header.name());
      assertEquals(2, header.version());
      Map<String, Object> training = header.training();
      assertEquals("topic:" + Topics.TICKS, training.get("data"));
      assertEquals(until, training.get("until"));
      assertEquals(ReadBound.spec(endsAtBound), training.get("offsets"));
      assertEquals(before.size() + injected.size(), ((Number) training.get("records")).intValue());
      assertEquals(skipped, training.get("skipped"));
      assertEquals((int) trainRows, ((Number) training.get("rows")).intValue());
      assertEquals("2000-01-01T00:00:00Z", training.get("dataFrom"), "stocks start Jan 1 2000");
      long lastUsed = 0;
      for (SeriesReplay.Tick tick : before) {
        lastUsed = tick.series().equals("GOOG") ? lastUsed : Math.max(lastUsed, tick.ts());
      }
      assertEquals(Instant.ofEpochMilli(lastUsed).toString(), training.get("dataTo"));

      byte[] published = null;
      for (ConsumerRecord<byte[], byte[]> r :
          readCommitted(bootstrap, Topics.MODELS, 2, Duration.ofSeconds(30))) {
        if ("sp500/2".equals(new String(r.key(), StandardCharsets.UTF_8))) {
          published = r.value();
        }
      }
      assertArrayEquals(written, published, "the written bundle is the published one");

      // The running predictor takes the retrained version; the next tick is predicted with it.
      awaitVersion(app, 2);
      List<SeriesReplay.Tick> aapl = bySeries(after).get("AAPL");
      long probeTs = aapl.get(aapl.size() - 1).ts() + 31 * DAY;
      produce(
          bootstrap,
          List.of(
              new ProducerRecord<>(
                  Topics.TICKS, utf8("AAPL"), TickCodec.encodeValue(probeTs, 230.0))));
      int expected = before.size() + after.size() + (int) background.produced() + 1;
      List<ConsumerRecord<byte[], byte[]>> predictions =
          readCommitted(bootstrap, Topics.PREDICTIONS, expected, Duration.ofSeconds(180));
      assertEquals(expected, predictions.size(), "one prediction per accepted tick");
      Prediction probe = null;
      for (ConsumerRecord<byte[], byte[]> r : predictions) {
        Prediction p = PredictionSerde.decode(r.value());
        if (p.series().equals("AAPL") && p.ts() == probeTs) {
          probe = p;
        }
      }
      assertNotNull(probe, "the probe tick was predicted");
      assertEquals("sp500", probe.model());
      assertEquals(2, probe.modelVersion(), "predicted with the retrained model");
    }
  }

  @Test
  void readsToTheEndsFoundAtStartOrToGivenOffsetsAndTrainsOnlyOnSelectedSeries() throws Exception {
    Map<String, List<SeriesReplay.Tick>> beforeBySeries = bySeries(before);
    Map<String, List<SeriesReplay.Tick>> afterBySeries = bySeries(after);

    // No --until: the ends when the read starts. Ticks keep arriving (for sp500) all along.
    background.start();
    CliRun live;
    try {
      live =
          train(
              "--from-topic",
              Topics.TICKS,
              "--bootstrap-servers",
              bootstrap,
              "--series",
              "AAPL|MSFT",
              "--name",
              "pair",
              "--hidden",
              "4",
              "--epochs",
              "1",
              "--out",
              tmp.resolve("live.bundle").toString());
    } finally {
      background.stop();
    }
    assertEquals(0, live.exit(), live.all());
    Predicate<String> pair = key -> key == null || key.matches("AAPL|MSFT");
    assertEquals(expectedSkipped(pair), skippedCounts(live.out()), live.out());
    int pairPoints = 0;
    for (String id : List.of("AAPL", "MSFT")) {
      pairPoints += beforeBySeries.get(id).size() + afterBySeries.get(id).size();
    }
    assertTrue(
        live.out().contains(String.format("%-28s %,d (%,d points)", "series", 2, pairPoints)),
        live.out());

    // The offsets the time bound resolved to, written out: the same records once more.
    String offsets = ReadBound.spec(endsAtBound);
    Path out = tmp.resolve("again.bundle");
    CliRun again =
        train(
            "--from-topic",
            Topics.TICKS,
            "--bootstrap-servers",
            bootstrap,
            "--until",
            offsets,
            "--series",
            "AAPL|MSFT|GOOG",
            "--name",
            "trio",
            "--hidden",
            "4",
            "--epochs",
            "1",
            "--out",
            out.toString());
    assertEquals(0, again.exit(), again.all());
    String text = again.out();
    Predicate<String> trio = key -> key == null || key.matches("AAPL|MSFT|GOOG");
    assertEquals(before.size() + injected.size(), number(text, "records read"), text);
    long selectedGood = 0;
    long notSelected = 0;
    for (SeriesReplay.Tick tick : before) {
      if (trio.test(tick.series())) {
        selectedGood++;
      } else {
        notSelected++;
      }
    }
    for (Injected bad : injected) {
      notSelected += trio.test(bad.key()) ? 0 : 1;
    }
    assertEquals(selectedGood, number(text, "accepted"), text);
    assertEquals(notSelected, number(text, "not selected by --series"), text);
    assertEquals(expectedSkipped(trio), skippedCounts(text), text);
    assertTrue(text.contains("GOOG (29)"), text);
    Map<String, Object> training = ModelBundle.decode(Files.readAllBytes(out)).header().training();
    assertEquals(offsets, training.get("until"));
    assertEquals(offsets, training.get("offsets"));
    assertEquals("AAPL|MSFT|GOOG", training.get("series"));
  }

  @Test
  void backtestsASeriesReadFromTheTopicWithTheSameBoundedRead() throws Exception {
    Path report = tmp.resolve("backtest");
    CliRun run =
        CliRun.of(
                "backtest",
                "--data",
                "topic:" + Topics.TICKS,
                "--until",
                Instant.ofEpochMilli(untilMs).toString(),
                "--series",
                "MSFT",
                "--bootstrap-servers",
                bootstrap,
                "--neural",
                "one-step",
                "--cell",
                "gru",
                "--horizon",
                "2",
                "--folds",
                "2",
                "--block",
                "6",
                "--epochs",
                "1",
                "--hidden",
                "4",
                "--tbptt",
                "10",
                "--report",
                report.toString())
            .ok();
    assertTrue(run.out().contains("reading " + Topics.TICKS), run.out());
    com.fasterxml.jackson.databind.JsonNode summary =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(report.resolve("summary.json").toFile());
    assertEquals("MSFT", summary.get("series").asText());
    assertEquals("topic:" + Topics.TICKS, summary.get("data").asText());
    // MSFT's monthly ticks before 2007 that the predictor accepts, read up to the time bound
    long expected =
        bySeries(before).get("MSFT").stream().map(SeriesReplay.Tick::ts).distinct().count();
    assertTrue(summary.get("points").asLong() > 60, summary.toString());
    assertTrue(summary.get("points").asLong() <= expected, summary.toString());
    assertTrue(Files.size(report.resolve("index.html")) > 0);
  }

  @Test
  void aMissingTopicAnOffsetPastTheEndOrNothingToTrainOnIsAUsageError() {
    CliRun missing = train("--from-topic", "seqcast.tiks", "--bootstrap-servers", bootstrap);
    assertEquals(2, missing.exit(), missing.all());
    assertTrue(missing.err().contains("topic 'seqcast.tiks' does not exist"), missing.err());

    Map<Integer, Long> past = new TreeMap<>(endsAtBound);
    past.put(0, Long.MAX_VALUE / 2);
    CliRun beyond =
        train(
            "--from-topic",
            Topics.TICKS,
            "--bootstrap-servers",
            bootstrap,
            "--until",
            ReadBound.spec(past));
    assertEquals(2, beyond.exit(), beyond.all());
    assertTrue(beyond.err().contains("of partition 0 is past its end"), beyond.err());

    CliRun none =
        train(
            "--from-topic",
            Topics.TICKS,
            "--bootstrap-servers",
            bootstrap,
            "--until",
            ReadBound.spec(endsAtBound),
            "--series",
            "GOOG|NOPE");
    assertEquals(2, none.exit(), none.all());
    assertTrue(none.err().contains("no series read from seqcast.ticks"), none.err());
    assertTrue(none.out().contains("GOOG ("), "reports the short series: " + none.out());
  }

  // ---- producing ----------------------------------------------------------------------------

  private static ProducerRecord<byte[], byte[]> record(String key, byte[] value) {
    return new ProducerRecord<>(Topics.TICKS, utf8(key), value);
  }

  private void inject(List<ProducerRecord<byte[], byte[]>> records, Injected bad) {
    injected.add(bad);
    records.add(record(bad.key(), bad.value()));
  }

  private static Injected bad(String key, String json) {
    String reason =
        json.startsWith("{\"ts\": \"")
            ? "wrong-type"
            : json.startsWith("{\"value\"") ? "missing-field" : "malformed-json";
    return new Injected(key, utf8(json), reason);
  }

  private static Injected value(String key, long ts, double value, String reason) {
    return new Injected(key, TickCodec.encodeValue(ts, value), reason);
  }

  /** Good-looking ticks of a series nobody may see: its transaction is aborted. */
  private void produceAbortedTransaction() {
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                "aborted-history"),
            new ByteArraySerializer(),
            new ByteArraySerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (int k = 0; k < 70; k++) {
        producer.send(record("ghost", TickCodec.encodeValue(k * DAY, 100 + k)));
      }
      producer.flush();
      producer.abortTransaction();
    }
  }

  /** End offsets once every transaction has settled (last stable offset = high watermark). */
  private Map<Integer, Long> stableEndOffsets() throws Exception {
    try (KafkaConsumer<byte[], byte[]> committed = consumer("read_committed");
        KafkaConsumer<byte[], byte[]> uncommitted = consumer("read_uncommitted")) {
      List<TopicPartition> partitions = new ArrayList<>();
      committed
          .partitionsFor(Topics.TICKS)
          .forEach(p -> partitions.add(new TopicPartition(Topics.TICKS, p.partition())));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        Map<TopicPartition, Long> stable = committed.endOffsets(partitions);
        if (stable.equals(uncommitted.endOffsets(partitions))) {
          Map<Integer, Long> ends = new TreeMap<>();
          stable.forEach((tp, offset) -> ends.put(tp.partition(), offset));
          return ends;
        }
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("transactions on " + Topics.TICKS + " did not settle");
        }
        Thread.sleep(50);
      }
    }
  }

  private KafkaConsumer<byte[], byte[]> consumer(String isolation) {
    return new KafkaConsumer<>(
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            isolation),
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer());
  }

  /**
   * Appends S&amp;P 500 ticks continuing its history, sent after the bound, one at a time until
   * stopped; {@link #start} returns once the first is acknowledged, so there is always at least one
   * record past the bound that a reader following the topic's live end would take.
   */
  private static final class Background {
    private final String bootstrap;
    private final AtomicLong produced = new AtomicLong();
    private long nextEventTs;
    private volatile boolean running;
    private volatile Exception failure;
    private Thread thread;

    Background(String bootstrap, long lastEventTs) {
      this.bootstrap = bootstrap;
      this.nextEventTs = lastEventTs + DAY;
    }

    void start() throws Exception {
      long startedWith = produced.get();
      running = true;
      thread = new Thread(this::run, "background-ticks");
      thread.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (produced.get() == startedWith) {
        if (failure != null || System.nanoTime() > deadline) {
          throw new IllegalStateException("background producer sent nothing", failure);
        }
        Thread.sleep(10);
      }
    }

    private void run() {
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        while (running) {
          double value = 2900 + 50 * Math.sin(nextEventTs / (30.0 * DAY));
          producer.send(record("sp500", TickCodec.encodeValue(nextEventTs, value))).get();
          nextEventTs += DAY;
          produced.incrementAndGet();
          Thread.sleep(5); // a steady trickle, not a flood, while the trainer works
        }
      } catch (Exception e) {
        failure = e;
      }
    }

    void stop() throws Exception {
      running = false;
      thread.join();
      if (failure != null) {
        throw failure;
      }
    }

    long produced() {
      return produced.get();
    }
  }

  // ---- expectations ---------------------------------------------------------------------------

  private Map<String, Integer> expectedSkipped(Predicate<String> selected) {
    Map<String, Integer> counts = new HashMap<>();
    for (Injected bad : injected) {
      if (selected.test(bad.key())) {
        counts.merge(bad.reason(), 1, Integer::sum);
      }
    }
    return counts;
  }

  private static Map<String, List<SeriesReplay.Tick>> bySeries(List<SeriesReplay.Tick> ticks) {
    Map<String, List<SeriesReplay.Tick>> bySeries = new TreeMap<>();
    ticks.forEach(t -> bySeries.computeIfAbsent(t.series(), s -> new ArrayList<>()).add(t));
    return bySeries;
  }

  private void awaitVersion(StreamsApp app, long version) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (app.registry().current("sp500") == null
        || app.registry().current("sp500").version() != version) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the predictor never took sp500 v" + version);
      }
      Thread.sleep(50);
    }
  }

  // ---- running the command --------------------------------------------------------------------

  private static CliRun train(String... args) {
    String[] command = new String[args.length + 1];
    command[0] = "train";
    System.arraycopy(args, 0, command, 1, args.length);
    return CliRun.of(command);
  }

  private static long number(String text, String label) {
    Matcher m = Pattern.compile("(?m)^ +" + Pattern.quote(label) + " +([\\d,]+)$").matcher(text);
    assertTrue(m.find(), "no line '" + label + "' in:\n" + text);
    return Long.parseLong(m.group(1).replace(",", ""));
  }

  private static Map<String, Integer> skippedCounts(String text) {
    Map<String, Integer> counts = new HashMap<>();
    Matcher m = Pattern.compile("(?m)^ +skipped, ([a-z-]+) +([\\d,]+)$").matcher(text);
    while (m.find()) {
      counts.put(m.group(1), Integer.parseInt(m.group(2).replace(",", "")));
    }
    return counts;
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }
}
