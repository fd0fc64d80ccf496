package dev.seqcast.streams;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * An operator's word on one key's state, sent on the input topic itself: a record keyed by the
 * series (or stream) id, with the header {@value #HEADER} naming the action and no value. Keyed
 * like the key's own records, it lands on the same partition, so the one instance that owns the
 * key's state applies it, in order with the key's records, and exactly once under exactly-once. A
 * control record is never a tick, never dead-lettered as one and never produces output.
 */
public enum StateControl {
  /** Start the key's state afresh at its next record; its first output says so. */
  RESET("reset"),
  /** Remove the key's state now (a tombstone in the changelog). */
  DELETE("delete");

  /** Header naming the action, UTF-8: {@code reset} or {@code delete}. */
  public static final String HEADER = "seqcast.control";

  private final String code;

  StateControl(String code) {
    this.code = code;
  }

  /** The header value. */
  public String code() {
    return code;
  }

  /** The header of a record that carries this action. */
  public byte[] header() {
    return code.getBytes(StandardCharsets.UTF_8);
  }

  /** True if the record carries a control header, whatever its value. */
  public static boolean isControl(Headers headers) {
    return headers.lastHeader(HEADER) != null;
  }

  /**
   * The action of a control record ({@link #isControl} is true); {@code bad-control} when the
   * header names none.
   */
  public static StateControl of(Headers headers) throws InvalidRecordException {
    Header header = headers.lastHeader(HEADER);
    String value =
        header == null || header.value() == null
            ? ""
            : new String(header.value(), StandardCharsets.UTF_8);
    for (StateControl action : values()) {
      if (action.code.equals(value)) {
        return action;
      }
    }
    throw new InvalidRecordException(
        DlqReason.BAD_CONTROL, "header " + HEADER + " '" + value + "' is neither reset nor delete");
  }
}
