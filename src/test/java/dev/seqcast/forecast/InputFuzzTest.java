package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.BundleException;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;
import dev.seqcast.streams.ModelControl;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.HostileTicks;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Random and mutated bytes against every decoder and validator on the input path. Each decoder
 * either returns a valid value or throws its one documented exception type; nothing else escapes
 * (no NullPointerException, no ArithmeticException, no OutOfMemoryError from a forged length). The
 * topology property checks the end-to-end accounting: every record read becomes exactly one
 * prediction, one dead letter or one counted no-model acceptance, and processing never throws.
 */
class InputFuzzTest {

  private static final TickCodec CODEC = new TickCodec(TickCodec.DEFAULT_MAX_BYTES);
  private static final byte[] VALID_BUNDLE = TestModels.random("sp500", 3, 4, 7).encode();

  @Property(tries = 3000)
  void ticksDecodeOrFailWithAReason(
      @ForAll("tickValues") byte[] value, @ForAll("keys") byte[] key) {
    try {
      Tick tick = CODEC.decode(key, value);
      assertTrue(Double.isFinite(tick.value()), "accepted a non-finite value");
      assertTrue(tick.ts() >= 0, "accepted a negative event time");
      assertTrue(!tick.series().isEmpty(), "accepted an empty series id");
    } catch (InvalidRecordException e) {
      assertTrue(e.reason() != null && e.getMessage() != null);
    }
  }

  @Property(tries = 2000)
  void extremeNumbersAndEventTimesAreAcceptedExactlyOrRefusedWithAReason(
      @ForAll("extremeTickValues") byte[] value) {
    try {
      Tick tick = CODEC.decode("a".getBytes(StandardCharsets.UTF_8), value);
      assertTrue(Double.isFinite(tick.value()), "accepted a non-finite value");
      assertTrue(
          tick.ts() >= 0 && tick.ts() <= HostileTicks.MAX_TS,
          "accepted event time " + tick.ts() + " outside [0, 9999-12-31]");
      String text = new String(value, StandardCharsets.UTF_8);
      String sent = text.substring(text.indexOf(':') + 1, text.indexOf(',')).strip();
      assertEquals(
          0,
          new java.math.BigDecimal(sent).compareTo(java.math.BigDecimal.valueOf(tick.ts())),
          "event time " + tick.ts() + " is not the one sent: " + text);
    } catch (InvalidRecordException e) {
      assertTrue(e.reason() != null && e.getMessage() != null);
    }
  }

  @Property(tries = 2000)
  void bundlesDecodeOrAreRefusedWithAReason(@ForAll("mutatedBundles") byte[] bytes) {
    try {
      ModelBundle bundle = ModelBundle.decode(bytes);
      assertEquals(bundle.header().weightCount(), bundle.weights().length);
    } catch (BundleException e) {
      assertTrue(e.reason() != null);
    }
  }

  @Property(tries = 2000)
  void seriesStateDecodesOrIsASerializationError(@ForAll @Size(max = 600) byte[] bytes) {
    try {
      SeriesStateSerde.decode(bytes);
    } catch (SerializationException expected) {
      // the one documented failure
    }
  }

  @Property(tries = 1000)
  void predictionsDecodeOrAreASerializationError(@ForAll("tickValues") byte[] bytes) {
    try {
      PredictionSerde.decode(bytes);
    } catch (SerializationException expected) {
      // the one documented failure
    }
  }

  @Property(tries = 1000)
  void controlRecordsDecodeOrAreRefused(@ForAll("tickValues") byte[] bytes) {
    try {
      ModelControl control = ModelControl.decode(bytes);
      assertTrue(control.live() == null || control.live() >= 1);
    } catch (IllegalArgumentException expected) {
      // refused as bad-control
    }
  }

  @Property(tries = 40)
  void everyRecordIsAccountedForExactlyOnce(
      @ForAll("recordBatches") List<byte[][]> records, @ForAll boolean modelFirst)
      throws Exception {
    Path stateDir = Files.createTempDirectory("seqcast-fuzz");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fuzz");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    ModelRegistry registry = new ModelRegistry(1, (source, reason, detail) -> {});
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            PredictorTopology.build(
                PredictorSettings.defaults(), registry, new PredictorMetrics(meters)),
            props)) {
      TestInputTopic<byte[], byte[]> ticks =
          driver.createInputTopic(
              Topics.TICKS, new ByteArraySerializer(), new ByteArraySerializer());
      TestInputTopic<String, byte[]> models =
          driver.createInputTopic(Topics.MODELS, new StringSerializer(), new ByteArraySerializer());
      if (modelFirst) {
        models.pipeInput(
            ModelPublisher.key("sp500", 1), TestModels.random("sp500", 1, 4, 1).encode());
      }
      int half = records.size() / 2;
      for (int i = 0; i < records.size(); i++) {
        if (i == half && !modelFirst) {
          models.pipeInput(
              ModelPublisher.key("sp500", 1), TestModels.random("sp500", 1, 4, 1).encode());
        }
        ticks.pipeInput(records.get(i)[0], records.get(i)[1]);
      }
      List<TestRecord<String, byte[]>> predictions =
          driver
              .createOutputTopic(
                  Topics.PREDICTIONS, new StringDeserializer(), new ByteArrayDeserializer())
              .readRecordsToList();
      List<TestRecord<byte[], byte[]>> deadLetters =
          driver
              .createOutputTopic(
                  Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer())
              .readRecordsToList();
      double noModel = meters.get("seqcast.events").tag("outcome", "no_model").counter().count();
      assertEquals(
          records.size(),
          predictions.size() + deadLetters.size() + (long) noModel,
          "predictions "
              + predictions.size()
              + ", dead letters "
              + deadLetters.size()
              + ", no model "
              + noModel);
      assertEquals(
          (double) deadLetters.size(),
          meters.get("seqcast.events").tag("outcome", "dead_lettered").counter().count());
      assertEquals(
          (double) predictions.size(),
          meters.get("seqcast.events").tag("outcome", "predicted").counter().count());
      Map<String, Long> byReason = new HashMap<>();
      for (TestRecord<byte[], byte[]> dead : deadLetters) {
        var reason = dead.headers().lastHeader(DeadLetterHeaders.REASON);
        assertTrue(reason != null, "dead letter without a reason");
        byReason.merge(new String(reason.value(), StandardCharsets.UTF_8), 1L, Long::sum);
      }
      for (DlqReason reason : DlqReason.values()) {
        assertEquals(
            (double) byReason.getOrDefault(reason.code(), 0L),
            meters.get("seqcast.dead.letters").tag("reason", reason.code()).counter().count(),
            "dead letters counted as " + reason.code());
      }
      // A series' state only moves forward: its forecasts come in strictly increasing event time,
      // however late, repeated or extreme the input; and every forecast is a number.
      Map<String, Long> lastTs = new HashMap<>();
      for (TestRecord<String, byte[]> record : predictions) {
        Prediction p = PredictionSerde.decode(record.value());
        Long previous = lastTs.put(p.series(), p.ts());
        assertTrue(
            previous == null || p.ts() > previous,
            p.series() + " forecast at " + p.ts() + " after one at " + previous);
        assertTrue(Double.isFinite(p.value()), "forecast " + p.value() + " for " + p.series());
        assertTrue(
            !p.hasInterval() || (Double.isFinite(p.lo()) && Double.isFinite(p.hi())),
            "interval [" + p.lo() + ", " + p.hi() + "] for " + p.series());
      }
    } finally {
      dev.seqcast.kafka.LocalDirs.deleteQuietly(stateDir);
    }
  }

  @Provide
  Arbitrary<byte[]> keys() {
    return HostileTicks.keys();
  }

  @Provide
  Arbitrary<byte[]> tickValues() {
    return HostileTicks.tickValues();
  }

  @Provide
  Arbitrary<byte[]> extremeTickValues() {
    return HostileTicks.extremeTickValues();
  }

  /**
   * A valid bundle with random bytes flipped, cut or appended, or random bytes after a valid magic.
   */
  @Provide
  Arbitrary<byte[]> mutatedBundles() {
    Arbitrary<byte[]> flipped =
        Arbitraries.integers()
            .between(0, VALID_BUNDLE.length - 1)
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .map(
                positions -> {
                  byte[] copy = VALID_BUNDLE.clone();
                  positions.forEach(p -> copy[p] ^= (byte) (1 + p % 255));
                  return copy;
                });
    Arbitrary<byte[]> cut =
        Arbitraries.integers()
            .between(0, VALID_BUNDLE.length - 1)
            .map(n -> java.util.Arrays.copyOf(VALID_BUNDLE, n));
    Arbitrary<byte[]> withMagic =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(200)
            .map(
                tail -> {
                  byte[] out = new byte[4 + tail.length];
                  out[0] = 'S';
                  out[1] = 'Q';
                  out[2] = 'C';
                  out[3] = 'B';
                  System.arraycopy(tail, 0, out, 4, tail.length);
                  return out;
                });
    return Arbitraries.oneOf(
        flipped, cut, withMagic, Arbitraries.bytes().array(byte[].class).ofMaxSize(100));
  }

  @Provide
  Arbitrary<List<byte[][]>> recordBatches() {
    return HostileTicks.recordBatches(200);
  }
}
