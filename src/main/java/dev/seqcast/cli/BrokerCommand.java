package dev.seqcast.cli;

import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.streams.TopicNames;
import dev.seqcast.streams.Topics;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a standalone single-node KRaft broker until Ctrl-C. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description =
        "Start a real single-node Kafka broker (KRaft, broker + controller) on localhost and run"
            + " it until Ctrl-C; creates the seqcast topics (under the --*-topic names).")
public final class BrokerCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", defaultValue = "9092", description = "Client port; 0 picks a free one.")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Log directory, kept between runs (default: a temporary directory deleted on exit).")
  Path dataDir;

  @Option(
      names = "--partitions",
      defaultValue = "" + Topics.DEFAULT_PARTITIONS,
      description = "Partitions of the seqcast data topics.")
  int partitions;

  @Option(names = "--no-create-topics", description = "Do not create the seqcast topics.")
  boolean noCreateTopics;

  @CommandLine.Mixin TopicOptions topics;

  @Override
  public Integer call() throws Exception {
    if (partitions < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--partitions must be at least 1, was " + partitions);
    }
    TopicNames names = topics.names(spec.commandLine());
    try (StopSignal stop = StopSignal.install("broker");
        EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, dataDir)) {
      if (!noCreateTopics) {
        Topics.createAll(broker.connection(), names, partitions, (short) 1);
      }
      spec.commandLine()
          .getOut()
          .printf(
              "seqcast broker ready: bootstrap.servers=%s (data dir %s); Ctrl-C to stop%n",
              broker.bootstrapServers(), broker.dataDir());
      spec.commandLine().getOut().flush();
      stop.await();
    }
    return 0;
  }
}
