package dev.seqcast.model;

import java.io.IOException;
import java.io.InputStream;

/** The models the jar ships: the S&amp;P 500 forecasters the demo and benchmarks run. */
public final class BundledModels {

  private BundledModels() {}

  /** The bundled S&amp;P 500 model with {@code cell}, from {@code /models/sp500-<cell>.bundle}. */
  public static ModelBundle sp500(CellType cell) throws IOException, BundleException {
    String resource = "/models/sp500-" + cell.wireName() + ".bundle";
    try (InputStream in = BundledModels.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("bundled model " + resource + " missing from the jar");
      }
      return ModelBundle.decode(in.readAllBytes());
    }
  }
}
