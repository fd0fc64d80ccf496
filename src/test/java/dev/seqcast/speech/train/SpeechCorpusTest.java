package dev.seqcast.speech.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed corpus is what its generator promises: aligned labels, speakers split, every
 * recording described by its directory's manifest.
 */
class SpeechCorpusTest {

  static final Path TRAIN = Path.of("data/speech/train");
  static final Path TEST = Path.of("data/speech/test");

  @Test
  void everyRecordingHasOneTagPerHopAndSegmentsInsideIt() throws Exception {
    for (Path dir : List.of(TRAIN, TEST)) {
      for (SpeechCorpus.Recording r : SpeechCorpus.load(dir)) {
        assertEquals(r.samples().length / 160, r.tags().length, r.name());
        // synthetic: two sentences; recorded: one to three prompts
        boolean synthetic = r.source().origin() == SpeechCorpus.Origin.SYNTHETIC;
        int utterances = r.segments().size();
        assertTrue(synthetic ? utterances == 2 : utterances >= 1 && utterances <= 3, r.name());
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
  void noSpeakerIsInBothTrainAndTestAndEachIsHeardAtEverySnr() throws Exception {
    List<SpeechCorpus.Recording> train = SpeechCorpus.load(TRAIN);
    List<SpeechCorpus.Recording> test = SpeechCorpus.load(TEST);
    for (SpeechCorpus.Origin origin :
        List.of(SpeechCorpus.Origin.SYNTHETIC, SpeechCorpus.Origin.RECORDED)) {
      assertTrue(speakers(train, origin).size() >= 4, origin + " training speakers");
      assertTrue(speakers(test, origin).size() >= 2, origin + " test speakers");
    }
    Set<String> both = speakers(train, null);
    both.retainAll(speakers(test, null));
    assertTrue(both.isEmpty(), "speakers in both: " + both);
    for (List<SpeechCorpus.Recording> split : List.of(train, test)) {
      for (String speaker : speakers(split, null)) {
        assertEquals(
            Set.of(0, 5, 10, 20),
            split.stream()
                .filter(r -> r.source().speaker().equals(speaker))
                .map(SpeechCorpus.Recording::snrDb)
                .collect(Collectors.toSet()),
            speaker);
      }
    }
  }

  @Test
  void theHeldOutRealSpeakersSpeakLanguagesNoTrainingSpeakerSpeaks() throws Exception {
    Set<String> trainLanguages = languages(SpeechCorpus.load(TRAIN));
    Set<String> testRecorded =
        languages(
            SpeechCorpus.load(TEST).stream()
                .filter(r -> r.source().origin() == SpeechCorpus.Origin.RECORDED)
                .toList());
    assertTrue(testRecorded.size() >= 2, "held-out languages: " + testRecorded);
    testRecorded.retainAll(trainLanguages);
    assertTrue(testRecorded.isEmpty(), "languages in both: " + testRecorded);
  }

  @Test
  void theManifestDescribesEveryRecordingAndNothingElse(@TempDir Path dir) throws Exception {
    String name = "es-m4-snr5";
    for (String ending : List.of(".wav", ".tags", ".segments.csv")) {
      Files.copy(TEST.resolve(name + ending), dir.resolve(name + ending));
    }
    assertEquals(
        SpeechCorpus.Origin.UNKNOWN,
        SpeechCorpus.load(dir).get(0).source().origin(),
        "no manifest");
    String header = "name,speaker,language,source,package,noise,snr_db\n";
    Path manifest = dir.resolve(SpeechCorpus.MANIFEST);
    Files.writeString(manifest, header + name + ",es+m4,en,synthetic,espeak-ng,pinknoise,5\n");
    SpeechCorpus.Source source = SpeechCorpus.load(dir).get(0).source();
    assertEquals(
        new SpeechCorpus.Source("es+m4", "en", SpeechCorpus.Origin.SYNTHETIC, "pinknoise"), source);

    Files.writeString(manifest, header + "other-snr5,x,en,synthetic,espeak-ng,pinknoise,5\n");
    String missing =
        assertThrows(IllegalArgumentException.class, () -> SpeechCorpus.load(dir)).getMessage();
    assertTrue(missing.contains("does not name " + name), missing);
    Files.writeString(
        manifest,
        header
            + name
            + ",es+m4,en,synthetic,espeak-ng,pinknoise,5\nother-snr5,x,en,synthetic,e,white,5\n");
    String extra =
        assertThrows(IllegalArgumentException.class, () -> SpeechCorpus.load(dir)).getMessage();
    assertTrue(extra.contains("not there: [other-snr5]"), extra);
    Files.writeString(manifest, header + name + ",es+m4,en,sung,espeak-ng,pinknoise,5\n");
    String origin =
        assertThrows(IllegalArgumentException.class, () -> SpeechCorpus.load(dir)).getMessage();
    assertTrue(origin.contains("line 2: source must be synthetic or recorded"), origin);
  }

  @Test
  void theCommittedCorpusNamesTheOriginOfEveryRecording() throws Exception {
    for (Path dir : List.of(TRAIN, TEST)) {
      for (SpeechCorpus.Recording r : SpeechCorpus.load(dir)) {
        assertNotEquals(SpeechCorpus.Origin.UNKNOWN, r.source().origin(), r.name());
        assertTrue(!r.source().language().isEmpty() && !r.source().noise().isEmpty(), r.name());
      }
    }
  }

  private static Set<String> speakers(
      List<SpeechCorpus.Recording> recordings, SpeechCorpus.Origin origin) {
    return collect(
        recordings.stream().filter(r -> origin == null || r.source().origin() == origin).toList(),
        r -> r.source().speaker());
  }

  private static Set<String> languages(List<SpeechCorpus.Recording> recordings) {
    return collect(recordings, r -> r.source().language().split("-")[0]); // it-IT -> it
  }

  private static Set<String> collect(
      List<SpeechCorpus.Recording> recordings, Function<SpeechCorpus.Recording, String> key) {
    return recordings.stream().map(key).collect(Collectors.toCollection(TreeSet::new));
  }
}
