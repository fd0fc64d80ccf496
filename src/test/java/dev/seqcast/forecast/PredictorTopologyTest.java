package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.FeatureTransform;
import dev.seqcast.model.Forecaster;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.ModelControl;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The predictor topology driven record by record, checked against the kernel run directly. */
class PredictorTopologyTest {

  private static final int RING = 16;

  @TempDir Path stateDir;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> refusals = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> ticks;
  private TestInputTopic<String, byte[]> models;
  private TestOutputTopic<String, Prediction> predictions;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  @BeforeEach
  void start() {
    startDriver(
        new PredictorSettings("sp500", RING, 1024), new PredictorMetrics(meters, Set.of("a")));
  }

  private void startDriver(PredictorSettings settings, PredictorMetrics metrics) {
    ModelRegistry registry = new ModelRegistry(1, (source, reason, detail) -> refusals.add(reason));
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "predictor-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver = new TopologyTestDriver(PredictorTopology.build(settings, registry, metrics), props);
    ticks =
        driver.createInputTopic(Topics.TICKS, new ByteArraySerializer(), new ByteArraySerializer());
    models =
        driver.createInputTopic(Topics.MODELS, new StringSerializer(), new ByteArraySerializer());
    predictions =
        driver.createOutputTopic(
            Topics.PREDICTIONS,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new PredictionSerde().deserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private void publish(ModelBundle bundle) {
    models.pipeInput(
        ModelPublisher.key(bundle.header().name(), bundle.header().version()), bundle.encode());
  }

  private void tick(String series, long ts, double value) {
    ticks.pipeInput(utf8(series), TickCodec.encodeValue(ts, value));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static double price(String series, int t) {
    return 100 + series.hashCode() % 7 + 10 * Math.sin(t / 5.0) + t * 0.1;
  }

  /** What the predictor must emit for each value of one series, computed without Kafka. */
  private static List<Double> expectedForecasts(ModelBundle bundle, List<Double> values) {
    RecurrentModel model = RecurrentModel.from(bundle);
    FeatureTransform transform = new FeatureTransform(model.normalisation());
    FeatureTransform.State features = transform.newState();
    StepKernel kernel = model.newKernel();
    float[] state = new float[model.stateSize()];
    float[] out = new float[1];
    List<Double> forecasts = new ArrayList<>();
    for (double v : values) {
      kernel.step(state, new float[] {transform.next(features, v)});
      kernel.output(state, out);
      forecasts.add(transform.forecast(features, out[0]));
    }
    return forecasts;
  }

  @Test
  void everyTickYieldsOnePredictionEqualToTheKernelRunDirectly() {
    ModelBundle bundle = TestModels.random("sp500", 1, 8, 11);
    publish(bundle);
    List<String> series = List.of("a", "b", "c");
    Map<String, List<Double>> values = new HashMap<>();
    for (int t = 0; t < 200; t++) {
      for (String s : series) {
        tick(s, 1_000L * t, price(s, t));
        values.computeIfAbsent(s, k -> new ArrayList<>()).add(price(s, t));
      }
    }
    Map<String, List<Prediction>> bySeries = new HashMap<>();
    for (Prediction p : predictions.readValuesToList()) {
      bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
    }
    assertTrue(deadLetters.isEmpty());
    for (String s : series) {
      List<Prediction> got = bySeries.get(s);
      assertEquals(200, got.size(), "one prediction per tick of " + s);
      List<Double> expected = expectedForecasts(bundle, values.get(s));
      for (int t = 0; t < 200; t++) {
        Prediction p = got.get(t);
        assertEquals(1_000L * t, p.ts(), "in event-time order");
        assertEquals(expected.get(t), p.value(), 1e-9, s + " at " + t);
        assertEquals(values.get(s).get(t), p.observed());
        assertEquals("sp500", p.model());
        assertEquals(1, p.modelVersion());
        assertEquals(1, p.horizon());
      }
    }
    assertEquals(600.0, meters.get("seqcast.events").tag("outcome", "predicted").counter().count());
  }

  @Test
  void ticksInAProducersOwnShapeGiveThePredictionsOfTheirDefaultShapedTwins() {
    driver.close();
    startDriver(
        new PredictorSettings("sp500", RING, 1024)
            .withTickMapping(
                new TickMapping("sym", "quote.px", "t", TickMapping.TimeFormat.ISO_8601)),
        new PredictorMetrics(meters, Set.of()));
    ModelBundle bundle = TestModels.random("sp500", 1, 8, 11);
    publish(bundle);
    List<Double> values = new ArrayList<>();
    for (int t = 0; t < 50; t++) {
      values.add(price("AAPL", t));
      ticks.pipeInput(
          (byte[]) null,
          utf8(
              "{\"sym\":\"AAPL\",\"t\":\""
                  + java.time.Instant.ofEpochSecond(60L * t)
                  + "\",\"quote\":{\"px\":"
                  + price("AAPL", t)
                  + "}}"));
    }
    ticks.pipeInput((byte[]) null, utf8("{\"sym\":\"AAPL\",\"t\":\"2030-01-01T00:00:00Z\"}"));

    List<Prediction> got = predictions.readValuesToList();
    List<Double> expected = expectedForecasts(bundle, values);
    assertEquals(50, got.size());
    for (int t = 0; t < 50; t++) {
      assertEquals("AAPL", got.get(t).series());
      assertEquals(60_000L * t, got.get(t).ts());
      assertEquals(expected.get(t), got.get(t).value(), 1e-9);
    }
    TestRecord<byte[], byte[]> dead = deadLetters.readRecord();
    assertEquals("missing-field", header(dead.headers(), DeadLetterHeaders.REASON));
    assertEquals(
        "field 'quote.px' (--value-field) is missing",
        header(dead.headers(), DeadLetterHeaders.DETAIL));
  }

  @Test
  void badRecordsAreDeadLetteredWithReasonAndSourceWhileGoodOnesFlow() {
    publish(TestModels.random("sp500", 1, 8, 11));
    tick("a", 1, 100);
    ticks.pipeInput(utf8("a"), utf8("{\"ts\": 2, \"value\": "));
    ticks.pipeInput((byte[]) null, TickCodec.encodeValue(3, 100));
    ticks.pipeInput(utf8("a"), utf8("{\"ts\": 4, \"value\": -3}"));
    ticks.pipeInput(
        utf8("a"), utf8("{\"ts\": 5, \"value\": 1, \"pad\": \"" + "x".repeat(2000) + "\"}"));
    tick("a", 6, 101);

    assertEquals(
        List.of(1L, 6L), predictions.readValuesToList().stream().map(Prediction::ts).toList());
    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertEquals(
        List.of("malformed-json", "missing-key", "unsupported-value", "oversized"),
        dead.stream().map(r -> header(r.headers(), DeadLetterHeaders.REASON)).toList());
    TestRecord<byte[], byte[]> first = dead.get(0);
    assertEquals("{\"ts\": 2, \"value\": ", new String(first.value(), StandardCharsets.UTF_8));
    assertEquals("a", new String(first.key(), StandardCharsets.UTF_8));
    assertEquals(Topics.TICKS, header(first.headers(), DeadLetterHeaders.SOURCE_TOPIC));
    assertEquals("0", header(first.headers(), DeadLetterHeaders.SOURCE_PARTITION));
    assertEquals("1", header(first.headers(), DeadLetterHeaders.SOURCE_OFFSET));
    assertNotNull(header(first.headers(), DeadLetterHeaders.DETAIL));
    assertEquals(
        1.0, meters.get("seqcast.dead.letters").tag("reason", "malformed-json").counter().count());
  }

  @Test
  void staleTicksAreDeadLetteredAndNeverTouchState() {
    ModelBundle bundle = TestModels.random("sp500", 1, 8, 5);
    publish(bundle);
    List<Double> clean = new ArrayList<>();
    for (int t = 0; t < 30; t++) {
      tick("a", 10L * t, price("a", t));
      clean.add(price("a", t));
      if (t % 5 == 4) {
        tick("a", 10L * t, 999); // duplicate event time
        tick("a", 10L * t - 5, 1); // earlier than the last accepted
      }
    }
    List<Prediction> got = predictions.readValuesToList();
    List<Double> expected = expectedForecasts(bundle, clean);
    assertEquals(30, got.size());
    for (int t = 0; t < 30; t++) {
      assertEquals(expected.get(t), got.get(t).value(), 1e-9);
    }
    List<String> reasons =
        deadLetters.readRecordsToList().stream()
            .map(r -> header(r.headers(), DeadLetterHeaders.REASON))
            .toList();
    assertEquals(12, reasons.size());
    assertEquals(6, reasons.stream().filter("duplicate"::equals).count());
    assertEquals(6, reasons.stream().filter("out-of-order"::equals).count());
  }

  @Test
  void ticksBeforeAnyModelWarmTheStateForTheFirstPrediction() {
    List<Double> values = new ArrayList<>();
    for (int t = 0; t < 10; t++) {
      tick("a", t, price("a", t));
      values.add(price("a", t));
    }
    assertTrue(predictions.isEmpty());
    assertTrue(deadLetters.isEmpty());
    assertEquals(10.0, meters.get("seqcast.events").tag("outcome", "no_model").counter().count());

    ModelBundle bundle = TestModels.random("sp500", 1, 8, 9);
    publish(bundle);
    tick("a", 10, price("a", 10));
    values.add(price("a", 10));
    List<Double> expected = expectedForecasts(bundle, values);
    assertEquals(expected.get(10), predictions.readValue().value(), 1e-9);
  }

  @Test
  void aSwapRewarmsFromTheRingBufferAndARefusedBundleKeepsTheRunningModel() {
    ModelBundle v1 = TestModels.random("sp500", 1, 8, 1);
    publish(v1);
    List<Double> values = new ArrayList<>();
    for (int t = 0; t < 40; t++) {
      tick("a", t, price("a", t));
      values.add(price("a", t));
    }
    predictions.readValuesToList();

    byte[] corrupt = TestModels.random("sp500", 2, 8, 2).encode();
    corrupt[corrupt.length - 50] ^= 0x10;
    models.pipeInput(ModelPublisher.key("sp500", 2), corrupt);
    assertEquals(List.of("bad-checksum"), refusals);
    tick("a", 40, price("a", 40));
    values.add(price("a", 40));
    assertEquals(1, predictions.readValue().modelVersion(), "refused v2 must leave v1 running");

    ModelBundle v3 = TestModels.random("sp500", 3, 8, 3);
    publish(v3);
    tick("a", 41, price("a", 41));
    values.add(price("a", 41));
    Prediction afterSwap = predictions.readValue();
    assertEquals(3, afterSwap.modelVersion());
    // v3 re-warmed over the last RING values (41-16 .. 40), then stepped on the new tick
    List<Double> window = values.subList(values.size() - 1 - RING, values.size());
    List<Double> expected = expectedForecasts(v3, window);
    assertEquals(expected.get(expected.size() - 1), afterSwap.value(), 1e-9);

    publish(TestModels.random("sp500", 2, 8, 4));
    assertEquals(List.of("bad-checksum", "version-not-newer"), refusals);
  }

  @Test
  void eachForecastIsScoredWhenTheNextTickArrivesAndCarriesTheConformalIntervalOfItsErrors() {
    publish(TestModels.random("sp500", 1, 8, 21));
    int n = 120;
    for (int t = 0; t < n; t++) {
      tick("a", t, price("a", t));
      tick("b", t, price("b", t) * (1 + 0.01 * Math.cos(t)));
    }
    Map<String, List<Prediction>> bySeries = new HashMap<>();
    for (Prediction p : predictions.readValuesToList()) {
      bySeries.computeIfAbsent(p.series(), k -> new ArrayList<>()).add(p);
    }
    double absSum = 0;
    double squaredSum = 0;
    long inside = 0;
    long outside = 0;
    int window = ConformalInterval.DEFAULT_WINDOW;
    for (List<Prediction> got : bySeries.values()) {
      assertEquals(n, got.size());
      List<Double> magnitudes = new ArrayList<>();
      for (int t = 0; t < n; t++) {
        Prediction p = got.get(t);
        if (t > 0) {
          magnitudes.add((double) (float) Math.abs(p.observed() - got.get(t - 1).value()));
        }
        // t forecasts (made at ticks 0..t-1) are scored at tick t: 9 residuals give a 90% interval
        assertEquals(t >= 9, p.hasInterval(), "tick " + t);
        if (p.hasInterval()) {
          assertTrue(p.lo() < p.value() && p.value() < p.hi(), p.toString());
          // the half-width is the ceil((m + 1) 0.9)-th smallest of the last m <= 100 residuals
          List<Double> recent =
              new ArrayList<>(magnitudes.subList(Math.max(0, t - window), magnitudes.size()));
          recent.sort(null);
          int rank = (int) Math.ceil((recent.size() + 1) * 0.9 - 1e-9);
          double expected = recent.get(rank - 1);
          assertEquals(expected, p.hi() - p.value(), 1e-9 * p.value(), "tick " + t);
          assertEquals(expected, p.value() - p.lo(), 1e-9 * p.value(), "tick " + t);
        }
        if (t > 0) {
          Prediction previous = got.get(t - 1);
          double error = p.observed() - previous.value();
          absSum += Math.abs(error);
          squaredSum += error * error;
          if (previous.hasInterval()) {
            if (Math.abs(error) <= (previous.hi() - previous.lo()) / 2) {
              inside++;
            } else {
              outside++;
            }
          }
        }
      }
    }
    var abs = meters.get("seqcast.forecast.abs.error").tag("model", "sp500").summary();
    var squared = meters.get("seqcast.forecast.squared.error").tag("model", "sp500").summary();
    assertEquals(2L * (n - 1), abs.count(), "every forecast but each series' last is scored");
    assertEquals(absSum, abs.totalAmount(), 1e-6 * absSum);
    assertEquals(squaredSum, squared.totalAmount(), 1e-6 * squaredSum);
    assertTrue(inside + outside > 0);
    assertEquals(
        (double) inside,
        meters.get("seqcast.forecast.interval").tag("result", "inside").counter().count());
    assertEquals(
        (double) outside,
        meters.get("seqcast.forecast.interval").tag("result", "outside").counter().count());
  }

  @Test
  void horizonsOneToHAreRolledFromACopyWithoutChangingTheLiveState() {
    driver.close();
    int horizon = 5;
    startDriver(
        new PredictorSettings("sp500", RING, 1024)
            .withForecast(new ForecastSettings(0.8, 50, horizon, 3.0)),
        new PredictorMetrics(meters));
    ModelBundle bundle = TestModels.random("sp500", 1, 8, 31);
    publish(bundle);
    List<Double> values = new ArrayList<>();
    int n = 60;
    for (int t = 0; t < n; t++) {
      tick("a", t, price("a", t));
      values.add(price("a", t));
    }
    List<Prediction> got = predictions.readValuesToList();
    assertEquals(n * horizon, got.size(), "H predictions per tick");
    // Horizon 1 is exactly what a horizon-1 predictor emits: rolling forward left the state alone.
    List<Double> oneStep = expectedForecasts(bundle, values);
    Forecaster forecaster = new Forecaster(RecurrentModel.from(bundle));
    float[] state = forecaster.newRecurrentState();
    FeatureTransform.State features = forecaster.transform().newState();
    double[] rolled = new double[horizon];
    for (int t = 0; t < n; t++) {
      forecaster.step(state, features, values.get(t));
      forecaster.rollForward(state, features, rolled);
      for (int h = 1; h <= horizon; h++) {
        Prediction p = got.get(t * horizon + h - 1);
        assertEquals(h, p.horizon());
        assertEquals(t, p.ts());
        double expected = h == 1 ? oneStep.get(t) : rolled[h - 1];
        assertEquals(expected, p.value(), 1e-9, "tick " + t + " horizon " + h);
        if (p.hasInterval()) {
          double oneStepHalfWidth = got.get(t * horizon).hi() - got.get(t * horizon).value();
          assertEquals(
              oneStepHalfWidth * Math.sqrt(h), p.hi() - p.value(), 1e-9 * p.value(), "sqrt(h)");
        }
      }
    }
    assertEquals(
        (double) n, meters.get("seqcast.events").tag("outcome", "predicted").counter().count());
  }

  @Test
  void anInjectedSpikeIsAnAnomalyRecordAndCounted() {
    ModelBundle bundle = TestModels.random("sp500", 1, 8, 41);
    publish(bundle);
    TestOutputTopic<String, Anomaly> anomalies =
        driver.createOutputTopic(
            Topics.ANOMALIES,
            new org.apache.kafka.common.serialization.StringDeserializer(),
            new AnomalySerde().deserializer());
    int spikeAt = 150;
    for (int t = 0; t < 200; t++) {
      double value = price("a", t) * (t == spikeAt ? 1.5 : 1);
      tick("a", t, value);
    }
    List<Anomaly> found = anomalies.readValuesToList();
    Anomaly spike =
        found.stream()
            .filter(a -> a.ts() == spikeAt)
            .findFirst()
            .orElseThrow(() -> new AssertionError("spike not flagged: " + found));
    assertEquals("a", spike.series());
    assertEquals(Anomaly.JUMP, spike.kind());
    assertEquals(price("a", spikeAt) * 1.5, spike.observed());
    assertTrue(spike.observed() > spike.hi(), spike.toString());
    double halfWidth = (spike.hi() - spike.lo()) / 2;
    assertEquals((spike.observed() - spike.forecast()) / halfWidth, spike.score(), 1e-9);
    assertTrue(spike.score() >= spike.threshold(), spike.toString());
    assertEquals(1, spike.modelVersion());
    // Before the spike no value jumps out of its interval. (The random test model lags the sine,
    // so its residuals lean one way for stretches: the drift part may rightly fire there.)
    assertTrue(
        found.stream().noneMatch(a -> a.ts() < spikeAt && a.kind().equals(Anomaly.JUMP)),
        found.toString());
    assertEquals(
        (double) found.size(),
        meters.get("seqcast.anomalies").tag("model", "sp500").counter().count());
    // every scored tick with an interval is in the score histogram: forecasts of ticks 9..199
    assertEquals(200 - 10, meters.get("seqcast.anomaly.score").summary().count());
  }

  @Test
  void onlyAllowListedSeriesGetValueGaugesAlignedWithTheForecastMadeForThem() {
    publish(TestModels.random("sp500", 1, 8, 22));
    for (int t = 0; t < 30; t++) {
      tick("a", t, price("a", t));
      tick("b", t, price("b", t));
    }
    List<Prediction> ofA =
        predictions.readValuesToList().stream().filter(p -> p.series().equals("a")).toList();
    Prediction last = ofA.get(ofA.size() - 1);
    Prediction beforeLast = ofA.get(ofA.size() - 2);
    assertEquals(last.observed(), seriesGauge("a", "actual"));
    assertEquals(beforeLast.value(), seriesGauge("a", "predicted"));
    assertEquals(beforeLast.lo(), seriesGauge("a", "lo"));
    assertEquals(beforeLast.hi(), seriesGauge("a", "hi"));
    assertEquals(last.value(), seriesGauge("a", "next"));
    assertTrue(
        meters.find("seqcast.forecast.value").tag("series", "b").gauges().isEmpty(),
        "series b is not allow-listed");
  }

  @Test
  void aShadowStepsBesideTheLiveModelEmitsNothingAndIsAdoptedWarmOnPromotion() {
    ModelBundle v1 = TestModels.random("sp500", 1, 8, 31);
    ModelBundle v2 = TestModels.random("sp500", 2, 8, 32);
    publish(v1);
    models.pipeInput(
        ModelControl.key("sp500"), new ModelControl(1L, null, "hold v1", Instant.EPOCH).encode());
    publish(v2);
    models.pipeInput(
        ModelControl.key("sp500"), new ModelControl(1L, 2L, "try v2", Instant.EPOCH).encode());
    List<Double> values = new ArrayList<>();
    int n = 60;
    for (int t = 0; t < n; t++) {
      tick("a", t, price("a", t));
      values.add(price("a", t));
    }
    List<Prediction> got = predictions.readValuesToList();
    List<Double> live = expectedForecasts(v1, values);
    List<Double> shadow = expectedForecasts(v2, values);
    assertEquals(n, got.size(), "the shadow emits nothing");
    double shadowAbs = 0;
    for (int t = 0; t < n; t++) {
      assertEquals(1, got.get(t).modelVersion());
      assertEquals(live.get(t), got.get(t).value(), 1e-9);
      if (t > 0) {
        shadowAbs += Math.abs(values.get(t) - shadow.get(t - 1));
      }
    }
    var shadowErrors =
        meters.get("seqcast.shadow.forecast.abs.error").tag("version", "2").summary();
    assertEquals(n - 1, shadowErrors.count());
    assertEquals(shadowAbs, shadowErrors.totalAmount(), 1e-6 * shadowAbs);

    // promote: v2 goes live with the state it has built over the whole series
    models.pipeInput(
        ModelControl.key("sp500"), new ModelControl(2L, null, "promote", Instant.EPOCH).encode());
    tick("a", n, price("a", n));
    values.add(price("a", n));
    Prediction promoted = predictions.readValue();
    assertEquals(2, promoted.modelVersion());
    assertEquals(expectedForecasts(v2, values).get(n), promoted.value(), 1e-9);
  }

  @Test
  void routesSendSeriesToTheirOwnModelsInOneTopology() {
    driver.close();
    PredictorSettings routed =
        new PredictorSettings("sp500", RING, 1024)
            .withRoutes(List.of(ModelRouting.Route.parse("px\\..*=prices")));
    startDriver(routed, new PredictorMetrics(meters));
    ModelBundle sp500 = TestModels.random("sp500", 1, 8, 41);
    ModelBundle prices = TestModels.random("prices", 7, 8, 42);
    publish(sp500);
    publish(prices);
    List<Double> a = new ArrayList<>();
    List<Double> px = new ArrayList<>();
    for (int t = 0; t < 30; t++) {
      tick("a", t, price("a", t));
      tick("px.eurusd", t, price("px", t));
      a.add(price("a", t));
      px.add(price("px", t));
    }
    List<Prediction> got = predictions.readValuesToList();
    List<Prediction> ofA = got.stream().filter(p -> p.series().equals("a")).toList();
    List<Prediction> ofPx = got.stream().filter(p -> p.series().equals("px.eurusd")).toList();
    assertEquals(30, ofA.size());
    assertEquals(30, ofPx.size());
    List<Double> expectedA = expectedForecasts(sp500, a);
    List<Double> expectedPx = expectedForecasts(prices, px);
    for (int t = 0; t < 30; t++) {
      assertEquals("sp500", ofA.get(t).model());
      assertEquals("prices", ofPx.get(t).model());
      assertEquals(7, ofPx.get(t).modelVersion());
      assertEquals(expectedA.get(t), ofA.get(t).value(), 1e-9);
      assertEquals(expectedPx.get(t), ofPx.get(t).value(), 1e-9);
    }
    assertEquals(
        29, meters.get("seqcast.forecast.abs.error").tag("model", "prices").summary().count());
  }

  @Test
  void theSeriesGaugeCountsEachSeriesOnceAndTheDocumentedTopologyIsTheRealOne() throws Exception {
    publish(TestModels.random("sp500", 1, 8, 51));
    for (int t = 0; t < 20; t++) {
      for (String s : List.of("a", "b", "c")) {
        tick(s, t, price(s, t));
      }
    }
    tick("a", 3, 100); // stale: dead-lettered, not a new series
    assertEquals(3.0, meters.get("seqcast.state.series").gauge().value());

    String doc = java.nio.file.Files.readString(Path.of("docs/architecture.md"));
    int heading = doc.indexOf("## `Topology#describe()`");
    int open = doc.indexOf("```\n", heading) + 4;
    String documented = doc.substring(open, doc.indexOf("```", open));
    String actual =
        PredictorTopology.build(
                PredictorSettings.defaults(),
                new ModelRegistry(1, (source, reason, detail) -> {}),
                new PredictorMetrics(new SimpleMeterRegistry()))
            .describe()
            .toString();
    assertEquals(documented.strip(), actual.strip(), "docs/architecture.md is out of date");
  }

  private double seriesGauge(String series, String kind) {
    return meters
        .get("seqcast.forecast.value")
        .tag("series", series)
        .tag("kind", kind)
        .gauge()
        .value();
  }

  private static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }
}
