package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.bench.OutputComparison;
import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.Topics;
import dev.seqcast.testkit.TestModels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * A crash under at_least_once, replayed record by record: the series store already holds ticks
 * whose predictions may never have reached the broker, and the instance reads them again from the
 * same input offsets. Each replay must send the same records again, bit for bit, and leave the
 * state as it was; a new record with an old event time is still dead-lettered.
 */
class ReplayAfterCrashTest {

  private static final int PARTITION = 3;

  /** Horizon 3 and a low anomaly threshold, so replays carry several forecasts and anomalies. */
  private static final PredictorSettings SETTINGS =
      new PredictorSettings("sp500", 16, 1024)
          .withForecast(
              new ForecastSettings(
                  ConformalInterval.DEFAULT_COVERAGE, ConformalInterval.DEFAULT_WINDOW, 3, 1e-9));

  /** One predictor task with its stores, fed records at chosen input offsets. */
  private static final class Task {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final MockProcessorContext<Object, Object> context;
    final KeyValueStore<String, SeriesState> store;
    final PredictorProcessor processor;

    Task(String guarantee, ModelRegistry registry) {
      Properties props = new Properties();
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, "replay-test");
      props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
      props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
      context = new MockProcessorContext<>(props);
      store =
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(PredictorTopology.SERIES_STORE),
                  Serdes.String(),
                  new SeriesStateSerde())
              .withLoggingDisabled()
              .build();
      store.init(context.getStateStoreContext(), store);
      context.addStateStore(store);
      KeyValueStore<String, Long> counts =
          Stores.keyValueStoreBuilder(
                  Stores.inMemoryKeyValueStore(PredictorTopology.SERIES_COUNT_STORE),
                  Serdes.String(),
                  Serdes.Long())
              .withLoggingDisabled()
              .build();
      counts.init(context.getStateStoreContext(), counts);
      context.addStateStore(counts);
      processor =
          new PredictorProcessor(
              SETTINGS,
              registry,
              new PredictorMetrics(meters),
              RecurrentModel::newKernel,
              PredictorTopology.SERIES_STORE,
              PredictorTopology.SERIES_COUNT_STORE);
      processor.init(context);
    }

    /** Processes tick {@code t} of series "a", read from input offset {@code offset}. */
    List<Object> tick(long offset, int t) {
      return tick(offset, 1_000L * t, 100 + Math.sin(t) + 0.05 * t);
    }

    List<Object> tick(long offset, long ts, double value) {
      context.resetForwards();
      context.setRecordMetadata(Topics.TICKS, PARTITION, offset);
      processor.process(
          new Record<>("a".getBytes(StandardCharsets.UTF_8), TickCodec.encodeValue(ts, value), 0L));
      List<Object> out = new ArrayList<>();
      for (MockProcessorContext.CapturedForward<?, ?> f : context.forwarded()) {
        Object sentValue = f.record().value();
        out.add(
            sentValue instanceof Prediction p
                ? OutputComparison.comparable(p)
                : f.childName().orElseThrow());
      }
      return out;
    }

    double outcome(String outcome) {
      return meters.get("seqcast.events").tag("outcome", outcome).counter().count();
    }
  }

  private static ModelRegistry registry() {
    ModelRegistry registry = new ModelRegistry(1, (source, reason, detail) -> {});
    ModelBundle bundle = TestModels.random("sp500", 1, 8, 5);
    registry.offer(ModelPublisher.key("sp500", 1), bundle.encode());
    return registry;
  }

  @Test
  void aReplayedTickSendsItsPredictionsAndAnomalyAgainAndLeavesTheStateAsItWas() {
    ModelRegistry registry = registry();
    Task reference = new Task(StreamsConfig.AT_LEAST_ONCE, registry);
    Task crashed = new Task(StreamsConfig.AT_LEAST_ONCE, registry);
    List<List<Object>> sent = new ArrayList<>();
    for (int t = 0; t < 40; t++) {
      sent.add(reference.tick(t, t));
      assertEquals(sent.get(t), crashed.tick(t, t));
    }
    assertTrue(sent.get(39).contains(SeqcastPredictor.ANOMALIES), "anomalies are replayed");
    assertEquals(4, sent.get(39).size(), "3 horizons and the anomaly");

    // Crash: input offsets were committed up to 34, the store already holds ticks 34..39.
    for (int t = 34; t < 40; t++) {
      assertEquals(sent.get(t), crashed.tick(t, t), "tick " + t + " read again");
    }
    assertEquals(6, crashed.outcome("replayed"));
    assertEquals(0, crashed.outcome("dead_lettered"));
    for (int t = 40; t < 50; t++) {
      assertEquals(reference.tick(t, t), crashed.tick(t + 100, t), "tick " + t + " after");
    }
  }

  @Test
  void aNewRecordWithAnOldEventTimeIsStillADeadLetter() {
    Task task = new Task(StreamsConfig.AT_LEAST_ONCE, registry());
    for (int t = 0; t < 5; t++) {
      task.tick(t, t);
    }
    assertEquals(List.of(SeqcastPredictor.DEAD_LETTERS), task.tick(5, 4_000, 1.0), "duplicate");
    assertEquals(List.of(SeqcastPredictor.DEAD_LETTERS), task.tick(6, 2_000, 1.0), "out of order");
    assertEquals(2, task.outcome("dead_lettered"));
    assertEquals(0, task.outcome("replayed"));
  }

  @Test
  void onlyTheLastTicksOfASeriesAreKeptAndOnlyUnderAtLeastOnce() {
    Task atLeastOnce = new Task(StreamsConfig.AT_LEAST_ONCE, registry());
    Task exactlyOnce = new Task(StreamsConfig.EXACTLY_ONCE_V2, registry());
    for (int t = 0; t < 20; t++) {
      atLeastOnce.tick(t, t);
      exactlyOnce.tick(t, t);
    }
    assertEquals(SeriesState.REPLAY_WINDOW, atLeastOnce.store.get("a").emittedCount());
    assertEquals(0, exactlyOnce.store.get("a").emittedCount());
    int oldestKept = 20 - SeriesState.REPLAY_WINDOW;
    assertEquals(
        List.of(SeqcastPredictor.DEAD_LETTERS), atLeastOnce.tick(oldestKept - 1, oldestKept - 1));
    assertEquals(4, atLeastOnce.tick(oldestKept, oldestKept).size());
    assertEquals(List.of(SeqcastPredictor.DEAD_LETTERS), exactlyOnce.tick(19, 19));
  }
}
