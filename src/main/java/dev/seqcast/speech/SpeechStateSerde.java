package dev.seqcast.speech;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary format of {@link SpeechState} in the speech store and its changelog, big-endian: a format
 * byte (3), the sample ring (length-prefixed), ring position, pending samples, frame and normaliser
 * counts, the four static-feature vectors (length-prefixed), model version, recurrent vector
 * (length-prefixed), segment tracker; then the input rate and, unless it is 16 kHz, the resampler's
 * phase, awaited samples and history (length-prefixed, oldest first, PCM16 as received); then the
 * record timestamp of the stream's last chunk. Format 2, written before streams expired, is the
 * same record without that timestamp and decodes with it unknown (the stream never expires until it
 * sends again). Format 1, written before streams could arrive at other rates, is format 2 without
 * the input-rate part and still decodes: a 16 kHz stream. Every length, position and rate is
 * checked against the fixed sizes and the bytes left, so a corrupt record fails as a {@link
 * SerializationException} and never makes the decoder allocate more than the record's size.
 * Thread-safe.
 */
public final class SpeechStateSerde implements Serde<SpeechState> {

  private static final byte FORMAT = 3;

  /** The format before streams expired: no last-chunk timestamp. */
  private static final byte FORMAT_WITHOUT_LAST_SEEN = 2;

  /** The format before resampling: no input-rate part, 16 kHz. */
  private static final byte FORMAT_16_KHZ_ONLY = 1;

  @Override
  public Serializer<SpeechState> serializer() {
    return (topic, state) -> state == null ? null : encode(state);
  }

  @Override
  public Deserializer<SpeechState> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  static byte[] encode(SpeechState s) {
    int vectors = 4 * (4 + 4 * LogMelFeatures.STATIC);
    int size =
        1
            + 4
            + 4 * s.samples.length
            + 4
            + 4
            + 8
            + 8
            + vectors
            + 8
            + 4
            + 4 * s.recurrent.length
            + 1
            + 4
            + 8
            + 4
            + 8;
    int taps = s.history.length / 2;
    if (s.inputRate != AudioChunks.SAMPLE_RATE) {
      size += 4 + 4 + 4 + 2 * taps;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(FORMAT);
    putFloats(out, s.samples);
    out.putInt(s.sampleAt).putInt(s.pending).putLong(s.frames).putLong(s.normalised);
    putFloats(out, s.mean);
    putFloats(out, s.variance);
    putFloats(out, s.before1);
    putFloats(out, s.before2);
    out.putLong(s.modelVersion);
    putFloats(out, s.recurrent);
    out.put((byte) (s.inSpeech ? 1 : 0)).putInt(s.run).putLong(s.segmentStart);
    out.putInt(s.inputRate);
    if (s.inputRate != AudioChunks.SAMPLE_RATE) {
      out.putInt(s.phase).putInt(s.awaiting).putInt(taps);
      for (int k = 0; k < taps; k++) {
        out.putShort((short) Math.round(s.history[s.historyAt + k] * 32768f));
      }
    }
    out.putLong(s.lastSeen);
    return out.array();
  }

  static SpeechState decode(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte format = in.get();
      if (format != FORMAT && format != FORMAT_WITHOUT_LAST_SEEN && format != FORMAT_16_KHZ_ONLY) {
        throw new SerializationException("unknown speech state format " + format);
      }
      SpeechState s = new SpeechState();
      getFloats(in, s.samples);
      s.sampleAt = in.getInt();
      s.pending = in.getInt();
      if (s.sampleAt < 0
          || s.sampleAt >= LogMelFeatures.WINDOW
          || s.pending < 0
          || s.pending >= LogMelFeatures.HOP) {
        throw new SerializationException(
            "ring position " + s.sampleAt + " or pending " + s.pending + " out of range");
      }
      s.frames = in.getLong();
      s.normalised = in.getLong();
      getFloats(in, s.mean);
      getFloats(in, s.variance);
      getFloats(in, s.before1);
      getFloats(in, s.before2);
      s.modelVersion = in.getLong();
      int recurrent = in.getInt();
      if (recurrent < 0 || 4L * recurrent > in.remaining()) {
        throw new SerializationException(
            "recurrent length " + recurrent + " does not fit the " + in.remaining() + " bytes");
      }
      s.recurrent = recurrent == 0 ? SpeechState.NO_RECURRENT : new float[recurrent];
      for (int i = 0; i < recurrent; i++) {
        s.recurrent[i] = in.getFloat();
      }
      byte inSpeech = in.get();
      if (inSpeech != 0 && inSpeech != 1) {
        throw new SerializationException("in-speech flag " + inSpeech + " is neither 0 nor 1");
      }
      s.inSpeech = inSpeech == 1;
      s.run = in.getInt();
      s.segmentStart = in.getLong();
      if (format != FORMAT_16_KHZ_ONLY) {
        getResampler(in, s);
      }
      if (format == FORMAT) {
        s.lastSeen = in.getLong();
      }
      if (in.hasRemaining()) {
        throw new SerializationException(in.remaining() + " unexpected trailing bytes");
      }
      return s;
    } catch (BufferUnderflowException e) {
      throw new SerializationException("corrupt speech state: " + e, e);
    }
  }

  private static void getResampler(ByteBuffer in, SpeechState s) {
    int rate = in.getInt();
    if (!Resampler.accepts(rate)) {
      throw new SerializationException("input rate " + rate + " Hz is not one taken");
    }
    if (rate == AudioChunks.SAMPLE_RATE) {
      return;
    }
    Resampler resampler = Resampler.from(rate);
    int phase = in.getInt();
    int awaiting = in.getInt();
    int taps = in.getInt();
    if (phase < 0
        || phase >= resampler.up()
        || awaiting < 1
        || awaiting > resampler.taps() / 2 + 1
        || taps != resampler.taps()) {
      throw new SerializationException(
          "resampler phase "
              + phase
              + ", awaiting "
              + awaiting
              + " or history of "
              + taps
              + " out of range for "
              + rate
              + " Hz");
    }
    if (2L * taps > in.remaining()) {
      throw new SerializationException(
          "resampler history of " + taps + " does not fit the " + in.remaining() + " bytes");
    }
    s.inputRate = rate;
    s.phase = phase;
    s.awaiting = awaiting;
    s.history = new float[2 * taps];
    for (int k = 0; k < taps; k++) {
      float x = in.getShort() / 32768f;
      s.history[k] = x;
      s.history[k + taps] = x;
    }
  }

  private static void putFloats(ByteBuffer out, float[] values) {
    out.putInt(values.length);
    for (float v : values) {
      out.putFloat(v);
    }
  }

  /** Reads a length-prefixed vector that must have exactly {@code into.length} elements. */
  private static void getFloats(ByteBuffer in, float[] into) {
    int length = in.getInt();
    if (length != into.length) {
      throw new SerializationException(
          "vector of " + length + " floats where " + into.length + " belong");
    }
    for (int i = 0; i < length; i++) {
      into[i] = in.getFloat();
    }
  }
}
