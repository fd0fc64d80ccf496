package dev.seqcast.model;

import java.io.IOException;
import java.io.InputStream;

/**
 * The models the jar ships: the S&amp;P 500 forecasters the demo and benchmarks run, and the speech
 * frame tagger of {@code demo --speech}.
 */
public final class BundledModels {

  private BundledModels() {}

  /** The bundled S&amp;P 500 model with {@code cell}, from {@code /models/sp500-<cell>.bundle}. */
  public static ModelBundle sp500(CellType cell) throws IOException, BundleException {
    return named("sp500-" + cell.wireName());
  }

  /** The bundled speech tagger with {@code cell}, from {@code /models/speech-<cell>.bundle}. */
  public static ModelBundle speech(CellType cell) throws IOException, BundleException {
    return named("speech-" + cell.wireName());
  }

  private static ModelBundle named(String name) throws IOException, BundleException {
    String resource = "/models/" + name + ".bundle";
    try (InputStream in = BundledModels.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("bundled model " + resource + " missing from the jar");
      }
      return ModelBundle.decode(in.readAllBytes());
    }
  }
}
