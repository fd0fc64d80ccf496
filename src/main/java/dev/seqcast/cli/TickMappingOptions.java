package dev.seqcast.cli;

import dev.seqcast.forecast.TickMapping;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where a tick's series id, value and event time are in the records of the ticks topic, for
 * producers with their own JSON shape (docs/wire-formats.md): {@code serve} reads ticks with it,
 * {@code train --from-topic} and {@code backtest --data topic:} read history with the same rules.
 */
final class TickMappingOptions {

  @Option(
      names = "--key-field",
      paramLabel = "PATH",
      description =
          "Take the series id from this value field (dotted path into nested objects, e.g."
              + " meta.symbol) instead of the record key.")
  String keyField;

  @Option(
      names = "--value-field",
      paramLabel = "PATH",
      defaultValue = "value",
      description = "The observation's field (dotted path).")
  String valueField;

  @Option(
      names = "--time-field",
      paramLabel = "PATH",
      defaultValue = "ts",
      description =
          "The event time's field (dotted path), or @timestamp for the Kafka record timestamp.")
  String timeField;

  @Option(
      names = "--time-format",
      paramLabel = "FORMAT",
      defaultValue = "epoch-ms",
      description = "How --time-field is written: epoch-ms, epoch-s (may be decimal) or iso-8601.")
  String timeFormat;

  /** The mapping the options describe; a malformed one is a usage error naming the option. */
  TickMapping mapping(CommandLine cli) {
    TickMapping.TimeFormat format;
    try {
      format = TickMapping.TimeFormat.parse(timeFormat);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, "--time-format: " + e.getMessage());
    }
    try {
      return new TickMapping(keyField, valueField, timeField, format);
    } catch (IllegalArgumentException e) {
      String option =
          e.getMessage().startsWith("key")
              ? "--key-field"
              : e.getMessage().startsWith("value") ? "--value-field" : "--time-field";
      throw new CommandLine.ParameterException(cli, option + ": " + e.getMessage());
    }
  }
}
