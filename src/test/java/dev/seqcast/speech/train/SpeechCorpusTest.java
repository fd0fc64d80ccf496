package dev.seqcast.speech.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The committed corpus is what its generator promises: aligned labels, voices split. */
class SpeechCorpusTest {

  static final Path TRAIN = Path.of("data/speech/train");
  static final Path TEST = Path.of("data/speech/test");

  @Test
  void everyRecordingHasOneTagPerHopAndSegmentsInsideIt() throws Exception {
    for (Path dir : List.of(TRAIN, TEST)) {
      for (SpeechCorpus.Recording r : SpeechCorpus.load(dir)) {
        assertEquals(r.samples().length / 160, r.tags().length, r.name());
        assertEquals(2, r.segments().size(), r.name());
        long previousEnd = 0;
        for (long[] span : r.segments()) {
          assertTrue(span[0] >= previousEnd && span[1] > span[0], r.name());
          assertTrue(span[1] <= r.samples().length, r.name());
          previousEnd = span[1];
        }
        // Construction: frames wholly outside every utterance are silence.
        for (int k = 0; k < r.tags().length; k++) {
          long mid = 160L * k + 80;
          boolean inside = r.segments().stream().anyMatch(s -> mid >= s[0] && mid < s[1]);
          if (!inside) {
            assertEquals(0, r.tags()[k], r.name() + " frame " + k);
          }
        }
      }
    }
  }

  @Test
  void trainAndTestHoldDifferentVoicesEachAtEverySnr() throws Exception {
    List<SpeechCorpus.Recording> train = SpeechCorpus.load(TRAIN);
    List<SpeechCorpus.Recording> test = SpeechCorpus.load(TEST);
    Set<String> trainVoices = voices(train);
    Set<String> testVoices = voices(test);
    assertTrue(trainVoices.size() >= 4 && testVoices.size() >= 2);
    trainVoices.retainAll(testVoices);
    assertTrue(trainVoices.isEmpty(), "voices in both: " + trainVoices);
    for (List<SpeechCorpus.Recording> split : List.of(train, test)) {
      for (String voice : voices(split)) {
        assertEquals(
            Set.of(0, 5, 10, 20),
            split.stream()
                .filter(r -> r.voice().equals(voice))
                .map(SpeechCorpus.Recording::snrDb)
                .collect(Collectors.toSet()),
            voice);
      }
    }
  }

  private static Set<String> voices(List<SpeechCorpus.Recording> recordings) {
    return recordings.stream()
        .map(SpeechCorpus.Recording::voice)
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
