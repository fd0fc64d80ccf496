package dev.seqcast.stream;

/**
 * A tick or audio chunk that cannot be accepted, with the reason that goes into the dead-letter
 * headers.
 */
public final class InvalidTickException extends Exception {
  private final DlqReason reason;

  /** A rejection for {@code reason} with a human-readable {@code detail}. */
  public InvalidTickException(DlqReason reason, String detail) {
    super(detail, null, false, false);
    this.reason = reason;
  }

  /** The machine-readable reason. */
  public DlqReason reason() {
    return reason;
  }
}
