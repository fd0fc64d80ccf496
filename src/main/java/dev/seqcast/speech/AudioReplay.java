package dev.seqcast.speech;

import dev.seqcast.kafka.Pacer;
import dev.seqcast.streams.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Sends PCM16 audio onto {@code seqcast.frames} in chunks, as a microphone would: key = stream id,
 * header {@value AudioChunks#SAMPLE_RATE_HEADER} = 16000, optionally paced at real time. Used by
 * {@code replay --wav}, {@code demo --speech} and {@code bench speech}. Single-threaded.
 */
public final class AudioReplay {

  /** The header every chunk carries: the sample rate, 16000. */
  private static final List<Header> HEADERS =
      List.of(
          new RecordHeader(
              AudioChunks.SAMPLE_RATE_HEADER,
              Integer.toString(AudioChunks.SAMPLE_RATE).getBytes(StandardCharsets.UTF_8)));

  private AudioReplay() {}

  /**
   * One chunk of stream {@code key} as a {@code seqcast.frames} record, stamped with the current
   * time as a microphone would stamp it.
   */
  public static ProducerRecord<byte[], byte[]> chunk(byte[] key, byte[] pcm) {
    return new ProducerRecord<>(Topics.FRAMES, null, System.currentTimeMillis(), key, pcm, HEADERS);
  }

  /**
   * Sends {@code pcm} (little-endian PCM16 at 16 kHz) in chunks of {@code chunkMs} milliseconds
   * (the last one shorter) and flushes; returns the number of records sent.
   *
   * @param realtime sleep so that chunk {@code i} is sent {@code i · chunkMs} ms after the first
   */
  public static int send(
      Producer<byte[], byte[]> producer, String stream, byte[] pcm, int chunkMs, boolean realtime)
      throws InterruptedException, ExecutionException {
    int chunkBytes = 2 * AudioChunks.SAMPLE_RATE * chunkMs / 1000;
    if (chunkBytes < 2) {
      throw new IllegalArgumentException("chunks must be at least one sample long");
    }
    byte[] key = stream.getBytes(StandardCharsets.UTF_8);
    Pacer pacer = realtime ? Pacer.everyMillis(chunkMs) : Pacer.perSecond(0);
    int sent = 0;
    for (int from = 0; from < pcm.length; from += chunkBytes, sent++) {
      pacer.pace();
      byte[] chunk = Arrays.copyOfRange(pcm, from, Math.min(pcm.length, from + chunkBytes));
      producer.send(chunk(key, chunk));
    }
    producer.flush();
    return sent;
  }
}
