package dev.seqcast.cli;

import dev.seqcast.kafka.KafkaConnection;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How every command that talks to Kafka finds it and authenticates: {@code --bootstrap-servers},
 * plus standard Kafka client settings from {@code --kafka-config FILE} and from {@code
 * SEQCAST_KAFKA_<NAME>} environment variables (upper case, dots as underscores: {@code
 * SEQCAST_KAFKA_SECURITY_PROTOCOL=SASL_SSL} sets {@code security.protocol}). A variable overrides
 * the same setting in the file. Variables must name a real Kafka client setting, so a typo fails at
 * start-up instead of silently connecting without security.
 */
public final class ConnectionOptions {

  /** Where Kafka is when neither the option nor the config file says. */
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";

  /** Prefix of the environment variables that carry Kafka client settings. */
  public static final String SETTING_PREFIX = EnvironmentDefaults.PREFIX + "KAFKA_";

  /** The variable of {@code --kafka-config} itself, which shares the settings' prefix. */
  private static final String CONFIG_FILE_VARIABLE = SETTING_PREFIX + "CONFIG";

  /** Each client setting by its variable; built from the real names, since a few hold '_'. */
  private static final Map<String, String> SETTING_BY_VARIABLE = settingsByVariable();

  @Option(
      names = "--bootstrap-servers",
      paramLabel = "HOST:PORT[,...]",
      description =
          "Kafka bootstrap servers (default: bootstrap.servers from --kafka-config, else "
              + DEFAULT_BOOTSTRAP_SERVERS
              + ").")
  String bootstrapServers;

  @Option(
      names = "--kafka-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties (security.protocol, sasl.*, ssl.*, …) given to every Kafka"
              + " client; SEQCAST_KAFKA_<NAME> environment variables override single settings"
              + " (default: none, plaintext).")
  Path kafkaConfig;

  /**
   * The connection these options and the environment describe.
   *
   * @throws CommandLine.ParameterException naming the file or variable that is wrong, and why
   */
  public KafkaConnection connection(CommandLine cli) {
    try {
      return resolve(bootstrapServers, kafkaConfig, EnvironmentDefaults.environmentOf(cli));
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(cli, e.getMessage());
    }
  }

  /**
   * Joins the option, the file and the environment: the option wins for the bootstrap servers, a
   * variable wins over the file for a setting.
   *
   * @throws IllegalArgumentException when the file cannot be read or a variable names no Kafka
   *     client setting
   */
  static KafkaConnection resolve(String bootstrapOption, Path file, Map<String, String> env) {
    Map<String, String> settings = new HashMap<>();
    if (file != null) {
      settings.putAll(read(file));
    }
    env.forEach(
        (variable, value) -> {
          if (variable.startsWith(SETTING_PREFIX) && !variable.equals(CONFIG_FILE_VARIABLE)) {
            settings.put(settingOf(variable), value);
          }
        });
    String fromSettings = settings.remove(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    String servers =
        bootstrapOption != null
            ? bootstrapOption
            : fromSettings != null ? fromSettings : DEFAULT_BOOTSTRAP_SERVERS;
    if (servers.isBlank()) {
      throw new IllegalArgumentException(
          "--bootstrap-servers must not be empty; give host:port[,host:port...]");
    }
    return new KafkaConnection(servers.strip(), settings);
  }

  private static Map<String, String> read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "--kafka-config "
              + file
              + " is not a readable file; give a Kafka client properties file");
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--kafka-config " + file + " could not be read as properties: " + e.getMessage());
    }
    Map<String, String> settings = new HashMap<>();
    properties
        .stringPropertyNames()
        .forEach(name -> settings.put(name, properties.getProperty(name)));
    return settings;
  }

  private static String settingOf(String variable) {
    String setting = SETTING_BY_VARIABLE.get(variable);
    if (setting == null) {
      throw new IllegalArgumentException(
          variable
              + " names no Kafka client setting; name one as SEQCAST_KAFKA_ plus the setting in"
              + " upper case with underscores for dots (e.g. SEQCAST_KAFKA_SECURITY_PROTOCOL for"
              + " security.protocol)");
    }
    return setting;
  }

  /** The variable that carries Kafka client setting {@code setting}. */
  static String variableOf(String setting) {
    return SETTING_PREFIX + setting.toUpperCase(Locale.ROOT).replace('.', '_');
  }

  private static Map<String, String> settingsByVariable() {
    Map<String, String> byVariable = new HashMap<>();
    for (String setting : clientSettingNames()) {
      String previous = byVariable.put(variableOf(setting), setting);
      if (previous != null) {
        throw new IllegalStateException(
            setting + " and " + previous + " would share the variable " + variableOf(setting));
      }
    }
    return Map.copyOf(byVariable);
  }

  /** Names of every producer, consumer, admin and Kafka Streams setting. */
  static Set<String> clientSettingNames() {
    Set<String> names = new TreeSet<>();
    names.addAll(ProducerConfig.configNames());
    names.addAll(ConsumerConfig.configNames());
    names.addAll(AdminClientConfig.configNames());
    names.addAll(StreamsConfig.configDef().names());
    return names;
  }
}
