package dev.seqcast.stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
              random.nextDouble() * 100);
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
        state.recordError(0.5 * i - 3);
      }
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
      assertEquals(state.intervalHalfWidth(), copy.intervalHalfWidth());
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

  @Test
  void seriesStateOfTheFormerFormatStillReads() {
    SeriesState state = new SeriesState(4);
    state.remember(7, 101.5);
    state.modelVersion = 2;
    state.recurrent = new float[] {1f, 2f};
    state.recordError(1.0);
    state.lastForecast = 102;
    byte[] current = SeriesStateSerde.encode(state);
    // format 1 is format 2 without its tail: 24 bytes of scoring, an empty model name (2 bytes)
    // and the shadow flag (1 byte)
    byte[] former = Arrays.copyOf(current, current.length - 27);
    former[0] = 1;
    SeriesState read = SeriesStateSerde.decode(former);
    assertEquals(2, read.modelVersion());
    assertEquals(101.5, read.recent(0));
    assertArrayEquals(state.recurrent(), read.recurrent());
    assertEquals(0, read.errorCount());
    assertTrue(Double.isNaN(read.lastForecast()));
    former[0] = 2;
    assertThrows(SerializationException.class, () -> SeriesStateSerde.decode(former));
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
}
