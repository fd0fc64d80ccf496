package dev.seqcast.speech.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
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
    SpeechBacktest.score(perfect, r, truth);
    assertEquals(1.0, perfect.frameF1(), 1e-12);
    assertEquals(1.0, perfect.segmentF1(), 1e-12);
    SpeechBacktest.Score none = new SpeechBacktest.Score();
    SpeechBacktest.score(none, r, new boolean[200]);
    assertEquals(0.0, none.frameF1());
    assertEquals(0.0, none.segmentF1());
  }

  private static int[] tags(int frames, int from, int to) {
    int[] tags = new int[frames];
    for (int t = from; t < to; t++) {
      tags[t] = 2;
    }
    return tags;
  }
}
