package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.bench.BenchCluster;
import dev.seqcast.bench.ReliabilityScenarios;
import dev.seqcast.bench.Workload;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * Crash equivalence with series expiry on: series go quiet for longer than the TTL and return, or
 * stop for good, while the predictor is killed and its state directory wiped. Expiry judges event
 * time only and the wall-clock scan deletes only what the rule already treats as absent, so the
 * committed predictions must equal the undisturbed reference's record for record, although the scan
 * reaches different series at different moments in the two runs.
 */
class ReliabilityWithExpiryIT {

  /** 150 one-minute steps: quiet series pause for 50 minutes, ended ones stop at minute 100. */
  private static final Workload WORKLOAD =
      new Workload(Integer.getInteger("seqcast.reliability.series", 40), 150, 11, true);

  private static final String TTL = "20m";

  @Test
  void exactlyOnceOutputWithSeriesExpiringAfterKillsAndAWipedStateDirEqualsTheReference()
      throws Exception {
    ReliabilityScenarios.Settings settings =
        new ReliabilityScenarios.Settings(
            WORKLOAD,
            Double.parseDouble(System.getProperty("seqcast.reliability.rate", "800")),
            Long.getLong("seqcast.reliability.seed", System.nanoTime()),
            Path.of("target", "reliability-expiry-it"),
            System.out,
            List.of("-XX:TieredStopAtLevel=1"),
            Map.of("SEQCAST_SERIES_TTL", TTL));
    System.out.println("reliability with expiry: " + WORKLOAD + ", kill seed " + settings.seed());
    Map<String, List<Prediction>> reference = ReliabilityScenarios.reference(settings);
    assertEquals(WORKLOAD.total(), reference.values().stream().mapToLong(List::size).sum());
    int third = WORKLOAD.ticksPerSeries() / 3;
    int returning = 0;
    for (int s = 0; s < WORKLOAD.series(); s += 4) {
      List<Prediction> series = reference.get(BenchCluster.seriesId(s));
      assertEquals(Prediction.NEW, series.get(third).fresh(), "expired while quiet: " + s);
      assertEquals(Workload.eventTime(2 * third), series.get(third).ts());
      assertNull(series.get(third + 1).fresh());
      returning++;
    }
    long restarted =
        reference.values().stream().flatMap(List::stream).filter(p -> p.fresh() != null).count();
    assertEquals(WORKLOAD.series() + returning, restarted, "each series' first tick, and returns");

    ReliabilityScenarios.Result result =
        ReliabilityScenarios.crash(settings, reference, StreamsConfig.EXACTLY_ONCE_V2, 3);
    System.out.println("reliability with expiry: " + result.figures());
    assertEquals(3, result.faults().size());
    assertTrue(result.comparison().identical(), result.comparison().toString());
    long ended = (WORKLOAD.series() + 2) / 4;
    assertEquals(
        WORKLOAD.series() - ended,
        result.figures().get("seriesHeldAtEnd"),
        "the scan deleted the series that never returned: " + result.figures());
  }
}
