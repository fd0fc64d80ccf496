package dev.seqcast.stream;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary format of {@link SeriesState} in the state store and its changelog: a format byte, then
 * fixed fields, the recurrent vector and the ring buffer (oldest value first). Format 2 appends the
 * forecast-scoring fields; format 1 (without them) is still read, so a changelog written by an
 * older release restores. Thread-safe.
 */
public final class SeriesStateSerde implements Serde<SeriesState> {

  private static final byte FORMAT = 2;

  private static final byte FORMAT_WITHOUT_SCORING = 1;

  @Override
  public Serializer<SeriesState> serializer() {
    return (topic, state) -> state == null ? null : encode(state);
  }

  @Override
  public Deserializer<SeriesState> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  static byte[] encode(SeriesState s) {
    int size = 1 + 8 * 5 + 4 + 4 * s.recurrent.length + 8 + 8 * s.ringSize + 8 * 3;
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(FORMAT)
        .putLong(s.modelVersion)
        .putLong(s.steps)
        .putLong(s.lastTs)
        .putDouble(s.lastValue)
        .putDouble(s.variance)
        .putInt(s.recurrent.length);
    for (float v : s.recurrent) {
      out.putFloat(v);
    }
    out.putInt(s.ring.length).putInt(s.ringSize);
    for (int i = 0; i < s.ringSize; i++) {
      out.putDouble(s.recent(i));
    }
    out.putDouble(s.lastForecast).putDouble(s.errorVariance).putLong(s.errorCount);
    return out.array();
  }

  static SeriesState decode(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte format = in.get();
      if (format != FORMAT && format != FORMAT_WITHOUT_SCORING) {
        throw new SerializationException("unknown series state format " + format);
      }
      long modelVersion = in.getLong();
      long steps = in.getLong();
      long lastTs = in.getLong();
      double lastValue = in.getDouble();
      double variance = in.getDouble();
      float[] recurrent = new float[in.getInt()];
      for (int i = 0; i < recurrent.length; i++) {
        recurrent[i] = in.getFloat();
      }
      SeriesState s = new SeriesState(in.getInt());
      int held = in.getInt();
      for (int i = 0; i < held; i++) {
        s.remember(lastTs, in.getDouble());
      }
      s.modelVersion = modelVersion;
      s.steps = steps;
      s.lastTs = lastTs;
      s.lastValue = lastValue;
      s.variance = variance;
      s.recurrent = recurrent.length == 0 ? SeriesState.NO_RECURRENT : recurrent;
      if (format == FORMAT) {
        s.lastForecast = in.getDouble();
        s.errorVariance = in.getDouble();
        s.errorCount = in.getLong();
      }
      if (in.hasRemaining()) {
        throw new SerializationException(in.remaining() + " unexpected trailing bytes");
      }
      return s;
    } catch (BufferUnderflowException | IllegalArgumentException | NegativeArraySizeException e) {
      throw new SerializationException("corrupt series state: " + e, e);
    }
  }
}
