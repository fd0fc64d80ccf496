package dev.seqcast.testkit;

import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.Normalisation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Model bundles for tests: random weights of a given shape, and the bundled S&P 500 model. */
public final class TestModels {

  private TestModels() {}

  /** A valid LSTM bundle with seeded random weights. */
  public static ModelBundle random(String name, long version, int hidden, long seed) {
    ModelHeader header =
        new ModelHeader(
            name,
            version,
            CellType.LSTM,
            1,
            hidden,
            1,
            List.of("log_return"),
            new Normalisation(0.06, 0.012, 8),
            Map.of("data", "test"),
            Map.of("holdoutMae", 1.0),
            Instant.parse("2026-01-01T00:00:00Z"));
    Random random = new Random(seed);
    float[] weights = new float[header.weightCount()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextGaussian() * 0.3);
    }
    return new ModelBundle(header, weights);
  }

  /** The bundle the demo ships, as bytes. */
  public static byte[] bundledSp500() {
    try (InputStream in = TestModels.class.getResourceAsStream("/models/sp500-lstm.bundle")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
