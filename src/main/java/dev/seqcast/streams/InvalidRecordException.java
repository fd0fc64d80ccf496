package dev.seqcast.streams;

/**
 * An input record (a tick, an audio chunk) that cannot be accepted, with the reason that goes into
 * the dead-letter headers.
 */
public final class InvalidRecordException extends Exception {
  private final DlqReason reason;

  /** A rejection for {@code reason} with a human-readable {@code detail}. */
  public InvalidRecordException(DlqReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  /** The machine-readable reason. */
  public DlqReason reason() {
    return reason;
  }
}
