package dev.seqcast.speech.train;

import dev.seqcast.model.DetectionCounts;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.speech.LogMelFeatures;
import dev.seqcast.speech.SpeechState;
import dev.seqcast.speech.SpeechTagger;
import dev.seqcast.speech.TagEvent;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Evaluates a speech tagger on held-out recordings the way the stream runs it (features, one kernel
 * step per frame, the segment tracker), next to an energy-threshold VAD on the same features: a
 * frame is speech when its running-normalised log energy exceeds a threshold, the one that
 * maximises frame F1 on the training recordings (so the baseline is tuned, not strawmanned).
 *
 * <p>Frame F1: speech = any class but silence, raw per-frame decisions (model: speech probability ≥
 * 0.5) against the corpus tags. Segment F1: the tracker's segments (onset and hangover applied to
 * both taggers alike) against the utterance spans; a predicted segment matches an unmatched true
 * one when their intersection over union is at least 0.5. Throughput and per-frame compute time are
 * measured over the whole test set on one thread (features + step + head + tracker).
 * Single-threaded.
 */
public final class SpeechBacktest {

  /** Least intersection over union for a predicted segment to match a true one. */
  public static final double SEGMENT_IOU = 0.5;

  /** Frame and segment counts of one tagger on one group of recordings. */
  public static final class Score {
    final DetectionCounts frames = new DetectionCounts();
    final DetectionCounts segments = new DetectionCounts();

    /** Frame-level F1 of speech. */
    public double frameF1() {
      return frames.f1();
    }

    /** Segment-level F1. */
    public double segmentF1() {
      return segments.f1();
    }
  }

  /**
   * The outcome.
   *
   * @param model per SNR (dB), the model's scores
   * @param baseline per SNR, the energy VAD's scores
   * @param energyThreshold the baseline's threshold on normalised log energy
   * @param frames frames tagged
   * @param framesPerSecond model path throughput, one thread
   * @param microsPerFrame model path compute time per frame
   */
  public record Report(
      Map<Integer, Score> model,
      Map<Integer, Score> baseline,
      double energyThreshold,
      long frames,
      double framesPerSecond,
      double microsPerFrame) {

    /** The results as a Markdown table. */
    public String markdown() {
      StringBuilder out = new StringBuilder();
      out.append("| SNR | frame F1, model | frame F1, energy VAD | Δ | segment F1, model |")
          .append(" segment F1, energy VAD |\n|---|---|---|---|---|---|\n");
      model.forEach(
          (snr, m) -> {
            Score b = baseline.get(snr);
            out.append(
                String.format(
                    Locale.ROOT,
                    "| %d dB | %.3f | %.3f | %+.3f | %.3f | %.3f |%n",
                    snr,
                    m.frameF1(),
                    b.frameF1(),
                    m.frameF1() - b.frameF1(),
                    m.segmentF1(),
                    b.segmentF1()));
          });
      out.append(
          String.format(
              Locale.ROOT,
              "%nenergy VAD threshold (normalised log energy, tuned on training): %.2f%n"
                  + "%,d frames; model path %.0f frames/s on one thread, %.1f µs per frame"
                  + " (plus the algorithmic latency of one 25 ms window)%n",
              energyThreshold,
              frames,
              framesPerSecond,
              microsPerFrame));
      return out.toString();
    }
  }

  private SpeechBacktest() {}

  /** Runs {@code model} and the energy VAD over {@code test}; tunes the VAD on {@code train}. */
  public static Report run(
      RecurrentModel model, List<SpeechCorpus.Recording> train, List<SpeechCorpus.Recording> test) {
    double threshold = tuneEnergyThreshold(train);
    Map<Integer, Score> modelScores = new TreeMap<>();
    Map<Integer, Score> baselineScores = new TreeMap<>();
    long frames = 0;
    long nanos = 0;
    for (SpeechCorpus.Recording r : test) {
      long started = System.nanoTime();
      Decisions tagged = tag(model, r);
      nanos += System.nanoTime() - started;
      frames += r.frames();
      score(modelScores.computeIfAbsent(r.snrDb(), s -> new Score()), r, tagged.speech());
      score(
          baselineScores.computeIfAbsent(r.snrDb(), s -> new Score()),
          r,
          energyDecisions(r, threshold));
    }
    return new Report(
        modelScores,
        baselineScores,
        threshold,
        frames,
        frames / (nanos / 1e9),
        nanos / 1e3 / frames);
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

  /** The energy VAD's raw decisions: normalised log energy above {@code threshold}. */
  static boolean[] energyDecisions(SpeechCorpus.Recording r, double threshold) {
    float[][] frames = new LogMelFeatures(LogMelFeatures.DEFAULT_NORMALISATION).frames(r.samples());
    boolean[] speech = new boolean[frames.length];
    for (int t = 0; t < frames.length; t++) {
      speech[t] = frames[t][LogMelFeatures.BANDS] > threshold;
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

  static void score(Score score, SpeechCorpus.Recording r, boolean[] speech) {
    int[] tags = r.tags();
    for (int t = 0; t < tags.length; t++) {
      score.frames.add(speech[t], tags[t] != 0);
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
