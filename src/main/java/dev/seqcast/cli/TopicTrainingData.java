package dev.seqcast.cli;

import dev.seqcast.forecast.TickCodec;
import dev.seqcast.forecast.TickMapping;
import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesFromTicks;
import dev.seqcast.kafka.BoundedTopicReader;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.kafka.ReadBound;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.StateControl;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import picocli.CommandLine;

/**
 * The training set of {@code train --from-topic}: one bounded read of the ticks topic, grouped into
 * series with the predictor's own validation, with progress on standard error and an account of
 * every record on standard output.
 */
final class TopicTrainingData {

  /**
   * Series to train on and the facts about them for the bundle's header.
   *
   * @param series series with enough points, by id
   * @param facts {@code data}, {@code until}, {@code offsets}, {@code series}, {@code records},
   *     {@code skipped}
   */
  record Loaded(List<Series> series, Map<String, Object> facts) {}

  private TopicTrainingData() {}

  /**
   * Reads {@code topic} up to {@code until} and builds its series.
   *
   * @param until the {@code --until} text, or null for the end of each partition at start
   * @param seriesRegex the {@code --series} pattern, or null for every series
   * @param minimumPoints fewest points a series needs to be trained on
   * @param cli the command: the account goes to its standard output, progress to its standard
   *     error, and a mistake in the options is a usage error of it
   */
  static Loaded load(
      KafkaConnection kafka,
      String topic,
      String until,
      String seriesRegex,
      int minimumPoints,
      TickMapping mapping,
      CommandLine cli) {
    PrintWriter console = cli.getOut();
    Function<String, RuntimeException> usage =
        message -> new CommandLine.ParameterException(cli, message);
    ReadBound bound;
    try {
      bound = until == null ? new ReadBound.EndAtStart() : ReadBound.parse(until);
    } catch (IllegalArgumentException e) {
      throw usage.apply("--until: " + e.getMessage() + "; write " + ReadBound.SYNTAX);
    }
    Pattern selection;
    try {
      selection = seriesRegex == null ? null : Pattern.compile(seriesRegex);
    } catch (PatternSyntaxException e) {
      throw usage.apply(
          "--series '" + seriesRegex + "' is not a regular expression: " + e.getDescription());
    }

    SeriesFromTicks collector =
        new SeriesFromTicks(TickCodec.DEFAULT_MAX_BYTES, mapping, selection);
    String offsets;
    try (BoundedTopicReader reader = open(kafka, topic, bound, usage)) {
      offsets = ReadBound.spec(reader.ends());
      console.printf(
          "reading %s up to end offsets %s%s%n",
          topic, offsets, until == null ? " (its end now)" : " (--until " + until + ")");
      Progress progress = new Progress(cli.getErr(), "reading " + topic);
      reader.read(
          record -> {
            // An operator's control record (series reset|delete) is no tick to learn from.
            if (!StateControl.isControl(record.headers())) {
              collector.accept(record.key(), record.value(), record.timestamp());
            }
          },
          (done, total, records) ->
              progress.update(done, total, String.format("offsets, %,d records", records)));
    }
    SeriesFromTicks.Result result = collector.finish(minimumPoints);
    report(result, selection != null, console);
    if (result.series().isEmpty()) {
      throw usage.apply(
          "no series read from "
              + topic
              + " up to end offsets "
              + offsets
              + " has the "
              + minimumPoints
              + " points training needs; check --from-topic, --until and --series");
    }

    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("data", "topic:" + topic);
    if (until != null) {
      facts.put("until", describe(bound));
    }
    facts.put("offsets", offsets);
    if (seriesRegex != null) {
      facts.put("series", seriesRegex);
    }
    facts.put("records", result.records());
    if (!result.skipped().isEmpty()) {
      Map<String, Long> skipped = new LinkedHashMap<>();
      result.skipped().forEach((reason, count) -> skipped.put(reason.code(), count));
      facts.put("skipped", skipped);
    }
    return new Loaded(result.series(), facts);
  }

  private static BoundedTopicReader open(
      KafkaConnection kafka,
      String topic,
      ReadBound bound,
      Function<String, RuntimeException> usage) {
    try {
      return BoundedTopicReader.open(kafka, topic, bound);
    } catch (IllegalArgumentException e) {
      throw usage.apply(
          "--from-topic "
              + topic
              + ": "
              + e.getMessage()
              + " (check --bootstrap-servers, --until)");
    }
  }

  private static String describe(ReadBound bound) {
    if (bound instanceof ReadBound.BeforeTime time) {
      return Instant.ofEpochMilli(time.epochMs()).toString();
    }
    if (bound instanceof ReadBound.AtOffsets at) {
      return ReadBound.spec(at.offsets());
    }
    return "end";
  }

  private static void report(SeriesFromTicks.Result result, boolean selected, PrintWriter console) {
    console.printf("  %-28s %,d%n", "records read", result.records());
    console.printf("  %-28s %,d%n", "accepted", result.accepted());
    if (selected) {
      console.printf("  %-28s %,d%n", "not selected by --series", result.notSelected());
    }
    for (Map.Entry<DlqReason, Long> e : result.skipped().entrySet()) {
      console.printf("  %-28s %,d%n", "skipped, " + e.getKey().code(), e.getValue());
    }
    console.printf("  %-28s %,d (%,d points)%n", "series", result.series().size(), result.points());
    if (!result.tooShort().isEmpty()) {
      StringJoiner names = new StringJoiner(", ");
      result.tooShort().forEach((id, points) -> names.add(id + " (" + points + ")"));
      console.printf("  %-28s %s%n", "too short (< " + result.minimumPoints() + " points)", names);
    }
    console.flush();
  }
}
