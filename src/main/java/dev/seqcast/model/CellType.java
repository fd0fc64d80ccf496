package dev.seqcast.model;

import java.util.Locale;

/**
 * The recurrent cell a model bundle carries. Unidirectional by construction: no cell looks ahead.
 */
public enum CellType {
  /** Long short-term memory; per layer the state is {@code [h | c]}, gate rows {@code i,f,g,o}. */
  LSTM(4, 2, "i,f,g,o"),
  /** Gated recurrent unit; per layer the state is {@code [h]}, gate rows {@code r,z,n}. */
  GRU(3, 1, "r,z,n");

  private final int gates;
  private final int stateVectors;
  private final String gateOrder;

  CellType(int gates, int stateVectors, String gateOrder) {
    this.gates = gates;
    this.stateVectors = stateVectors;
    this.gateOrder = gateOrder;
  }

  /** Gate blocks per layer: each block has one row per hidden unit. */
  public int gates() {
    return gates;
  }

  /** Vectors of hidden size each layer carries as recurrent state (h, and c for an LSTM). */
  public int stateVectors() {
    return stateVectors;
  }

  /** Order of the gate blocks in the bundle's weight rows, as written in bundle headers. */
  public String gateOrder() {
    return gateOrder;
  }

  /** Parses the bundle header's lower-case spelling ({@code "lstm"}, {@code "gru"}). */
  public static CellType parse(String text) {
    for (CellType cell : values()) {
      if (cell.name().equalsIgnoreCase(text)) {
        return cell;
      }
    }
    throw new IllegalArgumentException("unknown cell '" + text + "' (expected lstm or gru)");
  }

  /** The spelling used in bundle headers and on the command line. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
