package dev.seqcast.testkit;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.train.Trainer;
import dev.seqcast.model.BundleException;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.ModelHeader;
import dev.seqcast.model.Normalisation;
import dev.seqcast.model.OutputHead;
import dev.seqcast.model.SmoothingSpec;
import dev.seqcast.speech.LogMelFeatures;
import dev.seqcast.speech.train.SpeechCorpus;
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

  /** A valid one-layer LSTM bundle with seeded random weights. */
  public static ModelBundle random(String name, long version, int hidden, long seed) {
    return random(name, version, CellType.LSTM, hidden, 1, seed);
  }

  /** A valid one-input bundle of the given cell and depth, with seeded random weights. */
  public static ModelBundle random(
      String name, long version, CellType cell, int hidden, int layers, long seed) {
    return random(name, version, cell, 1, hidden, layers, seed, 0.3);
  }

  /**
   * A valid bundle of the given shape with seeded Gaussian weights of standard deviation {@code
   * scale}.
   */
  public static ModelBundle random(
      String name,
      long version,
      CellType cell,
      int inputs,
      int hidden,
      int layers,
      long seed,
      double scale) {
    List<String> features = new java.util.ArrayList<>();
    for (int k = 0; k < inputs; k++) {
      features.add(k == 0 ? "log_return" : "x" + k);
    }
    ModelHeader header =
        new ModelHeader(
            name,
            version,
            cell,
            inputs,
            hidden,
            layers,
            1,
            features,
            new Normalisation(0.06, 0.012, 8),
            Map.of("data", "test"),
            Map.of("holdoutMae", 1.0),
            Instant.parse("2026-01-01T00:00:00Z"));
    Random random = new Random(seed);
    float[] weights = new float[header.weightCount()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextGaussian() * scale);
    }
    return new ModelBundle(header, weights);
  }

  /**
   * A valid speech tagger bundle (speech features in, softmax over the corpus classes out) with
   * seeded Gaussian weights of standard deviation {@code scale}.
   */
  public static ModelBundle randomSpeech(
      String name, long version, CellType cell, int hidden, long seed, double scale) {
    ModelHeader header =
        new ModelHeader(
            name,
            version,
            cell,
            LogMelFeatures.SIZE,
            hidden,
            1,
            SpeechCorpus.CLASSES.size(),
            LogMelFeatures.names(),
            LogMelFeatures.DEFAULT_NORMALISATION,
            Map.of("data", "test"),
            Map.of(),
            Instant.parse("2026-01-01T00:00:00Z"),
            OutputHead.classification(SpeechCorpus.CLASSES));
    Random random = new Random(seed);
    float[] weights = new float[header.weightCount()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextGaussian() * scale);
    }
    return new ModelBundle(header, weights);
  }

  /**
   * A smoothing spec for hourly data (regular up to 1.5 hours, gaps of up to 4 network steps) with
   * the given coefficients, scale weight 0.05, scale floor 1e-9, clip 8 and no calendar or tick
   * inputs.
   */
  public static SmoothingSpec smoothing(
      SmoothingSpec.Transform transform,
      int season,
      double level,
      double trend,
      double damping,
      double seasonal,
      int horizon) {
    return new SmoothingSpec(
        transform,
        season,
        level,
        trend,
        damping,
        seasonal,
        0.05,
        1e-9,
        8,
        horizon,
        3_600_000L,
        5_400_000L,
        4,
        List.of(),
        List.of());
  }

  /** A smoothed multi-horizon bundle of {@code spec} with seeded Gaussian weights. */
  public static ModelBundle randomSmoothed(
      SmoothingSpec spec, CellType cell, int hidden, int layers, long seed, double scale) {
    ModelHeader header =
        ModelHeader.smoothed(
            "smoothed",
            1,
            cell,
            hidden,
            layers,
            spec,
            Map.of("data", "test"),
            Map.of(),
            Instant.parse("2026-01-01T00:00:00Z"));
    Random random = new Random(seed);
    float[] weights = new float[header.weightCount()];
    for (int i = 0; i < weights.length; i++) {
      weights[i] = (float) (random.nextGaussian() * scale);
    }
    return new ModelBundle(header, weights);
  }

  /** The bundled speech tagger of {@code cell}, as bytes. */
  public static byte[] bundledSpeech(CellType cell) {
    return bundled("speech-" + cell.wireName());
  }

  /**
   * A small model of {@code cell} trained for a few epochs on {@link #syntheticPrices}, read back
   * from its encoded bytes as a predictor would see it.
   */
  public static ModelBundle trained(CellType cell, int layers) throws BundleException {
    Trainer.Result result =
        Trainer.train(
            List.of(syntheticPrices(600, 5)),
            Map.of(),
            new Trainer.Options("parity", 1, cell, 16, layers, 3, 20, 0.2, 5e-3, 3),
            (epoch, total, loss) -> {});
    return ModelBundle.decode(result.bundle().encode());
  }

  /** A seeded random walk with a slow cycle, daily timestamps: something a model can learn. */
  public static Series syntheticPrices(int points, long seed) {
    Random random = new Random(seed);
    long[] ts = new long[points];
    double[] values = new double[points];
    double price = 100;
    for (int t = 0; t < points; t++) {
      ts[t] = t * 86_400_000L;
      price *= Math.exp(0.01 * random.nextGaussian() + 0.004 * Math.sin(t / 9.0));
      values[t] = price;
    }
    return new Series("synthetic", ts, values);
  }

  /** The bundle the demo ships, as bytes. */
  public static byte[] bundledSp500() {
    return bundled("sp500-lstm");
  }

  /** A bundle the jar ships under {@code /models/<name>.bundle}, as bytes. */
  public static byte[] bundled(String name) {
    try (InputStream in = TestModels.class.getResourceAsStream("/models/" + name + ".bundle")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
