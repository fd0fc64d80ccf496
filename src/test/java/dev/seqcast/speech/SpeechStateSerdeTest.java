package dev.seqcast.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The speech store's record format: exact round trips, and corrupt records fail cleanly. */
class SpeechStateSerdeTest {

  @Test
  void aStateSurvivesTheRoundTripExactly() {
    SpeechState s = filled(new Random(1));
    byte[] bytes = SpeechStateSerde.encode(s);
    SpeechState back = SpeechStateSerde.decode(bytes);
    assertArrayEquals(bytes, SpeechStateSerde.encode(back));
    assertEquals(s.frames, back.frames);
    assertArrayEquals(s.recurrent, back.recurrent);
    assertArrayEquals(s.samples, back.samples);
  }

  @Test
  void aResumedStateProducesTheSameFramesAsAnUninterruptedOne() {
    LogMelFeatures features = new LogMelFeatures(LogMelFeatures.DEFAULT_NORMALISATION);
    float[] audio = LogMelFeaturesTest.tone(523, 9_001, 0.4);
    SpeechState whole = new SpeechState();
    SpeechState resumed = new SpeechState();
    float[] a = new float[LogMelFeatures.SIZE];
    float[] b = new float[LogMelFeatures.SIZE];
    for (int i = 0; i < audio.length; i++) {
      if (i % 777 == 0) {
        resumed = SpeechStateSerde.decode(SpeechStateSerde.encode(resumed));
      }
      boolean fa = features.push(whole, audio[i], a);
      boolean fb = features.push(resumed, audio[i], b);
      assertEquals(fa, fb);
      if (fa) {
        assertArrayEquals(a, b, "frame at sample " + i);
      }
    }
  }

  @Test
  void everyTruncationFailsAsASerializationException() {
    byte[] bytes = SpeechStateSerde.encode(filled(new Random(2)));
    for (int length = 0; length < bytes.length; length += 7) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(cut), "" + length);
    }
  }

  @Test
  void forgedLengthsAndPositionsAreRefused() {
    byte[] bytes = SpeechStateSerde.encode(filled(new Random(3)));
    byte[] ring = bytes.clone();
    ByteBuffer.wrap(ring).putInt(1, 401); // sample ring length
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(ring));
    byte[] position = bytes.clone();
    ByteBuffer.wrap(position).putInt(1 + 4 + 4 * 400, 400); // ring position past the end
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(position));
    int trackerAt = bytes.length - 8 - 4 - (1 + 4 + 8); // before the input rate and last chunk
    int recurrentAt = trackerAt - 4 * 16 - 4;
    byte[] recurrent = bytes.clone();
    ByteBuffer.wrap(recurrent).putInt(recurrentAt, Integer.MAX_VALUE);
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(recurrent));
    byte[] format = bytes.clone();
    format[0] = 9;
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(format));
    byte[] flag = bytes.clone();
    flag[trackerAt] = 2; // the in-speech flag is 0 or 1
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(flag));
    byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(trailing));
  }

  @Test
  void aResampledStreamsStateSurvivesTheRoundTripExactly() {
    for (int rate : new int[] {8_000, 11_025, 44_100, 48_000}) {
      SpeechState s = resampledFor(rate, 1_234);
      byte[] bytes = SpeechStateSerde.encode(s);
      SpeechState back = SpeechStateSerde.decode(bytes);
      assertArrayEquals(bytes, SpeechStateSerde.encode(back), rate + " Hz");
      assertEquals(rate, back.inputRate);
      assertEquals(s.phase, back.phase);
      assertEquals(s.awaiting, back.awaiting);
      Resampler r = Resampler.from(rate);
      assertEquals(2 * r.taps(), back.history.length);
      for (int k = 0; k < r.taps(); k++) {
        assertEquals(s.history[s.historyAt + k], back.history[back.historyAt + k], "" + k);
      }
      back.inputRate = AudioChunks.SAMPLE_RATE;
      back.history = SpeechState.NO_HISTORY;
      assertEquals(
          SpeechStateSerde.encode(back).length + 4 + 4 + 4 + 2 * r.taps(),
          bytes.length,
          "a resampled stream adds its phase, wait and PCM16 history");
    }
  }

  @Test
  void theLastChunksTimestampSurvivesAndAFormatTwoRecordDecodesWithItUnknown() {
    SpeechState s = filled(new Random(5));
    s.lastSeen = 1_767_225_600_123L;
    byte[] current = SpeechStateSerde.encode(s);
    assertEquals(s.lastSeen, SpeechStateSerde.decode(current).lastSeen);
    // format 2 is format 3 without the trailing timestamp (8 bytes)
    byte[] formatTwo = Arrays.copyOf(current, current.length - 8);
    formatTwo[0] = 2;
    SpeechState back = SpeechStateSerde.decode(formatTwo);
    assertEquals(SpeechState.UNKNOWN, back.lastSeen);
    assertEquals(s.frames, back.frames);
    back.lastSeen = s.lastSeen;
    assertArrayEquals(current, SpeechStateSerde.encode(back), "re-encoded as format 3");
    byte[] formatTwoWithTimestamp = current.clone();
    formatTwoWithTimestamp[0] = 2;
    assertThrows(
        SerializationException.class,
        () -> SpeechStateSerde.decode(formatTwoWithTimestamp),
        "format 2 has no timestamp: 8 trailing bytes");
  }

  @Test
  void aFormatOneRecordStillDecodesAsASixteenKilohertzStream() {
    SpeechState s = filled(new Random(4));
    byte[] current = SpeechStateSerde.encode(s);
    // format 1 is format 3 without the trailing input rate and timestamp (4 + 8 bytes)
    assertEquals(16_000, ByteBuffer.wrap(current).getInt(current.length - 8 - 4));
    byte[] formatOne = Arrays.copyOf(current, current.length - 8 - 4);
    formatOne[0] = 1;
    SpeechState back = SpeechStateSerde.decode(formatOne);
    assertEquals(AudioChunks.SAMPLE_RATE, back.inputRate);
    assertEquals(0, back.history.length, "no resampler at 16 kHz");
    assertEquals(SpeechState.UNKNOWN, back.lastSeen);
    back.lastSeen = s.lastSeen;
    assertArrayEquals(current, SpeechStateSerde.encode(back), "re-encoded as format 3");
    byte[] formatOneWithRate = Arrays.copyOf(current, current.length - 8);
    formatOneWithRate[0] = 1;
    assertThrows(
        SerializationException.class,
        () -> SpeechStateSerde.decode(formatOneWithRate),
        "format 1 has no input rate: 4 trailing bytes");
  }

  @Test
  void forgedResamplerFieldsAreRefused() {
    SpeechState s = resampledFor(44_100, 999);
    byte[] bytes = SpeechStateSerde.encode(s);
    Resampler r = Resampler.from(44_100);
    int rateAt = bytes.length - 8 - 2 * r.taps() - 4 - 4 - 4 - 4;
    assertEquals(44_100, ByteBuffer.wrap(bytes).getInt(rateAt));
    int[][] forgeries = {
      {rateAt, 12_000}, // not a rate taken
      {rateAt, 48_000}, // another rate's history length
      {rateAt + 4, 160}, // phase ≥ L
      {rateAt + 4, -1},
      {rateAt + 8, 0}, // awaiting nothing
      {rateAt + 8, r.taps() / 2 + 2},
      {rateAt + 12, r.taps() + 1}, // history length
      {rateAt + 12, Integer.MAX_VALUE},
    };
    for (int[] forgery : forgeries) {
      byte[] forged = bytes.clone();
      ByteBuffer.wrap(forged).putInt(forgery[0], forgery[1]);
      assertThrows(
          SerializationException.class,
          () -> SpeechStateSerde.decode(forged),
          forgery[1] + " at " + forgery[0]);
    }
    byte[] sixteen = bytes.clone();
    ByteBuffer.wrap(sixteen).putInt(rateAt, 16_000); // then the resampler part is trailing bytes
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(sixteen));
    for (int length = rateAt; length < bytes.length - 8; length += 5) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(cut), "" + length);
    }
  }

  /** A stream's state after {@code samples} of noise at {@code rate} through the tagger. */
  static SpeechState resampledFor(int rate, int samples) {
    Random random = new Random(rate);
    byte[] pcm = new byte[2 * samples];
    random.nextBytes(pcm);
    SpeechState s = new SpeechState();
    new SpeechTagger(null)
        .accept(
            s,
            new AudioChunks.Chunk("s", rate, ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN)),
            new SpeechTagger.Sink() {
              @Override
              public void frame(long frame, boolean speech, float p, int category, float q) {}

              @Override
              public void segment(boolean start, long firstFrame, long segmentStart) {}
            });
    return s;
  }

  private static SpeechState filled(Random random) {
    SpeechState s = new SpeechState();
    for (int i = 0; i < s.samples.length; i++) {
      s.samples[i] = random.nextFloat();
    }
    s.sampleAt = 123;
    s.pending = 45;
    s.frames = 6789;
    s.normalised = 6789;
    for (int j = 0; j < LogMelFeatures.STATIC; j++) {
      s.mean[j] = random.nextFloat();
      s.variance[j] = random.nextFloat();
      s.before1[j] = random.nextFloat();
      s.before2[j] = random.nextFloat();
    }
    s.modelVersion = 3;
    s.recurrent = new float[16];
    for (int i = 0; i < 16; i++) {
      s.recurrent[i] = random.nextFloat();
    }
    s.inSpeech = true;
    s.run = 4;
    s.segmentStart = 6000;
    return s;
  }
}
