package dev.seqcast.stream;

/**
 * Header names on {@code seqcast.dlq} records. The record keeps the original key, value, timestamp
 * and headers; these are added (UTF-8 strings).
 */
public final class DeadLetterHeaders {
  /** Stable machine code, one of {@link DlqReason#code()}. */
  public static final String REASON = "seqcast.dlq.reason";

  /** Human-readable explanation. */
  public static final String DETAIL = "seqcast.dlq.detail";

  /** Topic the record was read from. */
  public static final String SOURCE_TOPIC = "seqcast.source.topic";

  /** Partition the record was read from. */
  public static final String SOURCE_PARTITION = "seqcast.source.partition";

  /** Offset the record was read from. */
  public static final String SOURCE_OFFSET = "seqcast.source.offset";

  private DeadLetterHeaders() {}
}
