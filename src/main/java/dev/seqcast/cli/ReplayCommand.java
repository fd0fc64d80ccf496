package dev.seqcast.cli;

import dev.seqcast.data.Series;
import dev.seqcast.data.SeriesCsv;
import dev.seqcast.data.SeriesReplay;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.kafka.Topics;
import dev.seqcast.stream.TickCodec;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Replays a CSV of one or more series onto {@code seqcast.ticks} as live ticks, in event-time
 * order, at a fixed pace: how a deployment without its own producers (the compose stack, a trial
 * cluster) gets data flowing through the predictor.
 */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description =
        "Send the rows of a CSV series file (e.g. data/sp500-2000.csv) to seqcast.ticks as live"
            + " ticks, in event-time order, once or looping, at a fixed rate.")
public final class ReplayCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--data",
      paramLabel = "CSV",
      required = true,
      description = "CSV file with a header row and a date column (e.g. data/sp500-2000.csv).")
  Path data;

  @Option(
      names = "--column",
      defaultValue = "close",
      description = "Value column (default: ${DEFAULT-VALUE}).")
  String column;

  @Option(
      names = "--series-column",
      description = "Column holding series ids (e.g. symbol); default: the file is one series.")
  String seriesColumn;

  @Option(
      names = "--series-id",
      paramLabel = "ID",
      description =
          "Series id (the record key) when the file is one series (default: the file name"
              + " without extension).")
  String seriesId;

  @Option(
      names = "--rate",
      defaultValue = "100",
      paramLabel = "R",
      description =
          "Ticks per second; 0 = as fast as the broker takes them (default: ${DEFAULT-VALUE}).")
  int rate;

  @Option(
      names = "--loop",
      description =
          "Keep replaying until stopped: each series runs forwards, then backwards, with event"
              + " times moving on (default: one pass, then exit).")
  boolean loop;

  /** Kafka. */
  @CommandLine.Mixin ConnectionOptions kafka;

  @Override
  public Integer call() throws Exception {
    if (rate < 0) {
      throw usage("--rate must be 0 (as fast as possible) or more, was " + rate);
    }
    List<Series> series;
    try {
      series = SeriesCsv.load(data, column, seriesColumn, seriesId);
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    KafkaConnection connection = kafka.connection(spec.commandLine());
    Map<String, Object> config = connection.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
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
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
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

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
