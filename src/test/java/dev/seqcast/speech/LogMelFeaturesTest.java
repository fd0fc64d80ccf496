package dev.seqcast.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.Normalisation;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The causal features on known signals. */
class LogMelFeaturesTest {

  private final LogMelFeatures features = new LogMelFeatures(LogMelFeatures.DEFAULT_NORMALISATION);

  @ParameterizedTest(name = "{0} Hz")
  @ValueSource(ints = {300, 1000, 2500, 6000})
  void aPureToneLightsTheMelBandCentredNearestItsFrequency(int hz) {
    float[] window = tone(hz, LogMelFeatures.WINDOW, 0.5);
    float[] logMel = features.rawStatics(window);
    int loudest = 0;
    for (int b = 1; b < LogMelFeatures.BANDS; b++) {
      if (logMel[b] > logMel[loudest]) {
        loudest = b;
      }
    }
    int nearest = 0;
    for (int b = 1; b < LogMelFeatures.BANDS; b++) {
      if (Math.abs(LogMelFeatures.centreHz(b) - hz)
          < Math.abs(LogMelFeatures.centreHz(nearest) - hz)) {
        nearest = b;
      }
    }
    assertEquals(nearest, loudest, "loudest band of a " + hz + " Hz tone");
    // Far bands see only window leakage: at least 30 dB (~6.9 in natural log of power) below.
    int far = nearest < LogMelFeatures.BANDS / 2 ? LogMelFeatures.BANDS - 1 : 0;
    assertTrue(logMel[nearest] - logMel[far] > 6.9, "tone band vs far band");
  }

  @Test
  void logEnergyOfAWindowIsTheLogOfItsSumOfSquares() {
    float[] window = tone(440, LogMelFeatures.WINDOW, 0.25);
    double sum = 0;
    for (float x : window) {
      sum += (double) x * x;
    }
    assertEquals(Math.log(sum), features.rawStatics(window)[LogMelFeatures.BANDS], 1e-4);
  }

  @Test
  void everyHopOfAudioYieldsExactlyOneFrame() {
    for (int samples : new int[] {0, 159, 160, 161, 399, 400, 16_000, 16_159}) {
      assertEquals(samples / 160, features.frames(new float[samples]).length, samples + " samples");
    }
  }

  @Test
  void framesDependOnlyOnThePast() {
    Random random = new Random(3);
    float[] audio = new float[8_000];
    for (int i = 0; i < audio.length; i++) {
      audio[i] = (float) (random.nextGaussian() * 0.1);
    }
    float[] changedFuture = audio.clone();
    for (int i = 4_000; i < changedFuture.length; i++) {
      changedFuture[i] = 0.9f;
    }
    float[][] a = features.frames(audio);
    float[][] b = features.frames(changedFuture);
    for (int k = 0; k < 4_000 / 160; k++) { // frame k ends with sample 160k + 159 < 4000
      assertArrayEquals(a[k], b[k], "frame " + k);
    }
    assertTrue(a[4_000 / 160][0] != b[4_000 / 160][0], "the first frame after the change differs");
  }

  @Test
  void deltasAreHalfTheDifferenceToTwoFramesBack() {
    float[][] frames = features.frames(tone(700, 4_000, 0.3));
    for (int k = 2; k < frames.length; k++) {
      for (int j = 0; j < LogMelFeatures.STATIC; j++) {
        assertEquals(
            (frames[k][j] - frames[k - 2][j]) / 2, frames[k][LogMelFeatures.STATIC + j], 1e-6);
      }
    }
  }

  @Test
  void theRunningNormaliserCentresAStationarySignal() {
    Random random = new Random(5);
    float[] noise = new float[16_000 * 6];
    for (int i = 0; i < noise.length; i++) {
      noise[i] = (float) (random.nextGaussian() * 0.05);
    }
    float[][] frames = features.frames(noise);
    double mean = 0;
    double square = 0;
    int counted = 0;
    for (int k = 300; k < frames.length; k++) {
      mean += frames[k][LogMelFeatures.BANDS];
      square += frames[k][LogMelFeatures.BANDS] * frames[k][LogMelFeatures.BANDS];
      counted++;
    }
    mean /= counted;
    assertEquals(0, mean, 0.2, "normalised log energy mean");
    assertTrue(square / counted < 1.5, "normalised log energy variance " + square / counted);
  }

  @Test
  void featuresOfAnotherTransformAreRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> new LogMelFeatures(new Normalisation(0.06, 0.01, 8)));
  }

  static float[] tone(double hz, int samples, double amplitude) {
    float[] x = new float[samples];
    for (int i = 0; i < samples; i++) {
      x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / AudioChunks.SAMPLE_RATE));
    }
    return x;
  }
}
