package dev.seqcast.speech;

/**
 * Everything one audio stream carries between chunks, one entry in the speech store (see {@link
 * SpeechStateSerde}): the stream's input rate and, away from 16 kHz, its {@link Resampler}'s
 * history and phase; the last window of (16 kHz) samples and how far into the next hop it is, the
 * frame count, the running normaliser, the two previous normalised frames (for deltas), the model
 * version and recurrent state, the segment tracker, and when the stream last sent a chunk (for
 * expiry). Mutable; owned by the processor handling the stream's partition.
 */
public final class SpeechState {

  /** No recurrent state yet (before the first model). */
  static final float[] NO_RECURRENT = new float[0];

  /** No resampler history: the stream arrives at 16 kHz. */
  static final float[] NO_HISTORY = new float[0];

  /** Rate of the stream's chunks, Hz; a chunk at another rate changes it (see SpeechTagger). */
  int inputRate = AudioChunks.SAMPLE_RATE;

  /**
   * Resampler history, away from 16 kHz: the last {@code T} input samples (PCM16 values scaled by
   * 1/32768), each written twice, at {@code i} and {@code i + T}, so that the oldest-first run
   * {@code [historyAt, historyAt + T)} never wraps; {@link #NO_HISTORY} at 16 kHz.
   */
  float[] history = NO_HISTORY;

  int historyAt;

  /** Resampler phase of the next output sample, {@code 0 ≤ phase < L}. */
  int phase;

  /** Input samples the next output sample still waits for, {@code 1 ≤ awaiting ≤ T/2 + 1}. */
  int awaiting;

  /** The last {@link LogMelFeatures#WINDOW} samples, a ring; {@link #sampleAt} is the oldest. */
  final float[] samples = new float[LogMelFeatures.WINDOW];

  int sampleAt;

  /** Samples since the last frame, {@code 0 ≤ pending < HOP}. */
  int pending;

  /** Frames emitted so far; frame {@code k} covers samples {@code [160k, 160k + 160)}. */
  long frames;

  /** Frames the normaliser has seen. */
  long normalised;

  final float[] mean = new float[LogMelFeatures.STATIC];
  final float[] variance = new float[LogMelFeatures.STATIC];
  final float[] before1 = new float[LogMelFeatures.STATIC];
  final float[] before2 = new float[LogMelFeatures.STATIC];

  /** Version of the model {@link #recurrent} belongs to; 0 before any model. */
  long modelVersion;

  float[] recurrent = NO_RECURRENT;

  /** Segment tracker: inside a speech segment (after onset and hangover rules). */
  boolean inSpeech;

  /** Consecutive frames whose raw decision disagrees with {@link #inSpeech}. */
  int run;

  /** First frame of the open segment, while {@link #inSpeech}. */
  long segmentStart;

  /** A state written before it recorded when its stream last sent a chunk (format 1 and 2). */
  static final long UNKNOWN = Long.MIN_VALUE;

  /**
   * Record timestamp of the stream's latest chunk, epoch ms; {@link #UNKNOWN} for a state restored
   * from before it was kept, which never expires until its stream sends again.
   */
  long lastSeen = UNKNOWN;

  /** Rate of the stream's audio as it arrives, Hz. */
  public int inputRate() {
    return inputRate;
  }

  /** Frames emitted so far. */
  public long frames() {
    return frames;
  }

  /** Whether the segment tracker is inside a speech segment. */
  public boolean inSpeech() {
    return inSpeech;
  }

  /** First frame of the open segment, while {@link #inSpeech()}. */
  public long segmentStart() {
    return segmentStart;
  }
}
