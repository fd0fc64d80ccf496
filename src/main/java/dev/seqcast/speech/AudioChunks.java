package dev.seqcast.speech;

import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;
import dev.seqcast.streams.RecordKeys;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The wire format of {@code seqcast.frames} and the one place it is checked: key = stream id
 * (UTF-8), value = little-endian signed 16-bit mono samples, any whole number of them, header
 * {@value #SAMPLE_RATE_HEADER} = the sample rate in Hz as decimal text. The rates of {@link
 * Resampler#RATES} are accepted (the tagger converts all but {@value #SAMPLE_RATE} Hz to it); any
 * other rate is dead-lettered ({@code unsupported-sample-rate}). Stateless; any thread.
 */
public final class AudioChunks {

  /** Record header carrying the sample rate, e.g. {@code "16000"}. */
  public static final String SAMPLE_RATE_HEADER = "seqcast.sample-rate";

  /** The sample rate the features and models are defined for; other rates are resampled to it. */
  public static final int SAMPLE_RATE = 16_000;

  /** Largest chunk accepted: 1 MiB, about 33 s of audio. */
  public static final int MAX_CHUNK_BYTES = 1 << 20;

  /**
   * An admitted chunk.
   *
   * @param stream stream id
   * @param sampleRate the chunk's sample rate, Hz, one of {@link Resampler#RATES}
   * @param samples the PCM16 samples, little-endian, as received
   */
  public record Chunk(String stream, int sampleRate, ByteBuffer samples) {
    /** Number of samples. */
    public int size() {
      return samples.remaining() / 2;
    }

    /** Sample {@code i} as received. */
    public short pcm(int i) {
      return samples.getShort(samples.position() + 2 * i);
    }

    /** Sample {@code i}, scaled to {@code [-1, 1)}. */
    public float sample(int i) {
      return pcm(i) / 32768f;
    }
  }

  private AudioChunks() {}

  /** Checks key, headers and value; a bad record's reason is what the dead letter carries. */
  public static Chunk admit(byte[] key, byte[] value, Headers headers)
      throws InvalidRecordException {
    String stream = RecordKeys.decode(key, "audio chunk key (stream id)");
    if (value == null || value.length == 0) {
      throw new InvalidRecordException(
          DlqReason.MISSING_VALUE, value == null ? "null audio chunk" : "empty audio chunk");
    }
    if (value.length > MAX_CHUNK_BYTES) {
      throw new InvalidRecordException(
          DlqReason.OVERSIZED,
          "audio chunk of " + value.length + " bytes exceeds " + MAX_CHUNK_BYTES);
    }
    int rate = sampleRate(headers);
    if (value.length % 2 != 0) {
      throw new InvalidRecordException(
          DlqReason.ODD_BYTE_COUNT,
          "audio chunk of " + value.length + " bytes is not a whole number of 16-bit samples");
    }
    return new Chunk(stream, rate, ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN));
  }

  private static int sampleRate(Headers headers) throws InvalidRecordException {
    Header header = headers == null ? null : headers.lastHeader(SAMPLE_RATE_HEADER);
    if (header == null || header.value() == null) {
      throw new InvalidRecordException(
          DlqReason.MISSING_SAMPLE_RATE,
          "audio chunks need header " + SAMPLE_RATE_HEADER + ", one of " + Resampler.RATES);
    }
    String text = new String(header.value(), StandardCharsets.UTF_8).trim();
    int rate;
    try {
      rate = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new InvalidRecordException(
          DlqReason.MISSING_SAMPLE_RATE,
          SAMPLE_RATE_HEADER + " is '" + text + "', not a whole number of Hz");
    }
    if (!Resampler.accepts(rate)) {
      throw new InvalidRecordException(
          DlqReason.UNSUPPORTED_SAMPLE_RATE,
          "sample rate "
              + rate
              + " Hz; the rates taken are "
              + Resampler.RATES
              + " Hz (resample first, e.g. sox in.wav -r 16000 -c 1 -b 16 out.wav)");
    }
    return rate;
  }
}
