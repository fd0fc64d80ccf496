package dev.seqcast.speech.train;

import dev.seqcast.model.DetectionCounts;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.RocAuc;
import dev.seqcast.speech.LogMelFeatures;
import dev.seqcast.speech.SpeechState;
import dev.seqcast.speech.SpeechTagger;
import dev.seqcast.speech.TagEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Evaluates a speech tagger on held-out recordings the way the stream runs it (features, one kernel
 * step per frame, the segment tracker), next to an energy-threshold VAD on the same features — a
 * frame is speech when its running-normalised log energy exceeds a threshold, the one that
 * maximises frame F1 on the training recordings (so the baseline is tuned, not strawmanned) — and,
 * when they could run, two reference VADs ({@link AnchorVads}): Silero VAD at its own threshold 0.5
 * and WebRTC's VAD at the frame length and mode with the best frame F1 on the training recordings.
 *
 * <p>All four are scored by the same code on the same labels, per group of held-out recordings
 * (origin of the speech, SNR). Frame F1: speech = any class but silence, raw per-frame decisions
 * against the corpus tags. ROC-AUC: of each method's per-frame score (the tagger's and Silero's
 * speech probability, the energy VAD's normalised log energy; WebRTC gives decisions only, so its
 * AUC is that of its 0/1 decisions, {@code (TPR + TNR) / 2}). Segment F1: the tracker's segments
 * (onset and hangover applied to every method alike) against the utterance spans; a predicted
 * segment matches an unmatched true one when their intersection over union is at least 0.5. Compute
 * per 10 ms of audio: each method's own work over the held-out set on one thread (the tagger:
 * features + step + head + tracker, after one untimed pass over every held-out recording; the
 * energy VAD: features + threshold; the anchors: their model calls, as the script times them).
 */
public final class SpeechBacktest {

  /** Least intersection over union for a predicted segment to match a true one. */
  public static final double SEGMENT_IOU = 0.5;

  /** The tagger under test. */
  public static final String MODEL = "seqcast";

  /** The tuned energy-threshold VAD. */
  public static final String ENERGY = "energy VAD";

  /** Silero VAD, an anchor. */
  public static final String SILERO = "Silero VAD";

  /** WebRTC VAD, an anchor. */
  public static final String WEBRTC = "WebRTC VAD";

  /** The methods in the order the report shows them. */
  public static final List<String> METHODS = List.of(MODEL, ENERGY, SILERO, WEBRTC);

  /** Silero's compute per 10 ms divided by the tagger's must be at least this for the goal. */
  public static final double COMPUTE_GOAL = 5;

  /** Frame, score and segment counts of one method on one group of recordings. */
  public static final class Score {
    final DetectionCounts frames = new DetectionCounts();
    final DetectionCounts segments = new DetectionCounts();
    final RocAuc auc = new RocAuc();

    /** Frame-level F1 of speech. */
    public double frameF1() {
      return frames.f1();
    }

    /** Segment-level F1. */
    public double segmentF1() {
      return segments.f1();
    }

    /** ROC-AUC of the per-frame score against the speech frames. */
    public double rocAuc() {
      return auc.auc();
    }
  }

  /**
   * Held-out recordings scored together.
   *
   * @param origin synthetic or recorded speech
   * @param snrDb the mix's SNR
   */
  public record Group(SpeechCorpus.Origin origin, int snrDb) implements Comparable<Group> {

    @Override
    public int compareTo(Group other) {
      int byOrigin = other.origin.compareTo(origin); // recorded first
      return byOrigin != 0 ? byOrigin : Integer.compare(snrDb, other.snrDb);
    }

    /** E.g. {@code recorded 5 dB}. */
    public String label() {
      return origin.name().toLowerCase(Locale.ROOT) + " " + snrDb + " dB";
    }
  }

  /**
   * The outcome.
   *
   * @param scores per group, per method that ran, its scores
   * @param microsPer10Ms per method that ran, its compute time per 10 ms of audio
   * @param energyThreshold the energy VAD's threshold on normalised log energy
   * @param webrtcConfiguration WebRTC's frame length and mode chosen on the training recordings
   *     (e.g. {@code 30ms-mode3}), empty when the anchors did not run
   * @param anchors what ran the anchors, or why they did not
   * @param frames held-out frames
   */
  public record Report(
      Map<Group, Map<String, Score>> scores,
      Map<String, Double> microsPer10Ms,
      double energyThreshold,
      String webrtcConfiguration,
      AnchorVads.Outcome anchors,
      long frames) {

    /** The results as Markdown tables, then the goal line. */
    public String markdown() {
      StringBuilder out = new StringBuilder();
      table(out, "frame F1", Score::frameF1);
      table(out, "ROC-AUC", Score::rocAuc);
      table(out, "segment F1", Score::segmentF1);
      out.append("| compute per 10 ms |");
      for (String method : METHODS) {
        Double micros = microsPer10Ms.get(method);
        out.append(micros == null ? " " + notRun() + " |" : format(" %.1f µs |", micros));
      }
      out.append('\n');
      out.append(
          format(
              "%nenergy VAD threshold (normalised log energy, tuned on training): %.2f%n",
              energyThreshold));
      if (anchors.notRun().isEmpty()) {
        Map<String, String> v = anchors.versions();
        out.append(
            format(
                "anchors: Silero VAD %s (%s on %s, %s thread, threshold 0.5); WebRTC VAD %s (%s,"
                    + " the best frame F1 on training; ROC-AUC from its 0/1 decisions); node %s%n",
                v.get("silero"),
                v.get("sileroModel"),
                v.get("sileroRuntime"),
                v.get("sileroThreads"),
                v.get("webrtc"),
                webrtcConfiguration,
                v.get("node")));
      } else {
        out.append("anchors: ").append(notRun()).append('\n');
      }
      out.append(
          format(
              "%,d held-out frames; compute on one thread (plus the tagger's algorithmic latency"
                  + " of one 25 ms window)%n",
              frames));
      out.append(goal()).append('\n');
      return out.toString();
    }

    private void table(StringBuilder out, String metric, ToDoubleFunction<Score> value) {
      out.append("| ").append(metric).append(" |");
      METHODS.forEach(m -> out.append(' ').append(m).append(" |"));
      out.append("\n|---|").append("---|".repeat(METHODS.size())).append('\n');
      scores.forEach(
          (group, byMethod) -> {
            out.append("| ").append(group.label()).append(" |");
            for (String method : METHODS) {
              Score score = byMethod.get(method);
              out.append(
                  score == null ? " not run |" : format(" %.3f |", value.applyAsDouble(score)));
            }
            out.append('\n');
          });
      out.append('\n');
    }

    private String notRun() {
      return "not run: " + anchors.notRun().orElse("");
    }

    /**
     * The goal line: frame F1 at least Silero's at every SNR on the held-out recorded speech, and
     * compute at most a fifth of Silero's.
     */
    public String goal() {
      String goal =
          "goal (frame F1 ≥ Silero's at every SNR on held-out real speakers, compute ≤ 1/5 of"
              + " Silero's): ";
      if (anchors.notRun().isPresent()) {
        return goal + "not judged, Silero VAD " + notRun();
      }
      List<String> shortfalls = new ArrayList<>();
      List<String> margins = new ArrayList<>();
      scores.forEach(
          (group, byMethod) -> {
            if (group.origin() == SpeechCorpus.Origin.RECORDED) {
              double gap = byMethod.get(MODEL).frameF1() - byMethod.get(SILERO).frameF1();
              margins.add(format("%+.3f at %d dB", gap, group.snrDb()));
              if (gap < 0) {
                shortfalls.add(format("%.3f frame F1 at %d dB", -gap, group.snrDb()));
              }
            }
          });
      if (margins.isEmpty()) {
        return goal + "not judged, the held-out set holds no recorded speech";
      }
      double ratio = microsPer10Ms.get(MODEL) / microsPer10Ms.get(SILERO);
      boolean computeMet = ratio <= 1 / COMPUTE_GOAL;
      String compute =
          format("compute %.3f of Silero's", ratio) + (computeMet ? " (met)" : " (goal ≤ 0.200)");
      if (shortfalls.isEmpty() && computeMet) {
        return goal
            + "MET (frame F1 vs Silero "
            + String.join(", ", margins)
            + "; "
            + compute
            + ")";
      }
      return goal
          + "MISSED by "
          + (shortfalls.isEmpty()
              ? compute + " (frame F1 vs Silero " + String.join(", ", margins) + ", met)"
              : String.join(", ", shortfalls) + "; " + compute);
    }
  }

  private SpeechBacktest() {}

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }

  /**
   * Runs {@code model}, the energy VAD and, when {@code anchors} ran, Silero and WebRTC over {@code
   * test}; tunes the energy VAD and WebRTC's configuration on {@code train}.
   */
  public static Report run(
      RecurrentModel model,
      List<SpeechCorpus.Recording> train,
      List<SpeechCorpus.Recording> test,
      AnchorVads.Outcome anchors) {
    double threshold = tuneEnergyThreshold(train);
    String webrtc = anchors.notRun().isPresent() ? "" : tuneWebrtc(anchors, train);
    Map<Group, Map<String, Score>> scores = new TreeMap<>();
    Map<String, Long> nanos = new LinkedHashMap<>();
    long frames = 0;
    // warm the model path up with an untimed pass over every recording: it is Java, compiled while
    // it runs, and one recording left that compilation in the timed pass (a first pass over the
    // held-out set ran ~3 times slower per frame than the passes after it); Silero's ONNX Runtime
    // is native code, for which the script's one warm-up file suffices
    for (SpeechCorpus.Recording r : test) {
      tag(model, r);
    }
    for (SpeechCorpus.Recording r : test) {
      frames += r.frames();
      Map<String, Score> byMethod =
          scores.computeIfAbsent(
              new Group(r.source().origin(), r.snrDb()), g -> new LinkedHashMap<>());
      long started = System.nanoTime();
      Decisions tagged = tag(model, r);
      nanos.merge(MODEL, System.nanoTime() - started, Long::sum);
      score(
          byMethod.computeIfAbsent(MODEL, m -> new Score()),
          r,
          tagged.speech(),
          tagged.probability());
      started = System.nanoTime();
      float[] energy = energyScores(r);
      boolean[] energySpeech = above(energy, threshold);
      nanos.merge(ENERGY, System.nanoTime() - started, Long::sum);
      score(byMethod.computeIfAbsent(ENERGY, m -> new Score()), r, energySpeech, energy);
      if (anchors.notRun().isEmpty()) {
        for (String[] anchor :
            new String[][] {{SILERO, AnchorVads.SILERO}, {WEBRTC, AnchorVads.WEBRTC + webrtc}}) {
          AnchorVads.Output output = anchorOutput(anchors, anchor[1], r);
          nanos.merge(anchor[0], output.nanos(), Long::sum);
          score(
              byMethod.computeIfAbsent(anchor[0], m -> new Score()),
              r,
              output.speech(),
              output.score());
        }
      }
    }
    Map<String, Double> micros = new LinkedHashMap<>();
    long audioFrames = frames;
    nanos.forEach((method, n) -> micros.put(method, n / 1e3 / audioFrames));
    return new Report(scores, micros, threshold, webrtc, anchors, frames);
  }

  private static AnchorVads.Output anchorOutput(
      AnchorVads.Outcome anchors, String detector, SpeechCorpus.Recording r) {
    AnchorVads.Output output = anchors.outputs().getOrDefault(detector, Map.of()).get(r.name());
    if (output == null || output.score().length != r.frames()) {
      throw new IllegalStateException(
          detector + " has no output of " + r.frames() + " frames for " + r.name());
    }
    return output;
  }

  /** The WebRTC configuration (frame length and mode) with the best frame F1 over {@code train}. */
  static String tuneWebrtc(AnchorVads.Outcome anchors, List<SpeechCorpus.Recording> train) {
    String best = null;
    double bestF1 = -1;
    for (String detector : anchors.webrtcConfigurations()) {
      DetectionCounts counts = new DetectionCounts();
      for (SpeechCorpus.Recording r : train) {
        boolean[] speech = anchorOutput(anchors, detector, r).speech();
        for (int t = 0; t < speech.length; t++) {
          counts.add(speech[t], r.tags()[t] != 0);
        }
      }
      if (counts.f1() > bestF1) {
        bestF1 = counts.f1();
        best = detector.substring(AnchorVads.WEBRTC.length());
      }
    }
    if (best == null) {
      throw new IllegalStateException("the anchors ran no WebRTC configuration");
    }
    return best;
  }

  /**
   * Frames per second one thread tags {@code recordings} at through the model path alone (features,
   * recurrent steps, head; no Kafka): the ceiling a speech pipeline is compared with.
   */
  public static double framesPerSecond(
      RecurrentModel model, List<SpeechCorpus.Recording> recordings) {
    long frames = 0;
    long started = System.nanoTime();
    for (SpeechCorpus.Recording r : recordings) {
      frames += tag(model, r).speech().length;
    }
    return frames / ((System.nanoTime() - started) / 1e9);
  }

  /** Per-frame outputs of a tagger over one recording. */
  public record Decisions(boolean[] speech, float[] probability, boolean[] tracked) {}

  /** Streams {@code r} through a tagger of {@code model}, as the processor does. */
  public static Decisions tag(RecurrentModel model, SpeechCorpus.Recording r) {
    SpeechTagger tagger = new SpeechTagger(model);
    SpeechState state = new SpeechState();
    boolean[] speech = new boolean[r.frames()];
    float[] probability = new float[r.frames()];
    boolean[] tracked = new boolean[r.frames()];
    SpeechTagger.Sink sink =
        new SpeechTagger.Sink() {
          @Override
          public void frame(
              long frame, boolean inSpeech, float p, int category, float categoryProbability) {
            speech[(int) frame] = p >= 0.5f;
            probability[(int) frame] = p;
            tracked[(int) frame] = inSpeech;
          }

          @Override
          public void segment(boolean start, long firstFrame, long segmentStart) {}
        };
    for (float sample : r.samples()) {
      tagger.push(state, sample, sink);
    }
    return new Decisions(speech, probability, tracked);
  }

  /** The energy VAD's score per frame: the normalised log energy. */
  static float[] energyScores(SpeechCorpus.Recording r) {
    float[][] frames = new LogMelFeatures(LogMelFeatures.DEFAULT_NORMALISATION).frames(r.samples());
    float[] energy = new float[frames.length];
    for (int t = 0; t < frames.length; t++) {
      energy[t] = frames[t][LogMelFeatures.BANDS];
    }
    return energy;
  }

  /** The energy VAD's raw decisions: normalised log energy above {@code threshold}. */
  static boolean[] energyDecisions(SpeechCorpus.Recording r, double threshold) {
    return above(energyScores(r), threshold);
  }

  private static boolean[] above(float[] scores, double threshold) {
    boolean[] speech = new boolean[scores.length];
    for (int t = 0; t < scores.length; t++) {
      speech[t] = scores[t] > threshold;
    }
    return speech;
  }

  /** The threshold on normalised log energy with the best frame F1 over {@code train}. */
  static double tuneEnergyThreshold(List<SpeechCorpus.Recording> train) {
    LogMelFeatures features = new LogMelFeatures(LogMelFeatures.DEFAULT_NORMALISATION);
    List<float[][]> frames = new ArrayList<>();
    for (SpeechCorpus.Recording r : train) {
      frames.add(features.frames(r.samples()));
    }
    double best = 0;
    double bestF1 = -1;
    for (int step = -60; step <= 60; step++) {
      double threshold = step * 0.05;
      DetectionCounts counts = new DetectionCounts();
      for (int i = 0; i < train.size(); i++) {
        int[] tags = train.get(i).tags();
        for (int t = 0; t < tags.length; t++) {
          counts.add(frames.get(i)[t][LogMelFeatures.BANDS] > threshold, tags[t] != 0);
        }
      }
      double f1 = counts.f1();
      if (f1 > bestF1) {
        bestF1 = f1;
        best = threshold;
      }
    }
    return best;
  }

  /**
   * Adds {@code r}'s frames and segments under the method's decisions and scores to {@code score}.
   */
  static void score(Score score, SpeechCorpus.Recording r, boolean[] speech, float[] frameScores) {
    int[] tags = r.tags();
    for (int t = 0; t < tags.length; t++) {
      score.frames.add(speech[t], tags[t] != 0);
      score.auc.add(frameScores[t], tags[t] != 0);
    }
    List<long[]> predicted = segments(speech, new boolean[speech.length]);
    List<long[]> truth = new ArrayList<>();
    for (long[] span : r.segments()) {
      truth.add(new long[] {span[0] / LogMelFeatures.HOP, span[1] / LogMelFeatures.HOP});
    }
    boolean[] used = new boolean[truth.size()];
    long matched = 0;
    for (long[] p : predicted) {
      for (int i = 0; i < truth.size(); i++) {
        if (!used[i] && iou(p, truth.get(i)) >= SEGMENT_IOU) {
          used[i] = true;
          matched++;
          break;
        }
      }
    }
    score.segments.add(matched, predicted.size() - matched, truth.size() - matched);
  }

  /**
   * The tracker's segments {@code [start, end)} in frames over raw decisions; {@code tracked}
   * receives the tracker's per-frame tag.
   */
  static List<long[]> segments(boolean[] speech, boolean[] tracked) {
    List<long[]> segments = new ArrayList<>();
    SpeechState state = new SpeechState();
    SpeechTagger.Sink sink =
        new SpeechTagger.Sink() {
          @Override
          public void frame(long frame, boolean s, float p, int c, float q) {}

          @Override
          public void segment(boolean start, long firstFrame, long segmentStart) {
            if (!start) {
              segments.add(new long[] {segmentStart, firstFrame});
            }
          }
        };
    for (int t = 0; t < speech.length; t++) {
      SpeechTagger.track(state, speech[t], t, sink);
      tracked[t] = state.inSpeech();
    }
    if (state.inSpeech()) {
      segments.add(new long[] {state.segmentStart(), speech.length});
    }
    return segments;
  }

  private static double iou(long[] a, long[] b) {
    long intersection = Math.max(0, Math.min(a[1], b[1]) - Math.max(a[0], b[0]));
    long union = (a[1] - a[0]) + (b[1] - b[0]) - intersection;
    return union == 0 ? 0 : (double) intersection / union;
  }

  /**
   * Draws {@code r}: its waveform, the true speech frames, the model's tracked tags and speech
   * probability, the energy VAD's tracked tags; writes a PNG.
   */
  public static void plot(
      RecurrentModel model, SpeechCorpus.Recording r, double threshold, Path png)
      throws IOException {
    Decisions tagged = tag(model, r);
    boolean[] energy = energyDecisions(r, threshold);
    int frames = r.frames();
    double[] time = new double[frames];
    double[] envelope = new double[frames];
    double[] truth = new double[frames];
    double[] tracked = new double[frames];
    double[] probability = new double[frames];
    double[] baseline = new double[frames];
    boolean[] baselineTracked = new boolean[frames];
    segments(energy, baselineTracked);
    double peak = 1e-9;
    for (int t = 0; t < frames; t++) {
      for (int i = t * LogMelFeatures.HOP; i < (t + 1) * LogMelFeatures.HOP; i++) {
        envelope[t] = Math.max(envelope[t], Math.abs(r.samples()[i]));
      }
      peak = Math.max(peak, envelope[t]);
    }
    for (int t = 0; t < frames; t++) {
      time[t] = t * TagEvent.FRAME_MS / 1000.0;
      envelope[t] = envelope[t] / peak;
      truth[t] = r.tags()[t] != 0 ? 1.3 : Double.NaN;
      tracked[t] = tagged.tracked()[t] ? 1.2 : Double.NaN;
      baseline[t] = baselineTracked[t] ? 1.1 : Double.NaN;
      probability[t] = tagged.probability()[t];
    }
    XYChart chart =
        new XYChartBuilder()
            .width(1200)
            .height(420)
            .title(r.name() + ": waveform (peak envelope), true and predicted speech")
            .xAxisTitle("s")
            .build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.4).setMarkerSize(3);
    add(chart, "waveform envelope", time, envelope, XYSeries.XYSeriesRenderStyle.Area);
    add(chart, "model speech probability", time, probability, XYSeries.XYSeriesRenderStyle.Line);
    add(chart, "true speech (construction)", time, truth, XYSeries.XYSeriesRenderStyle.Scatter);
    add(chart, "model tag (tracked)", time, tracked, XYSeries.XYSeriesRenderStyle.Scatter);
    add(chart, "energy VAD tag (tracked)", time, baseline, XYSeries.XYSeriesRenderStyle.Scatter);
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  private static void add(
      XYChart chart, String name, double[] x, double[] y, XYSeries.XYSeriesRenderStyle style) {
    XYSeries series = chart.addSeries(name, x, y);
    series.setXYSeriesRenderStyle(style);
    if (style != XYSeries.XYSeriesRenderStyle.Scatter) {
      series.setMarker(SeriesMarkers.NONE);
    }
  }
}
