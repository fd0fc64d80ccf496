package dev.seqcast.cli;

import dev.seqcast.forecast.TickCodec;
import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesReplay;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.kafka.Pacer;
import dev.seqcast.speech.AudioReplay;
import dev.seqcast.speech.WavFile;
import dev.seqcast.streams.TopicNames;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
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
      "--data: the rows of a CSV series file (e.g. data/sp500-2000.csv) to the ticks topic as live"
          + " ticks, in event-time order, once or looping, at a fixed rate.",
      "--wav: a WAV file (16-bit PCM, mono or stereo, 8 to 48 kHz) to the frames topic in chunks"
          + " at its own rate under one stream id, at once or at real-time pace."
    })
public final class ReplayCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /**
   * What is replayed: ticks from a CSV file or audio from a WAV file, exactly one. Picocli refuses
   * both on the command line; a value from the environment fills the group when neither is given.
   */
  static final class Source {
    @Option(
        names = "--data",
        paramLabel = "CSV",
        description = "CSV file with a header row and a date column (e.g. data/sp500-2000.csv).")
    Path data;

    @Option(
        names = "--wav",
        paramLabel = "FILE",
        description =
            "The recording: WAV, signed 16-bit PCM, mono or stereo (averaged to mono), at 8000,"
                + " 11025, 16000, 22050, 24000, 32000, 44100 or 48000 Hz (e.g."
                + " data/speech/test/*.wav); the tagger resamples to 16 kHz.")
    Path wav;

    /** A source given on the command line beats the other one's environment variable. */
    void settle(CommandLine.ParseResult given) {
      if (given.hasMatchedOption("--wav")) {
        data = null;
      }
      if (given.hasMatchedOption("--data")) {
        wav = null;
      }
    }
  }

  @CommandLine.ArgGroup(exclusive = true)
  Source source = new Source();

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

  @CommandLine.Mixin TopicOptions topics;

  /** Set by {@link #call}: the topic names the options give. */
  private TopicNames names;

  @Override
  public Integer call() throws Exception {
    source.settle(spec.commandLine().getParseResult());
    names = topics.names(spec.commandLine());
    if ((source.data == null) == (source.wav == null)) {
      throw usage(
          "give exactly one of --data CSV (ticks) or --wav FILE (audio), e.g. replay --data"
              + " data/sp500-2000.csv");
    }
    return source.wav != null ? replayAudio() : replayTicks();
  }

  private int replayTicks() throws Exception {
    if (rate < 0) {
      throw usage("--rate must be 0 (as fast as possible) or more, was " + rate);
    }
    List<Series> series =
        InputFiles.seriesWithoutGaps(
            spec.commandLine(),
            source.data,
            column,
            seriesColumn,
            seriesId,
            "--data, --column and --series-column");
    KafkaConnection connection = kafka.connection(spec.commandLine());
    PrintWriter console = spec.commandLine().getOut();
    console.printf(
        "replaying %d series from %s to %s on %s%s%n",
        series.size(),
        source.data,
        names.ticks(),
        connection.bootstrapServers(),
        loop ? " until stopped" : "");
    console.flush();
    long sent = 0;
    Pacer pacer = Pacer.perSecond(rate);
    try (KafkaProducer<byte[], byte[]> producer = connection.replayProducer()) {
      SeriesReplay ticks = new SeriesReplay(series, loop);
      while (ticks.hasNext() && !Thread.currentThread().isInterrupted()) {
        SeriesReplay.Tick tick = ticks.next();
        pacer.pace();
        producer.send(
            new ProducerRecord<>(
                names.ticks(),
                tick.series().getBytes(StandardCharsets.UTF_8),
                TickCodec.encodeValue(tick.ts(), tick.value())));
        sent++;
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
    WavFile.Audio audio = InputFiles.wav(spec.commandLine(), "--wav", source.wav);
    KafkaConnection connection = kafka.connection(spec.commandLine());
    PrintWriter console = spec.commandLine().getOut();
    if (loop) {
      console.printf(
          "replaying %s as stream %s to %s until stopped%n",
          source.wav, stream, connection.bootstrapServers());
      console.flush();
    }
    int records = 0;
    int passes = 0;
    try (KafkaProducer<byte[], byte[]> producer = connection.replayProducer()) {
      do {
        records += AudioReplay.send(producer, names.frames(), stream, audio, chunkMs, realtime);
        passes++;
      } while (loop && !Thread.currentThread().isInterrupted());
    }
    long samples = (long) passes * audio.samples();
    console.printf(
        "replayed %s as stream %s: %,d samples at %,d Hz (%.2f s, about %,d frames of 10 ms) in"
            + " %,d records to %s%n",
        source.wav,
        stream,
        samples,
        audio.sampleRate(),
        passes * audio.seconds(),
        Math.round(passes * audio.seconds() * 100),
        records,
        connection.bootstrapServers());
    console.flush();
    return 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
