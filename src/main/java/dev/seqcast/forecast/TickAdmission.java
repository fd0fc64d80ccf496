package dev.seqcast.forecast;

import dev.seqcast.model.FeatureTransform;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;

/**
 * The predictor's rules for accepting a tick record, in one place so that the predictor and
 * training from the ticks topic refuse exactly the same records for the same reasons: the record
 * must decode ({@link TickCodec}), its value must suit the model's transform, and its event time
 * must come after the series' last accepted tick.
 *
 * <p>Thread-safe.
 */
public final class TickAdmission {

  private final TickCodec codec;

  /** Rules for default-shaped tick values up to {@code maxTickBytes}. */
  public TickAdmission(int maxTickBytes) {
    this(maxTickBytes, TickMapping.defaults());
  }

  /** Rules for tick values up to {@code maxTickBytes} laid out as {@code mapping} says. */
  public TickAdmission(int maxTickBytes, TickMapping mapping) {
    this.codec = new TickCodec(maxTickBytes, mapping);
  }

  /**
   * Decodes a record and checks everything that does not depend on the series' history.
   *
   * @param timestamp the record timestamp, epoch ms, or {@link TickCodec#NO_RECORD_TIMESTAMP}
   */
  public Tick admit(byte[] key, byte[] value, long timestamp) throws InvalidRecordException {
    Tick tick = codec.decode(key, value, timestamp);
    if (!FeatureTransform.accepts(tick.value())) {
      throw new InvalidRecordException(
          DlqReason.UNSUPPORTED_VALUE,
          "value " + tick.value() + " is not positive; the log-return transform needs > 0");
    }
    return tick;
  }

  /**
   * Refuses an event time that is not after the series' last accepted one: equal is a {@code
   * duplicate}, earlier is {@code out-of-order}.
   */
  public static void requireAfter(long ts, long lastTs) throws InvalidRecordException {
    if (ts <= lastTs) {
      throw new InvalidRecordException(
          ts == lastTs ? DlqReason.DUPLICATE : DlqReason.OUT_OF_ORDER,
          "event time " + ts + " is not after last " + lastTs);
    }
  }
}
