package dev.seqcast.forecast;

import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.ExponentialSmoothing;
import dev.seqcast.model.SmoothingSpec;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Binary format of {@link SeriesState} in the state store and its changelog: a format byte, then
 * fixed fields, the recurrent vector and the ring buffer (oldest value first), then the
 * forecast-scoring fields, the model name and a flag followed, while a shadow runs, by the shadow
 * block (version, recurrent vector, transform state, last forecast).
 *
 * <p>Formats, each still read so a changelog written by an older release restores:
 *
 * <ul>
 *   <li>1: no scoring fields, model name or shadow.
 *   <li>2: scoring = last forecast, an EW mean of squared errors (the former interval), error
 *       count.
 *   <li>3: scoring = last forecast, error count, the residual ring (capacity, count, then float
 *       magnitudes oldest first) and the anomaly CUSUM (up, down). A format-2 record migrates with
 *       an empty residual ring: its interval comes back once the series has scored enough forecasts
 *       again ({@link dev.seqcast.model.ConformalInterval#minimumResiduals()}).
 *   <li>4: format 3, then the kept emissions (at_least_once only; a count, 0 otherwise): each
 *       partition, offset, event time, a flags byte (1 = anomaly, 2 = drift, 4 = a model other than
 *       the state's), the number of horizons H (short) and H (forecast, half-width) pairs, then the
 *       model name and version if flagged, then the anomaly's forecast, half-width, score and
 *       threshold if flagged. Most entries belong to the state's model and carry no anomaly: 39
 *       bytes at horizon 1.
 *   <li>5: format 4, where a kept emission's flags may also hold 8 = the tick started a new state,
 *       16 = the tick followed a reset (never both) and 32 = after a gap, with the gap's steps
 *       (long) after the model; then the smoothing state of a smoothed model: a flag byte (0 =
 *       none, a one-step model) and, if 1, the block below; then, while a shadow runs, the same
 *       flag and block for the shadow. Block: season m (int), level, trend, m seasonal indices
 *       (doubles), seasonal slot (int), scale statistic (double), steps, errors, last event time
 *       (longs): 56 + 8·m bytes. A format-4 record decodes without smoothing state, as a one-step
 *       model's state.
 *   <li>6 (written): format 5, then a flags byte: 1 = the residual ring holds residuals divided by
 *       their forecast's error scale (a smoothed model's, {@link
 *       dev.seqcast.model.HorizonForecaster#errorScale}), not raw ones. A format-5 record decodes
 *       with raw residuals; a smoothed model rescales them at the series' next tick.
 * </ul>
 *
 * Thread-safe.
 */
public final class SeriesStateSerde implements Serde<SeriesState> {

  private static final byte FORMAT = 6;

  private static final byte FORMAT_RAW_RESIDUALS = 5;

  /** Format 6's flags byte: the residual ring is standardised. */
  private static final int STANDARDISED_RESIDUALS = 1;

  private static final byte FORMAT_WITHOUT_SMOOTHING = 4;

  private static final byte FORMAT_WITHOUT_EMITTED = 3;

  private static final byte FORMAT_EW_INTERVAL = 2;

  private static final byte FORMAT_WITHOUT_SCORING = 1;

  /** The model names of no kept emission: what exactly_once_v2 encodes on every tick. */
  private static final byte[][] NO_NAMES = new byte[0][];

  /** Most kept emissions accepted when decoding. */
  static final int MAX_EMITTED = 1 << 10;

  /** Largest ring capacity accepted when decoding (far above any sensible --ring-size). */
  static final int MAX_RING = 1 << 16;

  @Override
  public Serializer<SeriesState> serializer() {
    return (topic, state) -> state == null ? null : encode(state);
  }

  @Override
  public Deserializer<SeriesState> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  static byte[] encode(SeriesState s) {
    SeriesState.Shadow shadow = s.shadow;
    byte[] name = s.modelName.getBytes(StandardCharsets.UTF_8);
    ConformalInterval.Residuals residuals = s.residuals;
    int size = 1 + 8 * 5 + 4 + 4 * s.recurrent.length + 8 + 8 * s.ringSize + 8 * 2;
    size += 8 + 4 * residuals.count() + 8 * 2;
    size += 2 + name.length + 1;
    if (shadow != null) {
      size += 8 + 4 + 4 * shadow.recurrent.length + 8 * 3;
    }
    byte[][] emittedNames = s.emittedCount == 0 ? NO_NAMES : new byte[s.emittedCount][];
    size += 4;
    for (int i = 0; i < s.emittedCount; i++) {
      SeriesState.Emitted e = s.emitted[i];
      size += EMITTED_FIXED + 16 * e.values.length;
      if (!ownModel(s, e)) {
        emittedNames[i] = e.model.getBytes(StandardCharsets.UTF_8);
        size += 2 + emittedNames[i].length + 8;
      }
      size += e.anomaly ? 8 * 4 : 0;
      size += e.gap > 0 ? 8 : 0;
    }
    size += smoothingSize(s.smoothing);
    if (shadow != null) {
      size += smoothingSize(shadow.smoothing);
    }
    size += 1;
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
    out.putDouble(s.lastForecast).putLong(s.errorCount);
    out.putInt(residuals.capacity()).putInt(residuals.count());
    for (int i = 0; i < residuals.count(); i++) {
      out.putFloat(residuals.get(i));
    }
    out.putDouble(s.drift.up()).putDouble(s.drift.down());
    out.putShort((short) name.length).put(name).put((byte) (shadow == null ? 0 : 1));
    if (shadow != null) {
      out.putLong(shadow.version).putInt(shadow.recurrent.length);
      for (float v : shadow.recurrent) {
        out.putFloat(v);
      }
      out.putDouble(shadow.lastValue).putDouble(shadow.variance).putDouble(shadow.lastForecast);
    }
    out.putInt(s.emittedCount);
    for (int i = 0; i < s.emittedCount; i++) {
      SeriesState.Emitted e = s.emitted[i];
      int flags = (e.anomaly ? ANOMALY : 0) | (e.drift ? DRIFT : 0) | freshFlag(e.fresh);
      flags |= emittedNames[i] == null ? 0 : OTHER_MODEL;
      flags |= e.gap > 0 ? GAP : 0;
      out.putInt(e.partition).putLong(e.offset).putLong(e.ts).put((byte) flags);
      out.putShort((short) e.values.length);
      for (int h = 0; h < e.values.length; h++) {
        out.putDouble(e.values[h]).putDouble(e.halfWidths[h]);
      }
      if (emittedNames[i] != null) {
        out.putShort((short) emittedNames[i].length).put(emittedNames[i]).putLong(e.version);
      }
      if (e.gap > 0) {
        out.putLong(e.gap);
      }
      if (e.anomaly) {
        out.putDouble(e.forecast).putDouble(e.halfWidth).putDouble(e.score).putDouble(e.threshold);
      }
    }
    putSmoothing(out, s.smoothing);
    if (shadow != null) {
      putSmoothing(out, shadow.smoothing);
    }
    out.put((byte) (s.residualsStandardised ? STANDARDISED_RESIDUALS : 0));
    return out.array();
  }

  /** Bytes of a smoothing block with its flag ({@code null}: the flag alone). */
  private static int smoothingSize(ExponentialSmoothing.State state) {
    return 1 + (state == null ? 0 : SMOOTHING_FIXED + 8 * state.season());
  }

  /** Season, level, trend, slot, scale statistic, steps, errors and last time of a block. */
  private static final int SMOOTHING_FIXED = 4 + 8 + 8 + 4 + 8 + 8 + 8 + 8;

  private static void putSmoothing(ByteBuffer out, ExponentialSmoothing.State state) {
    if (state == null) {
      out.put((byte) 0);
      return;
    }
    out.put((byte) 1).putInt(state.season()).putDouble(state.level()).putDouble(state.trend());
    for (int i = 0; i < state.season(); i++) {
      out.putDouble(state.seasonal(i));
    }
    out.putInt(state.position())
        .putDouble(state.scaleStatistic())
        .putLong(state.steps())
        .putLong(state.errors())
        .putLong(state.lastTime());
  }

  private static ExponentialSmoothing.State smoothing(ByteBuffer in) {
    byte flag = in.get();
    if (flag == 0) {
      return null;
    }
    if (flag != 1) {
      throw new SerializationException("smoothing flag " + flag + " is neither 0 nor 1");
    }
    int season = in.getInt();
    if (season < 1 || season > SmoothingSpec.MAX_SEASON) {
      throw new SerializationException("smoothing season " + season + " out of range");
    }
    fits(season, in, 8);
    double level = in.getDouble();
    double trend = in.getDouble();
    double[] seasonal = new double[season];
    for (int i = 0; i < season; i++) {
      seasonal[i] = in.getDouble();
    }
    return ExponentialSmoothing.State.of(
        level,
        trend,
        seasonal,
        in.getInt(),
        in.getDouble(),
        in.getLong(),
        in.getLong(),
        in.getLong());
  }

  /**
   * A length read from {@code in}, checked against the bytes left ({@code width} per element), so a
   * corrupt record can never make the decoder allocate more than the record's own size.
   */
  private static int length(ByteBuffer in, int width) {
    return fits(in.getInt(), in, width);
  }

  /**
   * {@code length} elements of {@code width} bytes, checked against the bytes left in {@code in}.
   */
  private static int fits(int length, ByteBuffer in, int width) {
    if (length < 0 || (long) length * width > in.remaining()) {
      throw new SerializationException(
          "length " + length + " does not fit the " + in.remaining() + " bytes left");
    }
    return length;
  }

  private static ConformalInterval.Residuals residuals(ByteBuffer in) {
    int capacity = in.getInt();
    if (capacity < 1 || capacity > ConformalInterval.MAX_WINDOW) {
      throw new SerializationException("residual ring capacity " + capacity + " out of range");
    }
    int held = length(in, 4);
    if (held > capacity) {
      throw new SerializationException(held + " residuals held, capacity " + capacity);
    }
    ConformalInterval.Residuals residuals = new ConformalInterval.Residuals(capacity);
    for (int i = 0; i < held; i++) {
      float magnitude = in.getFloat();
      if (!(magnitude >= 0) || Float.isInfinite(magnitude)) {
        throw new SerializationException("residual " + magnitude + " is not a finite magnitude");
      }
      residuals.add(magnitude);
    }
    return residuals;
  }

  /** Partition, offset, event time, flags and the number of horizons of a kept emission. */
  private static final int EMITTED_FIXED = 4 + 8 + 8 + 1 + 2;

  private static final int ANOMALY = 1;

  private static final int DRIFT = 2;

  private static final int OTHER_MODEL = 4;

  private static final int FRESH_NEW = 8;

  private static final int FRESH_RESET = 16;

  private static int freshFlag(String fresh) {
    if (fresh == null) {
      return 0;
    }
    return fresh.equals(Prediction.RESET) ? FRESH_RESET : FRESH_NEW;
  }

  private static final int GAP = 32;

  private static boolean ownModel(SeriesState s, SeriesState.Emitted e) {
    return e.version == s.modelVersion && e.model.equals(s.modelName);
  }

  private static void emitted(ByteBuffer in, SeriesState s, int knownFlags) {
    int count = length(in, EMITTED_FIXED);
    if (count > MAX_EMITTED) {
      throw new SerializationException(count + " kept emissions, at most " + MAX_EMITTED);
    }
    for (int i = 0; i < count; i++) {
      SeriesState.Emitted e = s.nextEmitted(count);
      e.partition = in.getInt();
      e.offset = in.getLong();
      e.ts = in.getLong();
      int flags = in.get();
      if ((flags & ~knownFlags) != 0
          || (flags & (FRESH_NEW | FRESH_RESET)) == (FRESH_NEW | FRESH_RESET)) {
        throw new SerializationException("kept emission flags " + flags + " unknown");
      }
      int horizons = fits(in.getShort(), in, 16);
      e.horizons(horizons);
      for (int h = 0; h < horizons; h++) {
        e.values[h] = in.getDouble();
        e.halfWidths[h] = in.getDouble();
      }
      if ((flags & OTHER_MODEL) != 0) {
        byte[] name = new byte[in.getShort() & 0xffff];
        in.get(name);
        e.model = new String(name, StandardCharsets.UTF_8);
        e.version = in.getLong();
      } else {
        e.model = s.modelName;
        e.version = s.modelVersion;
      }
      e.gap = (flags & GAP) != 0 ? in.getLong() : 0;
      e.anomaly = (flags & ANOMALY) != 0;
      e.drift = (flags & DRIFT) != 0;
      e.fresh =
          (flags & FRESH_NEW) != 0
              ? Prediction.NEW
              : (flags & FRESH_RESET) != 0 ? Prediction.RESET : null;
      if (e.anomaly) {
        e.forecast = in.getDouble();
        e.halfWidth = in.getDouble();
        e.score = in.getDouble();
        e.threshold = in.getDouble();
      }
    }
  }

  static SeriesState decode(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte format = in.get();
      if (format != FORMAT
          && format != FORMAT_RAW_RESIDUALS
          && format != FORMAT_WITHOUT_SMOOTHING
          && format != FORMAT_WITHOUT_EMITTED
          && format != FORMAT_EW_INTERVAL
          && format != FORMAT_WITHOUT_SCORING) {
        throw new SerializationException("unknown series state format " + format);
      }
      long modelVersion = in.getLong();
      long steps = in.getLong();
      long lastTs = in.getLong();
      double lastValue = in.getDouble();
      double variance = in.getDouble();
      float[] recurrent = new float[length(in, 4)];
      for (int i = 0; i < recurrent.length; i++) {
        recurrent[i] = in.getFloat();
      }
      int capacity = in.getInt();
      if (capacity < 1 || capacity > MAX_RING) {
        throw new SerializationException("ring capacity " + capacity + " out of range");
      }
      SeriesState s = new SeriesState(capacity);
      int held = length(in, 8);
      if (held > capacity) {
        throw new SerializationException(held + " ring values held, capacity " + capacity);
      }
      for (int i = 0; i < held; i++) {
        s.remember(lastTs, in.getDouble());
      }
      s.modelVersion = modelVersion;
      s.steps = steps;
      s.lastTs = lastTs;
      s.lastValue = lastValue;
      s.variance = variance;
      s.recurrent = recurrent.length == 0 ? SeriesState.NO_RECURRENT : recurrent;
      boolean hasShadow = false;
      if (format == FORMAT_EW_INTERVAL) {
        s.lastForecast = in.getDouble();
        in.getDouble(); // the EW error variance: the conformal interval recalibrates instead
        s.errorCount = in.getLong();
      } else if (format >= FORMAT_WITHOUT_EMITTED) {
        s.lastForecast = in.getDouble();
        s.errorCount = in.getLong();
        s.residuals = residuals(in);
        s.drift.restore(in.getDouble(), in.getDouble());
      }
      if (format != FORMAT_WITHOUT_SCORING) {
        byte[] name = new byte[in.getShort() & 0xffff];
        in.get(name);
        s.modelName = new String(name, StandardCharsets.UTF_8);
        byte shadowFlag = in.get();
        if (shadowFlag != 0 && shadowFlag != 1) {
          throw new SerializationException("shadow flag " + shadowFlag + " is neither 0 nor 1");
        }
        hasShadow = shadowFlag == 1;
      }
      if (hasShadow) {
        SeriesState.Shadow shadow = new SeriesState.Shadow();
        shadow.version = in.getLong();
        shadow.recurrent = new float[length(in, 4)];
        for (int i = 0; i < shadow.recurrent.length; i++) {
          shadow.recurrent[i] = in.getFloat();
        }
        shadow.lastValue = in.getDouble();
        shadow.variance = in.getDouble();
        shadow.lastForecast = in.getDouble();
        s.shadow = shadow;
      }
      if (format == FORMAT_WITHOUT_SMOOTHING) {
        emitted(in, s, ANOMALY | DRIFT | OTHER_MODEL);
      } else if (format >= FORMAT_RAW_RESIDUALS) {
        emitted(in, s, ANOMALY | DRIFT | OTHER_MODEL | FRESH_NEW | FRESH_RESET | GAP);
        s.smoothing = smoothing(in);
        if (s.shadow != null) {
          s.shadow.smoothing = smoothing(in);
        }
      }
      if (format == FORMAT) {
        byte flags = in.get();
        if ((flags & ~STANDARDISED_RESIDUALS) != 0) {
          throw new SerializationException("unknown residual flags " + flags);
        }
        s.residualsStandardised = (flags & STANDARDISED_RESIDUALS) != 0;
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
