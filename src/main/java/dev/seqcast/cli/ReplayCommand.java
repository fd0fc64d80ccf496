package dev.seqcast.cli;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.speech.AudioReplay;
import dev.seqcast.speech.WavFile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Replays a recording onto {@code seqcast.frames}, chunked as a microphone would send it. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Send a WAV file (16 kHz, mono, 16-bit PCM) to seqcast.frames in chunks under one stream"
            + " id, at once or at real-time pace.")
public final class ReplayCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--wav",
      paramLabel = "FILE",
      required = true,
      description =
          "The recording: WAV, 16 kHz, mono, signed 16-bit PCM (e.g. data/speech/test/*.wav).")
  Path wav;

  @Option(
      names = "--stream",
      defaultValue = "mic-1",
      description = "Stream id, the record key (default: ${DEFAULT-VALUE}).")
  String stream;

  @Option(
      names = "--realtime",
      description = "Pace the chunks at real time (default: as fast as the broker takes them).")
  boolean realtime;

  @Option(
      names = "--chunk-ms",
      defaultValue = "20",
      description = "Milliseconds of audio per record, 1 to 10000 (default: ${DEFAULT-VALUE}).")
  int chunkMs;

  /** Kafka. */
  @CommandLine.Mixin ConnectionOptions kafka;

  @Override
  public Integer call() throws Exception {
    if (chunkMs < 1 || chunkMs > 10_000) {
      throw usage("--chunk-ms must be between 1 and 10000, was " + chunkMs);
    }
    if (stream.isBlank()) {
      throw usage("--stream must name the stream (e.g. mic-1)");
    }
    if (!Files.isRegularFile(wav)) {
      throw usage("--wav '" + wav + "' is not a readable file");
    }
    byte[] pcm;
    try {
      pcm = WavFile.readPcm16(wav);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    KafkaConnection connection = kafka.connection(spec.commandLine());
    int records;
    try (KafkaProducer<byte[], byte[]> producer = connection.replayProducer()) {
      records = AudioReplay.send(producer, stream, pcm, chunkMs, realtime);
    }
    PrintWriter console = spec.commandLine().getOut();
    console.printf(
        "replayed %s as stream %s: %,d samples (%.2f s, %,d frames of 10 ms) in %,d records to %s%n",
        wav,
        stream,
        pcm.length / 2,
        pcm.length / 2 / 16_000.0,
        pcm.length / 2 / 160,
        records,
        connection.bootstrapServers());
    console.flush();
    return 0;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
