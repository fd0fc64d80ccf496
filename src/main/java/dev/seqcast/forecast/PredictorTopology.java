package dev.seqcast.forecast;

import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.ModelStoreProcessor;
import dev.seqcast.streams.TopicNames;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;

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
 * Built with {@link SeqcastPredictor}, the same processor a topology of one's own embeds ({@code
 * docs/embedding.md}). {@code Topology#describe()} of this topology is printed in {@code
 * docs/architecture.md}.
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
    Topology topology = new Topology();
    ModelStoreProcessor.addMirror(topology, MODELS_STORE, "models", topics.models(), registry);
    SeqcastPredictor predictor =
        SeqcastPredictor.builder(settings, registry, metrics).kernels(kernels).build();
    topology
        .addSource(
            "ticks", new ByteArrayDeserializer(), new ByteArrayDeserializer(), topics.ticks())
        .addProcessor("predict", predictor, "ticks")
        .addSink(
            SeqcastPredictor.PREDICTIONS,
            topics.predictions(),
            new StringSerializer(),
            new PredictionSerde().serializer(),
            "predict")
        .addSink(
            SeqcastPredictor.ANOMALIES,
            topics.anomalies(),
            new StringSerializer(),
            new AnomalySerde().serializer(),
            "predict")
        .addSink(
            SeqcastPredictor.DEAD_LETTERS,
            topics.dlq(),
            new ByteArraySerializer(),
            new ByteArraySerializer(),
            "predict");
    return topology;
  }
}
