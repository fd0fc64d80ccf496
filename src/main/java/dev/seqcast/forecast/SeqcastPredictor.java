package dev.seqcast.forecast;

import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.ModelStoreProcessor;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * seqcast's per-tick prediction step as a processor for a topology of one's own; {@link
 * PredictorTopology} is built with it too. See {@code docs/embedding.md} for a complete example.
 *
 * <p>Contract: the processor's parent must emit seqcast ticks as raw bytes (key = series id in
 * UTF-8, value = the tick JSON of {@link TickCodec}, or the shape {@link
 * PredictorSettings#tickMapping()} maps); it forwards to exactly three children, which the topology
 * must have, named {@link #PREDICTIONS} (String key, {@link PredictionSerde}), {@link #ANOMALIES}
 * (String key, {@link AnomalySerde}) and {@link #DEAD_LETTERS} (the rejected record's own bytes,
 * reason in headers). Pass this supplier to {@link Topology#addProcessor} and its two state stores
 * ({@link #stores()}) are added and connected; the models come from {@code registry}, which {@link
 * #addModelMirror} keeps fed from a models topic.
 *
 * <p>Threading: Kafka Streams calls {@link #get()} once per task; each processor is confined to its
 * stream thread. The {@link ModelRegistry} and {@link PredictorMetrics} are shared by every task
 * (both are thread-safe), so build one of each per application instance.
 */
public final class SeqcastPredictor implements ProcessorSupplier<byte[], byte[], Object, Object> {

  /** Child the processor forwards predictions to. */
  public static final String PREDICTIONS = "predictions";

  /** Child the processor forwards anomalies to. */
  public static final String ANOMALIES = "anomalies";

  /** Child the processor forwards dead letters (rejected input records) to. */
  public static final String DEAD_LETTERS = "dead-letters";

  private final PredictorSettings settings;
  private final ModelRegistry registry;
  private final PredictorMetrics metrics;
  private final Function<RecurrentModel, StepKernel> kernels;
  private final String seriesStore;
  private final String countStore;

  private SeqcastPredictor(Builder builder) {
    this.settings = builder.settings;
    this.registry = builder.registry;
    this.metrics = builder.metrics;
    this.kernels = builder.kernels;
    this.seriesStore = builder.seriesStore;
    this.countStore = builder.countStore;
  }

  /**
   * Starts a predictor on the default store names ({@link PredictorTopology#SERIES_STORE}, {@link
   * PredictorTopology#SERIES_COUNT_STORE}).
   *
   * @param settings what the processor predicts with (model name and routing, horizon, expiry…)
   * @param registry the models; fed by {@link #addModelMirror} or by the caller
   * @param metrics the meters, e.g. {@code new PredictorMetrics(meterRegistry)}
   */
  public static Builder builder(
      PredictorSettings settings, ModelRegistry registry, PredictorMetrics metrics) {
    return new Builder(settings, registry, metrics);
  }

  /**
   * Adds to {@code topology} the global store {@code storeName} mirroring the compacted models
   * topic {@code modelsTopic} into {@code registry} (source node {@code storeName + "-source"}).
   */
  public static Topology addModelMirror(
      Topology topology, String storeName, String modelsTopic, ModelRegistry registry) {
    return ModelStoreProcessor.addMirror(
        topology, storeName, storeName + "-source", modelsTopic, registry);
  }

  @Override
  public Processor<byte[], byte[], Object, Object> get() {
    return new PredictorProcessor(settings, registry, metrics, kernels, seriesStore, countStore);
  }

  /**
   * The per-series state store and the per-task series count store (RocksDB, changelogged), which
   * {@link Topology#addProcessor} adds and connects to the processor.
   */
  @Override
  public Set<StoreBuilder<?>> stores() {
    return Set.of(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(seriesStore), Serdes.String(), new SeriesStateSerde()),
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(countStore), Serdes.String(), Serdes.Long()));
  }

  /** Names the stores of a {@link SeqcastPredictor}; not thread-safe, build once at start-up. */
  public static final class Builder {
    private final PredictorSettings settings;
    private final ModelRegistry registry;
    private final PredictorMetrics metrics;
    private Function<RecurrentModel, StepKernel> kernels = RecurrentModel::newKernel;
    private String seriesStore = PredictorTopology.SERIES_STORE;
    private String countStore = PredictorTopology.SERIES_COUNT_STORE;

    private Builder(PredictorSettings settings, ModelRegistry registry, PredictorMetrics metrics) {
      this.settings = Objects.requireNonNull(settings, "settings");
      this.registry = Objects.requireNonNull(registry, "registry");
      this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Name of the per-series state store (its changelog topic is named after it). */
    public Builder seriesStore(String name) {
      this.seriesStore = requireName(name, "seriesStore");
      return this;
    }

    /** Name of the per-task series count (and expiry clock) store. */
    public Builder seriesCountStore(String name) {
      this.countStore = requireName(name, "seriesCountStore");
      return this;
    }

    /** Swaps the step kernels (the pipeline benchmark's passthrough and DL4J baselines). */
    Builder kernels(Function<RecurrentModel, StepKernel> kernels) {
      this.kernels = kernels;
      return this;
    }

    /** The supplier to pass to {@link Topology#addProcessor}. */
    public SeqcastPredictor build() {
      if (seriesStore.equals(countStore)) {
        throw new IllegalArgumentException(
            "seriesStore and seriesCountStore must differ, both are " + seriesStore);
      }
      return new SeqcastPredictor(this);
    }

    private static String requireName(String name, String what) {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException(what + " needs a non-blank store name");
      }
      return name;
    }
  }
}
