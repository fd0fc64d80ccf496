package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.testkit.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Random and mutated command lines, option defaults from the environment and Kafka client settings
 * files. Every argument vector either parses or fails as a usage error: a {@link
 * CommandLine.ParameterException} with a message, exit code 2 and no stack trace. A settings file
 * or variable either resolves or is refused naming what is wrong, and setting values never show in
 * the connection's text.
 */
class CliFuzzTest {

  /** Every command path, e.g. [] for the root, [model, publish]. */
  private static final List<List<String>> COMMANDS = new ArrayList<>();

  /** (command path, option) pairs for every option the environment can set. */
  private static final List<Map.Entry<List<String>, OptionSpec>> OPTIONS = new ArrayList<>();

  static {
    collect(Main.commandLine(Map.of()).getCommandSpec(), List.of());
  }

  private static void collect(CommandSpec spec, List<String> path) {
    COMMANDS.add(path);
    for (OptionSpec option : spec.options()) {
      if (EnvironmentDefaults.variable(option) != null) {
        OPTIONS.add(Map.entry(path, option));
      }
    }
    spec.subcommands()
        .forEach(
            (name, sub) -> {
              List<String> child = new ArrayList<>(path);
              child.add(name);
              if (!COMMANDS.contains(child)) {
                collect(sub.getCommandSpec(), List.copyOf(child));
              }
            });
  }

  @Property(tries = 300)
  void argumentVectorsParseOrFailAsAUsageErrorWithAMessage(
      @ForAll("argumentVectors") String[] args) {
    CommandLine cli = Main.commandLine(Map.of());
    try {
      cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      assertUsageError(e, CliRun.withEnvironment(Map.of(), args));
    }
  }

  @Property(tries = 200)
  void environmentDefaultsParseOrFailAsAUsageErrorWithAMessage(
      @ForAll("environmentSettings") Tuple.Tuple2<List<String>, Map<String, String>> setting) {
    String[] args = setting.get1().toArray(String[]::new);
    CommandLine cli = Main.commandLine(setting.get2());
    try {
      cli.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      assertUsageError(e, CliRun.withEnvironment(setting.get2(), args));
      String variable = setting.get2().keySet().iterator().next();
      assertTrue(
          e.getMessage().contains(variable.substring(EnvironmentDefaults.PREFIX.length()))
              || e.getMessage().toLowerCase().contains("option")
              || e.getMessage().contains("'"),
          "message does not say which setting is wrong: " + e.getMessage());
    }
  }

  @Property(tries = 300)
  void kafkaSettingsResolveOrAreRefusedAndValuesStayOutOfTheText(
      @ForAll("propertiesFiles") String file,
      @ForAll("settingVariables") Map<String, String> environment)
      throws IOException {
    Path config = Files.createTempFile("seqcast-fuzz", ".properties");
    try {
      Files.writeString(config, file, StandardCharsets.UTF_8);
      KafkaConnection connection;
      try {
        connection = ConnectionOptions.resolve(null, config, environment);
      } catch (IllegalArgumentException e) {
        assertTrue(
            e.getMessage().contains(config.toString())
                || e.getMessage().contains(EnvironmentDefaults.PREFIX)
                || e.getMessage().contains("bootstrap"),
            "refusal names neither the file nor a variable: " + e.getMessage());
        return;
      }
      String text = connection.toString();
      // The bootstrap servers are shown by design; what follows them must hold no setting value
      // (the generator may also draw a secret-looking string as the bootstrap servers).
      assertTrue(text.startsWith(connection.bootstrapServers()), text);
      String settingsText = text.substring(connection.bootstrapServers().length());
      connection
          .settings()
          .values()
          .forEach(v -> assertFalse(v.startsWith("secret-") && settingsText.contains(v), text));
      assertFalse(connection.bootstrapServers().isBlank());
    } finally {
      Files.deleteIfExists(config);
    }
  }

  private static void assertUsageError(CommandLine.ParameterException e, CliRun run) {
    assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), "usage error without message");
    assertEquals(2, run.exit(), run.all());
    assertFalse(run.all().contains("\tat "), "stack trace printed:\n" + run.all());
    assertTrue(
        run.err().startsWith(e.getMessage().lines().findFirst().orElseThrow()),
        "the message is not what the user sees first:\n" + run.err());
    List<String> lines = run.err().lines().toList();
    assertTrue(
        lines.get(lines.size() - 1).matches("try 'seqcast( [a-z-]+)* --help'"),
        "no line naming the command's help last:\n" + run.err());
    assertFalse(run.all().contains("Usage:"), "usage text printed:\n" + run.all());
  }

  @Provide
  Arbitrary<String[]> argumentVectors() {
    Arbitrary<String> optionNames =
        Arbitraries.of(OPTIONS).map(e -> e.getValue().names()[0]).injectDuplicates(0.1);
    Arbitrary<String> token =
        Arbitraries.frequencyOf(
            Tuple.of(4, optionNames),
            Tuple.of(4, values()),
            Tuple.of(2, Combinators.combine(optionNames, values()).as((o, v) -> o + "=" + v)),
            Tuple.of(1, Arbitraries.of("--help", "-h", "-V", "--", "-", "--=", "help")));
    return Combinators.combine(
            Arbitraries.of(COMMANDS),
            token.list().ofMaxSize(8),
            Arbitraries.integers().between(0, 8))
        .as(
            (command, tokens, mutation) -> {
              List<String> args = new ArrayList<>(command);
              args.addAll(tokens);
              // Sometimes drop a token of the command path so options meet the wrong command.
              if (mutation == 0 && !args.isEmpty()) {
                args.remove(0);
              }
              return args.toArray(String[]::new);
            });
  }

  /** Option values of every kind an option might choke on. */
  private static Arbitrary<String> values() {
    return Arbitraries.oneOf(
        Arbitraries.of(
            "",
            " ",
            "0",
            "-1",
            "1",
            "2147483648",
            "-9223372036854775809",
            "1e309",
            "NaN",
            "Infinity",
            "0.5",
            "abc",
            "lstm",
            "gru",
            "PT5S",
            "5s",
            "localhost:0",
            "localhost:-1",
            ":",
            ",",
            "a,,b",
            "/nonexistent/dir/file",
            "/dev/null",
            "\u0000",
            "\u00e9\u00e8",
            "exactly_once_v2",
            "at_least_once",
            "sp500/1",
            "2026-01-01T00:00:00Z",
            "{}"),
        Arbitraries.strings().ofMaxLength(12),
        Arbitraries.integers().map(Object::toString),
        Arbitraries.doubles().map(Object::toString));
  }

  @Provide
  Arbitrary<Tuple.Tuple2<List<String>, Map<String, String>>> environmentSettings() {
    return Combinators.combine(Arbitraries.of(OPTIONS), values())
        .as(
            (entry, value) -> {
              String variable = EnvironmentDefaults.variable(entry.getValue());
              return Tuple.of(entry.getKey(), Map.of(variable, value));
            });
  }

  /** Properties files: valid settings, secrets, garbage lines, broken escapes, random text. */
  @Provide
  Arbitrary<String> propertiesFiles() {
    Arbitrary<String> names =
        Arbitraries.oneOf(
            Arbitraries.of(
                "security.protocol",
                "sasl.mechanism",
                "sasl.jaas.config",
                "ssl.truststore.password",
                "ssl.keystore.password",
                "bootstrap.servers",
                "client.id",
                "no.such.setting",
                ""),
            Arbitraries.strings().ofMaxLength(10));
    Arbitrary<String> lines =
        Arbitraries.oneOf(
            Combinators.combine(names, secrets()).as((n, v) -> n + "=" + v),
            Combinators.combine(names, values()).as((n, v) -> n + ": " + v),
            Arbitraries.of("# comment", "!", "\\", "key=\\uZZZZ", "=", "key\\", "   ", "a=b\\"),
            Arbitraries.strings().ofMaxLength(30));
    return lines.list().ofMaxSize(10).map(l -> String.join("\n", l));
  }

  /** SEQCAST_KAFKA_* variables, real and misspelt, with secret or hostile values. */
  @Provide
  Arbitrary<Map<String, String>> settingVariables() {
    Arbitrary<String> variables =
        Arbitraries.oneOf(
            Arbitraries.of(ConnectionOptions.clientSettingNames().toArray(String[]::new))
                .map(ConnectionOptions::variableOf),
            Arbitraries.of(
                "SEQCAST_KAFKA_",
                "SEQCAST_KAFKA_SECURITY_PROTOCOLL",
                "SEQCAST_KAFKA_CONFIG",
                "SEQCAST_KAFKA_BOOTSTRAP_SERVERS",
                "SEQCAST_OTHER"),
            Arbitraries.strings().alpha().ofMaxLength(8).map(s -> "SEQCAST_KAFKA_" + s));
    Arbitrary<String> settingValues = Arbitraries.oneOf(secrets(), values());
    return Arbitraries.maps(variables, settingValues).ofMaxSize(4).map(HashMap::new);
  }

  private static Arbitrary<String> secrets() {
    return Arbitraries.strings()
        .alpha()
        .numeric()
        .ofMinLength(8)
        .ofMaxLength(20)
        .map(s -> "secret-" + s);
  }
}
