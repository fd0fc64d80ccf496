package dev.seqcast.speech;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads the audio {@code seqcast.frames} takes from WAV files: signed 16-bit PCM at one of {@link
 * Resampler#RATES}, mono or stereo (averaged to mono, rounding down, as a chunk carries one
 * channel). Anything else is refused with a message naming what the file is and how to convert it.
 */
public final class WavFile {

  /**
   * A recording as chunks carry it.
   *
   * @param sampleRate Hz, one of {@link Resampler#RATES}
   * @param pcm mono little-endian PCM16 samples
   */
  public record Audio(int sampleRate, byte[] pcm) {
    /** Number of samples. */
    public int samples() {
      return pcm.length / 2;
    }

    /** Length in seconds. */
    public double seconds() {
      return samples() / (double) sampleRate;
    }
  }

  private WavFile() {}

  /** The file's audio, downmixed to mono. */
  public static Audio read(Path file) throws IOException {
    AudioFileFormat type;
    try {
      type = AudioSystem.getAudioFileFormat(file.toFile());
    } catch (UnsupportedAudioFileException e) {
      throw new IllegalArgumentException(file + " is not a WAV file (no RIFF/WAVE audio found)");
    }
    if (type.getType() != AudioFileFormat.Type.WAVE) {
      throw new IllegalArgumentException(
          file + " is a " + type.getType() + " file; only WAV (RIFF/WAVE) is read");
    }
    AudioFormat format = type.getFormat();
    boolean pcm16 =
        format.getEncoding() == AudioFormat.Encoding.PCM_SIGNED
            && format.getSampleSizeInBits() == 16;
    int channels = format.getChannels();
    int rate = Math.round(format.getSampleRate());
    if (!pcm16
        || (channels != 1 && channels != 2)
        || rate != format.getSampleRate()
        || !Resampler.accepts(rate)) {
      throw new IllegalArgumentException(
          String.format(
              "%s is %s, %d-bit, %d channel(s) at %.0f Hz; seqcast.frames takes 16-bit signed"
                  + " PCM, mono or stereo, at one of %s Hz (convert with: sox %s -r %d -c 1 -b 16"
                  + " -e signed out.wav)",
              file,
              format.getEncoding(),
              format.getSampleSizeInBits(),
              channels,
              format.getSampleRate(),
              Resampler.RATES,
              file,
              AudioChunks.SAMPLE_RATE));
    }
    byte[] bytes;
    try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
      bytes = in.readAllBytes();
    } catch (UnsupportedAudioFileException e) {
      throw new IllegalArgumentException(file + " cannot be decoded: " + e.getMessage());
    }
    ByteBuffer samples =
        ByteBuffer.wrap(bytes)
            .order(format.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
    int frames = bytes.length / (2 * channels);
    ByteBuffer mono = ByteBuffer.allocate(2 * frames).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < frames; i++) {
      int sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += samples.getShort();
      }
      mono.putShort((short) (sum >> (channels - 1)));
    }
    return new Audio(rate, mono.array());
  }

  /**
   * The samples of a file at the features' own {@value AudioChunks#SAMPLE_RATE} Hz (the speech
   * corpus, whose labels count its samples), scaled to {@code [-1, 1)}.
   */
  public static float[] readSamples(Path file) throws IOException {
    Audio audio = read(file);
    if (audio.sampleRate() != AudioChunks.SAMPLE_RATE) {
      throw new IllegalArgumentException(
          String.format(
              "%s is at %d Hz; a corpus recording is at %d Hz (convert with: sox %s -r %d out.wav)",
              file, audio.sampleRate(), AudioChunks.SAMPLE_RATE, file, AudioChunks.SAMPLE_RATE));
    }
    ByteBuffer pcm = ByteBuffer.wrap(audio.pcm()).order(ByteOrder.LITTLE_ENDIAN);
    float[] samples = new float[audio.samples()];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = pcm.getShort() / 32768f;
    }
    return samples;
  }
}
