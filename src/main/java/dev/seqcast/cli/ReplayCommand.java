package dev.seqcast.cli;

import dev.seqcast.forecast.TickCodec;
import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesReplay;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.speech.AudioReplay;
import dev.seqcast.streams.Topics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replays recorded input as live input: a CSV of series onto {@code seqcast.ticks} in event-time
 * order at a fixed pace (how a deployment without its own producers gets data flowing), or a WAV
 * recording onto {@code seqcast.frames} in chunks, as a microphone would send it.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
      "Send recorded input to Kafka as live input; give exactly one of --data or --wav.",
      "--data: the rows of a CSV series file (e.g. data/sp500-2000.csv) to seqcast.ticks as live"
          + " ticks, in event-time order, once or looping, at a fixed rate.",
      "--wav: a WAV file (16 kHz, mono, 16-bit PCM) to seqcast.frames in chunks under one stream"
          + " id, at once or at real-time pace."
    })
public final class ReplayCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "CSV",
      description = "CSV file with a header row and a date column (e.g. data/sp500-2000.csv).")
  Path data;

  @Option(names = "--column", defaultValue = "close", description = "--data: value column.")
  String column;

  @Option(
      names = "--series-column",
      description = "--data: column holding series ids (e.g. symbol); default: one series.")
  String seriesColumn;

  @Option(
      names = "--series-id",
      paramLabel = "ID",
      description =
          "--data: series id (the record key) when the file is one series (default: the file"
              + " name without extension).")
  String seriesId;

  @Option(
      names = "--rate",
      defaultValue = "100",
      paramLabel = "R",
      description = "--data: ticks per second; 0 = as fast as the broker takes them.")
  int rate;

  @Option(
      names = "--loop",
      description =
          "Keep replaying until stopped. --data: each series runs forwards, then backwards, with"
              + " event times moving on; --wav (with --realtime): the recording again and again on"
              + " the same stream, like a microphone left on (default: one pass, then exit).")
  boolean loop;

  @Option(
      names = "--wav",
      paramLabel = "FILE",
      description =
          "The recording: WAV, 16 kHz, mono, signed 16-bit PCM (e.g. data/speech/test/*.wav).")
  Path wav;

  @Option(
      names = "--stream",
      defaultValue = "mic-1",
      description = "--wav: stream id, the record key.")
  String stream;

  @Option(
      names = "--realtime",
      description =
          "--wav: pace the chunks at real time (default: as fast as the broker takes them).")
  boolean realtime;

  @Option(
      names = "--chunk-ms",
      defaultValue = "20",
      description = "--wav: milliseconds of audio per record, 1 to 10000.")
  int chunkMs;

  /** Kafka. */
  @CommandLine.Mixin ConnectionOptions kafka;

  @Override
  public Integer call() throws Exception {
    if ((data == null) == (wav == null)) {
      throw usage(
          "give exactly one of --data CSV (ticks) or --wav FILE (audio), e.g. replay --data"
              + " data/sp500-2000.csv");
    }
    return wav != null ? replayAudio() : replayTicks();
  }

  private int replayTicks() throws Exception {
    if (rate < 0) {
      throw usage("--rate must be 0 (as fast as possible) or more, was " + rate);
    }
    List<Series> series =
        InputFiles.seriesWithoutGaps(
            spec.commandLine(),
            data,
            column,
            seriesColumn,
            seriesId,
            "--data, --column and --series-column");
    KafkaConnection connection = kafka.connection(spec.commandLine());
    PrintWriter console = spec.commandLine().getOut();
    console.printf(
        "replaying %d series from %s to %s on %s%s%n",
        series.size(),
        data,
        Topics.TICKS,
        connection.bootstrapServers(),
        loop ? " until stopped" : "");
    console.flush();
    long sent = 0;
    long started = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = connection.replayProducer()) {
      SeriesReplay ticks = new SeriesReplay(series, loop);
      while (ticks.hasNext() && !Thread.currentThread().isInterrupted()) {
        SeriesReplay.Tick tick = ticks.next();
        producer.send(
            new ProducerRecord<>(
                Topics.TICKS,
                tick.series().getBytes(StandardCharsets.UTF_8),
                TickCodec.encodeValue(tick.ts(), tick.value())));
        sent++;
        if (rate > 0) {
          LockSupport.parkNanos(started + sent * 1_000_000_000L / rate - System.nanoTime());
        }
      }
      producer.flush();
    }
    console.printf("replayed %,d ticks%n", sent);
    console.flush();
    return 0;
  }

  private int replayAudio() throws Exception {
    if (chunkMs < 1 || chunkMs > 10_000) {
      throw usage("--chunk-ms must be between 1 and 10000, was " + chunkMs);
    }
    if (stream.isBlank()) {
      throw usage("--stream must name the stream (e.g. mic-1)");
    }
    if (loop && !realtime) {
      throw usage("--loop with --wav needs --realtime: an unpaced loop would flood the topic");
    }
    byte[] pcm = InputFiles.wav(spec.commandLine(), "--wav", wav);
    KafkaConnection connection = kafka.connection(spec.commandLine());
    PrintWriter console = spec.commandLine().getOut();
    if (loop) {
      console.printf(
          "replaying %s as stream %s to %s until stopped%n",
          wav, stream, connection.bootstrapServers());
      console.flush();
    }
    int records = 0;
    int passes = 0;
    try (KafkaProducer<byte[], byte[]> producer = connection.replayProducer()) {
      do {
        records += AudioReplay.send(producer, stream, pcm, chunkMs, realtime);
        passes++;
      } while (loop && !Thread.currentThread().isInterrupted());
    }
    long samples = (long) passes * pcm.length / 2;
    console.printf(
        "replayed %s as stream %s: %,d samples (%.2f s, %,d frames of 10 ms) in %,d records to %s%n",
        wav,
        stream,
        samples,
        samples / 16_000.0,
        samples / 160,
        records,
        connection.bootstrapServers());
    console.flush();
    return 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
