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
 * {@value #SAMPLE_RATE_HEADER} = the sample rate in Hz as decimal text. Only {@value #SAMPLE_RATE}
 * Hz is accepted: other rates are dead-lettered ({@code unsupported-sample-rate}) rather than
 * resampled, because a resampler inside the predictor would hide a misconfigured microphone and
 * cost more than the model; {@code replay} refuses such files with the sox command that converts
 * them. Stateless; any thread.
 */
public final class AudioChunks {

  /** Record header carrying the sample rate, e.g. {@code "16000"}. */
  public static final String SAMPLE_RATE_HEADER = "seqcast.sample-rate";

  /** The one sample rate the features are defined for. */
  public static final int SAMPLE_RATE = 16_000;

  /** Largest chunk accepted: 1 MiB, about 33 s of audio. */
  public static final int MAX_CHUNK_BYTES = 1 << 20;

  /**
   * An admitted chunk.
   *
   * @param stream stream id
   * @param samples the PCM16 samples, little-endian, as received
   */
  public record Chunk(String stream, ByteBuffer samples) {
    /** Number of samples. */
    public int size() {
      return samples.remaining() / 2;
    }

    /** Sample {@code i}, scaled to {@code [-1, 1)}. */
    public float sample(int i) {
      return samples.getShort(samples.position() + 2 * i) / 32768f;
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
    requireSampleRate(headers);
    if (value.length % 2 != 0) {
      throw new InvalidRecordException(
          DlqReason.ODD_BYTE_COUNT,
          "audio chunk of " + value.length + " bytes is not a whole number of 16-bit samples");
    }
    return new Chunk(stream, ByteBuffer.wrap(value).order(java.nio.ByteOrder.LITTLE_ENDIAN));
  }

  private static void requireSampleRate(Headers headers) throws InvalidRecordException {
    Header header = headers == null ? null : headers.lastHeader(SAMPLE_RATE_HEADER);
    if (header == null || header.value() == null) {
      throw new InvalidRecordException(
          DlqReason.MISSING_SAMPLE_RATE,
          "audio chunks need header " + SAMPLE_RATE_HEADER + " = " + SAMPLE_RATE);
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
    if (rate != SAMPLE_RATE) {
      throw new InvalidRecordException(
          DlqReason.UNSUPPORTED_SAMPLE_RATE,
          "sample rate "
              + rate
              + " Hz; only "
              + SAMPLE_RATE
              + " Hz is taken (resample first, e.g. sox in.wav -r 16000 -c 1 -b 16 out.wav)");
    }
  }
}
