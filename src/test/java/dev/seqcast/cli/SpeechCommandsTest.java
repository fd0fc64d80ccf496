package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.testkit.CliRun;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes with replay, train --task speech and backtest are explained, exit 2. */
class SpeechCommandsTest {

  @TempDir Path dir;

  @Test
  void replayRefusesAFileThatIsNotWav() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.wav"), "these are not samples");
    CliRun run = CliRun.of("replay", "--wav", text.toString()).flattened();
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("is not a WAV file"), run.err());
  }

  @Test
  void replayRefusesARateOutsideTheSetOrAnotherLayoutAndSaysHowToConvert() throws Exception {
    Path odd = wav("12k.wav", new AudioFormat(12_000, 16, 1, true, false));
    CliRun run = CliRun.of("replay", "--wav", odd.toString()).flattened();
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("1 channel(s) at 12000 Hz"), run.err());
    assertTrue(run.err().contains("8000, 11025, 16000, 22050, 24000, 32000, 44100, 48000"));
    assertTrue(run.err().contains("sox " + odd + " -r 16000 -c 1 -b 16"), run.err());
    Path surround = wav("3ch.wav", new AudioFormat(48_000, 16, 3, true, false));
    CliRun three = CliRun.of("replay", "--wav", surround.toString()).flattened();
    assertEquals(2, three.exit());
    assertTrue(three.err().contains("3 channel(s) at 48000 Hz"), three.err());
    Path eightBit = wav("8bit.wav", new AudioFormat(16_000, 8, 1, true, false));
    assertEquals(2, CliRun.of("replay", "--wav", eightBit.toString()).exit());
    Path wide = wav("24bit.wav", new AudioFormat(44_100, 24, 2, true, false));
    assertEquals(2, CliRun.of("replay", "--wav", wide.toString()).exit());
  }

  @Test
  void replayRefusesAMissingFileAndABadChunkSize() throws Exception {
    assertTrue(
        CliRun.of("replay", "--wav", dir.resolve("absent.wav").toString())
            .flattened()
            .err()
            .contains("is not a readable file"));
    Path good = wav("good.wav", new AudioFormat(16_000, 16, 1, true, false));
    CliRun run = CliRun.of("replay", "--wav", good.toString(), "--chunk-ms", "0").flattened();
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--chunk-ms must be between 1 and 10000"), run.err());
    CliRun loop = CliRun.of("replay", "--wav", good.toString(), "--loop").flattened();
    assertEquals(2, loop.exit());
    assertTrue(loop.err().contains("--loop with --wav needs --realtime"), loop.err());
  }

  @Test
  void speechBenchAndDemoRefuseBadSettingsBeforeStartingAnything() {
    CliRun chunk = CliRun.of("bench", "speech", "--chunk-ms", "15").flattened();
    assertEquals(2, chunk.exit());
    assertTrue(chunk.err().contains("--chunk-ms a multiple of 10 ms"), chunk.err());
    CliRun port = CliRun.of("demo", "--speech", "--metrics-port", "70000").flattened();
    assertEquals(2, port.exit());
    assertTrue(port.err().contains("--metrics-port must be between 0 and 65535"), port.err());
    CliRun loop = CliRun.of("demo", "--loop").flattened();
    assertEquals(2, loop.exit());
    assertTrue(loop.err().contains("use it with --speech"), loop.err());
  }

  @Test
  void speechTrainingNeedsACorpusDirectory() {
    CliRun run =
        CliRun.of("train", "--task", "speech", "--data", "data/sp500-2000.csv").flattened();
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("--task speech needs --data DIR"), run.err());
    assertEquals(2, CliRun.of("train", "--task", "speak", "--data", "x").exit());
  }

  @Test
  void backtestRefusesAForecastingModel() {
    CliRun run =
        CliRun.of(
                "backtest",
                "--task",
                "speech",
                "--model",
                "src/main/resources/models/sp500-lstm.bundle")
            .flattened();
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("is not a speech tagger"), run.err());
  }

  private Path wav(String name, AudioFormat format) throws Exception {
    byte[] frames = new byte[format.getFrameSize() * 1_600];
    Path file = dir.resolve(name);
    try (AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(frames), format, 1_600)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }
    return file;
  }
}
