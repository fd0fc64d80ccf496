package dev.seqcast.speech;

import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;

/**
 * Turns samples into tags for one model (or none yet): chunks away from 16 kHz resampled to it
 * ({@link Resampler}), features per hop ({@link LogMelFeatures}), one recurrent step per frame, the
 * softmax head's class probabilities, and a causal segment tracker. The model's first class is the
 * non-speech class ({@code silence}); the speech probability of a frame is one minus its
 * probability.
 *
 * <p>Segments, causal hangover: a segment starts once {@value #ONSET_FRAMES} consecutive frames are
 * speech (the start event, emitted then, names the first of them) and ends once {@value
 * #HANGOVER_FRAMES} consecutive frames (200 ms) are not (the end event names the first of those);
 * no segment opens in a stream's first {@value #WARM_UP_FRAMES} frames. The per-frame tag is the
 * tracker's state, so tags do not flicker at pauses shorter than the hangover; each frame also
 * carries its raw probability and most likely class.
 *
 * <p>A stream whose chunks change rate ends its stretch at the old rate as if the stream ended
 * there (the resampler's outputs still due are computed with zeros after the last old-rate sample)
 * and starts the new rate as a stream starts (zero history): the frame count, features, normaliser
 * and recurrent state carry on, and every sample of each stretch is tagged once.
 *
 * <p>A stream whose state belongs to another model version starts that model from zero state: the
 * features and normaliser carry on, and the recurrent memory of speech is short (a few hundred ms).
 * Confined to one thread: it owns the kernel and scratch buffers.
 */
public final class SpeechTagger {

  /** Consecutive speech frames that open a segment. */
  public static final int ONSET_FRAMES = 3;

  /** Consecutive non-speech frames that close a segment (200 ms). */
  public static final int HANGOVER_FRAMES = 20;

  /**
   * Frames at the start of a stream (300 ms) that cannot open a segment: the running normaliser has
   * seen too little of the stream to scale its features, and the raw decisions there are unreliable
   * (a bundled model's first frames read as speech). Their raw probabilities are still emitted.
   */
  public static final int WARM_UP_FRAMES = 30;

  /** Told about each frame and segment event, in order. */
  public interface Sink {
    /**
     * Frame {@code frame} is tagged.
     *
     * @param speech the tracker's tag (after onset and hangover)
     * @param speechProbability the model's speech probability, NaN without a model
     * @param category most likely class, -1 without a model
     * @param categoryProbability its probability, NaN without a model
     */
    void frame(
        long frame,
        boolean speech,
        float speechProbability,
        int category,
        float categoryProbability);

    /** A segment started at {@code firstFrame} (start) or ended before {@code firstFrame} (end). */
    void segment(boolean start, long firstFrame, long segmentStart);
  }

  private final RecurrentModel model;
  private final StepKernel kernel;
  private final LogMelFeatures features;
  private final float[] frame = new float[LogMelFeatures.SIZE];
  private final float[] resampled = new float[Resampler.MAX_OUTPUTS_PER_INPUT];
  private final float[] output;

  /** A tagger running {@code model}, or only the features (tags "unknown") when it is null. */
  public SpeechTagger(RecurrentModel model) {
    this.model = model;
    this.kernel = model == null ? null : model.newKernel();
    this.features =
        new LogMelFeatures(
            model == null ? LogMelFeatures.DEFAULT_NORMALISATION : model.normalisation());
    this.output = new float[model == null ? 0 : model.outputSize()];
  }

  /** The model, or null. */
  public RecurrentModel model() {
    return model;
  }

  /**
   * Feeds one admitted chunk of stream {@code s}, at whatever accepted rate it comes, and tells
   * {@code sink} about every frame and segment it completes.
   */
  public void accept(SpeechState s, AudioChunks.Chunk chunk, Sink sink) {
    int rate = chunk.sampleRate();
    if (rate != s.inputRate) {
      changeRate(s, rate, sink);
    }
    int size = chunk.size();
    if (rate == AudioChunks.SAMPLE_RATE) {
      for (int i = 0; i < size; i++) {
        push(s, chunk.sample(i), sink);
      }
      return;
    }
    Resampler resampler = Resampler.from(rate);
    for (int i = 0; i < size; i++) {
      int outputs = resampler.push(s, chunk.pcm(i), resampled);
      for (int j = 0; j < outputs; j++) {
        push(s, resampled[j], sink);
      }
    }
  }

  /** Ends the stretch at the old rate (its due outputs from zeros), starts one at {@code rate}. */
  private void changeRate(SpeechState s, int rate, Sink sink) {
    if (s.inputRate != AudioChunks.SAMPLE_RATE) {
      Resampler old = Resampler.from(s.inputRate);
      for (int due = old.due(s); due > 0; ) {
        int outputs = Math.min(due, old.push(s, (short) 0, resampled));
        for (int j = 0; j < outputs; j++) {
          push(s, resampled[j], sink);
        }
        due -= outputs;
      }
    }
    s.inputRate = rate;
    if (rate == AudioChunks.SAMPLE_RATE) {
      s.history = SpeechState.NO_HISTORY;
      s.historyAt = 0;
      s.phase = 0;
      s.awaiting = 0;
    } else {
      Resampler.from(rate).start(s);
    }
  }

  /** Feeds one 16 kHz sample in {@code [-1, 1)}; returns true when it completed a frame. */
  public boolean push(SpeechState s, float sample, Sink sink) {
    if (!features.push(s, sample, frame)) {
      return false;
    }
    long at = s.frames - 1;
    if (model == null) {
      sink.frame(at, false, Float.NaN, -1, Float.NaN);
      return true;
    }
    if (s.modelVersion != model.version() || s.recurrent.length != model.stateSize()) {
      s.recurrent = new float[model.stateSize()];
      s.modelVersion = model.version();
    }
    kernel.step(s.recurrent, frame);
    kernel.output(s.recurrent, output);
    int best = 0;
    for (int k = 1; k < output.length; k++) {
      if (output[k] > output[best]) {
        best = k;
      }
    }
    float speechProbability = 1 - output[0];
    track(s, speechProbability >= 0.5f, at, sink);
    sink.frame(at, s.inSpeech, speechProbability, best, output[best]);
    return true;
  }

  /**
   * The segment tracker: advances {@code s} by one raw decision at {@code frame} (a decision in the
   * first {@value #WARM_UP_FRAMES} frames counts as non-speech).
   */
  public static void track(SpeechState s, boolean raw, long frame, Sink sink) {
    boolean speech = raw && frame >= WARM_UP_FRAMES;
    if (speech == s.inSpeech) {
      s.run = 0;
      return;
    }
    s.run++;
    if (!s.inSpeech && s.run >= ONSET_FRAMES) {
      s.inSpeech = true;
      s.segmentStart = frame - ONSET_FRAMES + 1;
      s.run = 0;
      sink.segment(true, s.segmentStart, s.segmentStart);
    } else if (s.inSpeech && s.run >= HANGOVER_FRAMES) {
      s.inSpeech = false;
      s.run = 0;
      sink.segment(false, frame - HANGOVER_FRAMES + 1, s.segmentStart);
    }
  }
}
