package dev.seqcast.speech;

import dev.seqcast.model.RecurrentModel;
import dev.seqcast.streams.DeadLetterHeaders;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.ExpiryScan;
import dev.seqcast.streams.InvalidRecordException;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.RecordKeys;
import dev.seqcast.streams.StateControl;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Where audio becomes tags. For each chunk: admit it ({@link AudioChunks}; bad ones go to the
 * dead-letter sink with the reason in headers), load the stream's state, feed the chunk through the
 * {@link SpeechTagger} of the live model (which resamples it to 16 kHz if need be), forward one tag
 * per completed 10 ms frame and every segment event, store the state. Before any model, frames are
 * still counted and tagged {@code unknown}, so every 10 ms of audio yields exactly one tag.
 *
 * <p>Expiry (when a TTL is set): a stream whose last chunk's record timestamp is more than the TTL
 * behind the task's stream time ({@link ProcessorContext#currentStreamTimeMs()}) is expired: its
 * next chunk starts it afresh, from frame 0, as a new stream, and a wall-clock punctuator deletes
 * expired streams meanwhile, a slice of the store at a time ({@link ExpiryScan}). The rule is a
 * function of the input alone, so whether the scan came first never changes the tags.
 *
 * <p>Control records ({@link StateControl}, keyed by the stream id): {@code reset} and {@code
 * delete} both remove the stream's state (tags carry no mark of a fresh start, so the two differ
 * only in their meter); an unknown action is dead-lettered as {@code bad-control}.
 *
 * <p>One instance per stream task.
 */
final class SpeechProcessor implements Processor<byte[], byte[], Object, Object> {

  private final String modelName;
  private final ModelRegistry registry;
  private final SpeechMetrics metrics;
  private ProcessorContext<Object, Object> context;
  private KeyValueStore<String, SpeechState> store;
  private SpeechTagger tagger = new SpeechTagger(null);
  private final Duration ttl;
  private ExpiryScan<SpeechState> scan;

  /**
   * @param ttl how long a stream may send nothing, in record time, before its state is dropped;
   *     null = never
   */
  SpeechProcessor(String modelName, ModelRegistry registry, SpeechMetrics metrics, Duration ttl) {
    this.modelName = modelName;
    this.registry = registry;
    this.metrics = metrics;
    this.ttl = ttl;
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.store = context.getStateStore(SpeechTopology.STREAM_STORE);
    if (ttl != null) {
      scan = new ExpiryScan<>(store, SCAN_BATCH);
      context.schedule(SCAN_EVERY, PunctuationType.WALL_CLOCK_TIME, now -> scanExpired());
    }
  }

  /** Wall-clock time between expiry scan slices. */
  static final Duration SCAN_EVERY = Duration.ofSeconds(1);

  /** Most store entries one slice reads. */
  static final int SCAN_BATCH = 1_000;

  @Override
  public void process(Record<byte[], byte[]> record) {
    long started = System.nanoTime();
    if (StateControl.isControl(record.headers())) {
      control(record);
      return;
    }
    AudioChunks.Chunk chunk;
    try {
      chunk = AudioChunks.admit(record.key(), record.value(), record.headers());
    } catch (InvalidRecordException e) {
      deadLetter(record, e.reason(), e.getMessage());
      return;
    }
    RecurrentModel model = registry.current(modelName);
    if (model != tagger.model()) {
      tagger = new SpeechTagger(model);
    }
    SpeechState state = store.get(chunk.stream());
    if (state != null && expired(state)) {
      // The scan may not have reached it yet: treated exactly as if it had.
      metrics.evicted(SpeechMetrics.EXPIRED);
      state = null;
    }
    if (state == null) {
      state = new SpeechState();
    }
    Emitter emitter = new Emitter(chunk.stream(), record.timestamp(), model);
    tagger.accept(state, chunk, emitter);
    state.lastSeen = Math.max(state.lastSeen, record.timestamp());
    store.put(chunk.stream(), state);
    metrics.chunkTagged(
        System.nanoTime() - started, Math.max(0, System.currentTimeMillis() - record.timestamp()));
  }

  /** Forwards the tagger's frames and segment events as {@link TagEvent} records. */
  private final class Emitter implements SpeechTagger.Sink {
    private final String stream;
    private final long timestamp;
    private final String name;
    private final Long version;
    private final java.util.List<String> classes;

    Emitter(String stream, long timestamp, RecurrentModel model) {
      this.stream = stream;
      this.timestamp = timestamp;
      this.name = model == null ? null : model.name();
      this.version = model == null ? null : model.version();
      this.classes = model == null ? java.util.List.of() : model.head().classes();
    }

    @Override
    public void frame(
        long frame,
        boolean speech,
        float speechProbability,
        int category,
        float categoryProbability) {
      boolean known = category >= 0;
      metrics.frame(known, speech);
      forward(
          new TagEvent(
              "frame",
              stream,
              frame,
              frame * TagEvent.FRAME_MS,
              known ? (speech ? "speech" : "non-speech") : "unknown",
              known ? speechProbability : null,
              known ? classes.get(category) : null,
              known ? categoryProbability : null,
              null,
              null,
              name,
              version,
              Math.max(0, System.currentTimeMillis() - timestamp)));
    }

    @Override
    public void segment(boolean start, long firstFrame, long segmentStart) {
      metrics.segment(start);
      forward(
          new TagEvent(
              "segment",
              stream,
              firstFrame,
              firstFrame * TagEvent.FRAME_MS,
              null,
              null,
              null,
              null,
              start ? "start" : "end",
              start ? null : segmentStart,
              name,
              version,
              null));
    }

    private void forward(TagEvent event) {
      context.forward(
          new Record<Object, Object>(stream, event, timestamp), SpeechTopology.TAGS_SINK);
    }
  }

  /**
   * Whether {@code state}'s stream last sent more than the TTL before the task's stream time; a
   * state of unknown age (written before it was kept) is not.
   */
  private boolean expired(SpeechState state) {
    return ttl != null
        && state.lastSeen != SpeechState.UNKNOWN
        && state.lastSeen < context.currentStreamTimeMs() - ttl.toMillis();
  }

  private void scanExpired() {
    for (int i = scan.slice(this::expired).size(); i > 0; i--) {
      metrics.evicted(SpeechMetrics.EXPIRED);
    }
  }

  /** Applies a control record: both actions remove the stream's state. */
  private void control(Record<byte[], byte[]> record) {
    StateControl action;
    String stream;
    try {
      action = StateControl.of(record.headers());
      stream = RecordKeys.decode(record.key(), "control record key (stream id)");
    } catch (InvalidRecordException e) {
      deadLetter(record, e.reason(), e.getMessage());
      return;
    }
    if (store.get(stream) != null) {
      store.delete(stream);
      metrics.evicted(action == StateControl.DELETE ? SpeechMetrics.DELETED : SpeechMetrics.RESET);
    }
    metrics.controlApplied();
  }

  private void deadLetter(Record<byte[], byte[]> record, DlqReason reason, String detail) {
    metrics.deadLettered(reason);
    DeadLetterHeaders.forward(context, record, reason, detail, SpeechTopology.DLQ_SINK);
  }
}
