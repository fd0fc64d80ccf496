package dev.seqcast.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.CellType;
import dev.seqcast.model.OutputHead;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.HostileTicks;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * Random and mutated input against everything on the audio path: chunk admission, the speech store
 * record, tag events, WAV files, and the topology's accounting. Each either yields a valid value or
 * fails the one documented way; nothing else escapes.
 */
class AudioFuzzTest {

  private static final Set<DlqReason> CHUNK_REASONS =
      EnumSet.of(
          DlqReason.MISSING_KEY,
          DlqReason.BAD_KEY,
          DlqReason.MISSING_VALUE,
          DlqReason.OVERSIZED,
          DlqReason.MISSING_SAMPLE_RATE,
          DlqReason.UNSUPPORTED_SAMPLE_RATE,
          DlqReason.ODD_BYTE_COUNT);

  private static final byte[] VALID_STATE = validState();
  private static final byte[] VALID_FORMAT_ONE_STATE = validFormatOneState();
  private static final byte[] VALID_WAV = validWav(16_000, 1);
  private static final byte[] VALID_STEREO_WAV = validWav(44_100, 2);
  private static final byte[] VALID_TAG =
      new TagEventSerde()
          .serializer()
          .serialize(
              Topics.TAGS,
              new TagEvent(
                  "frame", "mic-1", 12, 120, "speech", 0.9f, "voiced", 0.8f, null, null, "speech",
                  1L, 3L));

  /** A chunk record: key, value, and the sample-rate header ({@code present} false: none). */
  record Chunk(byte[] key, byte[] value, boolean ratePresent, byte[] rate) {
    RecordHeaders headers() {
      RecordHeaders headers = new RecordHeaders();
      if (ratePresent) {
        headers.add(new RecordHeader(AudioChunks.SAMPLE_RATE_HEADER, rate));
      }
      return headers;
    }

    @Override
    public String toString() {
      return "Chunk[key="
          + (key == null ? "null" : key.length + " bytes")
          + ", value="
          + (value == null ? "null" : value.length + " bytes")
          + ", rate="
          + (!ratePresent
              ? "absent"
              : rate == null ? "null" : new String(rate, StandardCharsets.UTF_8))
          + "]";
    }
  }

  @Property(tries = 3000)
  void chunksAreAdmittedWholeOrRefusedWithAnAudioReason(@ForAll("chunks") Chunk c) {
    boolean wellFormed =
        c.key() != null
            && c.key().length > 0
            && isValidId(c.key())
            && c.value() != null
            && c.value().length > 0
            && c.value().length <= AudioChunks.MAX_CHUNK_BYTES
            && c.value().length % 2 == 0
            && c.ratePresent()
            && c.rate() != null
            && isAcceptedRate(c.rate());
    try {
      AudioChunks.Chunk chunk = AudioChunks.admit(c.key(), c.value(), c.headers());
      assertTrue(wellFormed, "admitted " + c);
      assertEquals(c.value().length / 2, chunk.size());
      assertTrue(Resampler.accepts(chunk.sampleRate()), "rate " + chunk.sampleRate());
      assertEquals(new String(c.key(), StandardCharsets.UTF_8), chunk.stream());
      for (int i = 0; i < chunk.size(); i++) {
        float x = chunk.sample(i);
        assertTrue(x >= -1f && x < 1f, "sample " + x);
      }
    } catch (InvalidRecordException e) {
      assertTrue(!wellFormed, "refused a well-formed chunk " + c + ": " + e.getMessage());
      assertTrue(CHUNK_REASONS.contains(e.reason()), "reason " + e.reason() + " for " + c);
      assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
    }
  }

  @Property(tries = 2000)
  void speechStateDecodesExactlyOrIsASerializationError(@ForAll("states") byte[] bytes) {
    SpeechState state;
    try {
      state = SpeechStateSerde.decode(bytes);
    } catch (SerializationException expected) {
      return; // the one documented failure
    }
    byte[] encoded = SpeechStateSerde.encode(state);
    if (bytes[0] == 1) { // format 1 comes back as format 2: the same record plus the 16 kHz rate
      assertArrayEquals(
          Arrays.copyOfRange(bytes, 1, bytes.length),
          Arrays.copyOfRange(encoded, 1, encoded.length - 4),
          "decoded format 1, but not exactly");
      return;
    }
    assertArrayEquals(bytes, encoded, "decoded, but not exactly");
  }

  @Property(tries = 1000)
  void tagEventsDecodeOrAreASerializationError(@ForAll("tags") byte[] bytes) {
    try {
      new TagEventSerde().deserializer().deserialize(Topics.TAGS, bytes);
    } catch (SerializationException expected) {
      // the one documented failure
    }
  }

  @Property(tries = 500)
  void wavFilesAreReadOrRefusedWithAMessage(@ForAll("wavs") byte[] bytes) throws IOException {
    Path file = Files.createTempFile("seqcast-fuzz", ".wav");
    try {
      Files.write(file, bytes);
      byte[] pcm = WavFile.read(file).pcm();
      assertEquals(0, pcm.length % 2, "PCM16 of " + pcm.length + " bytes");
    } catch (IllegalArgumentException | IOException e) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()), e.toString());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /**
   * Through the real topology: every chunk is either tagged or dead-lettered with its reason, the
   * meters agree with the topics, and each stream gets exactly one tag per 10 ms of the audio it
   * was admitted, numbered from 0 without gaps, whatever arrives in between and whenever the model
   * does.
   */
  @Property(tries = 30)
  void everyChunkIsTaggedOrDeadLetteredAndEveryTenMillisecondsTaggedOnce(
      @ForAll("batches") List<Chunk> batch, @ForAll boolean modelFirst) throws IOException {
    Path stateDir = Files.createTempDirectory("seqcast-fuzz");
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "speech-fuzz");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    ModelRegistry registry =
        new ModelRegistry(
            LogMelFeatures.SIZE,
            LogMelFeatures.TRANSFORM,
            OutputHead.Kind.CLASSIFICATION,
            (source, reason, detail) -> {},
            null);
    byte[] model = TestModels.randomSpeech("speech", 1, CellType.GRU, 8, 5, 0.3).encode();
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            SpeechTopology.build("speech", registry, new SpeechMetrics(meters)), props)) {
      TestInputTopic<byte[], byte[]> frames =
          driver.createInputTopic(
              Topics.FRAMES, new ByteArraySerializer(), new ByteArraySerializer());
      TestInputTopic<String, byte[]> models =
          driver.createInputTopic(Topics.MODELS, new StringSerializer(), new ByteArraySerializer());
      Map<String, Stretches> admitted = new HashMap<>();
      Map<DlqReason, Long> refused = new HashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        if (i == (modelFirst ? 0 : batch.size() / 2)) {
          models.pipeInput("speech/1", model);
        }
        Chunk c = batch.get(i);
        try {
          AudioChunks.Chunk chunk = AudioChunks.admit(c.key(), c.value(), c.headers());
          admitted
              .computeIfAbsent(chunk.stream(), k -> new Stretches())
              .add(chunk.sampleRate(), chunk.size());
        } catch (InvalidRecordException e) {
          refused.merge(e.reason(), 1L, Long::sum);
        }
        frames.pipeInput(new TestRecord<>(c.key(), c.value(), c.headers()));
      }
      List<TagEvent> tags =
          driver
              .createOutputTopic(
                  Topics.TAGS, new StringDeserializer(), new TagEventSerde().deserializer())
              .readValuesToList();
      List<TestRecord<byte[], byte[]>> deadLetters =
          driver
              .createOutputTopic(
                  Topics.DLQ, new ByteArrayDeserializer(), new ByteArrayDeserializer())
              .readRecordsToList();

      long refusedTotal = refused.values().stream().mapToLong(Long::longValue).sum();
      assertEquals(refusedTotal, deadLetters.size(), "dead letters");
      assertEquals(
          batch.size() - refusedTotal,
          (long) meters.get("seqcast.events").tag("outcome", "tagged").counter().count(),
          "chunks counted as tagged");
      Map<String, Long> byReason = new HashMap<>();
      for (TestRecord<byte[], byte[]> dead : deadLetters) {
        var reason = dead.headers().lastHeader(DeadLetterHeaders.REASON);
        assertTrue(reason != null, "dead letter without a reason");
        assertTrue(dead.headers().lastHeader(DeadLetterHeaders.DETAIL) != null, "no detail");
        byReason.merge(new String(reason.value(), StandardCharsets.UTF_8), 1L, Long::sum);
      }
      for (DlqReason reason : CHUNK_REASONS) {
        long expected = refused.getOrDefault(reason, 0L);
        assertEquals(expected, byReason.getOrDefault(reason.code(), 0L), reason.code());
        assertEquals(
            (double) expected,
            meters.get("seqcast.dead.letters").tag("reason", reason.code()).counter().count(),
            "seqcast_dead_letters_total{reason=" + reason.code() + "}");
      }

      Map<String, Long> nextFrame = new HashMap<>();
      for (TagEvent tag : tags) {
        if (!tag.type().equals("frame")) {
          continue;
        }
        long expected = nextFrame.getOrDefault(tag.stream(), 0L);
        assertEquals(expected, tag.frame(), tag.stream() + " frames in order, none missing");
        nextFrame.put(tag.stream(), expected + 1);
        assertTrue(
            tag.speechProbability() == null
                || (tag.speechProbability() >= 0 && tag.speechProbability() <= 1),
            "probability " + tag.speechProbability());
      }
      admitted.forEach(
          (stream, stretches) ->
              assertEquals(
                  stretches.samplesAtSixteenKilohertz() / 160,
                  nextFrame.getOrDefault(stream, 0L),
                  "one tag per 160 admitted (resampled) samples of " + stream));
      assertEquals(
          admitted.entrySet().stream()
              .filter(e -> e.getValue().samplesAtSixteenKilohertz() >= 160)
              .map(Map.Entry::getKey)
              .collect(java.util.stream.Collectors.toSet()),
          nextFrame.keySet(),
          "streams tagged");
    } finally {
      dev.seqcast.kafka.LocalDirs.deleteQuietly(stateDir);
    }
  }

  /**
   * What a stream's admitted chunks make at 16 kHz, by the rate-change rule: a stretch at one rate
   * that a chunk at another rate ends yields every output instant of its audio ({@code ceil(n L /
   * M)}), the open one what its resampler has emitted so far.
   */
  private static final class Stretches {
    private long ended;
    private int rate = AudioChunks.SAMPLE_RATE;
    private long samples;

    void add(int chunkRate, int size) {
      if (chunkRate != rate) {
        ended += outputs(true);
        rate = chunkRate;
        samples = 0;
      }
      samples += size;
    }

    long samplesAtSixteenKilohertz() {
      return ended + outputs(false);
    }

    private long outputs(boolean finished) {
      if (rate == AudioChunks.SAMPLE_RATE) {
        return samples;
      }
      Resampler r = Resampler.from(rate);
      return finished ? (samples * r.up() + r.down() - 1) / r.down() : r.emittedAfter(samples);
    }
  }

  @Provide
  Arbitrary<Chunk> chunks() {
    return Combinators.combine(
            HostileTicks.keys(), chunkValues(), Arbitraries.of(true, true, true, false), rates())
        .as(Chunk::new);
  }

  /**
   * Mostly well-formed chunks on three streams, one in four hostile; a good chunk is at 16 kHz half
   * the time, else at another rate taken, so streams change rate as they go.
   */
  @Provide
  Arbitrary<List<Chunk>> batches() {
    Arbitrary<Chunk> good =
        Combinators.combine(
                Arbitraries.of("mic-0", "mic-1", "mic-2")
                    .map(s -> s.getBytes(StandardCharsets.UTF_8)),
                Arbitraries.integers().between(1, 2_700).map(AudioFuzzTest::noise),
                Arbitraries.of(
                        "16000", "16000", "16000", "16000", "48000", "44100", "8000", "11025")
                    .map(s -> s.getBytes(StandardCharsets.UTF_8)))
            .as((key, value, rate) -> new Chunk(key, value, true, rate));
    return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(3, good), net.jqwik.api.Tuple.of(1, chunks()))
        .list()
        .ofMinSize(1)
        .ofMaxSize(120);
  }

  private static Arbitrary<byte[]> chunkValues() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just((byte[]) null)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new byte[0])),
        net.jqwik.api.Tuple.of(
            20, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(2000)),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.of(
                    AudioChunks.MAX_CHUNK_BYTES - 1,
                    AudioChunks.MAX_CHUNK_BYTES,
                    AudioChunks.MAX_CHUNK_BYTES + 1,
                    AudioChunks.MAX_CHUNK_BYTES + 2)
                .map(byte[]::new)));
  }

  private static Arbitrary<byte[]> rates() {
    return Arbitraries.oneOf(
        Arbitraries.just((byte[]) null),
        Arbitraries.of(
                "16000",
                " 16000 ",
                "16000\n",
                "+16000",
                "016000",
                "16000.0",
                "1.6e4",
                "8000",
                "44100",
                "48000",
                "22050",
                "12000",
                "96000",
                "0",
                "-16000",
                "2147483648",
                "99999999999999999999",
                "",
                " ",
                "NaN",
                "sixteen thousand",
                "16 000",
                "١٦٠٠٠")
            .map(s -> s.getBytes(StandardCharsets.UTF_8)),
        Arbitraries.integers().map(i -> Integer.toString(i).getBytes(StandardCharsets.UTF_8)),
        Arbitraries.bytes().array(byte[].class).ofMaxSize(8));
  }

  /** A valid record (format 2 or 1) with bytes flipped or cut, or random bytes after its start. */
  @Provide
  Arbitrary<byte[]> states() {
    return Arbitraries.oneOf(mutationsOf(VALID_STATE, 16), mutationsOf(VALID_FORMAT_ONE_STATE, 16));
  }

  @Provide
  Arbitrary<byte[]> tags() {
    return Arbitraries.oneOf(mutationsOf(VALID_TAG, VALID_TAG.length), HostileTicks.tickValues());
  }

  /** A valid 16 kHz WAV with header or body bytes flipped, cut short, or random after RIFF. */
  @Provide
  Arbitrary<byte[]> wavs() {
    return Arbitraries.oneOf(mutationsOf(VALID_WAV, 64), mutationsOf(VALID_STEREO_WAV, 64));
  }

  /**
   * {@code valid} with 1–4 bytes flipped (mostly in its first {@code head} bytes, where lengths and
   * formats live), cut short, lengthened, or its first 4 bytes followed by random ones.
   */
  private static Arbitrary<byte[]> mutationsOf(byte[] valid, int head) {
    Arbitrary<byte[]> flipped =
        Arbitraries.oneOf(
                Arbitraries.integers().between(0, Math.min(head, valid.length) - 1),
                Arbitraries.integers().between(Math.max(0, valid.length - 32), valid.length - 1),
                Arbitraries.integers().between(0, valid.length - 1))
            .list()
            .ofMinSize(1)
            .ofMaxSize(4)
            .flatMap(
                positions ->
                    Arbitraries.bytes()
                        .filter(b -> b != 0)
                        .list()
                        .ofSize(positions.size())
                        .map(
                            masks -> {
                              byte[] copy = valid.clone();
                              for (int i = 0; i < positions.size(); i++) {
                                copy[positions.get(i)] ^= masks.get(i);
                              }
                              return copy;
                            }));
    Arbitrary<byte[]> cut =
        Arbitraries.integers().between(0, valid.length - 1).map(n -> Arrays.copyOf(valid, n));
    Arbitrary<byte[]> longer =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(16)
            .map(
                tail -> {
                  byte[] out = Arrays.copyOf(valid, valid.length + tail.length);
                  System.arraycopy(tail, 0, out, valid.length, tail.length);
                  return out;
                });
    Arbitrary<byte[]> prefixed =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMaxSize(300)
            .map(
                tail -> {
                  byte[] out = Arrays.copyOf(valid, 4 + tail.length);
                  System.arraycopy(tail, 0, out, 4, tail.length);
                  return out;
                });
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, flipped),
        net.jqwik.api.Tuple.of(2, cut),
        net.jqwik.api.Tuple.of(1, longer),
        net.jqwik.api.Tuple.of(2, prefixed));
  }

  private static byte[] noise(int samples) {
    Random random = new Random(samples);
    byte[] out = new byte[2 * samples];
    for (int i = 0; i < samples; i++) {
      short s = (short) (random.nextGaussian() * 3000);
      out[2 * i] = (byte) s;
      out[2 * i + 1] = (byte) (s >> 8);
    }
    return out;
  }

  /** UTF-8 of at most 512 characters with no control character: a stream id seqcast takes. */
  private static boolean isValidId(byte[] bytes) {
    if (!isUtf8(bytes)) {
      return false;
    }
    String id = new String(bytes, StandardCharsets.UTF_8);
    return id.length() <= 512 && id.chars().noneMatch(Character::isISOControl);
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static boolean isAcceptedRate(byte[] rate) {
    try {
      return List.of(8_000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000)
          .contains(Integer.parseInt(new String(rate, StandardCharsets.UTF_8).trim()));
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * A real state: after 0.3 s of noise at 44.1 kHz, the resampler's history and phase, the
   * features' ring, normaliser and deltas, plus h.
   */
  private static byte[] validState() {
    SpeechState state = SpeechStateSerdeTest.resampledFor(44_100, 13_230);
    state.modelVersion = 1;
    state.recurrent = new float[] {0.5f, -0.25f, 0.125f, 0f};
    state.inSpeech = true;
    state.run = 7;
    state.segmentStart = 11;
    return SpeechStateSerde.encode(state);
  }

  /**
   * A format-1 record, as stored before other rates were taken: a 16 kHz stream's format-2 record
   * without its trailing input rate.
   */
  private static byte[] validFormatOneState() {
    SpeechState state = new SpeechState();
    LogMelFeatures features = new LogMelFeatures(LogMelFeatures.DEFAULT_NORMALISATION);
    float[] out = new float[LogMelFeatures.SIZE];
    for (float x : LogMelFeaturesTest.tone(440, 4_801, 0.3)) {
      features.push(state, x, out);
    }
    state.modelVersion = 1;
    state.recurrent = new float[] {0.5f, -0.25f, 0.125f, 0f};
    byte[] current = SpeechStateSerde.encode(state);
    byte[] formatOne = Arrays.copyOf(current, current.length - 4);
    formatOne[0] = 1;
    return formatOne;
  }

  /** 1,600 frames of a tone as a PCM16 WAV, written by the JDK's own writer. */
  private static byte[] validWav(int rate, int channels) {
    float[] tone = LogMelFeaturesTest.tone(440, 1_600, 0.3);
    byte[] pcm = new byte[2 * channels * tone.length];
    for (int i = 0; i < channels * tone.length; i++) {
      short s = (short) (tone[i / channels] * 32767);
      pcm[2 * i] = (byte) s;
      pcm[2 * i + 1] = (byte) (s >> 8);
    }
    AudioFormat format = new AudioFormat(rate, 16, channels, true, false);
    try (AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(pcm), format, tone.length)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
