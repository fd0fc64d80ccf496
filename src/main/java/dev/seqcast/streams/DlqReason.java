package dev.seqcast.streams;

/**
 * Why a record went to the dead-letter topic. The {@link #code()} is what the {@code
 * seqcast.dlq.reason} header carries; codes are stable, documented in {@code docs/wire-formats.md}.
 */
public enum DlqReason {
  /** Key absent or empty: a tick must name its series. */
  MISSING_KEY("missing-key"),
  /** Key is not valid UTF-8. */
  BAD_KEY("bad-key"),
  /** Value absent (tombstone) where a tick was expected. */
  MISSING_VALUE("missing-value"),
  /** Value larger than the configured maximum. */
  OVERSIZED("oversized"),
  /** Value is not a JSON object. */
  MALFORMED_JSON("malformed-json"),
  /** A required field ({@code ts}, {@code value}) is missing. */
  MISSING_FIELD("missing-field"),
  /** A field has the wrong JSON type. */
  WRONG_TYPE("wrong-type"),
  /** A number is NaN, infinite, or out of the representable range. */
  NON_FINITE("non-finite"),
  /** Event time outside {@code [0, 9999-12-31]}. */
  BAD_TIMESTAMP("bad-timestamp"),
  /** The value cannot enter the model's transform (log-returns need a positive value). */
  UNSUPPORTED_VALUE("unsupported-value"),
  /** Event time equals the series' last accepted event time. */
  DUPLICATE("duplicate"),
  /** Event time is earlier than the series' last accepted event time. */
  OUT_OF_ORDER("out-of-order"),
  /** Audio chunk without a (numeric) sample-rate header. */
  MISSING_SAMPLE_RATE("missing-sample-rate"),
  /** Audio chunk at a sample rate the speech features are not defined for. */
  UNSUPPORTED_SAMPLE_RATE("unsupported-sample-rate"),
  /** Audio chunk that is not a whole number of 16-bit samples. */
  ODD_BYTE_COUNT("odd-byte-count"),
  /** Control record (header {@code seqcast.control}) naming no known action. */
  BAD_CONTROL("bad-control");

  private final String code;

  DlqReason(String code) {
    this.code = code;
  }

  /** The stable wire code. */
  public String code() {
    return code;
  }
}
