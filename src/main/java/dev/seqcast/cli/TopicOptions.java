package dev.seqcast.cli;

import dev.seqcast.streams.TopicNames;
import dev.seqcast.streams.Topics;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The names of the seqcast topics, for clusters whose topics already have names of their own: every
 * command that reads or writes a topic takes them, and each uses those it touches. Like every
 * option, each can also come from its variable ({@code --ticks-topic} from {@code
 * SEQCAST_TICKS_TOPIC}, …); the defaults are today's names ({@link TopicNames#defaults()}).
 */
final class TopicOptions {

  @Option(
      names = "--ticks-topic",
      paramLabel = "NAME",
      defaultValue = Topics.TICKS,
      description = "Topic of the ticks.")
  String ticks;

  @Option(
      names = "--predictions-topic",
      paramLabel = "NAME",
      defaultValue = Topics.PREDICTIONS,
      description = "Topic the forecasts are written to, key = series id.")
  String predictions;

  @Option(
      names = "--anomalies-topic",
      paramLabel = "NAME",
      defaultValue = Topics.ANOMALIES,
      description = "Topic the anomalies go to, key = series id, one record each.")
  String anomalies;

  @Option(
      names = "--dlq-topic",
      paramLabel = "NAME",
      defaultValue = Topics.DLQ,
      description = "Dead-letter topic of both pipelines.")
  String dlq;

  @Option(
      names = "--models-topic",
      paramLabel = "NAME",
      defaultValue = Topics.MODELS,
      description = "Compacted topic of the model bundles and control records.")
  String models;

  @Option(
      names = "--model-events-topic",
      paramLabel = "NAME",
      defaultValue = Topics.MODEL_EVENTS,
      description =
          "Topic every instance writes its model events to: refusals, changes of the live"
              + " and shadow model, scorecards.")
  String modelEvents;

  @Option(
      names = "--frames-topic",
      paramLabel = "NAME",
      defaultValue = Topics.FRAMES,
      description = "Topic of the audio the speech tagger reads, in PCM16 chunks.")
  String frames;

  @Option(
      names = "--tags-topic",
      paramLabel = "NAME",
      defaultValue = Topics.TAGS,
      description = "Topic the speech tags go to.")
  String tags;

  /**
   * The names the options give; a name that breaks a Kafka topic name rule, or two options naming
   * the same topic, is a usage error naming the option.
   */
  TopicNames names(CommandLine cli) {
    Map<String, String> byOption = new LinkedHashMap<>();
    byOption.put("--ticks-topic", ticks);
    byOption.put("--predictions-topic", predictions);
    byOption.put("--anomalies-topic", anomalies);
    byOption.put("--dlq-topic", dlq);
    byOption.put("--models-topic", models);
    byOption.put("--model-events-topic", modelEvents);
    byOption.put("--frames-topic", frames);
    byOption.put("--tags-topic", tags);
    byOption.forEach((option, name) -> requireValid(cli, option, name));
    String[] clash = TopicNames.clash(byOption);
    if (clash != null) {
      throw new CommandLine.ParameterException(
          cli,
          clash[0]
              + " ("
              + byOption.get(clash[0])
              + ") and "
              + clash[1]
              + " ("
              + byOption.get(clash[1])
              + ") name the same topic; each topic needs a name of its own");
    }
    return new TopicNames(ticks, predictions, anomalies, dlq, models, modelEvents, frames, tags);
  }

  /** Checks one topic name given by {@code option}; a bad one is a usage error naming it. */
  static void requireValid(CommandLine cli, String option, String name) {
    String problem = TopicNames.problem(name);
    if (problem != null) {
      throw new CommandLine.ParameterException(cli, option + ": " + problem);
    }
  }
}
