package dev.seqcast.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Lets every command-line option be set from the environment, as containers are configured: option
 * {@code --foo-bar} of any command defaults to the variable {@code SEQCAST_FOO_BAR} when it is set.
 * A value given on the command line still wins. Repeatable options take their values separated as
 * on the command line (see each option's help).
 *
 * <p>Kafka client settings come through the same environment under {@code SEQCAST_KAFKA_*}; see
 * {@link ConnectionOptions}.
 */
public final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {

  /** Prefix of every variable seqcast reads. */
  public static final String PREFIX = "SEQCAST_";

  private final Map<String, String> environment;

  /** Defaults from {@code environment}, usually {@link System#getenv()}. */
  public EnvironmentDefaults(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** The environment this provider reads. */
  Map<String, String> environment() {
    return environment;
  }

  /** The environment of {@code cli}'s provider, or the process environment without one. */
  static Map<String, String> environmentOf(CommandLine cli) {
    return cli.getDefaultValueProvider() instanceof EnvironmentDefaults defaults
        ? defaults.environment
        : System.getenv();
  }

  /**
   * Whether {@code option} of {@code cli}'s command was set, on the command line or through its
   * variable; false when it holds its declared default.
   */
  static boolean isGiven(CommandLine cli, String option) {
    if (cli.getParseResult() != null && cli.getParseResult().hasMatchedOption(option)) {
      return true;
    }
    OptionSpec spec = cli.getCommandSpec().findOption(option);
    return spec != null
        && cli.getDefaultValueProvider() instanceof EnvironmentDefaults defaults
        && defaults.defaultValue(spec) != null;
  }

  @Override
  public String defaultValue(ArgSpec argument) {
    String name = variable(argument);
    return name == null ? null : environment.get(name);
  }

  /**
   * The variable that sets {@code argument}, or null when the environment cannot set it (positional
   * parameters, help and version flags, options without a long name).
   */
  public static String variable(ArgSpec argument) {
    if (!(argument instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String longest = option.longestName();
    if (!longest.startsWith("--")) {
      return null;
    }
    return PREFIX + longest.substring(2).replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /**
   * Every variable {@code command} (and its subcommands, when {@code withSubcommands}) reads for
   * its options, sorted; {@code SEQCAST_KAFKA_*} client settings come on top.
   */
  public static List<String> variables(CommandSpec command, boolean withSubcommands) {
    TreeSet<String> names = new TreeSet<>();
    collect(command, withSubcommands, names);
    return new ArrayList<>(names);
  }

  private static void collect(CommandSpec command, boolean withSubcommands, TreeSet<String> names) {
    for (OptionSpec option : command.options()) {
      String name = variable(option);
      if (name != null) {
        names.add(name);
      }
    }
    if (withSubcommands) {
      command.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), true, names));
    }
  }
}
