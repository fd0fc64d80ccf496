package dev.seqcast.forecast;

import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.ModelStoreProcessor;
import dev.seqcast.streams.TopicNames;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The predictor topology, top to bottom (the default topic names; {@link TopicNames} renames them):
 *
 * <pre>
 *   seqcast.models ─► models (global store) ─► ModelRegistry
 *   seqcast.ticks  ─► predict (+ seqcast-series store) ─┬► seqcast.predictions
 *                                                        ├► seqcast.anomalies
 *                                                        └► seqcast.dlq
 * </pre>
 *
 * {@code Topology#describe()} of this topology is printed in {@code docs/architecture.md}.
 */
public final class PredictorTopology {

  /** Per-series state store (RocksDB, changelogged). */
  public static final String SERIES_STORE = "seqcast-series";

  /**
   * Per-task count of the series in {@link #SERIES_STORE} (one key), changelogged with it, so the
   * count is exact after restarts and restores without scanning the store; while series expire
   * ({@link SeriesExpiry}) also the task's event clock (a second key), so expiry judges the same
   * after a restore as before it.
   */
  public static final String SERIES_COUNT_STORE = "seqcast-series-count";

  /** Global store mirroring the models topic. */
  public static final String MODELS_STORE = "seqcast-models";

  static final String PREDICTIONS_SINK = "predictions";
  static final String DLQ_SINK = "dead-letters";
  static final String ANOMALIES_SINK = "anomalies";

  private PredictorTopology() {}

  /**
   * Builds the topology on the default topic names; {@code registry} and {@code metrics} are shared
   * by all its tasks.
   */
  public static Topology build(
      PredictorSettings settings, ModelRegistry registry, PredictorMetrics metrics) {
    return build(TopicNames.defaults(), settings, registry, metrics, RecurrentModel::newKernel);
  }

  /**
   * Builds the topology on {@code topics} with a source of step kernels. Production uses {@link
   * RecurrentModel#newKernel()}; the pipeline benchmark swaps in a no-op kernel (the passthrough
   * baseline of identical shape) and a DL4J-backed one, so the three differ only in the step.
   */
  public static Topology build(
      TopicNames topics,
      PredictorSettings settings,
      ModelRegistry registry,
      PredictorMetrics metrics,
      Function<RecurrentModel, StepKernel> kernels) {
    StoreBuilder<KeyValueStore<String, SeriesState>> seriesStore =
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SERIES_STORE), Serdes.String(), new SeriesStateSerde());
    Topology topology = new Topology();
    ModelStoreProcessor.addMirror(topology, MODELS_STORE, "models", topics.models(), registry);
    topology
        .addSource(
            "ticks", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.ticks())
        .addProcessor(
            "predict", () -> new PredictorProcessor(settings, registry, metrics, kernels), "ticks")
        .addStateStore(seriesStore, "predict")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SERIES_COUNT_STORE), Serdes.String(), Serdes.Long()),
            "predict")
        .addSink(
            PREDICTIONS_SINK,
            topics.predictions(),
            new StringSerializer(),
            new PredictionSerde().serializer(),
            "predict")
        .addSink(
            ANOMALIES_SINK,
            topics.anomalies(),
            new StringSerializer(),
            new AnomalySerde().serializer(),
            "predict")
        .addSink(
            DLQ_SINK,
            topics.dlq(),
            new ByteArraySerializer(),
            new ByteArraySerializer(),
            "predict");
    return topology;
  }
}
