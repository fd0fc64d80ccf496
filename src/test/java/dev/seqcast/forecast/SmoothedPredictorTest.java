package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesCsv;
import dev.seqcast.forecast.train.HorizonTrainer;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ExponentialSmoothing;
import dev.seqcast.model.HorizonForecaster;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.SmoothingSpec;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The predictor topology running smoothed multi-horizon models, checked against {@link
 * HorizonForecaster} stepped offline over the same ticks.
 */
class SmoothedPredictorTest {

  private static final long HOUR = 3_600_000L;
  private static final Path SEATTLE = Path.of("data/seattle-weather-hourly-normals.csv");

  @TempDir Path stateDir;

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final List<String> refusals = new ArrayList<>();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> ticks;
  private TestInputTopic<String, byte[]> models;
  private TestOutputTopic<String, Prediction> predictions;
  private TestOutputTopic<byte[], byte[]> deadLetters;

  private void startDriver(PredictorSettings settings) {
    ModelRegistry registry =
        PredictorApp.registry(
            (source, reason, detail) -> refusals.add(reason + ": " + detail),
            null,
            settings.forecast().horizon());
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "smoothed-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver =
        new TopologyTestDriver(
            PredictorTopology.build(settings, registry, new PredictorMetrics(meters)), props);
    ticks =
        driver.createInputTopic(Topics.TICKS, new ByteArraySerializer(), new ByteArraySerializer());
    models =
        driver.createInputTopic(Topics.MODELS, new StringSerializer(), new ByteArraySerializer());
    predictions =
        driver.createOutputTopic(
            Topics.PREDICTIONS, new StringDeserializer(), new PredictionSerde().deserializer());
    deadLetters =
        driver.createOutputTopic(
            Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @AfterEach
  void stop() {
    if (driver != null) {
      driver.close();
    }
  }

  private static PredictorSettings settings(String model, int horizon) {
    ForecastSettings d = ForecastSettings.defaults();
    return new PredictorSettings(model, 64, 1024)
        .withForecast(
            new ForecastSettings(
                d.intervalCoverage(), d.intervalWindow(), horizon, d.anomalyThreshold()));
  }

  private void publish(ModelBundle bundle) {
    models.pipeInput(
        ModelPublisher.key(bundle.header().name(), bundle.header().version()), bundle.encode());
  }

  private void tick(String series, long ts, double value, Map<String, Double> features) {
    StringBuilder json = new StringBuilder();
    json.append("{\"ts\":").append(ts).append(",\"value\":").append(value);
    if (!features.isEmpty()) {
      json.append(",\"features\":{");
      String sep = "";
      for (Map.Entry<String, Double> f : features.entrySet()) {
        json.append(sep).append('"').append(f.getKey()).append("\":").append(f.getValue());
        sep = ",";
      }
      json.append('}');
    }
    json.append('}');
    ticks.pipeInput(utf8(series), utf8(json.toString()));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** A smoothed bundle of {@code spec} named {@code name} with seeded Gaussian weights. */
  private static ModelBundle smoothed(String name, long version, SmoothingSpec spec, long seed) {
    ModelHeader header =
        ModelHeader.smoothed(
            name,
            version,
            CellType.LSTM,
            8,
            1,
            spec,
            Map.of("data", "test"),
            Map.of(),
            Instant.parse("2026-01-01T00:00:00Z"));
    Random random = new Random(seed);
    float[] weights = new float[header.weightCount()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextGaussian() * 0.3);
    }
    return new ModelBundle(header, weights);
  }

  private static boolean close(double expected, double actual) {
    return Math.abs(expected - actual) <= 1e-5 * Math.max(1, Math.abs(expected));
  }

  @Test
  void everyForecastOfATrainedSmoothedModelEqualsTheForecasterSteppedOfflineOverTheSameTicks()
      throws Exception {
    Series temperature = SeriesCsv.loadWithoutGaps(SEATTLE, "temperature", null, "seattle").get(0);
    Series pressure = SeriesCsv.loadWithoutGaps(SEATTLE, "pressure", null, "seattle").get(0);
    int trainPoints = 600;
    int streamPoints = 1_300;
    int horizon = 6;
    Series train =
        new Series(
            "seattle",
            java.util.Arrays.copyOf(temperature.timestamps(), trainPoints),
            java.util.Arrays.copyOf(temperature.values(), trainPoints));
    double[][] trainPressure = {java.util.Arrays.copyOf(pressure.values(), trainPoints)};
    HorizonTrainer.Result trained =
        HorizonTrainer.train(
            List.of(train),
            List.of("pressure"),
            List.<double[][]>of(trainPressure),
            Map.of("data", SEATTLE.getFileName().toString()),
            new HorizonTrainer.Options(
                "seattle", 1, horizon, 24, 8, 1, 48, 64, 1, 0, 1, 0.2, 0.02, 7),
            (epoch, total, loss) -> {});
    // The trainer chose the smoothing, calendar and tick standardisation on the real series; the
    // network's weights are seeded, so the head surely moves every forecast off the smoothing's
    // own and the parity covers the kernel and head (a short training may keep the head of zeros).
    SmoothingSpec spec = trained.bundle().header().smoothing();
    ModelBundle bundle = ModelBundle.decode(smoothed("seattle", 1, spec, 17).encode());
    assertEquals(List.of("pressure"), spec.tickFeatures().stream().map(f -> f.name()).toList());
    assertFalse(spec.calendar().isEmpty(), "hourly data reads the calendar");

    startDriver(settings("seattle", horizon));
    publish(bundle);
    assertEquals(List.of(), refusals);

    // The ticks: the series' first 1,300 hours with two holes (3 hours, then 40, longer than the
    // gap steps the network takes), every seventh tick without its pressure.
    HorizonForecaster offline = new HorizonForecaster(RecurrentModel.from(bundle));
    float[] recurrent = offline.newRecurrentState();
    ExponentialSmoothing.State smoothing = offline.newSmoothingState();
    double[] expected = new double[horizon];
    List<double[]> expectedByTick = new ArrayList<>();
    List<Long> expectedGaps = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    for (int t = 0; t < streamPoints; t++) {
      if ((t >= 400 && t < 403) || (t >= 900 && t < 940)) {
        continue;
      }
      long ts = temperature.timestamps()[t];
      double value = temperature.values()[t];
      boolean withPressure = t % 7 != 3;
      tick(
          "seattle",
          ts,
          value,
          withPressure ? Map.of("pressure", pressure.values()[t]) : Map.of("wind", 3.0));
      expectedGaps.add(offline.inputs().missedSteps(smoothing, ts));
      double[] features = {withPressure ? pressure.values()[t] : Double.NaN};
      offline.step(recurrent, smoothing, value, ts, features, expected);
      expectedByTick.add(expected.clone());
      times.add(ts);
    }
    List<Prediction> got = predictions.readValuesToList();
    int n = times.size();
    assertTrue(n >= 1_000, n + " ticks");
    assertEquals(n * horizon, got.size(), "H predictions per tick");
    assertTrue(deadLetters.isEmpty());
    int gaps = 0;
    double largestDifference = 0;
    for (int i = 0; i < n; i++) {
      for (int h = 1; h <= horizon; h++) {
        Prediction p = got.get(i * horizon + h - 1);
        double want = expectedByTick.get(i)[h - 1];
        assertEquals(h, p.horizon());
        assertEquals(times.get(i), p.ts());
        assertTrue(close(want, p.value()), "tick " + i + " h " + h + ": " + want + " vs " + p);
        largestDifference = Math.max(largestDifference, Math.abs(want - p.value()));
        assertEquals(expectedGaps.get(i), p.gap(), "tick " + i);
        if (p.hasInterval()) {
          Prediction first = got.get(i * horizon);
          assertEquals(
              (first.hi() - first.value()) * Math.sqrt(h), p.hi() - p.value(), 1e-9, "sqrt(h)");
        }
      }
      gaps += expectedGaps.get(i) > 0 ? 1 : 0;
    }
    assertEquals(List.of(3L, 40L), expectedGaps.stream().filter(g -> g > 0).toList());
    assertEquals(2, gaps);
    assertTrue(got.get(n * horizon - 1).hasInterval(), "intervals calibrate per series");
    // The head adds something to the smoothing: the forecasts are not the smoothing's own.
    double[] smoothingAlone = new double[horizon];
    offline.inputs().forecasts(smoothing, null, smoothingAlone);
    for (int h = 0; h < horizon; h++) {
      assertTrue(Math.abs(smoothingAlone[h] - expectedByTick.get(n - 1)[h]) > 1e-3, "h " + h);
    }
    System.out.printf(
        Locale.ROOT,
        "smoothed parity: %d ticks x %d horizons, largest |stream - offline| %.3g%n",
        n,
        horizon,
        largestDifference);
  }

  @Test
  void zerosAndNegativesFlowForAnAdditiveSmoothedModelAndAreDeadLetteredForLogTransforms() {
    SmoothingSpec additive =
        TestModels.smoothing(SmoothingSpec.Transform.ADDITIVE, 1, 0.3, 0, 1, 0, 3);
    SmoothingSpec log = TestModels.smoothing(SmoothingSpec.Transform.LOG, 1, 0.3, 0, 1, 0, 3);
    startDriver(
        settings("flows", 3)
            .withRoutes(
                List.of(
                    ModelRouting.Route.parse("prices.*=sp500"),
                    ModelRouting.Route.parse("logs.*=logs"))));
    publish(smoothed("flows", 1, additive, 3));
    publish(TestModels.random("sp500", 1, 8, 11));
    publish(smoothed("logs", 1, log, 4));
    assertEquals(List.of(), refusals);
    double[] values = {2, 1, 0, -1, -2.5, 0, 3};
    for (int t = 0; t < values.length; t++) {
      tick("temps", t * HOUR, values[t], Map.of());
      tick("prices-a", t * HOUR, values[t], Map.of());
      tick("logs-a", t * HOUR, values[t], Map.of());
    }
    List<Prediction> got = predictions.readValuesToList();
    List<Prediction> temps = got.stream().filter(p -> p.series().equals("temps")).toList();
    assertEquals(values.length * 3, temps.size(), "every value of the additive model forecast");
    assertTrue(temps.stream().allMatch(p -> Double.isFinite(p.value()) && p.gap() == 0));
    List<Long> priceTicks =
        got.stream()
            .filter(p -> p.series().equals("prices-a") && p.horizon() == 1)
            .map(p -> p.ts() / HOUR)
            .toList();
    List<Long> logTicks =
        got.stream()
            .filter(p -> p.series().equals("logs-a") && p.horizon() == 1)
            .map(p -> p.ts() / HOUR)
            .toList();
    assertEquals(List.of(0L, 1L, 6L), priceTicks, "only positive values reach the log models");
    assertEquals(List.of(0L, 1L, 6L), logTicks);
    List<TestRecord<byte[], byte[]>> dead = deadLetters.readRecordsToList();
    assertEquals(8, dead.size());
    for (TestRecord<byte[], byte[]> record : dead) {
      String series = new String(record.key(), StandardCharsets.UTF_8);
      assertEquals("unsupported-value", header(record, DeadLetterHeaders.REASON));
      String detail = header(record, DeadLetterHeaders.DETAIL);
      String transform =
          series.startsWith("logs") ? "smoothed-log/ew-volatility" : "log-return/ew-volatility";
      assertTrue(detail.contains(transform), detail);
      assertTrue(detail.contains("not positive"), detail);
    }
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
  }

  @Test
  void aSmoothedBundleWithFewerHorizonsThanServedIsRefusedAndTheRunningModelStays() {
    SmoothingSpec six = TestModels.smoothing(SmoothingSpec.Transform.ADDITIVE, 1, 0.3, 0, 1, 0, 6);
    SmoothingSpec three =
        TestModels.smoothing(SmoothingSpec.Transform.ADDITIVE, 1, 0.3, 0, 1, 0, 3);
    startDriver(settings("temps", 6));
    publish(smoothed("temps", 1, six, 5));
    tick("a", 0, 1.5, Map.of());
    publish(smoothed("temps", 2, three, 6));
    tick("a", HOUR, -1.5, Map.of());

    assertEquals(1, refusals.size(), refusals.toString());
    String refusal = refusals.get(0);
    assertTrue(refusal.startsWith("invalid-model: "), refusal);
    assertTrue(refusal.contains("horizons 1..3") && refusal.contains("--horizon"), refusal);
    List<Prediction> got = predictions.readValuesToList();
    assertEquals(12, got.size());
    assertTrue(got.stream().allMatch(p -> p.modelVersion() == 1), got.toString());
  }

  @Test
  void aSwapToASmoothedModelReWarmsItOverTheRingAtTheNominalSpacing() {
    SmoothingSpec spec =
        TestModels.smoothing(SmoothingSpec.Transform.ADDITIVE, 4, 0.3, 0, 1, 0.2, 2);
    startDriver(settings("temps", 2));
    publish(TestModels.random("temps", 1, 8, 12)); // one-step log-return model first
    List<Double> values = new ArrayList<>();
    for (int t = 0; t < 20; t++) {
      values.add(5 + Math.sin(t));
      tick("a", t * HOUR, values.get(t), Map.of());
    }
    ModelBundle next = smoothed("temps", 2, spec, 8);
    publish(next);
    tick("a", 25 * HOUR, 4.0, Map.of()); // after 5 missed hours

    List<Prediction> got = predictions.readValuesToList();
    Prediction h1 = got.get(got.size() - 2);
    Prediction h2 = got.get(got.size() - 1);
    assertEquals(2, h1.modelVersion());
    assertEquals(5, h1.gap());
    HorizonForecaster offline = new HorizonForecaster(RecurrentModel.from(next));
    float[] recurrent = offline.newRecurrentState();
    ExponentialSmoothing.State smoothing = offline.newSmoothingState();
    for (int t = 0; t < 20; t++) {
      offline.observe(recurrent, smoothing, values.get(t), t * HOUR, null);
    }
    double[] expected = new double[2];
    offline.step(recurrent, smoothing, 4.0, 25 * HOUR, null, expected);
    assertEquals(expected[0], h1.value(), 1e-9);
    assertEquals(expected[1], h2.value(), 1e-9);
    assertEquals(2, h2.horizon());
  }

  @Test
  void aSmoothedShadowStepsBesideAOneStepModelAndIsAdoptedWithItsStatesOnPromotion() {
    SmoothingSpec spec = TestModels.smoothing(SmoothingSpec.Transform.LOG, 1, 0.5, 0, 1, 0, 2);
    ModelBundle v1 = TestModels.random("prices", 1, 8, 21);
    ModelBundle v2 = smoothed("prices", 2, spec, 22);
    startDriver(settings("prices", 2));
    publish(v1);
    models.pipeInput(
        ModelControl.key("prices"), new ModelControl(1L, null, "hold", Instant.EPOCH).encode());
    publish(v2);
    models.pipeInput(
        ModelControl.key("prices"), new ModelControl(1L, 2L, "try", Instant.EPOCH).encode());
    HorizonForecaster offline = new HorizonForecaster(RecurrentModel.from(v2));
    float[] recurrent = offline.newRecurrentState();
    ExponentialSmoothing.State smoothing = offline.newSmoothingState();
    double[] expected = new double[2];
    int n = 40;
    for (int t = 0; t < n; t++) {
      double value = 100 + 5 * Math.sin(t / 3.0);
      // a gap of three hours a re-warm over the ring could not see
      long ts = (t < 20 ? t : t + 3) * HOUR;
      tick("a", ts, value, Map.of());
      offline.step(recurrent, smoothing, value, ts, null, expected);
    }
    List<Prediction> before = predictions.readValuesToList();
    assertEquals(2 * n, before.size(), "the shadow emits nothing");
    assertTrue(before.stream().allMatch(p -> p.modelVersion() == 1));
    assertEquals(
        n - 1,
        meters.get("seqcast.shadow.forecast.abs.error").tag("version", "2").summary().count());

    models.pipeInput(
        ModelControl.key("prices"), new ModelControl(2L, null, "promote", Instant.EPOCH).encode());
    tick("a", (n + 5) * HOUR, 101, Map.of()); // after two missed hours
    offline.step(recurrent, smoothing, 101, (n + 5) * HOUR, null, expected);
    List<Prediction> after = predictions.readValuesToList();
    assertEquals(2, after.size());
    for (int h = 1; h <= 2; h++) {
      Prediction p = after.get(h - 1);
      assertEquals(2, p.modelVersion());
      assertEquals(2, p.gap());
      assertEquals(expected[h - 1], p.value(), 0.0, "the shadow's own states, not a re-warm");
    }
  }
}
