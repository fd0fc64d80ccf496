package dev.seqcast.bench;

import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Option;

/** The Kafka settings of the benchmarks that put live load on an exactly-once app. */
public final class LiveLoadOptions {

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description = "Partitions of the input topic.")
  int partitions;

  @Option(
      names = "--guarantee",
      defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
      description = "Processing guarantee: exactly_once_v2 or at_least_once.")
  String guarantee;

  @Option(
      names = "--commit-interval-ms",
      defaultValue = "100",
      description = "Kafka Streams commit interval.")
  long commitIntervalMs;

  /** Records these settings and the machine's core count in a benchmark's parameters. */
  void describe(Map<String, Object> params) {
    params.put("partitions", partitions);
    params.put("guarantee", guarantee);
    params.put("commitIntervalMs", commitIntervalMs);
    params.put("cores", Runtime.getRuntime().availableProcessors());
  }
}
