package dev.seqcast.model;

/**
 * The recurrent cell a model bundle carries. Unidirectional by construction: no cell looks ahead.
 */
public enum CellType {
  /** Long short-term memory; recurrent state is {@code [h | c]}. */
  LSTM;

  /** Parses the bundle header's lower-case spelling ({@code "lstm"}). */
  public static CellType parse(String text) {
    for (CellType cell : values()) {
      if (cell.name().equalsIgnoreCase(text)) {
        return cell;
      }
    }
    throw new IllegalArgumentException("unknown cell '" + text + "'");
  }

  /** The spelling used in bundle headers and on the command line. */
  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
