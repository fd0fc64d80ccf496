package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.ExponentialSmoothing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SerdeRoundTripTest {

  private final Random random = new Random(3);

  @Test
  void predictionsSurviveTheirSerdeUnchanged() {
    PredictionSerde serde = new PredictionSerde();
    for (int i = 0; i < 500; i++) {
      double value = random.nextGaussian() * 1e6;
      double half = i % 2 == 0 ? Double.NaN : Math.abs(random.nextGaussian());
      Prediction p =
          new Prediction(
              "series \"" + i + "\" ✓",
              random.nextLong() & Long.MAX_VALUE,
              1 + random.nextInt(10),
              value,
              value - half,
              value + half,
              Math.abs(random.nextGaussian()),
              "sp500",
              1 + random.nextInt(1000),
              random.nextDouble() * 100,
              new String[] {null, Prediction.NEW, Prediction.RESET}[random.nextInt(3)],
              random.nextInt(4));
      byte[] bytes = serde.serializer().serialize("t", p);
      assertEquals(p, serde.deserializer().deserialize("t", bytes));
      String json = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
      assertEquals(p.hasInterval(), json.contains("\"lo\""), json);
    }
  }

  @Test
  void seriesStateSurvivesItsSerdeIncludingAWrappedRing() {
    SeriesStateSerde serde = new SeriesStateSerde();
    for (int values : new int[] {0, 1, 7, 8, 9, 50}) {
      SeriesState state = new SeriesState(8);
      for (int i = 0; i < values; i++) {
        state.remember(1_000 + i, 100 + i);
      }
      state.modelVersion = 3;
      state.modelName = values % 3 == 0 ? "" : "prices-ü";
      state.lastValue = 123.5;
      state.variance = 1e-4;
      state.recurrent = new float[] {0.25f, -1f, 3e-7f, 0f};
      for (int i = 0; i < values; i++) {
        state.residuals.add(0.5 * i - 3);
        state.errorCount++;
      }
      state.drift.restore(values * 0.25, 1.5);
      state.lastForecast = values == 0 ? Double.NaN : 99.25;
      if (values % 2 == 1) {
        state.shadow = new SeriesState.Shadow();
        state.shadow.version = 7;
        state.shadow.recurrent = new float[] {0.5f, -0.125f};
        state.shadow.lastValue = 101;
        state.shadow.variance = 2e-4;
        state.shadow.lastForecast = 100.5;
      }
      SeriesState copy =
          serde.deserializer().deserialize("t", serde.serializer().serialize("t", state));
      assertEquals(state.modelVersion(), copy.modelVersion());
      assertEquals(state.modelName(), copy.modelName());
      assertEquals(state.steps(), copy.steps());
      assertEquals(state.lastTs(), copy.lastTs());
      assertEquals(state.lastValue, copy.lastValue);
      assertEquals(state.variance, copy.variance);
      assertArrayEquals(state.recurrent(), copy.recurrent());
      assertEquals(state.lastForecast(), copy.lastForecast());
      assertEquals(state.errorCount(), copy.errorCount());
      assertEquals(state.residuals().capacity(), copy.residuals().capacity());
      assertEquals(state.residuals().count(), copy.residuals().count());
      for (int i = 0; i < state.residuals().count(); i++) {
        assertEquals(state.residuals().get(i), copy.residuals().get(i));
      }
      ConformalInterval calibrator = ConformalInterval.defaults();
      assertEquals(calibrator.halfWidth(state.residuals()), calibrator.halfWidth(copy.residuals()));
      assertEquals(state.drift().up(), copy.drift().up());
      assertEquals(state.drift().down(), copy.drift().down());
      assertEquals(state.shadowVersion(), copy.shadowVersion());
      if (state.shadow != null) {
        assertArrayEquals(state.shadow.recurrent, copy.shadow.recurrent);
        assertEquals(state.shadow.lastValue, copy.shadow.lastValue);
        assertEquals(state.shadow.variance, copy.shadow.variance);
        assertEquals(state.shadow.lastForecast, copy.shadow.lastForecast);
      }
      assertEquals(Math.min(values, 8), copy.recentCount());
      for (int i = 0; i < copy.recentCount(); i++) {
        assertEquals(state.recent(i), copy.recent(i));
      }
      if (values > 0) {
        assertEquals(100 + values - 1, copy.recent(copy.recentCount() - 1), "newest value last");
      }
      // the restored ring keeps rolling in the same order
      state.remember(5_000, -1);
      copy.remember(5_000, -1);
      for (int i = 0; i < copy.recentCount(); i++) {
        assertEquals(state.recent(i), copy.recent(i));
      }
    }
  }

  /**
   * A record in format 2, the layout written before conformal intervals (byte for byte as that
   * release's encoder wrote it): fixed fields, recurrent vector, ring, then last forecast, the EW
   * error variance, error count, model name and shadow flag (+ shadow block).
   */
  private static byte[] formatTwo(boolean withShadow) {
    byte[] name = "sp500".getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(512);
    out.put((byte) 2).putLong(4).putLong(120).putLong(9_000).putDouble(101.5).putDouble(1e-4);
    out.putInt(2).putFloat(0.5f).putFloat(-0.25f);
    out.putInt(4).putInt(2).putDouble(100.0).putDouble(101.5);
    out.putDouble(102.0).putDouble(2.25).putLong(119);
    out.putShort((short) name.length).put(name).put((byte) (withShadow ? 1 : 0));
    if (withShadow) {
      out.putLong(5).putInt(1).putFloat(0.75f).putDouble(101.5).putDouble(2e-4).putDouble(101.0);
    }
    return Arrays.copyOf(out.array(), out.position());
  }

  @Test
  void seriesStateOfFormatTwoMigratesWithAnEmptyResidualRing() {
    for (boolean withShadow : new boolean[] {false, true}) {
      SeriesState read = SeriesStateSerde.decode(formatTwo(withShadow));
      assertEquals(4, read.modelVersion());
      assertEquals("sp500", read.modelName());
      assertEquals(120, read.steps());
      assertEquals(9_000, read.lastTs());
      assertEquals(101.5, read.lastValue);
      assertArrayEquals(new float[] {0.5f, -0.25f}, read.recurrent());
      assertEquals(2, read.recentCount());
      assertEquals(101.5, read.recent(1));
      assertEquals(102.0, read.lastForecast());
      assertEquals(119, read.errorCount());
      // The EW variance has no conformal equivalent: the ring starts empty, so no interval yet.
      assertEquals(0, read.residuals().count());
      assertTrue(Double.isNaN(ConformalInterval.defaults().halfWidth(read.residuals())));
      assertEquals(withShadow ? 5 : 0, read.shadowVersion());
      // Written back, it is in the current format and reads the same.
      byte[] migrated = SeriesStateSerde.encode(read);
      assertEquals(6, migrated[0]);
      SeriesState again = SeriesStateSerde.decode(migrated);
      assertEquals(read.errorCount(), again.errorCount());
      assertEquals(read.lastForecast(), again.lastForecast());
      assertEquals(read.shadowVersion(), again.shadowVersion());
    }
  }

  private static SeriesState withKeptEmissions(int count) {
    SeriesState state = new SeriesState(4, 10);
    state.remember(1, 2.0);
    for (int i = 0; i < count; i++) {
      SeriesState.Emitted e = state.nextEmitted(SeriesState.REPLAY_WINDOW);
      e.partition = i % 3;
      e.offset = 1_000_000_000_000L + i;
      e.ts = -5 + i;
      e.model = i == 0 ? "" : "prices-ü";
      e.version = i;
      e.horizons(i % 4);
      for (int h = 0; h < e.values.length; h++) {
        e.values[h] = 100.25 * (h + 1) + i;
        e.halfWidths[h] = h == 2 ? Double.NaN : 0.5 * h;
      }
      if (i % 2 == 1) {
        e.anomaly = true;
        e.forecast = 99.5;
        e.halfWidth = 1.25;
        e.score = 7.5 + i;
        e.threshold = 4;
        e.drift = i % 4 == 1;
      }
      e.fresh = i == 0 ? Prediction.NEW : i == 2 ? Prediction.RESET : null;
      e.gap = i % 3 == 2 ? 1L << (i + 30) : 0;
    }
    return state;
  }

  @Test
  void keptEmissionsSurviveTheSerdeBitForBit() {
    for (int count : new int[] {0, 1, 5, SeriesState.REPLAY_WINDOW}) {
      SeriesState state = withKeptEmissions(count);
      SeriesState copy = SeriesStateSerde.decode(SeriesStateSerde.encode(state));
      assertEquals(count, copy.emittedCount());
      for (int i = 0; i < count; i++) {
        SeriesState.Emitted want = state.emitted[i];
        SeriesState.Emitted got = copy.emitted(want.partition, want.offset, want.ts);
        assertEquals(want.model, got.model);
        assertEquals(want.version, got.version);
        assertArrayEquals(want.values, got.values);
        assertArrayEquals(want.halfWidths, got.halfWidths);
        assertEquals(want.anomaly, got.anomaly);
        assertEquals(want.forecast, got.forecast);
        assertEquals(want.halfWidth, got.halfWidth);
        assertEquals(want.score, got.score);
        assertEquals(want.threshold, got.threshold);
        assertEquals(want.drift, got.drift);
        assertEquals(want.fresh, got.fresh);
        assertEquals(want.gap, got.gap);
      }
      assertArrayEquals(SeriesStateSerde.encode(state), SeriesStateSerde.encode(copy));
    }
  }

  @Test
  void seriesStateOfFormatThreeReadsWithNothingKept() {
    byte[] five = formatFive(SeriesStateSerde.encode(withKeptEmissions(0)));
    // format 4 is format 5 without the smoothing flag at its end (a one-step state, no shadow);
    // format 3 is format 4 without the count of kept emissions at its end
    byte[] four = Arrays.copyOf(five, five.length - 1);
    four[0] = 4;
    byte[] three = Arrays.copyOf(four, four.length - 4);
    three[0] = 3;
    SeriesState read = SeriesStateSerde.decode(three);
    assertEquals(0, read.emittedCount());
    assertEquals(2.0, read.recent(0));
    assertThrows(
        SerializationException.class,
        () -> SeriesStateSerde.decode(Arrays.copyOf(four, four.length - 4)));
  }

  @Test
  void keptEmissionsWithAForgedCountFlagsOrHorizonCountAreRefused() {
    byte[] bytes = SeriesStateSerde.encode(withKeptEmissions(2));
    // emission 0: the state's own model, no forecast, no anomaly: partition, offset, ts, flags,
    // horizon count. Emission 1 adds one forecast, its own model (2 + 9 + 8) and an anomaly.
    // The smoothing flag and the residual flags (1 byte each) end the record.
    int fixed = 4 + 8 + 8 + 1 + 2;
    int second = bytes.length - 2 - (fixed + 16 + 2 + 9 + 8 + 32);
    int first = second - fixed;
    int countAt = first - 4;
    assertEquals(2, ByteBuffer.wrap(bytes).getInt(countAt));
    assertEquals(1 | 2 | 4, bytes[second + 20], "anomaly, drift, another model");
    for (int forged : new int[] {-1, 3, Integer.MAX_VALUE}) {
      byte[] copy = bytes.clone();
      ByteBuffer.wrap(copy).putInt(countAt, forged);
      assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(copy), "" + forged);
    }
    assertEquals(8, bytes[first + 20], "the first tick of a new state");
    for (byte forged : new byte[] {64, 8 | 16}) {
      byte[] flags = bytes.clone();
      flags[second + 20] = forged;
      assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(flags), "" + forged);
    }
    for (short horizons : new short[] {-1, 2, Short.MAX_VALUE}) {
      byte[] copy = bytes.clone();
      ByteBuffer.wrap(copy).putShort(second + 21, horizons);
      assertThrows(
          SerializationException.class, () -> SeriesStateSerde.decode(copy), "" + horizons);
    }
    assertEquals(2, SeriesStateSerde.decode(bytes).emittedCount());
  }

  @Test
  void seriesStateOfTheFirstFormatStillReads() {
    byte[] two = formatTwo(false);
    // format 1 is format 2 without its tail: 24 bytes of scoring, the model name (2 + 5 bytes) and
    // the shadow flag (1 byte)
    byte[] former = Arrays.copyOf(two, two.length - 32);
    former[0] = 1;
    SeriesState read = SeriesStateSerde.decode(former);
    assertEquals(4, read.modelVersion());
    assertEquals(101.5, read.recent(1));
    assertArrayEquals(new float[] {0.5f, -0.25f}, read.recurrent());
    assertEquals(0, read.errorCount());
    assertTrue(Double.isNaN(read.lastForecast()));
    former[0] = 2;
    assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(former));
  }

  @Test
  void aResidualRingWithAForgedCountOrNegativeMagnitudeIsRefused() {
    SeriesState state = new SeriesState(4, 10);
    state.remember(1, 2.0);
    state.residuals.add(1.5);
    byte[] bytes = SeriesStateSerde.encode(state);
    // the residual count sits after the fixed fields (1 + 8 * 5), recurrent length (4), ring
    // capacity and count (8) with one value (8), last forecast (8), error count (8) and capacity
    int countAt = 1 + 40 + 4 + 8 + 8 + 8 + 8 + 4;
    ByteBuffer.wrap(bytes).putInt(countAt, 11);
    assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(bytes));
    ByteBuffer.wrap(bytes).putInt(countAt, 1).putFloat(countAt + 4, -1f);
    assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(bytes));
    ByteBuffer.wrap(bytes).putFloat(countAt + 4, 1.5f);
    assertEquals(1.5f, SeriesStateSerde.decode(bytes).residuals().get(0));
  }

  @Test
  void corruptSeriesStateIsASerializationError() {
    SeriesStateSerde serde = new SeriesStateSerde();
    SeriesState state = new SeriesState(4);
    state.remember(1, 2);
    byte[] bytes = serde.serializer().serialize("t", state);
    assertThrows(
        SerializationException.class,
        () -> serde.deserializer().deserialize("t", Arrays.copyOf(bytes, bytes.length - 3)));
    bytes[0] = 99;
    assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", bytes));
  }

  @Test
  void aShadowFlagOtherThanZeroOrOneIsRefused() {
    byte[] bytes = SeriesStateSerde.encode(withKeptEmissions(0));
    int flagAt = bytes.length - 2 - 4 - 1; // before the count of kept emissions
    assertEquals(0, bytes[flagAt]);
    for (byte forged : new byte[] {2, -1}) {
      byte[] copy = bytes.clone();
      copy[flagAt] = forged;
      assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(copy), "" + forged);
    }
  }

  @Test
  void theStandardisedResidualFlagRoundTripsAndAFormatFiveRecordReadsAsRaw() {
    SeriesState state = new SeriesState(4, 10);
    state.remember(1, 2.0);
    state.residuals.add(1.5);
    state.smoothing = smoothingState(3, 1);
    state.residualsStandardised = true;
    byte[] six = SeriesStateSerde.encode(state);
    assertEquals(6, six[0]);
    assertEquals(1, six[six.length - 1]);
    SeriesState read = SeriesStateSerde.decode(six);
    assertTrue(read.residualsStandardised());
    assertEquals(1.5f, read.residuals().get(0));
    assertArrayEquals(six, SeriesStateSerde.encode(read));
    // the release before wrote raw residuals in format 5, which ends before the flags byte
    SeriesState former = SeriesStateSerde.decode(formatFive(six));
    assertFalse(former.residualsStandardised());
    assertEquals(1.5f, former.residuals().get(0));
    assertSameSmoothing(state.smoothing, former.smoothing());
    for (byte forged : new byte[] {2, -1}) {
      byte[] copy = six.clone();
      copy[copy.length - 1] = forged;
      assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(copy), "" + forged);
    }
  }

  /** A format-6 record as the release before wrote it: without the residual flags at its end. */
  private static byte[] formatFive(byte[] six) {
    assertEquals(6, six[0]);
    byte[] five = Arrays.copyOf(six, six.length - 1);
    five[0] = 5;
    return five;
  }

  private static ExponentialSmoothing.State smoothingState(int season, double level) {
    double[] seasonal = new double[season];
    for (int i = 0; i < season; i++) {
      seasonal[i] = Math.sin(i) * level;
    }
    return ExponentialSmoothing.State.of(
        level, -0.125, seasonal, season - 1, 2.5e-3, 1_234, 1_233, 86_400_000L * 300);
  }

  private static void assertSameSmoothing(
      ExponentialSmoothing.State want, ExponentialSmoothing.State got) {
    assertEquals(want.season(), got.season());
    assertEquals(want.level(), got.level());
    assertEquals(want.trend(), got.trend());
    for (int i = 0; i < want.season(); i++) {
      assertEquals(want.seasonal(i), got.seasonal(i));
    }
    assertEquals(want.position(), got.position());
    assertEquals(want.scaleStatistic(), got.scaleStatistic());
    assertEquals(want.steps(), got.steps());
    assertEquals(want.errors(), got.errors());
    assertEquals(want.lastTime(), got.lastTime());
  }

  @Test
  void smoothingStatesOfTheLiveAndShadowModelSurviveTheSerde() {
    for (boolean shadowSmoothed : new boolean[] {false, true}) {
      SeriesState state = withKeptEmissions(3);
      state.recurrent = new float[] {0.25f, -0.5f};
      state.smoothing = smoothingState(24, -3.5);
      state.shadow = new SeriesState.Shadow();
      state.shadow.version = 9;
      state.shadow.recurrent = new float[] {1f};
      state.shadow.smoothing = shadowSmoothed ? smoothingState(1, 7) : null;
      state.shadow.lastForecast = 6.5;
      byte[] bytes = SeriesStateSerde.encode(state);
      SeriesState copy = SeriesStateSerde.decode(bytes);
      assertSameSmoothing(state.smoothing, copy.smoothing());
      if (shadowSmoothed) {
        assertSameSmoothing(state.shadow.smoothing, copy.shadow.smoothing);
      } else {
        assertEquals(null, copy.shadow.smoothing);
      }
      assertArrayEquals(bytes, SeriesStateSerde.encode(copy));
    }
  }

  @Test
  void seriesStateOfFormatFourReadsAsAOneStepModelsState() {
    SeriesState state = withKeptEmissions(2); // no gap among the first two emissions
    for (int i = 0; i < state.emittedCount; i++) {
      state.emitted[i].fresh = null; // format 4 has no fresh flags either
    }
    state.recurrent = new float[] {0.25f, -0.5f};
    state.modelName = "sp500";
    state.modelVersion = 3;
    state.shadow = new SeriesState.Shadow();
    state.shadow.version = 4;
    state.shadow.recurrent = new float[] {1f};
    state.shadow.lastValue = 2;
    state.shadow.lastForecast = 2.5;
    byte[] five = formatFive(SeriesStateSerde.encode(state));
    // format 4, as the release before smoothed models wrote it: format 5 without the two smoothing
    // flags (live, shadow) at its end
    byte[] four = Arrays.copyOf(five, five.length - 2);
    four[0] = 4;
    SeriesState read = SeriesStateSerde.decode(four);
    assertEquals(null, read.smoothing());
    assertEquals(null, read.shadow.smoothing);
    assertEquals(4, read.shadowVersion());
    assertArrayEquals(state.recurrent, read.recurrent());
    assertEquals(2, read.emittedCount());
    assertEquals(2.0, read.recent(0));
    assertArrayEquals(
        SeriesStateSerde.encode(state), SeriesStateSerde.encode(read), "written back in format 6");
    // a gap flag is format 5's: format 4 refuses it
    SeriesState withGap = withKeptEmissions(3);
    byte[] gapFive = formatFive(SeriesStateSerde.encode(withGap));
    byte[] gapFour = Arrays.copyOf(gapFive, gapFive.length - 1);
    gapFour[0] = 4;
    assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(gapFour));
  }

  @Test
  void aSmoothingBlockWithAForgedSeasonSlotOrFlagIsRefused() {
    SeriesState state = new SeriesState(4, 10);
    state.remember(1, 2.0);
    state.smoothing = smoothingState(3, 1);
    byte[] bytes = SeriesStateSerde.encode(state);
    // the block: flag, season, level, trend, 3 seasonal indices, slot, scale, steps, errors, time
    int flagAt = bytes.length - 1 - (1 + 4 + 8 + 8 + 3 * 8 + 4 + 8 + 8 + 8 + 8);
    assertEquals(1, bytes[flagAt]);
    for (int season : new int[] {0, -1, 1 << 20, 4}) {
      byte[] copy = bytes.clone();
      ByteBuffer.wrap(copy).putInt(flagAt + 1, season);
      assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(copy), "" + season);
    }
    byte[] slot = bytes.clone();
    ByteBuffer.wrap(slot).putInt(flagAt + 1 + 4 + 16 + 24, 3);
    assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(slot));
    byte[] flag = bytes.clone();
    flag[flagAt] = 2;
    assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(flag));
    assertSameSmoothing(state.smoothing, SeriesStateSerde.decode(bytes).smoothing());
  }

  @Test
  void aPredictionAfterAGapCarriesItAndOthersDoNot() {
    Prediction regular = new Prediction("a", 5, 1, 1.5, Double.NaN, Double.NaN, 1, "m", 1, 2);
    Prediction gapped = new Prediction("a", 5, 1, 1.5, 1, 2, 1, "m", 1, 2, null, 3);
    String regularJson = new String(PredictionSerde.encode(regular), StandardCharsets.UTF_8);
    assertTrue(!regularJson.contains("gap"), regularJson);
    byte[] bytes = PredictionSerde.encode(gapped);
    assertTrue(new String(bytes, StandardCharsets.UTF_8).contains("\"gap\":3"));
    assertEquals(gapped, PredictionSerde.decode(bytes));
    assertEquals(regular, PredictionSerde.decode(PredictionSerde.encode(regular)));
  }
}
