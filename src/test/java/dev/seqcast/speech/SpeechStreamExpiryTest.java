package dev.seqcast.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.OutputHead;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.StateControl;
import dev.seqcast.streams.TopicNames;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Audio streams that go silent expire on record time; operators drop a stream's state. */
class SpeechStreamExpiryTest {

  private static final long T0 = 1_767_225_600_000L;
  private static final long MINUTE = 60_000L;

  @TempDir Path stateDir;

  private final List<TopologyTestDriver> drivers = new ArrayList<>();
  private final ModelBundle bundle =
      TestModels.randomSpeech("speech", 1, CellType.GRU, 16, 11, 0.3);
  private final float[] audio = SpeechTopologyTest.noisyTone(new Random(3), 1_600);

  @AfterEach
  void stop() {
    drivers.forEach(TopologyTestDriver::close);
  }

  private final class Tagger {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final TopologyTestDriver driver;
    final TestInputTopic<byte[], byte[]> frames;
    final TestOutputTopic<String, TagEvent> tags;
    final TestOutputTopic<byte[], byte[]> deadLetters;

    Tagger(Duration ttl) {
      ModelRegistry registry =
          new ModelRegistry(
              LogMelFeatures.SIZE,
              LogMelFeatures.TRANSFORM,
              OutputHead.Kind.CLASSIFICATION,
              (source, reason, detail) -> {},
              null);
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "speech-expiry-test");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.resolve("d" + drivers.size()).toString());
      driver =
          new TopologyTestDriver(
              SpeechTopology.build(
                  TopicNames.defaults(), "speech", registry, new SpeechMetrics(meters), ttl),
              props);
      drivers.add(driver);
      frames =
          driver.createInputTopic(
              Topics.FRAMES, new ByteArraySerializer(), new ByteArraySerializer());
      tags =
          driver.createOutputTopic(
              Topics.TAGS, new StringDeserializer(), new TagEventSerde().deserializer());
      deadLetters =
          driver.createOutputTopic(
              Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      driver
          .createInputTopic(Topics.MODELS, new StringSerializer(), new ByteArraySerializer())
          .pipeInput("speech/1", bundle.encode());
    }

    /** 100 ms of audio on {@code stream}, recorded at {@code timestamp}. */
    void chunk(String stream, long timestamp) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(AudioChunks.SAMPLE_RATE_HEADER, utf8("16000"));
      frames.pipeInput(
          new TestRecord<>(
              utf8(stream), SpeechTopologyTest.pcm(audio, 0, audio.length), headers, timestamp));
    }

    void control(String stream, String action) {
      RecordHeaders headers = new RecordHeaders();
      headers.add(StateControl.HEADER, utf8(action));
      frames.pipeInput(new TestRecord<>(utf8(stream), null, headers, T0));
    }

    SpeechState stored(String stream) {
      KeyValueStore<String, SpeechState> store =
          driver.getKeyValueStore(SpeechTopology.STREAM_STORE);
      return store.get(stream);
    }

    double evicted(String reason) {
      return meters.get("seqcast.speech.streams.evicted").tag("reason", reason).counter().count();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** First frame number of each chunk of "quiet": 5 chunks, 21 minutes of silence, 2 chunks. */
  private static List<Long> quietReturns(Tagger t, boolean scanWhileQuiet) {
    for (int i = 0; i < 5; i++) {
      t.chunk("quiet", T0 + 100L * i);
    }
    for (int m = 1; m <= 21; m++) {
      t.chunk("busy", T0 + m * MINUTE);
      if (scanWhileQuiet) {
        t.driver.advanceWallClockTime(SpeechProcessor.SCAN_EVERY);
      }
    }
    t.chunk("quiet", T0 + 21 * MINUTE + 500);
    t.chunk("quiet", T0 + 21 * MINUTE + 600);
    List<Long> firstFrames = new ArrayList<>();
    long previous = -1;
    for (TagEvent e : t.tags.readValuesToList()) {
      if (e.type().equals("frame") && e.stream().equals("quiet")) {
        if (firstFrames.isEmpty() || e.frame() != previous + 1) {
          firstFrames.add(e.frame());
        }
        previous = e.frame();
      }
    }
    return firstFrames;
  }

  @Test
  void aStreamSilentLongerThanTheTtlStartsAgainFromFrameZero() {
    Tagger t = new Tagger(Duration.ofMinutes(10));
    assertEquals(List.of(0L, 0L), quietReturns(t, false), "back after 21 minutes: a new stream");
    assertEquals(1.0, t.evicted(SpeechMetrics.EXPIRED));
    Tagger patient = new Tagger(Duration.ofMinutes(30));
    assertEquals(List.of(0L), quietReturns(patient, false), "within the TTL it carries on");
    assertEquals(0.0, patient.evicted(SpeechMetrics.EXPIRED));
  }

  /** 5 chunks of "quiet", 21 minutes of "busy" (a scan after it if asked), 2 more of "quiet". */
  private static List<TagEvent> tagsOfTheReturn(Tagger t, boolean scan) {
    for (int i = 0; i < 5; i++) {
      t.chunk("quiet", T0 + 100L * i);
    }
    for (int m = 1; m <= 21; m++) {
      t.chunk("busy", T0 + m * MINUTE);
    }
    if (scan) {
      t.driver.advanceWallClockTime(SpeechProcessor.SCAN_EVERY);
      assertNull(t.stored("quiet"), "deleted by the scan");
      assertNotNull(t.stored("busy"));
    }
    t.tags.readValuesToList();
    t.chunk("quiet", T0 + 21 * MINUTE + 500);
    t.chunk("quiet", T0 + 21 * MINUTE + 600);
    return t.tags.readValuesToList().stream().map(SpeechStreamExpiryTest::withoutLatency).toList();
  }

  @Test
  void theScanDeletesASilentStreamAndWhetherItCameFirstChangesNoTag() {
    Tagger scanned = new Tagger(Duration.ofMinutes(10));
    Tagger unscanned = new Tagger(Duration.ofMinutes(10));
    List<TagEvent> withScan = tagsOfTheReturn(scanned, true);
    List<TagEvent> withoutScan = tagsOfTheReturn(unscanned, false);
    assertEquals(20, withScan.stream().filter(e -> e.type().equals("frame")).count());
    assertEquals(withoutScan, withScan);
    assertEquals(1.0, scanned.evicted(SpeechMetrics.EXPIRED), "by the scan");
    assertEquals(1.0, unscanned.evicted(SpeechMetrics.EXPIRED), "on arrival");
  }

  private static TagEvent withoutLatency(TagEvent e) {
    return new TagEvent(
        e.type(),
        e.stream(),
        e.frame(),
        e.audioMs(),
        e.tag(),
        e.speechProbability(),
        e.category(),
        e.categoryProbability(),
        e.event(),
        e.startFrame(),
        e.model(),
        e.modelVersion(),
        null);
  }

  @Test
  void resetAndDeleteDropAStreamsStateAndAnUnknownActionIsDeadLettered() {
    Tagger t = new Tagger(null);
    t.chunk("a", T0);
    t.chunk("b", T0);
    t.tags.readValuesToList();
    t.control("a", StateControl.RESET.code());
    t.control("b", StateControl.DELETE.code());
    t.control("b", "purge");
    assertTrue(t.tags.isEmpty(), "control records tag nothing");
    assertNull(t.stored("a"));
    assertNull(t.stored("b"));
    assertEquals(1.0, t.evicted(SpeechMetrics.RESET));
    assertEquals(1.0, t.evicted(SpeechMetrics.DELETED));
    assertEquals(2.0, t.meters.get("seqcast.events").tag("outcome", "control").counter().count());
    List<TestRecord<byte[], byte[]>> dead = t.deadLetters.readRecordsToList();
    assertEquals(1, dead.size());
    assertEquals(
        "bad-control",
        new String(
            dead.get(0).headers().lastHeader(DeadLetterHeaders.REASON).value(),
            StandardCharsets.UTF_8));
    t.chunk("a", T0 + 1_000);
    assertEquals(0, t.tags.readValuesToList().get(0).frame(), "a starts again at frame 0");
  }
}
