package dev.seqcast.speech;

import dev.seqcast.kafka.Pacer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Sends PCM16 audio onto the frames topic in chunks, as a microphone would: key = stream id, header
 * {@value AudioChunks#SAMPLE_RATE_HEADER} = the recording's own rate (the tagger resamples),
 * optionally paced at real time. Used by {@code replay --wav}, {@code demo --speech} and {@code
 * bench speech}. Single-threaded.
 */
public final class AudioReplay {

  private AudioReplay() {}

  /**
   * One chunk of stream {@code key} at {@code sampleRate} Hz as a record of the frames topic {@code
   * topic}, stamped with the current time as a microphone would stamp it.
   */
  public static ProducerRecord<byte[], byte[]> chunk(
      String topic, byte[] key, byte[] pcm, int sampleRate) {
    List<Header> headers =
        List.of(
            new RecordHeader(
                AudioChunks.SAMPLE_RATE_HEADER,
                Integer.toString(sampleRate).getBytes(StandardCharsets.UTF_8)));
    return new ProducerRecord<>(topic, null, System.currentTimeMillis(), key, pcm, headers);
  }

  /**
   * Sends {@code audio} to the frames topic {@code topic} in chunks of {@code chunkMs} milliseconds
   * (whole samples, rounded down; the last one shorter) and flushes; returns the number of records
   * sent.
   *
   * @param realtime wait so that each chunk is sent when the audio before it would have been played
   */
  public static int send(
      Producer<byte[], byte[]> producer,
      String topic,
      String stream,
      WavFile.Audio audio,
      int chunkMs,
      boolean realtime)
      throws InterruptedException, ExecutionException {
    int rate = audio.sampleRate();
    int chunkBytes = 2 * (int) ((long) rate * chunkMs / 1000);
    if (chunkBytes < 2) {
      throw new IllegalArgumentException("chunks must be at least one sample long");
    }
    byte[] pcm = audio.pcm();
    byte[] key = stream.getBytes(StandardCharsets.UTF_8);
    // Paced by whole chunks of samples, so chunks of a fractional number of ms do not drift.
    Pacer pacer = Pacer.perSecond(realtime ? (double) rate / (chunkBytes / 2) : 0);
    int sent = 0;
    for (int from = 0; from < pcm.length; from += chunkBytes, sent++) {
      pacer.pace();
      byte[] chunk = Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + chunkBytes));
      producer.send(chunk(topic, key, chunk, rate));
    }
    producer.flush();
    return sent;
  }
}
