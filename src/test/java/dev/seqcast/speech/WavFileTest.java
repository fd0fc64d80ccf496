package dev.seqcast.speech;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WAV files at every rate taken, mono or stereo, become mono PCM16 at their own rate. */
class WavFileTest {

  @TempDir Path dir;

  @Test
  void stereoIsAveragedToMonoRoundingDownAndKeepsItsRate() throws Exception {
    short[] interleaved = {1_000, 3_000, -3, 0, 32_767, 32_767, -32_768, -32_768, -1, 2};
    Path file = write("stereo.wav", new AudioFormat(44_100, 16, 2, true, false), interleaved);
    WavFile.Audio audio = WavFile.read(file);
    assertEquals(44_100, audio.sampleRate());
    assertArrayEquals(new short[] {2_000, -2, 32_767, -32_768, 0}, shorts(audio.pcm()));
  }

  @Test
  void everyRateTakenIsReadMonoAsItIs() throws Exception {
    short[] samples = {0, 1, -1, 12_345, -32_768, 32_767};
    for (int rate : Resampler.RATES) {
      Path little = write(rate + ".wav", new AudioFormat(rate, 16, 1, true, false), samples);
      WavFile.Audio audio = WavFile.read(little);
      assertEquals(rate, audio.sampleRate());
      assertArrayEquals(samples, shorts(audio.pcm()), rate + " Hz");
    }
  }

  @Test
  void otherRatesWidthsAndLayoutsAreRefusedWithTheConversion() throws Exception {
    short[] samples = new short[12];
    for (AudioFormat format :
        new AudioFormat[] {
          new AudioFormat(12_000, 16, 1, true, false),
          new AudioFormat(96_000, 16, 2, true, false),
          new AudioFormat(16_000, 16, 4, true, false),
          new AudioFormat(48_000, 8, 1, true, false),
          new AudioFormat(48_000, 24, 1, true, false)
        }) {
      Path file = write("refused.wav", format, samples);
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> WavFile.read(file), "" + format);
      assertTrue(e.getMessage().contains("sox " + file + " -r 16000 -c 1 -b 16"), e.getMessage());
    }
  }

  @Test
  void corpusSamplesMustBeAtSixteenKilohertz() throws Exception {
    Path file = write("48k.wav", new AudioFormat(48_000, 16, 1, true, false), new short[48]);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> WavFile.readSamples(file));
    assertTrue(e.getMessage().contains("at 48000 Hz"), e.getMessage());
    Path ok = write("16k.wav", new AudioFormat(16_000, 16, 1, true, false), new short[] {16_384});
    assertArrayEquals(new float[] {0.5f}, WavFile.readSamples(ok));
  }

  /** {@code samples} (interleaved, 16-bit only) or zeros of the format's width, by the JDK. */
  private Path write(String name, AudioFormat format, short[] samples) throws Exception {
    int frames = samples.length / format.getChannels();
    byte[] bytes = new byte[frames * format.getFrameSize()];
    if (format.getSampleSizeInBits() == 16) {
      ByteBuffer out =
          ByteBuffer.wrap(bytes)
              .order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      for (short s : samples) {
        out.putShort(s);
      }
    }
    Path file = dir.resolve(name);
    try (AudioInputStream in =
        new AudioInputStream(new ByteArrayInputStream(bytes), format, frames)) {
      AudioSystem.write(in, AudioFileFormat.Type.WAVE, file.toFile());
    }
    return file;
  }

  private static short[] shorts(byte[] pcm) {
    ByteBuffer in = ByteBuffer.wrap(pcm).order(ByteOrder.LITTLE_ENDIAN);
    short[] out = new short[pcm.length / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = in.getShort();
    }
    return out;
  }
}
