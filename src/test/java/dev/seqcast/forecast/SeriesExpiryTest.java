package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.ModelBundle;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.StateControl;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Series that go quiet expire on event time, and operators reset or delete a series with a control
 * record on the ticks topic; the real topology driven record by record.
 */
class SeriesExpiryTest {

  /** Event time of the first tick; record timestamps equal event times unless a test says not. */
  private static final long T0 = 1_767_225_600_000L;

  private static final Duration TTL = Duration.ofMinutes(10);

  private static final long MINUTE = 60_000L;

  @TempDir Path stateDir;

  private final List<TopologyTestDriver> drivers = new ArrayList<>();

  @AfterEach
  void stop() {
    drivers.forEach(TopologyTestDriver::close);
  }

  /** One running topology, its topics, store and meters. */
  private final class Predictor {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> ticks;
    final TestOutputTopic<String, Prediction> predictions;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    Predictor(SeriesExpiry expiry) {
      ModelRegistry registry = new ModelRegistry(1, (source, reason, detail) -> {});
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "expiry-test");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("d" + drivers.size()).toString());
      driver =
          new TopologyTestDriver(
              PredictorTopology.build(
                  new PredictorSettings("sp500", 16, 1024).withExpiry(expiry),
                  registry,
                  new PredictorMetrics(meters, Set.of())),
              props);
      drivers.add(driver);
      ticks =
          driver.createInputTopic(
              Topics.TICKS, new ByteArraySerializer(), new ByteArraySerializer());
      predictions =
          driver.createOutputTopic(
              Topics.PREDICTIONS, new StringDeserializer(), new PredictionSerde().deserializer());
      deadLetters =
          driver.createOutputTopic(
              Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      ModelBundle bundle = TestModels.random("sp500", 1, 8, 11);
      driver
          .createInputTopic(Topics.MODELS, new StringSerializer(), new ByteArraySerializer())
          .pipeInput(
              ModelPublisher.key(bundle.header().name(), bundle.header().version()),
              bundle.encode());
    }

    void tick(String series, long ts, double value) {
      tick(series, ts, value, ts);
    }

    void tick(String series, long ts, double value, long recordTimestamp) {
      ticks.pipeInput(utf8(series), TickCodec.encodeValue(ts, value), recordTimestamp);
    }

    void control(String series, String action) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(StateControl.HEADER, utf8(action));
      ticks.pipeInput(
          new TestRecord<>(series == null ? null : utf8(series), null, headers, (Long) null));
    }

    List<String> stored() {
      KeyValueStore<String, SeriesState> store =
          driver.getKeyValueStore(PredictorTopology.SERIES_STORE);
      List<String> keys = new ArrayList<>();
      try (KeyValueIterator<String, SeriesState> all = store.all()) {
        all.forEachRemaining((KeyValue<String, SeriesState> e) -> keys.add(e.key));
      }
      return keys;
    }

    double seriesGauge() {
      return meters.get("seqcast.state.series").gauge().value();
    }

    double evicted(String reason) {
      return meters.get("seqcast.series.evicted").tag("reason", reason).counter().count();
    }

    double events(String outcome) {
      return meters.get("seqcast.events").tag("outcome", outcome).counter().count();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static double price(String series, int t) {
    return 100 + Math.abs(series.hashCode() % 7) + 10 * Math.sin(t / 5.0) + t * 0.1;
  }

  /**
   * "quiet" ticks for 20 minutes and stops; "busy" ticks every minute for 40; then both tick for 5
   * more minutes beside "twin", a series never seen before fed quiet's values.
   */
  private static List<Prediction> quietSeriesReturns(Predictor p, boolean scanWhileQuiet) {
    for (int t = 0; t < 20; t++) {
      p.tick("quiet", T0 + t * MINUTE, price("quiet", t));
      p.tick("busy", T0 + t * MINUTE, price("busy", t));
    }
    for (int t = 20; t < 40; t++) {
      p.tick("busy", T0 + t * MINUTE, price("busy", t));
      if (scanWhileQuiet) {
        p.driver.advanceWallClockTime(SeriesExpiry.DEFAULT_SCAN_EVERY);
      }
    }
    for (int t = 40; t < 45; t++) {
      p.tick("quiet", T0 + t * MINUTE, price("twin", t));
      p.tick("twin", T0 + t * MINUTE, price("twin", t));
      p.tick("busy", T0 + t * MINUTE, price("busy", t));
    }
    return p.predictions.readValuesToList();
  }

  private static List<Prediction> of(List<Prediction> predictions, String series) {
    return predictions.stream().filter(x -> x.series().equals(series)).toList();
  }

  /** The prediction with its wall-clock latency zeroed and another series id. */
  private static Prediction as(String series, Prediction x) {
    return new Prediction(
        series,
        x.ts(),
        x.horizon(),
        x.value(),
        x.lo(),
        x.hi(),
        x.observed(),
        x.model(),
        x.modelVersion(),
        0,
        x.fresh(),
        x.gap());
  }

  @Test
  void aSeriesQuietLongerThanTheTtlStartsFreshAtItsNextTickAndSaysSo() {
    Predictor p = new Predictor(SeriesExpiry.after(TTL));
    List<Prediction> all = quietSeriesReturns(p, false);

    List<Prediction> quiet = of(all, "quiet");
    List<Prediction> twin = of(all, "twin");
    assertEquals(25, quiet.size());
    assertEquals(Prediction.NEW, quiet.get(0).fresh(), "its first tick ever");
    assertNull(quiet.get(1).fresh());
    assertEquals(Prediction.NEW, quiet.get(20).fresh(), "back after 21 quiet minutes, TTL 10");
    for (int i = 0; i < 5; i++) {
      assertEquals(as("x", twin.get(i)), as("x", quiet.get(20 + i)), "as a new series, tick " + i);
    }
    List<Prediction> busy = of(all, "busy");
    assertEquals(45, busy.size());
    assertTrue(busy.stream().skip(1).allMatch(x -> x.fresh() == null), "never quiet: untouched");
    assertEquals(1.0, p.evicted(PredictorMetrics.EXPIRED));
    assertEquals(3.0, p.seriesGauge());
    assertTrue(p.deadLetters.isEmpty());
  }

  @Test
  void aSeriesQuietForLessThanTheTtlCarriesOn() {
    Predictor p = new Predictor(SeriesExpiry.after(Duration.ofMinutes(30)));
    List<Prediction> quiet = of(quietSeriesReturns(p, true), "quiet");
    assertEquals(Prediction.NEW, quiet.get(0).fresh());
    assertTrue(quiet.stream().skip(1).allMatch(x -> x.fresh() == null), quiet.toString());
    assertEquals(0.0, p.evicted(PredictorMetrics.EXPIRED));
    assertEquals(List.of("busy", "quiet", "twin"), p.stored());
  }

  @Test
  void whetherTheScanRemovedAnExpiredSeriesFirstChangesNoPrediction() {
    Predictor scanned = new Predictor(SeriesExpiry.after(TTL));
    Predictor unscanned = new Predictor(SeriesExpiry.after(TTL));
    List<Prediction> withScan = quietSeriesReturns(scanned, true);
    List<Prediction> withoutScan = quietSeriesReturns(unscanned, false);
    assertEquals(
        withoutScan.stream().map(x -> as(x.series(), x)).toList(),
        withScan.stream().map(x -> as(x.series(), x)).toList());
    assertEquals(1.0, scanned.evicted(PredictorMetrics.EXPIRED));
    assertEquals(1.0, unscanned.evicted(PredictorMetrics.EXPIRED));
  }

  @Test
  void theScanDeletesExpiredSeriesASliceAtATimeAndLeavesLiveOnes() {
    Predictor p =
        new Predictor(new SeriesExpiry(TTL, SeriesExpiry.DEFAULT_SCAN_EVERY, 4)); // 4 per slice
    for (int s = 0; s < 10; s++) {
      p.tick("gone-" + s, T0, price("gone", s));
    }
    for (int t = 0; t <= 12; t++) {
      p.tick("live", T0 + t * MINUTE, price("live", t));
    }
    assertEquals(11, p.stored().size(), "nothing is deleted before a scan");
    assertEquals(11.0, p.seriesGauge());

    List<Integer> remaining = new ArrayList<>();
    for (int slice = 0; slice < 4; slice++) {
      p.driver.advanceWallClockTime(SeriesExpiry.DEFAULT_SCAN_EVERY);
      remaining.add(p.stored().size());
    }
    // Keys in order: gone-0..gone-9, live. Slices read 4, 4, then the last 3 (gone-8, gone-9,
    // live), and a fourth finds nothing left to delete.
    assertEquals(List.of(7, 3, 1, 1), remaining);
    assertEquals(List.of("live"), p.stored());
    assertEquals(1.0, p.seriesGauge());
    assertEquals(10.0, p.evicted(PredictorMetrics.EXPIRED));

    p.tick("live", T0 + 13 * MINUTE, price("live", 13));
    p.tick("gone-3", T0 + 13 * MINUTE, price("gone", 3));
    List<Prediction> after = p.predictions.readValuesToList();
    assertNull(after.get(after.size() - 2).fresh(), "the live series kept its state");
    assertEquals(Prediction.NEW, after.get(after.size() - 1).fresh());
    assertEquals(2.0, p.seriesGauge());
  }

  @Test
  void aTickStampedInTheFutureCannotExpireTheOtherSeries() {
    Predictor p = new Predictor(SeriesExpiry.after(TTL));
    p.tick("a", T0, 100);
    // Event time ten days ahead, but sent a minute after a's tick: the clock moves a minute.
    p.tick("b", T0 + Duration.ofDays(10).toMillis(), 100, T0 + MINUTE);
    p.driver.advanceWallClockTime(SeriesExpiry.DEFAULT_SCAN_EVERY);
    p.tick("a", T0 + 2 * MINUTE, 101);
    List<Prediction> a = of(p.predictions.readValuesToList(), "a");
    assertNull(a.get(1).fresh());
    assertEquals(0.0, p.evicted(PredictorMetrics.EXPIRED));
  }

  @Test
  void withoutATtlNothingExpiresOrIsScanned() {
    Predictor p = new Predictor(SeriesExpiry.never());
    List<Prediction> quiet = of(quietSeriesReturns(p, true), "quiet");
    assertTrue(quiet.stream().skip(1).allMatch(x -> x.fresh() == null));
    assertEquals(List.of("busy", "quiet", "twin"), p.stored());
    assertEquals(0.0, p.evicted(PredictorMetrics.EXPIRED));
  }

  @Test
  void resetStartsASeriesAfreshAtItsNextTickAndDeleteRemovesItsStateAtOnce() {
    Predictor p = new Predictor(SeriesExpiry.never());
    for (int t = 0; t < 20; t++) {
      p.tick("a", T0 + t * MINUTE, price("a", t));
      p.tick("b", T0 + t * MINUTE, price("b", t));
    }
    p.predictions.readValuesToList();

    p.control("a", StateControl.RESET.code());
    p.control("b", StateControl.DELETE.code());
    p.control("never-seen", StateControl.DELETE.code());
    assertTrue(p.predictions.isEmpty(), "a control record predicts nothing");
    assertTrue(p.deadLetters.isEmpty(), "nor is it dead-lettered");
    assertEquals(List.of("a"), p.stored(), "b deleted; a holds a reset marker");
    assertEquals(1.0, p.seriesGauge());
    assertEquals(3.0, p.events("control"));
    assertEquals(1.0, p.evicted(PredictorMetrics.RESET));
    assertEquals(1.0, p.evicted(PredictorMetrics.DELETED));

    // An earlier event time than a's last: after a reset nothing of the old series bounds it.
    p.tick("a", T0 + 5 * MINUTE, price("twin", 0));
    p.tick("b", T0 + 5 * MINUTE, price("twin", 0));
    p.tick("twin", T0 + 5 * MINUTE, price("twin", 0));
    List<Prediction> next = p.predictions.readValuesToList();
    assertEquals(3, next.size());
    assertEquals(Prediction.RESET, next.get(0).fresh());
    assertEquals(Prediction.NEW, next.get(1).fresh());
    assertEquals(as("x", next.get(2)), as("x", next.get(1)));
    assertEquals(next.get(2).value(), next.get(0).value(), "a started from nothing, like twin");
    assertEquals(3.0, p.seriesGauge());
    assertTrue(p.deadLetters.isEmpty());
  }

  @Test
  void aControlRecordNamingNoActionOrNoSeriesIsDeadLetteredWithItsReason() {
    Predictor p = new Predictor(SeriesExpiry.never());
    p.tick("a", T0, 100);
    p.control("a", "purge");
    p.control(null, StateControl.DELETE.code());
    List<TestRecord<byte[], byte[]>> dead = p.deadLetters.readRecordsToList();
    assertEquals(2, dead.size());
    assertEquals("bad-control", header(dead.get(0), DeadLetterHeaders.REASON));
    assertTrue(header(dead.get(0), DeadLetterHeaders.DETAIL).contains("'purge'"));
    assertEquals("missing-key", header(dead.get(1), DeadLetterHeaders.REASON));
    assertEquals(List.of("a"), p.stored(), "nothing applied");
    assertEquals(0.0, p.events("control"));
    assertEquals(
        1.0, p.meters.get("seqcast.dead.letters").tag("reason", "bad-control").counter().count());
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    assertNotNull(record.headers().lastHeader(name), name);
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }
}
