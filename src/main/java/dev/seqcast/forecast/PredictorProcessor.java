package dev.seqcast.forecast;

import dev.seqcast.model.AnomalyScore;
import dev.seqcast.model.ConformalInterval;
import dev.seqcast.model.ExponentialSmoothing;
import dev.seqcast.model.FeatureTransform;
import dev.seqcast.model.Forecaster;
import dev.seqcast.model.HorizonForecaster;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.SmoothingSpec;
import dev.seqcast.model.StepKernel;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.ExpiryScan;
import dev.seqcast.streams.InvalidRecordException;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.RecordKeys;
import dev.seqcast.streams.StateControl;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
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
 * <p>Scoring ({@link SeriesUpdate}): each forecast is kept in the series' state and scored when the
 * next tick arrives (online error per model). The series' last absolute residuals calibrate a
 * conformal interval at the target coverage ({@link ConformalInterval}); the residual and that
 * interval give the tick an {@link AnomalyScore}, and a tick scoring at least the threshold is also
 * emitted on {@code seqcast.anomalies}.
 *
 * <p>Horizons: with horizon H &gt; 1, each tick also emits the forecasts of horizons 2..H. A
 * smoothed multi-horizon model ({@link HorizonForecaster}) reads them all off its head; a one-step
 * model makes them by rolling a copy of the series' state forward, and the stored state is the
 * one-step state.
 *
 * <p>Values and models: a value is checked against the transform of the model that will step it (an
 * additive smoothed model takes zeros and negatives; the log-return and smoothed-log transforms
 * dead-letter values ≤ 0 as {@code unsupported-value}, naming the transform). Before any model a
 * series' ring buffer takes every finite value, and a re-warm skips the values its model cannot
 * take.
 *
 * <p>Gaps (smoothed models): a tick further than the model's {@code regularGapMillis} after the
 * series' previous one steps over the missed steps by the forecaster's gap rule ({@link
 * dev.seqcast.model.HorizonInputs#missedSteps}) and its predictions carry their number ({@code
 * gap}).
 *
 * <p>Out-of-order rule: a tick whose event time is not after the series' last accepted tick (equal
 * = {@code duplicate}, earlier = {@code out-of-order}) is dead-lettered and counted; state is not
 * touched, so a replayed or late tick can never move the state backwards.
 *
 * <p>Replays under at_least_once: nothing is transactional, so after a crash the instance reads
 * again from its last committed offset against a state restored from the changelog, which may
 * already hold some of those ticks while their predictions never reached the broker. Each series
 * therefore keeps what it emitted for its last {@link SeriesState#REPLAY_WINDOW} ticks, keyed by
 * the input record (partition, offset); a tick read again from the same record is answered by
 * sending those same records again (outcome {@code replayed}), not dead-lettered. Under
 * exactly_once_v2 a restored state never holds an uncommitted tick, and nothing is kept.
 *
 * <p>Model swap: when the registry's current model differs from the one a series' state belongs to,
 * the state is rebuilt by running the new model from zero over the series' ring buffer of recent
 * values, so the first forecast after a swap is made from a warm state. The ring keeps values only:
 * a smoothed model re-warms as if they had come at its nominal spacing, ending at the series' last
 * event time (gaps inside the ring are not seen, the calendar is that of regular data).
 *
 * <p>Shadow: while the registry names a shadow version, each tick also steps the series' shadow
 * state under it (re-warmed from the ring buffer when it starts) and scores its forecast; nothing
 * of it is emitted.
 *
 * <p>Routing: each series is predicted by the model its {@link ModelRouting} names (first matching
 * route, else the default); a series' state remembers the model it belongs to, so a series routed
 * to another model re-warms like on a swap.
 *
 * <p>Expiry ({@link SeriesExpiry}, when a TTL is set): the task keeps an event clock, the latest
 * event time it has accepted (never ahead of the record's own timestamp, so one tick dated in the
 * future cannot expire everything), in its count store, written in the same transaction as the
 * series. A series whose last tick is more than the TTL behind that clock is expired: its next tick
 * starts it afresh exactly as if it had never been seen ({@link Prediction#NEW}), and a wall-clock
 * punctuator deletes expired series meanwhile, a bounded slice of the store each time, resuming
 * after the last key it read. The rule is a function of the input alone and the scan only deletes
 * what the rule already treats as absent, so output never depends on when it ran.
 *
 * <p>Control records ({@link StateControl}, a header on a tick-topic record keyed by the series):
 * {@code delete} removes the series' state now; {@code reset} leaves a marker with no history, so
 * the next tick starts afresh and says {@link Prediction#RESET}. Neither produces output; an
 * unknown action is dead-lettered as {@code bad-control}.
 *
 * <p>One instance per stream task; it owns its kernels and scratch buffers.
 */
final class PredictorProcessor implements Processor<byte[], byte[], Object, Object> {

  private static final String COUNT_KEY = "series";

  /** Key of the task's event clock in the count store (only kept while series expire). */
  private static final String CLOCK_KEY = "event-clock";

  private final PredictorSettings settings;
  private final ModelRegistry registry;
  private final PredictorMetrics metrics;
  private final TickAdmission admission;
  private final Function<RecurrentModel, StepKernel> kernels;
  private final ModelRouting routing;
  private final Map<String, Lane> liveLanes = new HashMap<>();
  private final Map<String, Lane> shadowLanes = new HashMap<>();
  private final ForecastSettings forecastSettings;
  private final String seriesStoreName;
  private final String countStoreName;

  /** Interval calibrator shared by this task's lanes; its scratch buffer is thread-confined. */
  private final ConformalInterval calibrator;

  /** Forecasts of horizons 1..H, refilled for every tick. */
  private final double[] horizons;

  /** What the tick being processed emits, when nothing is kept for replays. */
  private final SeriesState.Emitted scratch = new SeriesState.Emitted();

  /** Ticks whose emissions each series keeps: {@link SeriesState#REPLAY_WINDOW} or 0. */
  private int replayWindow;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, SeriesState> store;
  private KeyValueStore<String, Long> countStore;
  private final AtomicLong seriesCount = new AtomicLong();
  private String taskId;
  private final SeriesExpiry expiry;

  /** Latest event time this task accepted; {@link Long#MIN_VALUE} before any (or without TTL). */
  private long eventClock = Long.MIN_VALUE;

  /** The expiry scan of the series store, while series expire. */
  private ExpiryScan<SeriesState> scan;

  PredictorProcessor(
      PredictorSettings settings,
      ModelRegistry registry,
      PredictorMetrics metrics,
      Function<RecurrentModel, StepKernel> kernels,
      String seriesStoreName,
      String countStoreName) {
    this.settings = settings;
    this.seriesStoreName = seriesStoreName;
    this.countStoreName = countStoreName;
    this.kernels = kernels;
    this.registry = registry;
    this.metrics = metrics;
    this.admission = new TickAdmission(settings.maxTickBytes(), settings.tickMapping());
    this.routing = settings.routing();
    this.forecastSettings = settings.forecast();
    this.calibrator = forecastSettings.newCalibrator();
    this.horizons = new double[forecastSettings.horizon()];
    this.expiry = settings.expiry();
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.store = context.getStateStore(seriesStoreName);
    this.countStore = context.getStateStore(countStoreName);
    Long stored = countStore.get(COUNT_KEY);
    seriesCount.set(stored == null ? 0 : stored);
    taskId = context.taskId().toString();
    metrics.trackSeriesCount(taskId, seriesCount);
    Object guarantee = context.appConfigs().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    replayWindow = StreamsConfig.AT_LEAST_ONCE.equals(guarantee) ? SeriesState.REPLAY_WINDOW : 0;
    if (expiry.enabled()) {
      Long clock = countStore.get(CLOCK_KEY);
      eventClock = clock == null ? Long.MIN_VALUE : clock;
      scan = new ExpiryScan<>(store, expiry.scanBatch());
      context.schedule(expiry.scanEvery(), PunctuationType.WALL_CLOCK_TIME, now -> scanExpired());
    }
  }

  @Override
  public void close() {
    metrics.untrackSeriesCount(taskId, seriesCount);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    long started = System.nanoTime();
    if (StateControl.isControl(record.headers())) {
      control(record);
      return;
    }
    Tick tick;
    String modelName;
    RecurrentModel current;
    Lane live = null;
    try {
      tick = admission.decode(record.key(), record.value(), record.timestamp());
      modelName = routing.modelFor(tick.series());
      current = registry.current(modelName);
      if (current != null) {
        live = lane(liveLanes, current, false);
        live.requireAccepted(tick.value());
      }
    } catch (InvalidRecordException e) {
      deadLetter(record, e.reason(), e.getMessage());
      return;
    }
    if (expiry.enabled()) {
      advanceClock(tick.ts(), record.timestamp());
    }

    SeriesState state = store.get(tick.series());
    String fresh = null;
    if (state != null && tick.ts() <= state.lastTs() && replayed(record, tick, state)) {
      return;
    }
    if (state != null && expired(state)) {
      // The scan may not have reached it yet: treated exactly as if it had.
      metrics.evicted(PredictorMetrics.EXPIRED);
      seriesCount.decrementAndGet();
      state = null;
    }
    if (state == null) {
      state = new SeriesState(settings.ringSize(), forecastSettings.intervalWindow());
      countStore.put(COUNT_KEY, seriesCount.incrementAndGet());
      fresh = Prediction.NEW;
    } else if (!state.hasHistory()) {
      // A reset marker: the series starts afresh, and the marker's last event time bounds nothing.
      state = new SeriesState(settings.ringSize(), forecastSettings.intervalWindow());
      fresh = Prediction.RESET;
    } else {
      try {
        TickAdmission.requireAfter(tick.ts(), state.lastTs());
      } catch (InvalidRecordException e) {
        deadLetter(record, e.reason(), e.getMessage());
        return;
      }
    }
    SeriesState.Emitted emitted = emittedSlot(tick, state);
    emitted.fresh = fresh;

    if (current == null) {
      state.lastValue = tick.value();
      state.remember(tick.ts(), tick.value());
      emitted.model = "";
      emitted.version = 0;
      emitted.horizons(0);
      emitted.gap = 0;
      store.put(tick.series(), state);
      metrics.acceptedWithoutModel();
      return;
    }
    if (state.modelVersion != current.version() || !state.modelName.equals(current.name())) {
      SeriesState.Shadow shadow = state.shadow;
      if (shadow != null
          && shadow.version == current.version()
          && state.modelName.equals(modelName)) {
        adoptShadow(state);
      } else {
        rewarm(state, live);
      }
    }
    if (!live.holds(state)) {
      rewarm(state, live); // a state whose model states do not fit its model's shape
    }
    long gap = live.gap(state, tick.ts());
    // Score the forecast made at the previous tick, calibrate the interval, step (SeriesUpdate).
    SeriesUpdate update = live.update;
    update.apply(state, tick.ts(), tick.value(), live.tickFeatures(tick));
    double forecastForTick = update.forecastForValue();
    double halfWidthForTick = update.halfWidthForValue();
    if (!Double.isNaN(forecastForTick)) {
      live.meters.scored(current.version(), update.residual(), halfWidthForTick);
    }
    double score = update.score();
    boolean anomalous = score >= forecastSettings.anomalyThreshold();
    if (!Double.isNaN(score)) {
      live.meters.anomalyScored(score, anomalous);
    }
    double forecast = update.forecast();
    update.horizons(state, horizons);
    emitted.model = current.name();
    emitted.version = current.version();
    emitted.gap = gap;
    emitted.horizons(horizons.length);
    for (int h = 1; h <= horizons.length; h++) {
      emitted.values[h - 1] = horizons[h - 1];
      emitted.halfWidths[h - 1] = update.halfWidth(h);
    }
    if (anomalous) {
      emitted.anomaly = true;
      emitted.forecast = forecastForTick;
      emitted.halfWidth = halfWidthForTick;
      emitted.score = score;
      emitted.threshold = forecastSettings.anomalyThreshold();
      emitted.drift = AnomalyScore.isDrift(update.residual(), halfWidthForTick, score);
    }
    stepShadow(state, modelName, tick);
    state.remember(tick.ts(), tick.value());
    store.put(tick.series(), state);

    double latencyMs = emit(record, tick, emitted);
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

  /**
   * Where the emissions of {@code tick} are written: a slot kept in the series' state when replays
   * are answered (at_least_once), else a scratch slot. Clears any slot kept under another
   * guarantee.
   */
  private SeriesState.Emitted emittedSlot(Tick tick, SeriesState state) {
    if (replayWindow == 0) {
      if (state.emittedCount() > 0) {
        state.dropEmitted();
      }
      scratch.anomaly = false;
      return scratch;
    }
    SeriesState.Emitted slot = state.nextEmitted(replayWindow);
    RecordMetadata source = context.recordMetadata().orElse(null);
    slot.partition = source == null ? -1 : source.partition();
    slot.offset = source == null ? -1 : source.offset();
    slot.ts = tick.ts();
    return slot;
  }

  /**
   * Answers a tick read again from a record whose emissions the series kept (a replay after a crash
   * under at_least_once) by sending the same records again; false if none were kept.
   */
  private boolean replayed(Record<byte[], byte[]> record, Tick tick, SeriesState state) {
    RecordMetadata source = context.recordMetadata().orElse(null);
    if (replayWindow == 0 || source == null) {
      return false;
    }
    SeriesState.Emitted kept = state.emitted(source.partition(), source.offset(), tick.ts());
    if (kept == null) {
      return false;
    }
    emit(record, tick, kept);
    metrics.replayed();
    return true;
  }

  /**
   * Sends the predictions (horizons 1..H) and the anomaly, if any, of {@code emitted} for {@code
   * tick}; returns the latency of the predictions: from the record's timestamp to now.
   */
  private double emit(Record<byte[], byte[]> record, Tick tick, SeriesState.Emitted emitted) {
    double latencyMs = Math.max(0, System.currentTimeMillis() - record.timestamp());
    for (int h = 1; h <= emitted.values.length; h++) {
      double value = emitted.values[h - 1];
      double halfWidth = emitted.halfWidths[h - 1];
      Prediction prediction =
          new Prediction(
              tick.series(),
              tick.ts(),
              h,
              value,
              value - halfWidth,
              value + halfWidth,
              tick.value(),
              emitted.model,
              emitted.version,
              latencyMs,
              emitted.fresh,
              emitted.gap);
      context.forward(
          new Record<Object, Object>(tick.series(), prediction, record.timestamp()),
          SeqcastPredictor.PREDICTIONS);
    }
    if (emitted.anomaly) {
      Anomaly anomaly =
          new Anomaly(
              tick.series(),
              tick.ts(),
              tick.value(),
              emitted.forecast,
              emitted.forecast - emitted.halfWidth,
              emitted.forecast + emitted.halfWidth,
              emitted.score,
              emitted.drift ? Anomaly.DRIFT : Anomaly.JUMP,
              emitted.threshold,
              emitted.model,
              emitted.version);
      context.forward(
          new Record<Object, Object>(tick.series(), anomaly, record.timestamp()),
          SeqcastPredictor.ANOMALIES);
    }
    return latencyMs;
  }

  /**
   * What stepping with one model needs: its forecaster (a one-step {@link Forecaster} or a smoothed
   * {@link HorizonForecaster}), the series update around it (scoring, intervals), meters and the
   * scratch buffers of a tick's features and a shadow's forecasts.
   */
  private static final class Lane {
    final RecurrentModel model;
    final Forecaster forecaster;
    final HorizonForecaster horizonForecaster;
    final SeriesUpdate update;
    final PredictorMetrics.ModelMeters meters;
    final String[] tickFeatureNames;
    final double[] tickFeatures;
    final double[] shadowForecasts;

    Lane(
        RecurrentModel model,
        StepKernel kernel,
        ConformalInterval calibrator,
        PredictorMetrics.ModelMeters meters) {
      this.model = model;
      this.meters = meters;
      SmoothingSpec spec = model.header().smoothing();
      if (spec == null) {
        this.forecaster = new Forecaster(model, kernel);
        this.horizonForecaster = null;
        this.update = new SeriesUpdate(forecaster, calibrator);
        this.tickFeatureNames = new String[0];
        this.shadowForecasts = null;
      } else {
        this.forecaster = null;
        this.horizonForecaster = new HorizonForecaster(model, kernel);
        this.update = new SeriesUpdate(horizonForecaster, calibrator);
        this.tickFeatureNames =
            spec.tickFeatures().stream()
                .map(SmoothingSpec.TickFeature::name)
                .toArray(String[]::new);
        this.shadowForecasts = new double[1];
      }
      this.tickFeatures = new double[tickFeatureNames.length];
    }

    /** True when the model's transform takes {@code value}. */
    boolean accepts(double value) {
      return horizonForecaster != null
          ? horizonForecaster.inputs().accepts(value)
          : FeatureTransform.accepts(value);
    }

    /** Refuses a value this lane's model cannot take, naming its transform. */
    void requireAccepted(double value) throws InvalidRecordException {
      if (!accepts(value)) {
        TickAdmission.requireAccepted(
            value,
            false,
            "the " + model.normalisation().transform() + " transform of model " + model.name());
      }
    }

    /** True when the series' model states have the shapes this lane's model steps. */
    boolean holds(SeriesState state) {
      if (state.recurrent.length != model.stateSize()) {
        return false;
      }
      return horizonForecaster == null
          ? state.smoothing == null
          : state.smoothing != null
              && state.smoothing.season() == horizonForecaster.inputs().spec().season();
    }

    /** Steps a tick at {@code ts} finds missed (smoothed models); 0 for a one-step model. */
    long gap(SeriesState state, long ts) {
      return horizonForecaster == null
          ? 0
          : horizonForecaster.inputs().missedSteps(state.smoothing, ts);
    }

    /**
     * The tick's features in the model's {@code tickFeatures} order, NaN where the tick lacks one
     * (read as the training mean); null when the model takes none. A scratch buffer.
     */
    double[] tickFeatures(Tick tick) {
      if (tickFeatures.length == 0) {
        return null;
      }
      for (int k = 0; k < tickFeatures.length; k++) {
        Double raw = tick.features().get(tickFeatureNames[k]);
        tickFeatures[k] = raw == null ? Double.NaN : raw;
      }
      return tickFeatures;
    }

    /**
     * New model states of this lane's model run over the series' ring buffer, oldest value first,
     * skipping values the model cannot take: what a swap, a route change and a new shadow start
     * from. A smoothed model sees the values at its nominal spacing, the newest at the series' last
     * event time.
     */
    Warmed warm(SeriesState state) {
      float[] recurrent = new float[model.stateSize()];
      int count = state.recentCount();
      if (horizonForecaster != null) {
        ExponentialSmoothing.State smoothing = horizonForecaster.newSmoothingState();
        long spacing = horizonForecaster.inputs().spec().spacingMillis();
        for (int i = 0; i < count; i++) {
          double value = state.recent(i);
          if (accepts(value)) {
            long time = state.lastTs() - (count - 1 - i) * spacing;
            horizonForecaster.observe(recurrent, smoothing, value, time, null);
          }
        }
        return new Warmed(recurrent, null, smoothing);
      }
      FeatureTransform.State features = forecaster.transform().newState();
      for (int i = 0; i < count; i++) {
        double value = state.recent(i);
        if (accepts(value)) {
          forecaster.observe(recurrent, features, value);
        }
      }
      return new Warmed(recurrent, features, null);
    }

    /**
     * Steps a shadow's states by one tick and returns its forecast of the next value (horizon 1).
     */
    double stepShadow(SeriesState.Shadow shadow, Tick tick) {
      if (horizonForecaster != null) {
        horizonForecaster.step(
            shadow.recurrent,
            shadow.smoothing,
            tick.value(),
            tick.ts(),
            tickFeatures(tick),
            shadowForecasts);
        return shadowForecasts[0];
      }
      FeatureTransform.State features =
          FeatureTransform.State.of(shadow.lastValue, shadow.variance);
      double forecast = forecaster.step(shadow.recurrent, features, tick.value());
      shadow.lastValue = features.lastValue();
      shadow.variance = features.variance();
      return forecast;
    }
  }

  /** A re-warmed recurrent state with the transform state (one-step) or smoothing (smoothed). */
  private record Warmed(
      float[] recurrent, FeatureTransform.State features, ExponentialSmoothing.State smoothing) {}

  /** The lane of {@code model}, rebuilt when the registry moved its name on to another version. */
  private Lane lane(Map<String, Lane> lanes, RecurrentModel model, boolean shadow) {
    Lane lane = lanes.get(model.name());
    if (lane == null || lane.model != model) {
      lane =
          new Lane(
              model,
              kernels.apply(model),
              calibrator,
              shadow ? metrics.shadow(model.name(), model.version()) : metrics.model(model.name()));
      lanes.put(model.name(), lane);
    }
    return lane;
  }

  /**
   * Steps the series under the shadow of its model, if one runs: re-warmed from the ring buffer
   * when the shadow version changed, its last forecast scored, nothing emitted. A tick the shadow's
   * transform cannot take (a value ≤ 0 beside an additive live model) leaves the shadow as it is.
   * Without a shadow, any shadow state is dropped so it costs nothing in the store.
   */
  private void stepShadow(SeriesState state, String modelName, Tick tick) {
    RecurrentModel candidate = registry.shadow(modelName);
    if (candidate == null) {
      state.shadow = null;
      return;
    }
    Lane lane = lane(shadowLanes, candidate, true);
    SeriesState.Shadow shadow = state.shadow;
    if (shadow == null || shadow.version != candidate.version()) {
      shadow = new SeriesState.Shadow();
      shadow.version = candidate.version();
      Warmed warmed = lane.warm(state);
      shadow.recurrent = warmed.recurrent();
      shadow.smoothing = warmed.smoothing();
      if (warmed.features() != null) {
        shadow.lastValue = warmed.features().lastValue();
        shadow.variance = warmed.features().variance();
      }
      state.shadow = shadow;
    }
    if (!lane.accepts(tick.value())) {
      return;
    }
    if (!Double.isNaN(shadow.lastForecast)) {
      lane.meters.scored(candidate.version(), tick.value() - shadow.lastForecast, Double.NaN);
    }
    shadow.lastForecast = lane.stepShadow(shadow, tick);
  }

  /**
   * The shadow version went live (promotion): its state has followed the series all along, so it
   * becomes the live state as it is, warmer than a re-warm over the ring buffer could make it.
   */
  private static void adoptShadow(SeriesState state) {
    SeriesState.Shadow shadow = state.shadow;
    state.recurrent = shadow.recurrent;
    state.smoothing = shadow.smoothing;
    state.lastValue = shadow.lastValue;
    state.variance = shadow.variance;
    state.lastForecast = shadow.lastForecast;
    state.modelVersion = shadow.version;
    state.shadow = null;
  }

  /** Rebuilds the series' state for the live model of its lane from its ring buffer. */
  private void rewarm(SeriesState state, Lane live) {
    Warmed warmed = live.warm(state);
    state.recurrent = warmed.recurrent();
    state.smoothing = warmed.smoothing();
    if (warmed.features() != null) {
      state.transformState(warmed.features());
    } else {
      state.lastValue = Double.NaN;
      state.variance = 0;
    }
    state.modelName = live.model.name();
    state.modelVersion = live.model.version();
  }

  /** Applies a control record (reset or delete) to the state of the series its key names. */
  private void control(Record<byte[], byte[]> record) {
    StateControl action;
    String series;
    try {
      action = StateControl.of(record.headers());
      series = RecordKeys.decode(record.key(), "control record key (series id)");
    } catch (InvalidRecordException e) {
      deadLetter(record, e.reason(), e.getMessage());
      return;
    }
    SeriesState state = store.get(series);
    if (state != null) {
      if (action == StateControl.DELETE) {
        store.delete(series);
        countStore.put(COUNT_KEY, seriesCount.decrementAndGet());
        metrics.evicted(PredictorMetrics.DELETED);
      } else if (state.hasHistory()) {
        store.put(series, state.resetMarker());
        metrics.evicted(PredictorMetrics.RESET);
      }
    }
    metrics.controlApplied();
  }

  /**
   * Moves the task's event clock on to {@code ts}, but never past the record's own timestamp: a
   * tick stamped in the future must not make every other series look quiet.
   */
  private void advanceClock(long ts, long recordTimestamp) {
    long bounded = recordTimestamp >= 0 ? Math.min(ts, recordTimestamp) : ts;
    if (bounded > eventClock) {
      eventClock = bounded;
      countStore.put(CLOCK_KEY, eventClock);
    }
  }

  /** Whether {@code state}'s last tick is more than the TTL behind the task's event clock. */
  private boolean expired(SeriesState state) {
    return expiry.enabled()
        && eventClock != Long.MIN_VALUE
        && state.lastTs() < eventClock - expiry.ttlMs();
  }

  /** One slice of the expiry scan: deletes the expired series among the entries it reads. */
  private void scanExpired() {
    if (eventClock == Long.MIN_VALUE) {
      return;
    }
    int deleted = scan.slice(this::expired).size();
    for (int i = 0; i < deleted; i++) {
      metrics.evicted(PredictorMetrics.EXPIRED);
    }
    if (deleted > 0) {
      countStore.put(COUNT_KEY, seriesCount.addAndGet(-deleted));
    }
  }

  private void deadLetter(Record<byte[], byte[]> record, DlqReason reason, String detail) {
    DeadLetterHeaders.forward(context, record, reason, detail, SeqcastPredictor.DEAD_LETTERS);
    metrics.deadLettered(reason);
  }
}
