package dev.seqcast.forecast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.Prediction;
import dev.seqcast.forecast.PredictionSerde;
import dev.seqcast.forecast.PredictorMetrics;
import dev.seqcast.forecast.PredictorSettings;
import dev.seqcast.forecast.PredictorTopology;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Series built from tick records keep exactly what the predictor accepts, grouped by series. */
class SeriesFromTicksTest {

  private static final int MAX_BYTES = 1024;

  @TempDir Path stateDir;

  private record Raw(byte[] key, byte[] value) {}

  private static Raw tick(String series, long ts, double value) {
    return new Raw(utf8(series), TickCodec.encodeValue(ts, value));
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static SeriesFromTicks.Result collect(Pattern selection, int minimum, List<Raw> raws) {
    SeriesFromTicks collector = new SeriesFromTicks(MAX_BYTES, selection);
    raws.forEach(r -> collector.accept(r.key(), r.value()));
    return collector.finish(minimum);
  }

  @Test
  void groupsTicksBySeriesInArrivalOrderWithSeriesOrderedById() {
    SeriesFromTicks.Result result =
        collect(
            null,
            1,
            List.of(
                tick("b", 10, 1.0),
                tick("a", 5, 2.0),
                tick("b", 20, 3.0),
                tick("a", 7, 4.0),
                tick("b", 25, 5.0)));
    assertEquals(2, result.series().size());
    Series a = result.series().get(0);
    Series b = result.series().get(1);
    assertEquals("a", a.id());
    assertArrayEquals(new long[] {5, 7}, a.timestamps());
    assertArrayEquals(new double[] {2.0, 4.0}, a.values());
    assertEquals("b", b.id());
    assertArrayEquals(new long[] {10, 20, 25}, b.timestamps());
    assertArrayEquals(new double[] {1.0, 3.0, 5.0}, b.values());
    assertEquals(5, result.records());
    assertEquals(5, result.accepted());
    assertEquals(5, result.points());
    assertTrue(result.skipped().isEmpty());
  }

  @Test
  void skipsWhatThePredictorWouldDeadLetterAndCountsItByReason() {
    SeriesFromTicks.Result result =
        collect(
            null,
            1,
            List.of(
                tick("a", 10, 1.0),
                tick("a", 10, 1.5), // duplicate event time
                tick("a", 9, 1.5), // earlier than the last accepted
                tick("a", 11, -1.0), // log-returns need positive values
                tick("a", 12, 0.0),
                new Raw(utf8("a"), utf8("{\"ts\": 13, \"value\": ")),
                new Raw(utf8("a"), utf8("{\"value\": 2.0}")),
                new Raw(null, TickCodec.encodeValue(14, 2.0)),
                tick("a", 15, 2.0)));
    assertEquals(1, result.series().size());
    assertArrayEquals(new long[] {10, 15}, result.series().get(0).timestamps());
    Map<DlqReason, Long> expected = new EnumMap<>(DlqReason.class);
    expected.put(DlqReason.DUPLICATE, 1L);
    expected.put(DlqReason.OUT_OF_ORDER, 1L);
    expected.put(DlqReason.UNSUPPORTED_VALUE, 2L);
    expected.put(DlqReason.MALFORMED_JSON, 1L);
    expected.put(DlqReason.MISSING_FIELD, 1L);
    expected.put(DlqReason.MISSING_KEY, 1L);
    assertEquals(expected, result.skipped());
    assertEquals(9, result.records());
    assertEquals(2, result.accepted());
  }

  @Test
  void aSelectionKeepsWholeIdMatchesAndCountsTheRestBeforeCheckingThem() {
    SeriesFromTicks.Result result =
        collect(
            Pattern.compile("AAPL|MSFT"),
            1,
            List.of(
                tick("AAPL", 1, 1.0),
                tick("AAPLX", 1, 1.0), // matches only in part
                tick("IBM", 1, 1.0),
                new Raw(utf8("IBM"), utf8("not json")), // not selected, so not checked
                new Raw(utf8("MSFT"), utf8("not json")),
                new Raw(null, utf8("{}")), // no series to select by
                tick("MSFT", 2, 1.0)));
    assertEquals(List.of("AAPL", "MSFT"), result.series().stream().map(Series::id).toList());
    assertEquals(3, result.notSelected());
    assertEquals(Map.of(DlqReason.MALFORMED_JSON, 1L, DlqReason.MISSING_KEY, 1L), result.skipped());
    assertEquals(7, result.records());
  }

  @Test
  void seriesWithTooFewPointsAreReportedAndLeftOut() {
    List<Raw> raws = new ArrayList<>();
    for (int t = 0; t < 5; t++) {
      raws.add(tick("long", t, 1.0 + t));
    }
    for (int t = 0; t < 4; t++) {
      raws.add(tick("short", t, 1.0 + t));
    }
    SeriesFromTicks.Result result = collect(null, 5, raws);
    assertEquals(List.of("long"), result.series().stream().map(Series::id).toList());
    assertEquals(Map.of("short", 4), result.tooShort());
    assertEquals(5, result.minimumPoints());
    assertEquals(9, result.accepted());
    assertEquals(5, result.points());
  }

  /**
   * A seeded mix of good and bad records through the real predictor topology and through the
   * collector: every record the predictor dead-letters is skipped for the same reason, and every
   * record it predicts on is a point of its series, in the same order.
   */
  @Test
  void skipsExactlyTheRecordsThePredictorDeadLettersForTheSameReasons() {
    Random random = new Random(17);
    List<String> names = List.of("a", "b", "c");
    Map<String, Long> lastTs = new HashMap<>();
    List<Raw> raws = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      String series = names.get(random.nextInt(names.size()));
      Long last = lastTs.get(series);
      int kind = random.nextInt(24);
      if (last == null || kind >= 10) {
        long ts = (last == null ? 1_000_000 : last) + 1 + random.nextInt(3) * 86_400_000L;
        lastTs.put(series, ts);
        raws.add(tick(series, ts, 50 + 10 * Math.sin(i / 7.0) + random.nextDouble()));
        continue;
      }
      raws.add(
          switch (kind) {
            case 0 -> tick(series, last, 50); // duplicate
            case 1 -> tick(series, last - 1 - random.nextInt(1000), 50); // out of order
            case 2 -> tick(series, last + 1, -random.nextDouble()); // unsupported value
            case 3 -> new Raw(utf8(series), utf8("{\"ts\": " + last + ", \"value\": "));
            case 4 -> new Raw(utf8(series), utf8("{\"ts\": \"later\", \"value\": 1}"));
            case 5 -> new Raw(utf8(series), utf8("{\"ts\": " + (last + 1) + "}"));
            case 6 -> new Raw(null, TickCodec.encodeValue(last + 1, 1));
            case 7 -> new Raw(utf8(series), null);
            case 8 -> new Raw(utf8(series), new byte[MAX_BYTES + 1]);
            default -> new Raw(new byte[] {(byte) 0xff, (byte) 0xfe}, TickCodec.encodeValue(1, 1));
          });
    }

    SeriesFromTicks.Result result = collect(null, 1, raws);

    Map<DlqReason, Long> deadLettered = new EnumMap<>(DlqReason.class);
    Map<String, List<Prediction>> predicted = new HashMap<>();
    runThroughThePredictor(raws, deadLettered, predicted);

    assertEquals(deadLettered, result.skipped());
    for (DlqReason reason :
        List.of(
            DlqReason.DUPLICATE,
            DlqReason.OUT_OF_ORDER,
            DlqReason.UNSUPPORTED_VALUE,
            DlqReason.MALFORMED_JSON,
            DlqReason.WRONG_TYPE,
            DlqReason.MISSING_FIELD,
            DlqReason.MISSING_KEY,
            DlqReason.MISSING_VALUE,
            DlqReason.OVERSIZED,
            DlqReason.BAD_KEY)) {
      assertTrue(result.skipped().getOrDefault(reason, 0L) > 0, "the mix has " + reason);
    }
    assertEquals(names.size(), result.series().size());
    for (Series s : result.series()) {
      List<Prediction> forSeries = predicted.get(s.id());
      assertEquals(forSeries.size(), s.size(), s.id());
      for (int t = 0; t < s.size(); t++) {
        assertEquals(forSeries.get(t).ts(), s.timestamps()[t], s.id() + " ts at " + t);
        assertEquals(forSeries.get(t).observed(), s.values()[t], s.id() + " value at " + t);
      }
    }
    assertEquals(raws.size(), result.accepted() + sum(result.skipped()));
  }

  private void runThroughThePredictor(
      List<Raw> raws, Map<DlqReason, Long> deadLettered, Map<String, List<Prediction>> predicted) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "series-from-ticks-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    ModelRegistry registry = new ModelRegistry(1, (source, reason, detail) -> {});
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            PredictorTopology.build(
                new PredictorSettings("sp500", 16, MAX_BYTES),
                registry,
                new PredictorMetrics(new SimpleMeterRegistry(), Set.of())),
            props)) {
      ModelBundle model = TestModels.random("sp500", 1, 8, 3);
      driver
          .createInputTopic(Topics.MODELS, new StringSerializer(), new ByteArraySerializer())
          .pipeInput(ModelPublisher.key("sp500", 1), model.encode());
      TestInputTopic<byte[], byte[]> ticks =
          driver.createInputTopic(
              Topics.TICKS, new ByteArraySerializer(), new ByteArraySerializer());
      raws.forEach(r -> ticks.pipeInput(r.key(), r.value()));
      for (TestRecord<byte[], byte[]> dead :
          driver
              .createOutputTopic(
                  Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer())
              .readRecordsToList()) {
        String code =
            new String(
                dead.headers().lastHeader(DeadLetterHeaders.REASON).value(),
                StandardCharsets.UTF_8);
        DlqReason reason =
            List.of(DlqReason.values()).stream()
                .filter(r -> r.code().equals(code))
                .findFirst()
                .orElseThrow();
        deadLettered.merge(reason, 1L, Long::sum);
      }
      for (Prediction p :
          driver
              .createOutputTopic(
                  Topics.PREDICTIONS,
                  new StringDeserializer(),
                  new PredictionSerde().deserializer())
              .readValuesToList()) {
        predicted.computeIfAbsent(p.series(), s -> new ArrayList<>()).add(p);
      }
    }
  }

  private static long sum(Map<DlqReason, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }
}
