package dev.seqcast.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
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
    int recurrentAt = bytes.length - (1 + 4 + 8) - 4 * 16 - 4;
    byte[] recurrent = bytes.clone();
    ByteBuffer.wrap(recurrent).putInt(recurrentAt, Integer.MAX_VALUE);
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(recurrent));
    byte[] format = bytes.clone();
    format[0] = 9;
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(format));
    byte[] flag = bytes.clone();
    flag[bytes.length - (1 + 4 + 8)] = 2; // the in-speech flag is 0 or 1
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(flag));
    byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);
    assertThrows(SerializationException.class, () -> SpeechStateSerde.decode(trailing));
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
