package dev.seqcast.speech;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.bench.ToneResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The resampler from every accepted rate to 16 kHz, measured with tones ({@link ToneResponse}, the
 * measurement {@code bench resampler} sweeps with): in-band tones keep their amplitude within 0.1
 * dB and their timing, everything else (aliases, images) is at least 60 dB down; and a stream cut
 * into chunks, with its state stored between them, resamples bit for bit as in one piece.
 */
class ResamplerTest {

  @Test
  void exactlyTheListedRatesAreTaken() {
    assertEquals(
        List.of(8_000, 11_025, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000), Resampler.RATES);
    for (int rate : Resampler.RATES) {
      assertTrue(Resampler.accepts(rate), rate + " Hz");
    }
    for (int rate : new int[] {0, -16_000, 12_000, 15_999, 16_001, 44_056, 88_200, 96_000}) {
      assertFalse(Resampler.accepts(rate), rate + " Hz");
    }
    assertThrows(IllegalArgumentException.class, () -> Resampler.from(16_000));
    assertThrows(IllegalArgumentException.class, () -> Resampler.from(12_000));
    Resampler r = Resampler.from(44_100);
    assertEquals(160, r.up());
    assertEquals(441, r.down());
    assertTrue(r == Resampler.from(44_100), "one shared filter bank per rate");
  }

  @Test
  void inBandTonesKeepTheirAmplitudeWithinATenthOfADecibelAndTheirTiming() {
    for (int rate : Resampler.RATES) {
      if (rate == AudioChunks.SAMPLE_RATE) {
        continue;
      }
      Resampler r = Resampler.from(rate);
      double worstGain = 0;
      double worstResidual = -Double.MAX_VALUE;
      for (double hz : new double[] {60, 250, 1_000, 2_000, 3_000, 4_000, 6_000, 7_000, 7_200}) {
        if (hz > r.passbandHz()) {
          continue;
        }
        ToneResponse t = ToneResponse.measure(rate, hz, 1);
        String tone = rate + " Hz in, " + hz + " Hz tone: ";
        assertEquals(0, t.gainDb(), 0.1, tone + "gain");
        assertTrue(t.residualDb() <= -60, tone + "everything else " + t.residualDb() + " dB");
        // a sine on the output's own clock: the look-ahead is compensated, nothing is delayed
        assertEquals(0, t.phase(), 1e-3, tone + "phase");
        worstGain = Math.max(worstGain, Math.abs(t.gainDb()));
        worstResidual = Math.max(worstResidual, t.residualDb());
      }
      System.out.printf(
          "resampler %5d Hz -> 16 kHz (L/M %d/%d, %d taps): in-band gain within %.4f dB,"
              + " everything but the tone %.1f dB%n",
          rate, r.up(), r.down(), r.taps(), worstGain, worstResidual);
    }
  }

  @Test
  void tonesAboveTheOutputNyquistComeOutAtLeastSixtyDecibelsDown() {
    List<Double> tones = new ArrayList<>();
    for (double hz = 8_000; hz <= 8_400; hz += 25) { // the stopband edge and first sidelobes
      tones.add(hz);
    }
    tones.addAll(List.of(9_000.0, 10_000.0, 12_000.0, 15_000.0, 20_000.0, 23_000.0));
    for (int rate : new int[] {22_050, 24_000, 32_000, 44_100, 48_000}) {
      double leastAttenuation = Double.MAX_VALUE;
      for (double hz : tones) {
        if (hz >= rate / 2.0) {
          continue;
        }
        double attenuationDb = -ToneResponse.measure(rate, hz, 0.5).outputDb();
        assertTrue(attenuationDb >= 60, rate + " Hz, " + hz + " Hz: " + attenuationDb + " dB down");
        leastAttenuation = Math.min(leastAttenuation, attenuationDb);
      }
      System.out.printf(
          "resampler %5d Hz -> 16 kHz: tones at 8 kHz and above %.1f dB down or more%n",
          rate, leastAttenuation);
    }
  }

  @Test
  void chunksWithTheStateStoredBetweenThemResampleBitForBitAsOnePiece() {
    Random random = new Random(7);
    for (int rate : Resampler.RATES) {
      if (rate == AudioChunks.SAMPLE_RATE) {
        continue;
      }
      short[] input = new short[rate / 2 + random.nextInt(1_000)];
      for (int i = 0; i < input.length; i++) {
        input[i] = (short) (random.nextGaussian() * 6_000);
      }
      float[] whole = resample(rate, input, random, false);
      float[] chunked = resample(rate, input, random, true);
      assertEquals(whole.length, chunked.length, rate + " Hz");
      for (int i = 0; i < whole.length; i++) {
        assertEquals(
            Float.floatToRawIntBits(whole[i]),
            Float.floatToRawIntBits(chunked[i]),
            rate + " Hz, output " + i);
      }
    }
  }

  @Test
  void outputsEmittedPlusOutputsDueCoverEveryInstantOfTheInput() {
    Random random = new Random(3);
    for (int rate : Resampler.RATES) {
      if (rate == AudioChunks.SAMPLE_RATE) {
        continue;
      }
      Resampler r = Resampler.from(rate);
      SpeechState s = new SpeechState();
      r.start(s);
      float[] out = new float[Resampler.MAX_OUTPUTS_PER_INPUT];
      long emitted = 0;
      for (int n = 1; n <= 3 * r.taps() + 2_000; n++) {
        emitted += r.push(s, (short) random.nextInt(), out);
        assertEquals(r.emittedAfter(n), emitted, rate + " Hz after " + n);
        long instants = ((long) n * r.up() + r.down() - 1) / r.down(); // ceil(n L / M)
        assertEquals(instants, emitted + r.due(s), rate + " Hz after " + n);
      }
    }
  }

  /**
   * {@code input} resampled from {@code rate}; {@code chunked}: in random chunks of 1-700 samples,
   * the state encoded and decoded between them as the store would.
   */
  static float[] resample(int rate, short[] input, Random random, boolean chunked) {
    Resampler r = Resampler.from(rate);
    SpeechState s = new SpeechState();
    r.start(s);
    s.inputRate = rate;
    float[] out = new float[(int) r.emittedAfter(input.length)];
    float[] buffer = new float[Resampler.MAX_OUTPUTS_PER_INPUT];
    int at = 0;
    int next = chunked ? 1 + random.nextInt(700) : input.length;
    for (int i = 0; i < input.length; i++) {
      if (i == next) {
        s = SpeechStateSerde.decode(SpeechStateSerde.encode(s));
        next += 1 + random.nextInt(700);
      }
      int n = r.push(s, input[i], buffer);
      System.arraycopy(buffer, 0, out, at, n);
      at += n;
    }
    return Arrays.copyOf(out, at);
  }
}
