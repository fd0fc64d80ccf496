package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.testkit.CliRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** Options from SEQCAST_* variables and Kafka client settings from a file and SEQCAST_KAFKA_*. */
class EnvironmentConfigTest {

  @TempDir Path dir;

  private static ServeCommand serve(Map<String, String> env, String... args) {
    CommandLine cli = Main.commandLine(env);
    String[] all = new String[args.length + 1];
    all[0] = "serve";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine.ParseResult parsed = cli.parseArgs(all);
    return (ServeCommand) parsed.subcommand().commandSpec().userObject();
  }

  private static KafkaConnection connection(ServeCommand serve) {
    return serve.kafka.connection(serve.spec.commandLine());
  }

  @Test
  void optionsDefaultToTheirVariableAndTheCommandLineWins() {
    Map<String, String> env =
        Map.of(
            "SEQCAST_BOOTSTRAP_SERVERS", "kafka-0:9092,kafka-1:9092",
            "SEQCAST_STATE_DIR", "/var/lib/seqcast",
            "SEQCAST_THREADS", "3",
            "SEQCAST_ROUTE", "^AAPL$=apple  ^MSFT$=soft",
            "SEQCAST_CREATE_TOPICS", "true");
    ServeCommand fromEnv = serve(env);
    assertEquals("kafka-0:9092,kafka-1:9092", connection(fromEnv).bootstrapServers());
    assertEquals(Path.of("/var/lib/seqcast"), fromEnv.stateDir);
    assertEquals(3, fromEnv.threads);
    assertEquals(List.of("^AAPL$=apple", "^MSFT$=soft"), fromEnv.routes);
    assertTrue(fromEnv.createTopics);

    ServeCommand overridden = serve(env, "--bootstrap-servers", "other:9092", "--threads", "2");
    assertEquals("other:9092", connection(overridden).bootstrapServers());
    assertEquals(2, overridden.threads);

    ServeCommand plain = serve(Map.of());
    assertEquals(ConnectionOptions.DEFAULT_BOOTSTRAP_SERVERS, connection(plain).bootstrapServers());
    assertEquals(1, plain.threads);
    assertEquals(List.of(), plain.routes);
  }

  @Test
  void theSpeechTaggerKeepsItsOwnDefaultsUnlessTheyAreSetByFlagOrVariable() {
    assertEquals("seqcast-speech", serve(Map.of(), "--speech").speechApplicationId());
    assertEquals("speech", serve(Map.of(), "--speech").speechModel());
    ServeCommand fromEnv =
        serve(
            Map.of("SEQCAST_APPLICATION_ID", "seqcast-tagger", "SEQCAST_MODEL", "vad"), "--speech");
    assertEquals("seqcast-tagger", fromEnv.speechApplicationId());
    assertEquals("vad", fromEnv.speechModel());
    ServeCommand fromFlag =
        serve(
            Map.of("SEQCAST_APPLICATION_ID", "seqcast-tagger"),
            "--speech",
            "--application-id",
            "mics");
    assertEquals("mics", fromFlag.speechApplicationId());
  }

  @Test
  void kafkaSettingsComeFromTheFileAndVariablesOverrideSingleOnes() throws Exception {
    Path file = dir.resolve("client.properties");
    Files.writeString(
        file,
        "bootstrap.servers=secure-kafka:9093\n"
            + "security.protocol=SASL_PLAINTEXT\n"
            + "sasl.mechanism=SCRAM-SHA-512\n");
    Map<String, String> env =
        Map.of(
            "SEQCAST_KAFKA_CONFIG", file.toString(),
            "SEQCAST_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
            "SEQCAST_KAFKA_SSL_TRUSTSTORE_LOCATION", "/etc/seqcast/truststore.p12");

    KafkaConnection connection = connection(serve(env));

    assertEquals("secure-kafka:9093", connection.bootstrapServers());
    assertEquals(
        Map.of(
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "ssl.truststore.location", "/etc/seqcast/truststore.p12"),
        connection.settings());
    assertEquals("secure-kafka:9093", connection.clientConfig().get("bootstrap.servers"));
    assertEquals(
        "other:1", connection(serve(env, "--bootstrap-servers", "other:1")).bootstrapServers());
  }

  @Test
  void aMisspelledSettingVariableIsAUsageErrorNamingIt() {
    CliRun run =
        CliRun.withEnvironment(
                Map.of("SEQCAST_KAFKA_SECURITY_PROTOCL", "SASL_SSL"), "model", "list")
            .flattened();
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("SEQCAST_KAFKA_SECURITY_PROTOCL"), run.err());
    assertTrue(run.err().contains("names no Kafka client setting"), run.err());
  }

  @Test
  void aMissingConfigFileIsAUsageError() {
    CliRun run =
        CliRun.of("model", "list", "--kafka-config", dir.resolve("absent.properties").toString())
            .flattened();
    assertEquals(2, run.exit());
    assertTrue(run.err().contains("is not a readable file"), run.err());
  }

  @Test
  void everyClientSettingHasExactlyOneVariable() {
    for (String setting : ConnectionOptions.clientSettingNames()) {
      String variable = ConnectionOptions.variableOf(setting);
      KafkaConnection connection = ConnectionOptions.resolve(null, null, Map.of(variable, "x"));
      if (!setting.equals("bootstrap.servers")) {
        assertEquals(Map.of(setting, "x"), connection.settings(), variable);
      }
    }
  }

  @Test
  void settingValuesNeverShowInTheConnectionsText() {
    KafkaConnection connection =
        ConnectionOptions.resolve(
            "k:9092",
            null,
            Map.of(
                "SEQCAST_KAFKA_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"app\" password=\"s3cret-pw\";"));
    assertFalse(connection.toString().contains("s3cret-pw"), connection.toString());
    assertTrue(connection.toString().contains("sasl.jaas.config"), connection.toString());
  }

  @Test
  void theRecognisedVariablesCoverEveryLongOptionButHelp() {
    List<String> variables =
        EnvironmentDefaults.variables(Main.commandLine(Map.of()).getCommandSpec(), true);
    for (String expected :
        List.of(
            "SEQCAST_BOOTSTRAP_SERVERS",
            "SEQCAST_KAFKA_CONFIG",
            "SEQCAST_STATE_DIR",
            "SEQCAST_ROUTE",
            "SEQCAST_TRUSTED_KEYS",
            "SEQCAST_METRICS_PORT")) {
      assertTrue(variables.contains(expected), expected + " in " + variables);
    }
    assertFalse(variables.contains("SEQCAST_HELP"));
    assertFalse(variables.contains("SEQCAST_VERSION"));
    assertNull(
        new EnvironmentDefaults(Map.of("SEQCAST_HELP", "true"))
            .defaultValue(
                Main.commandLine(Map.of())
                    .getSubcommands()
                    .get("serve")
                    .getCommandSpec()
                    .findOption("--help")));
  }

  @Test
  void anEmptyBootstrapVariableIsRefused() {
    assertThrows(
        IllegalArgumentException.class, () -> ConnectionOptions.resolve(" ", null, Map.of()));
  }

  @Test
  void everyCommandsHelpNamesEachOptionsVariableAndNeverStatesADefaultTwice() {
    List<List<String>> paths = new ArrayList<>();
    commandPaths(Main.commandLine(Map.of()).getCommandSpec(), List.of(), paths);
    assertTrue(paths.contains(List.of("model", "publish")), "nested commands: " + paths);
    assertTrue(paths.contains(List.of("bench", "kernel")), "benchmarks: " + paths);
    for (List<String> path : paths) {
      List<String> args = new ArrayList<>(path);
      args.add("--help");
      String help = CliRun.of(args.toArray(String[]::new)).ok().flattened().out();
      CommandSpec command = Main.commandLine(Map.of()).getCommandSpec();
      for (String name : path) {
        command = command.subcommands().get(name).getCommandSpec();
      }
      for (OptionSpec option : command.options()) {
        String variable = EnvironmentDefaults.variable(option);
        if (variable == null) {
          continue;
        }
        String note =
            option.defaultValue() == null || option.defaultValue().isEmpty()
                ? "(env " + variable + ")"
                : "(env " + variable + "; default: " + option.defaultValue() + ")";
        assertTrue(help.contains(note), path + " " + option.longestName() + ": " + note);
        assertFalse(
            help.contains("(default: " + option.defaultValue() + "). " + note),
            path + " " + option.longestName() + " states its default twice");
      }
    }
  }

  @Test
  void helpShowsTheValueAVariableSetsAsTheDefaultInEffect() {
    Map<String, String> env =
        Map.of("SEQCAST_THREADS", "3", "SEQCAST_BOOTSTRAP_SERVERS", "kafka-0:9092");
    String serve = CliRun.withEnvironment(env, "serve", "--help").ok().flattened().out();
    assertTrue(serve.contains("(env SEQCAST_THREADS; default: 3)"), serve);
    assertTrue(serve.contains("(env SEQCAST_BOOTSTRAP_SERVERS; default: kafka-0:9092)"), serve);
    String publish =
        CliRun.withEnvironment(env, "model", "publish", "--help").ok().flattened().out();
    assertTrue(publish.contains("(env SEQCAST_BOOTSTRAP_SERVERS; default: kafka-0:9092)"));
    assertTrue(
        CliRun.of("serve", "--help")
            .flattened()
            .out()
            .contains("(env SEQCAST_THREADS; default: 1)"));
  }

  @Test
  void benchmarkOptionsComeFromTheEnvironmentToo() {
    CommandLine.ParseResult parsed =
        Main.commandLine(Map.of("SEQCAST_WARMUP", "7")).parseArgs("bench", "kernel");
    OptionSpec warmup = parsed.subcommand().subcommand().commandSpec().findOption("--warmup");
    assertEquals(7, (int) warmup.getValue());
    String help =
        CliRun.withEnvironment(Map.of("SEQCAST_WARMUP", "7"), "bench", "kernel", "--help")
            .ok()
            .flattened()
            .out();
    assertTrue(help.contains("(env SEQCAST_WARMUP; default: 7)"), help);
  }

  private static void commandPaths(CommandSpec spec, List<String> path, List<List<String>> all) {
    all.add(path);
    spec.subcommands()
        .forEach(
            (name, sub) -> {
              List<String> child = new ArrayList<>(path);
              child.add(name);
              if (!all.contains(child)) {
                commandPaths(sub.getCommandSpec(), List.copyOf(child), all);
              }
            });
  }
}
