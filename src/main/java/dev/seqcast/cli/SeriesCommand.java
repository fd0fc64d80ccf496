package dev.seqcast.cli;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.streams.InvalidRecordException;
import dev.seqcast.streams.RecordKeys;
import dev.seqcast.streams.StateControl;
import dev.seqcast.streams.TopicNames;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operator's hand on one series' state: {@code reset} and {@code delete} each send a control
 * record ({@link StateControl}) on the input topic, keyed by the series id, so it reaches the one
 * instance that owns the series, in order with its ticks.
 */
@Command(
    name = "series",
    mixinStandardHelpOptions = true,
    description =
        "Act on the state of running series: reset (start afresh at the next tick) or delete"
            + " (remove the state now). Each sends a control record on seqcast.ticks (seqcast.frames"
            + " with --speech), keyed by the id, which the instance owning it applies.",
    subcommands = {SeriesCommand.Reset.class, SeriesCommand.Delete.class})
public final class SeriesCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing series command: choose one of " + spec.subcommands().keySet());
  }

  /** What both commands share: the ids, the topic, the connection. */
  abstract static class Base implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ConnectionOptions kafka;

    @Parameters(
        arity = "1..*",
        paramLabel = "ID",
        description = "Series ids (the tick record keys), or stream ids with --speech.")
    List<String> ids = new ArrayList<>();

    @Option(
        names = "--speech",
        description = "The ids are audio streams of the speech tagger (on the frames topic).")
    boolean speech;

    @CommandLine.Mixin TopicOptions topics;

    /** The action this command sends. */
    abstract StateControl action();

    /** What the owning instance will do, for the confirmation line. */
    abstract String effect();

    @Override
    public final Integer call() throws Exception {
      for (String id : ids) {
        try {
          RecordKeys.requireValidId(id, "id '" + id + "'");
        } catch (InvalidRecordException e) {
          throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
      }
      KafkaConnection connection = kafka.connection(spec.commandLine());
      TopicNames names = topics.names(spec.commandLine());
      String topic = speech ? names.frames() : names.ticks();
      PrintWriter out = spec.commandLine().getOut();
      try (KafkaProducer<byte[], byte[]> producer = producer(connection)) {
        for (String id : ids) {
          RecordHeaders headers = new RecordHeaders();
          headers.add(StateControl.HEADER, action().header());
          RecordMetadata sent =
              producer
                  .send(
                      new ProducerRecord<>(
                          topic, null, id.getBytes(StandardCharsets.UTF_8), null, headers))
                  .get();
          out.printf(
              "%s: %s sent to %s-%d at offset %d; %s%n",
              id, action().code(), topic, sent.partition(), sent.offset(), effect());
        }
      }
      out.flush();
      return 0;
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaConnection kafka) {
      Map<String, Object> config = kafka.clientConfig();
      config.put(ProducerConfig.ACKS_CONFIG, "all");
      config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
    }
  }

  /** {@code series reset}: the next tick starts the series afresh. */
  @Command(
      name = "reset",
      mixinStandardHelpOptions = true,
      description =
          "Start each series afresh at its next tick, as if never seen (its first prediction"
              + " says \"fresh\":\"reset\"); until then its state holds nothing but its last event"
              + " time, so --series-ttl still applies.")
  static final class Reset extends Base {
    @Override
    StateControl action() {
      return StateControl.RESET;
    }

    @Override
    String effect() {
      return "its next tick starts it afresh";
    }
  }

  /** {@code series delete}: the state is removed at once. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description =
          "Remove each series' state now (a tombstone in the changelog, so compaction frees it);"
              + " a later tick starts it as a new series (\"fresh\":\"new\").")
  static final class Delete extends Base {
    @Override
    StateControl action() {
      return StateControl.DELETE;
    }

    @Override
    String effect() {
      return "its state is removed";
    }
  }
}
