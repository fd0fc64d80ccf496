package dev.seqcast.model;

import java.util.Locale;

/** A model bundle that cannot be used, with a machine-readable reason. */
public final class BundleException extends Exception {

  /** Why a bundle was refused. */
  public enum Reason {
    /** Fewer bytes than the envelope announces, or bytes after the checksum. */
    TRUNCATED,
    /** Does not start with {@code SQCB}. */
    BAD_MAGIC,
    /** A format version this build does not read. */
    UNSUPPORTED_FORMAT,
    /** SHA-256 does not match the content. */
    BAD_CHECKSUM,
    /** Header JSON missing, malformed, or with invalid fields. */
    BAD_HEADER,
    /** A cell type this build does not know. */
    UNKNOWN_CELL,
    /** Weight count disagrees with the sizes in the header. */
    SHAPE_MISMATCH,
    /** A weight is NaN or infinite. */
    NON_FINITE_WEIGHTS,
    /** Trusted keys are configured but the bundle carries no signature. */
    UNSIGNED,
    /** Signed by a key that is not among the trusted keys. */
    UNTRUSTED_KEY,
    /** The signature block is empty, or the signature does not verify under its key. */
    BAD_SIGNATURE;

    /** Lower-case, hyphenated code used in logs and metric labels, e.g. {@code bad-checksum}. */
    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private final Reason reason;

  /** A refusal for {@code reason}, explained by {@code message}. */
  public BundleException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  /** The reason. */
  public Reason reason() {
    return reason;
  }
}
