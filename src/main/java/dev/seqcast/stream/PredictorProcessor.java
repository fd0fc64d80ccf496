package dev.seqcast.stream;

import dev.seqcast.metrics.PredictorMetrics;
import dev.seqcast.model.FeatureTransform;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Where a tick becomes a prediction. For each record: validate it (bad ones go to the dead-letter
 * sink with the reason in headers), load the series' state, refuse stale event times, advance the
 * recurrent state by exactly one step, store the state and emit a one-step-ahead forecast.
 *
 * <p>Scoring: each forecast is kept in the series' state and scored when the next tick arrives
 * (online error per model); a weighted mean of the squared errors gives the forecast a nominal 90%
 * interval once the series has {@value SeriesState#MIN_ERRORS_FOR_INTERVAL} scored forecasts.
 *
 * <p>Out-of-order rule: a tick whose event time is not after the series' last accepted tick (equal
 * = {@code duplicate}, earlier = {@code out-of-order}) is dead-lettered and counted; state is not
 * touched, so a replayed or late tick can never move the state backwards.
 *
 * <p>Model swap: when the registry's current model differs from the one a series' state belongs to,
 * the state is rebuilt by running the new model from zero over the series' ring buffer of recent
 * values, so the first forecast after a swap is made from a warm state.
 *
 * <p>One instance per stream task; it owns its kernel and scratch buffers.
 */
final class PredictorProcessor implements Processor<byte[], byte[], Object, Object> {

  private final PredictorSettings settings;
  private final ModelRegistry registry;
  private final PredictorMetrics metrics;
  private final TickCodec codec;
  private final Function<RecurrentModel, StepKernel> kernels;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, SeriesState> store;
  private RecurrentModel model;
  private PredictorMetrics.ModelMeters modelMeters;
  private StepKernel kernel;
  private FeatureTransform transform;
  private float[] input;
  private float[] output;

  PredictorProcessor(
      PredictorSettings settings,
      ModelRegistry registry,
      PredictorMetrics metrics,
      Function<RecurrentModel, StepKernel> kernels) {
    this.settings = settings;
    this.kernels = kernels;
    this.registry = registry;
    this.metrics = metrics;
    this.codec = new TickCodec(settings.maxTickBytes());
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.store = context.getStateStore(PredictorTopology.SERIES_STORE);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    long started = System.nanoTime();
    Tick tick;
    try {
      tick = codec.decode(record.key(), record.value());
      if (!FeatureTransform.accepts(tick.value())) {
        throw new InvalidTickException(
            DlqReason.UNSUPPORTED_VALUE,
            "value " + tick.value() + " is not positive; the log-return transform needs > 0");
      }
    } catch (InvalidTickException e) {
      deadLetter(record, e.reason(), e.getMessage());
      return;
    }

    SeriesState state = store.get(tick.series());
    if (state == null) {
      state = new SeriesState(settings.ringSize());
    } else if (tick.ts() <= state.lastTs()) {
      DlqReason reason = tick.ts() == state.lastTs() ? DlqReason.DUPLICATE : DlqReason.OUT_OF_ORDER;
      deadLetter(
          record, reason, "event time " + tick.ts() + " is not after last " + state.lastTs());
      return;
    }

    RecurrentModel current = registry.current(settings.modelName());
    if (current == null) {
      state.lastValue = tick.value();
      state.remember(tick.ts(), tick.value());
      store.put(tick.series(), state);
      metrics.acceptedWithoutModel();
      return;
    }
    use(current);
    if (state.modelVersion != model.version()) {
      rewarm(state);
    }
    // Score the forecast made at the previous tick against the value that arrived.
    double forecastForTick = state.lastForecast();
    double halfWidthForTick = state.intervalHalfWidth();
    if (!Double.isNaN(forecastForTick)) {
      double error = tick.value() - forecastForTick;
      modelMeters.scored(error, halfWidthForTick);
      state.recordError(error);
    }
    double forecast = step(state, tick.value());
    double halfWidth = state.intervalHalfWidth();
    state.lastForecast = forecast;
    state.remember(tick.ts(), tick.value());
    store.put(tick.series(), state);

    double latencyMs = Math.max(0, System.currentTimeMillis() - record.timestamp());
    Prediction prediction =
        new Prediction(
            tick.series(),
            tick.ts(),
            1,
            forecast,
            forecast - halfWidth,
            forecast + halfWidth,
            tick.value(),
            model.name(),
            model.version(),
            latencyMs);
    context.forward(
        new Record<Object, Object>(tick.series(), prediction, record.timestamp()),
        PredictorTopology.PREDICTIONS_SINK);
    PredictorMetrics.SeriesGauges gauges = metrics.series(tick.series());
    if (gauges != null) {
      gauges.update(
          tick.value(),
          forecastForTick,
          forecastForTick - halfWidthForTick,
          forecastForTick + halfWidthForTick,
          forecast);
    }
    metrics.predicted(System.nanoTime() - started, latencyMs);
  }

  /** Switches this processor's kernel to {@code current} when the registry moved on. */
  private void use(RecurrentModel current) {
    if (current != model) {
      model = current;
      modelMeters = metrics.model(current.name());
      kernel = kernels.apply(current);
      transform = new FeatureTransform(current.normalisation());
      input = new float[current.inputSize()];
      output = new float[current.outputSize()];
    }
  }

  /** One recurrent step on {@code value}; returns the forecast of the next value. */
  private double step(SeriesState state, double value) {
    FeatureTransform.State features = state.transformState();
    input[0] = transform.next(features, value);
    kernel.step(state.recurrent, input);
    kernel.output(state.recurrent, output);
    state.transformState(features);
    return transform.forecast(features, output[0]);
  }

  /** Rebuilds the series' state for the current model from its ring buffer. */
  private void rewarm(SeriesState state) {
    FeatureTransform.State features = transform.newState();
    state.recurrent = new float[model.stateSize()];
    for (int i = 0; i < state.recentCount(); i++) {
      input[0] = transform.next(features, state.recent(i));
      kernel.step(state.recurrent, input);
    }
    state.transformState(features);
    state.modelVersion = model.version();
  }

  private void deadLetter(Record<byte[], byte[]> record, DlqReason reason, String detail) {
    Headers headers = record.headers();
    header(headers, DeadLetterHeaders.REASON, reason.code());
    header(headers, DeadLetterHeaders.DETAIL, detail);
    RecordMetadata source = context.recordMetadata().orElse(null);
    if (source != null) {
      header(headers, DeadLetterHeaders.SOURCE_TOPIC, source.topic());
      header(headers, DeadLetterHeaders.SOURCE_PARTITION, Integer.toString(source.partition()));
      header(headers, DeadLetterHeaders.SOURCE_OFFSET, Long.toString(source.offset()));
    }
    context.forward(
        new Record<Object, Object>(record.key(), record.value(), record.timestamp(), headers),
        PredictorTopology.DLQ_SINK);
    metrics.deadLettered(reason);
  }

  private static void header(Headers headers, String name, String value) {
    headers.remove(name).add(name, value.getBytes(StandardCharsets.UTF_8));
  }
}
