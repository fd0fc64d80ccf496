package dev.seqcast.streams;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

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

  /**
   * Adds the dead-letter headers to {@code headers} (replacing any earlier ones): the reason, the
   * detail and, when known, where the record was read. Every processor that dead-letters uses this.
   */
  public static Headers mark(
      Headers headers, Optional<RecordMetadata> source, DlqReason reason, String detail) {
    put(headers, REASON, reason.code());
    put(headers, DETAIL, detail);
    source.ifPresent(
        at -> {
          put(headers, SOURCE_TOPIC, at.topic());
          put(headers, SOURCE_PARTITION, Integer.toString(at.partition()));
          put(headers, SOURCE_OFFSET, Long.toString(at.offset()));
        });
    return headers;
  }

  /**
   * Sends {@code record}, its original key and value bytes untouched, to the dead-letter sink
   * {@code sink} with the headers of {@link #mark}: the one way a processor dead-letters.
   */
  public static void forward(
      ProcessorContext<Object, Object> context,
      Record<byte[], byte[]> record,
      DlqReason reason,
      String detail,
      String sink) {
    context.forward(
        new Record<Object, Object>(
            record.key(),
            record.value(),
            record.timestamp(),
            mark(record.headers(), context.recordMetadata(), reason, detail)),
        sink);
  }

  private static void put(Headers headers, String name, String value) {
    headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
