package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.bench.OutputComparison;
import dev.seqcast.bench.ReliabilityScenarios;
import dev.seqcast.bench.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The predictor as child JVMs ({@code seqcast serve}) on real brokers, under faults: SIGKILL and
 * restart, state directory wiped, an instance added and one killed on a 3-node cluster, a broker
 * lost, every broker down for a while. Each run's committed predictions are compared with an
 * uninterrupted reference run over the same ticks (see {@link OutputComparison} for exactly what is
 * compared). Sizes are small to keep the suite short; raise them with {@code
 * -Dseqcast.reliability.series=…} and {@code -Dseqcast.reliability.ticksPerSeries=…}, or run the
 * full-size {@code bench reliability}.
 */
class ReliabilityIT {

  private static final Workload WORKLOAD =
      new Workload(
          Integer.getInteger("seqcast.reliability.series", 40),
          Integer.getInteger("seqcast.reliability.ticksPerSeries", 150),
          11);

  private static ReliabilityScenarios.Settings settings;
  private static Map<String, List<Prediction>> reference;

  @BeforeAll
  static void referenceRun() throws Exception {
    settings =
        new ReliabilityScenarios.Settings(
            WORKLOAD,
            Double.parseDouble(System.getProperty("seqcast.reliability.rate", "800")),
            Long.getLong("seqcast.reliability.seed", System.nanoTime()),
            Path.of("target", "reliability-it"),
            System.out,
            // Small runs are mostly JVM start-up: the client compiler alone halves its CPU cost.
            List.of("-XX:TieredStopAtLevel=1"));
    System.out.println("reliability: " + WORKLOAD + ", kill seed " + settings.seed());
    reference = ReliabilityScenarios.reference(settings);
    assertEquals(WORKLOAD.total(), reference.values().stream().mapToLong(List::size).sum());
  }

  @Test
  void exactlyOnceOutputAfterKillsAndAWipedStateDirEqualsTheReferenceRecordForRecord()
      throws Exception {
    ReliabilityScenarios.Result result =
        ReliabilityScenarios.crash(settings, reference, StreamsConfig.EXACTLY_ONCE_V2, 3);
    assertEquals(3, result.faults().size());
    assertTrue(result.comparison().identical(), result.comparison().toString());
  }

  @Test
  void atLeastOnceAfterKillsLosesNothingAndOnlyRepeatsIdenticalPredictions() throws Exception {
    ReliabilityScenarios.Result result =
        ReliabilityScenarios.crash(settings, reference, StreamsConfig.AT_LEAST_ONCE, 2);
    OutputComparison c = result.comparison();
    assertTrue(c.noneLostOrAltered(), c.toString());
    assertEquals(c.expected() + c.duplicates(), c.received(), c.toString());
  }

  @Test
  void scaleOutInstanceKillAndBrokerLossOnAThreeNodeClusterChangeNoPrediction() throws Exception {
    ReliabilityScenarios.Result result = ReliabilityScenarios.failover(settings, reference);
    assertTrue(result.comparison().identical(), result.comparison().toString());
    assertEquals(List.of(true, true), result.figures().get("instancesAliveAtEnd"));
  }

  @Test
  void anOutageOfEveryBrokerIsRiddenOutWithoutRestartOrLoss() throws Exception {
    ReliabilityScenarios.Result result =
        ReliabilityScenarios.outage(settings, reference, 1, Duration.ofSeconds(10));
    assertTrue(result.comparison().identical(), result.comparison().toString());
    assertEquals(true, result.figures().get("appAliveDuringOutage"));
    assertEquals(true, result.figures().get("appAliveAtEnd"));
  }
}
