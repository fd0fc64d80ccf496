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
 * Reads the audio {@code seqcast.frames} takes from WAV files: 16 kHz, mono, signed 16-bit PCM.
 * Anything else is refused with a message naming what the file is and how to convert it, since the
 * tagger does not resample (see {@link AudioChunks}).
 */
public final class WavFile {

  private WavFile() {}

  /** The file's samples as little-endian PCM16 bytes, ready to be chunked onto the topic. */
  public static byte[] readPcm16(Path file) throws IOException {
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
    if (!pcm16
        || format.getChannels() != 1
        || Math.round(format.getSampleRate()) != AudioChunks.SAMPLE_RATE) {
      throw new IllegalArgumentException(
          String.format(
              "%s is %s, %d-bit, %d channel(s) at %.0f Hz; seqcast.frames takes 16-bit signed"
                  + " PCM mono at %d Hz (convert with: sox %s -r %d -c 1 -b 16 -e signed out.wav)",
              file,
              format.getEncoding(),
              format.getSampleSizeInBits(),
              format.getChannels(),
              format.getSampleRate(),
              AudioChunks.SAMPLE_RATE,
              file,
              AudioChunks.SAMPLE_RATE));
    }
    try (AudioInputStream in = AudioSystem.getAudioInputStream(file.toFile())) {
      byte[] bytes = in.readAllBytes();
      if (format.isBigEndian()) {
        for (int i = 0; i + 1 < bytes.length; i += 2) {
          byte b = bytes[i];
          bytes[i] = bytes[i + 1];
          bytes[i + 1] = b;
        }
      }
      return bytes;
    } catch (UnsupportedAudioFileException e) {
      throw new IllegalArgumentException(file + " cannot be decoded: " + e.getMessage());
    }
  }

  /** The file's samples scaled to {@code [-1, 1)}. */
  public static float[] readSamples(Path file) throws IOException {
    ByteBuffer pcm = ByteBuffer.wrap(readPcm16(file)).order(ByteOrder.LITTLE_ENDIAN);
    float[] samples = new float[pcm.remaining() / 2];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = pcm.getShort() / 32768f;
    }
    return samples;
  }
}
