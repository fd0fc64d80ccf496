package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.streams.TopicNames;
import dev.seqcast.testkit.CliRun;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Topic names from --*-topic options and SEQCAST_*_TOPIC variables, checked at the edge. */
class TopicOptionsTest {

  private static TopicNames serveTopics(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(env);
    String[] all = new String[args.length + 1];
    all[0] = "serve";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine.ParseResult parsed = cli.parseArgs(all);
    ServeCommand serve = (ServeCommand) parsed.subcommand().commandSpec().userObject();
    return serve.topics.names(serve.spec.commandLine());
  }

  @Test
  void withoutOptionsTheNamesAreTheDefaults() {
    assertEquals(TopicNames.defaults(), serveTopics(Map.of()));
  }

  @Test
  void everyNameComesFromItsOptionOrItsVariableAndTheOptionWins() {
    Map<String, String> env =
        Map.of(
            "SEQCAST_TICKS_TOPIC", "prices",
            "SEQCAST_PREDICTIONS_TOPIC", "forecasts",
            "SEQCAST_ANOMALIES_TOPIC", "outliers",
            "SEQCAST_DLQ_TOPIC", "rejects",
            "SEQCAST_MODELS_TOPIC", "ml.models",
            "SEQCAST_MODEL_EVENTS_TOPIC", "ml.model-events",
            "SEQCAST_FRAMES_TOPIC", "mic.audio",
            "SEQCAST_TAGS_TOPIC", "mic.tags");
    assertEquals(
        new TopicNames(
            "prices",
            "forecasts",
            "outliers",
            "rejects",
            "ml.models",
            "ml.model-events",
            "mic.audio",
            "mic.tags"),
        serveTopics(env));
    TopicNames flagged = serveTopics(env, "--ticks-topic", "quotes", "--models-topic", "bundles");
    assertEquals("quotes", flagged.ticks());
    assertEquals("bundles", flagged.models());
    assertEquals("forecasts", flagged.predictions());
  }

  @Test
  void aBadNameExitsTwoNamingTheOptionAndTheRule() {
    CliRun run = CliRun.of("serve", "--predictions-topic", "fore casts").flattened();
    assertEquals(2, run.exit(), run.all());
    assertTrue(
        run.err().contains("--predictions-topic: 'fore casts' is not a valid topic name"),
        run.err());
    assertTrue(run.err().contains("Kafka allows only ASCII letters, digits"), run.err());
  }

  @Test
  void aBadNameFromAVariableIsRefusedTheSameWay() {
    CliRun run =
        CliRun.withEnvironment(Map.of("SEQCAST_MODELS_TOPIC", ".."), "model", "list").flattened();
    assertEquals(2, run.exit(), run.all());
    assertTrue(run.err().contains("--models-topic: '..' is not a valid topic name"), run.err());
  }

  @Test
  void twoOptionsNamingOneTopicExitTwoNamingBoth() {
    CliRun run = CliRun.of("demo", "--ticks-topic", "prices", "--dlq-topic", "prices").flattened();
    assertEquals(2, run.exit(), run.all());
    assertTrue(
        run.err().contains("--ticks-topic (prices) and --dlq-topic (prices) name the same topic"),
        run.err());
  }

  @Test
  void everyCommandThatNamesATopicRefusesABadOne() {
    CliRun replay =
        CliRun.of("replay", "--data", "data/sp500-2000.csv", "--ticks-topic", "a/b").flattened();
    assertEquals(2, replay.exit(), replay.all());
    assertTrue(replay.err().contains("--ticks-topic: 'a/b'"), replay.err());

    CliRun publish =
        CliRun.of("model", "publish", "--bundle", "x.bundle", "--models-topic", "").flattened();
    assertEquals(2, publish.exit(), publish.all());
    assertTrue(publish.err().contains("--models-topic: a topic name must not be empty"));

    CliRun broker = CliRun.of("broker", "--port", "0", "--tags-topic", "tags?").flattened();
    assertEquals(2, broker.exit(), broker.all());
    assertTrue(broker.err().contains("--tags-topic: 'tags?'"), broker.err());

    CliRun train = CliRun.of("train", "--from-topic", "my ticks").flattened();
    assertEquals(2, train.exit(), train.all());
    assertTrue(train.err().contains("--from-topic: 'my ticks'"), train.err());

    CliRun backtest = CliRun.of("backtest", "--data", "topic:my ticks").flattened();
    assertEquals(2, backtest.exit(), backtest.all());
    assertTrue(backtest.err().contains("--data topic:NAME: 'my ticks'"), backtest.err());

    CliRun ingest =
        CliRun.of(
                "ingest-prometheus",
                "--url",
                "http://localhost:1",
                "--query",
                "up",
                "--topic",
                "a b")
            .flattened();
    assertEquals(2, ingest.exit(), ingest.all());
    assertTrue(ingest.err().contains("--ticks-topic: 'a b'"), ingest.err());
  }

  @Test
  void ingestPrometheusTakesTheTicksTopicUnderBothNamesAndItsVariable() {
    for (String[] args :
        new String[][] {
          {"--ticks-topic", "prices"}, {"--topic", "prices"},
        }) {
      CommandLine cli = Main.commandLine(Map.of());
      CommandLine.ParseResult parsed =
          cli.parseArgs(
              "ingest-prometheus", "--url", "http://p:9090", "--query", "up", args[0], args[1]);
      IngestPrometheusCommand ingest =
          (IngestPrometheusCommand) parsed.subcommand().commandSpec().userObject();
      assertEquals("prices", ingest.topic, args[0]);
    }
    CommandLine.ParseResult fromEnv =
        Main.commandLine(Map.of("SEQCAST_TICKS_TOPIC", "quotes"))
            .parseArgs("ingest-prometheus", "--url", "http://p:9090", "--query", "up");
    assertEquals(
        "quotes",
        ((IngestPrometheusCommand) fromEnv.subcommand().commandSpec().userObject()).topic);
  }
}
