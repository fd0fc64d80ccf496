package dev.seqcast.speech.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.RecurrentModel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The evaluation's scoring rules on decisions whose scores are known. */
class SpeechBacktestTest {

  @Test
  void segmentsFollowTheWarmUpOnsetAndHangoverRules() {
    boolean[] speech = new boolean[140];
    for (int t = 0; t < 10; t++) {
      speech[t] = true; // inside the warm-up: opens nothing
    }
    for (int t = 50; t < 80; t++) {
      speech[t] = true;
    }
    speech[60] = false; // a one-frame gap: hangover bridges it
    for (int t = 120; t < 122; t++) {
      speech[t] = true; // two frames: shorter than the onset, no segment
    }
    boolean[] tracked = new boolean[140];
    List<long[]> segments = SpeechBacktest.segments(speech, tracked);
    assertEquals(1, segments.size());
    assertArrayEquals(new long[] {50, 80}, segments.get(0));
    assertEquals(false, tracked[5], "no segment during the warm-up");
    assertEquals(false, tracked[51], "the tag turns to speech once the onset is confirmed");
    assertEquals(true, tracked[52]);
    assertEquals(true, tracked[98], "hangover keeps the tag through 19 non-speech frames");
    assertEquals(false, tracked[99]);
  }

  @Test
  void perfectDecisionsScoreOneAndSilenceScoresZero() {
    SpeechCorpus.Recording r =
        new SpeechCorpus.Recording(
            "x-snr0",
            new SpeechCorpus.Source("x", "", SpeechCorpus.Origin.UNKNOWN, ""),
            0,
            new float[160 * 200],
            tags(200, 50, 120),
            List.of(new long[] {160L * 50, 160L * 120}));
    boolean[] truth = new boolean[200];
    for (int t = 50; t < 120; t++) {
      truth[t] = true;
    }
    SpeechBacktest.Score perfect = new SpeechBacktest.Score();
    SpeechBacktest.score(perfect, r, truth, scores(truth));
    assertEquals(1.0, perfect.frameF1(), 1e-12);
    assertEquals(1.0, perfect.segmentF1(), 1e-12);
    assertEquals(1.0, perfect.rocAuc(), 1e-12);
    SpeechBacktest.Score none = new SpeechBacktest.Score();
    SpeechBacktest.score(none, r, new boolean[200], new float[200]);
    assertEquals(0.0, none.frameF1());
    assertEquals(0.0, none.segmentF1());
    assertEquals(0.5, none.rocAuc(), 1e-12, "a constant score cannot rank");
  }

  @Test
  void theGoalLineIsMissedBelowSileroMetAboveItAndNotJudgedWithoutIt() throws Exception {
    RecurrentModel model = RecurrentModel.from(BundledModels.speech(CellType.GRU));
    List<SpeechCorpus.Recording> train =
        pick(SpeechCorpusTest.TRAIN, Set.of("allison-en-01-snr5", "june-fr-01-snr0"));
    List<SpeechCorpus.Recording> test =
        pick(SpeechCorpusTest.TEST, Set.of("carlo-it-01-snr0", "carlo-it-01-snr5"));

    // Silero scoring the truth itself: no tagger reaches frame F1 1 on these
    SpeechBacktest.Report beaten =
        SpeechBacktest.run(model, train, test, anchors(train, test, true));
    assertEquals("10ms-mode1", beaten.webrtcConfiguration(), "the truthful configuration");
    assertEquals(
        1.0, beaten.scores().values().iterator().next().get(SpeechBacktest.SILERO).frameF1());
    String missed = beaten.goal();
    assertTrue(missed.contains("MISSED by ") && missed.contains("frame F1 at 0 dB"), missed);
    assertTrue(missed.contains("frame F1 at 5 dB"), missed);

    // Silero hearing nothing, slowly: both halves of the goal hold
    String met = SpeechBacktest.run(model, train, test, anchors(train, test, false)).goal();
    assertTrue(met.contains(": MET (frame F1 vs Silero +"), met);

    SpeechBacktest.Report without =
        SpeechBacktest.run(model, train, test, AnchorVads.Outcome.notRun("node not found on PATH"));
    String table = without.markdown();
    assertTrue(table.contains("| not run: node not found on PATH |"), table);
    assertTrue(
        without.goal().endsWith("not judged, Silero VAD not run: node not found on PATH"),
        without.goal());
    assertEquals(
        2, without.scores().get(new SpeechBacktest.Group(SpeechCorpus.Origin.RECORDED, 0)).size());
  }

  /**
   * Anchors whose Silero scores the truth ({@code truthful}) or nothing, at 0.1 s of compute per
   * frame, and two WebRTC configurations: one always on, one truthful.
   */
  private static AnchorVads.Outcome anchors(
      List<SpeechCorpus.Recording> train, List<SpeechCorpus.Recording> test, boolean truthful) {
    Map<String, Map<String, AnchorVads.Output>> outputs = new HashMap<>();
    for (List<SpeechCorpus.Recording> split : List.of(train, test)) {
      for (SpeechCorpus.Recording r : split) {
        float[] truth = new float[r.frames()];
        float[] on = new float[r.frames()];
        for (int t = 0; t < truth.length; t++) {
          truth[t] = r.tags()[t] != 0 ? 1 : 0;
          on[t] = 1;
        }
        long nanos = 100_000_000L * r.frames();
        outputs
            .computeIfAbsent(AnchorVads.SILERO, d -> new HashMap<>())
            .put(r.name(), new AnchorVads.Output(truthful ? truth : new float[r.frames()], nanos));
        outputs
            .computeIfAbsent(AnchorVads.WEBRTC + "10ms-mode0", d -> new HashMap<>())
            .put(r.name(), new AnchorVads.Output(on, 1));
        outputs
            .computeIfAbsent(AnchorVads.WEBRTC + "10ms-mode1", d -> new HashMap<>())
            .put(r.name(), new AnchorVads.Output(truth, 1));
      }
    }
    return new AnchorVads.Outcome(Optional.empty(), Map.of(), outputs);
  }

  private static List<SpeechCorpus.Recording> pick(java.nio.file.Path dir, Set<String> names)
      throws Exception {
    return SpeechCorpus.load(dir).stream().filter(r -> names.contains(r.name())).toList();
  }

  private static float[] scores(boolean[] speech) {
    float[] scores = new float[speech.length];
    for (int t = 0; t < speech.length; t++) {
      scores[t] = speech[t] ? 0.9f : 0.1f;
    }
    return scores;
  }

  private static int[] tags(int frames, int from, int to) {
    int[] tags = new int[frames];
    for (int t = from; t < to; t++) {
      tags[t] = 2;
    }
    return tags;
  }
}
