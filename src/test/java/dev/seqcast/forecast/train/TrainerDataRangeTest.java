package dev.seqcast.forecast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.seqcast.forecast.data.Series;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.testkit.TestModels;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A trained bundle says which event times its data spans and up to when it was fitted. */
class TrainerDataRangeTest {

  private static final long DAY = 86_400_000L;

  @Test
  void theHeaderCarriesTheDataRangeOfAllSeriesAndTheEndOfFitting() throws Exception {
    Series early = TestModels.syntheticPrices(200, 1); // days 0 .. 199
    Series later = shifted(TestModels.syntheticPrices(300, 2), 50); // days 50 .. 349
    Trainer.Result result =
        Trainer.train(
            List.of(early, later),
            Map.of("data", "synthetic"),
            new Trainer.Options("range", 1, CellType.LSTM, 4, 1, 1, 20, 0.2, 1e-3, 7),
            (epoch, total, loss) -> {});

    Map<String, Object> training = ModelBundle.decode(result.bundle().encode()).header().training();
    assertEquals("1970-01-01T00:00:00Z", training.get("dataFrom"));
    assertEquals(instant(349), training.get("dataTo"));
    // training parts: the first 160 of 200 points (days 0..159) and 240 of 300 (days 50..289)
    assertEquals(instant(289), training.get("fittedTo"));
  }

  private static Series shifted(Series series, int days) {
    long[] ts = Arrays.stream(series.timestamps()).map(t -> t + days * DAY).toArray();
    return new Series(series.id() + "+" + days, ts, series.values());
  }

  private static String instant(int day) {
    return java.time.Instant.ofEpochMilli(day * DAY).toString();
  }
}
