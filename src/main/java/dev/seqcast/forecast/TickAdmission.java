package dev.seqcast.forecast;

import dev.seqcast.model.FeatureTransform;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;

/**
 * The predictor's rules for accepting a tick record, in one place so that the predictor and
 * training from the ticks topic refuse exactly the same records for the same reasons: the record
 * must decode ({@link TickCodec}), its value must suit the model's transform (every finite value
 * for an additive smoothed model, a positive one for the log-return and smoothed-log transforms),
 * and its event time must come after the series' last accepted tick.
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
   * Decodes a record and checks everything that depends neither on the series' history nor on the
   * model that will step it.
   *
   * @param timestamp the record timestamp, epoch ms, or {@link TickCodec#NO_RECORD_TIMESTAMP}
   */
  public Tick decode(byte[] key, byte[] value, long timestamp) throws InvalidRecordException {
    return codec.decode(key, value, timestamp);
  }

  /**
   * Decodes a record for the one-step log-return forecaster: {@link #decode}, then its value must
   * be positive.
   *
   * @param timestamp the record timestamp, epoch ms, or {@link TickCodec#NO_RECORD_TIMESTAMP}
   */
  public Tick admit(byte[] key, byte[] value, long timestamp) throws InvalidRecordException {
    Tick tick = decode(key, value, timestamp);
    requireAccepted(
        tick.value(), FeatureTransform.accepts(tick.value()), "the log-return transform");
    return tick;
  }

  /**
   * Refuses, as {@code unsupported-value}, a value the model's transform cannot take; a decoded
   * value is finite, so that is a value ≤ 0 under a logarithm.
   *
   * @param accepted whether the transform takes {@code value}
   * @param transform the transform, as the refusal names it ({@code the log-return transform})
   */
  public static void requireAccepted(double value, boolean accepted, String transform)
      throws InvalidRecordException {
    if (!accepted) {
      throw new InvalidRecordException(
          DlqReason.UNSUPPORTED_VALUE,
          "value " + value + " is not positive; " + transform + " needs > 0");
    }
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
