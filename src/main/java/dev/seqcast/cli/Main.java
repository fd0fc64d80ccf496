package dev.seqcast.cli;

import dev.seqcast.model.CellType;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Ansi.Text;

/** Entry point of {@code java -jar target/seqcast.jar <command>}. */
@Command(
    name = "seqcast",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Real-time streaming sequence prediction with stateful LSTMs and GRUs on Kafka Streams.",
    subcommands = {
      DemoCommand.class,
      BrokerCommand.class,
      ServeCommand.class,
      TrainCommand.class,
      ReplayCommand.class,
      BacktestCommand.class,
      ModelCommand.class,
      SeriesCommand.class,
      BenchCommand.class,
      IngestPrometheusCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Runs the CLI and exits with its status code. */
  public static void main(String[] args) throws InterruptedException {
    if (args.length > 0 && args[0].equals("bench") && !BenchCommand.installed()) {
      int delegated = BenchCommand.delegate(args);
      if (delegated >= 0) {
        System.exit(delegated);
      }
    }
    int exit;
    try {
      exit = run(args);
    } catch (Throwable failure) {
      // An Error (a missing class, out of memory) passes picocli's handler; without this exit,
      // the broker's and clients' non-daemon threads would keep the JVM running.
      failure.printStackTrace();
      exit = 1;
    }
    System.exit(exit);
  }

  /** Runs the CLI and returns its exit code: 0 on success, 2 for usage errors, 1 for failures. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line, shared by {@link #run} and tests. */
  public static CommandLine commandLine() {
    return commandLine(System.getenv());
  }

  /**
   * The configured command line, taking option defaults and Kafka client settings from {@code
   * environment} (see {@link EnvironmentDefaults}).
   */
  public static CommandLine commandLine(Map<String, String> environment) {
    CommandLine cli = new CommandLine(new Main());
    BenchCommand.install(cli.getSubcommands().get("bench"));
    // Set after the benchmarks are installed: these settings reach the subcommands present now.
    EnvironmentDefaults defaults = new EnvironmentDefaults(environment);
    cli.setDefaultValueProvider(defaults);
    cli.setHelpFactory((spec, colors) -> new EnvironmentHelp(spec, colors, defaults));
    cli.setParameterExceptionHandler(new UsageErrorHandler());
    cli.setExecutionExceptionHandler(new FailureHandler());
    cli.registerConverter(CellType.class, Main::cell);
    return cli;
  }

  /** {@code --cell}: lstm or gru, in any case. */
  private static CellType cell(String text) {
    try {
      return CellType.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException("expected lstm or gru, was '" + text + "'");
    }
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(), "Missing command: choose one of " + spec.subcommands().keySet());
  }

  /**
   * Prints a usage error as its message, picocli's suggestions when there are few, and one line
   * naming the command's help, instead of the whole usage text: the mistake stays on screen.
   */
  static final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    /** More suggestions than this are guesses, not help. */
    private static final int MAX_SUGGESTIONS = 3;

    @Override
    public int handleParseException(CommandLine.ParameterException mistake, String[] args) {
      CommandLine cli = mistake.getCommandLine();
      PrintWriter err = cli.getErr();
      err.println(mistake.getMessage());
      if (mistake instanceof CommandLine.UnmatchedArgumentException unmatched) {
        List<String> suggestions = unmatched.getSuggestions();
        if (suggestions.size() <= MAX_SUGGESTIONS) {
          unmatched.printSuggestions(err);
        }
      }
      err.println("try '" + cli.getCommandSpec().qualifiedName() + " --help'");
      err.flush();
      return cli.getCommandSpec().exitCodeOnInvalidInput();
    }
  }

  /**
   * Usage help whose option lines each end with the environment variable that sets the option and
   * the default in effect, the variable's value when it is set: {@code (env SEQCAST_THREADS;
   * default: 1)}.
   */
  static final class EnvironmentHelp extends CommandLine.Help {
    private final EnvironmentDefaults defaults;

    EnvironmentHelp(
        CommandLine.Model.CommandSpec spec,
        CommandLine.Help.ColorScheme colors,
        EnvironmentDefaults defaults) {
      super(spec, colors);
      this.defaults = defaults;
    }

    @Override
    public IOptionRenderer createDefaultOptionRenderer() {
      IOptionRenderer plain = super.createDefaultOptionRenderer();
      return (option, labels, colors) -> {
        Text[][] rows = plain.render(option, labels, colors);
        String variable = EnvironmentDefaults.variable(option);
        if (variable != null && rows.length > 0) {
          Text[] last = rows[rows.length - 1];
          Text description = last[last.length - 1];
          String note = "(env " + variable + defaultInEffect(option) + ")";
          last[last.length - 1] =
              description.plainString().isBlank()
                  ? colors.text(note)
                  : description.concat(" " + note);
        }
        return rows;
      };
    }

    private String defaultInEffect(CommandLine.Model.OptionSpec option) {
      String fromEnvironment = defaults.defaultValue(option);
      String value = fromEnvironment != null ? fromEnvironment : option.defaultValue();
      return value == null || value.isEmpty() ? "" : "; default: " + value;
    }
  }

  /** Prints a failure as one clear line (plus its cause) instead of a stack trace. */
  static final class FailureHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(
        Exception failure, CommandLine cli, CommandLine.ParseResult parseResult) {
      cli.getErr().println(cli.getCommandSpec().qualifiedName() + ": " + describe(failure));
      return 1;
    }

    private static String describe(Throwable failure) {
      StringBuilder text = new StringBuilder(String.valueOf(failure.getMessage()));
      for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
        text.append("\n  caused by: ").append(cause.getMessage());
      }
      return text.toString();
    }
  }

  /**
   * Reports the version from the jar manifest, or, run from the build's classes, from {@value
   * #VERSION_RESOURCE}, which the build fills in with the project's version.
   */
  static final class Version implements CommandLine.IVersionProvider {

    static final String VERSION_RESOURCE = "seqcast-version.properties";

    @Override
    public String[] getVersion() throws IOException {
      return new String[] {"seqcast " + version()};
    }

    static String version() throws IOException {
      String fromManifest = Main.class.getPackage().getImplementationVersion();
      if (fromManifest != null) {
        return fromManifest;
      }
      Properties built = new Properties();
      try (InputStream in = Main.class.getResourceAsStream(VERSION_RESOURCE)) {
        if (in == null) {
          throw new IllegalStateException(
              VERSION_RESOURCE + " is not on the class path; build with mvn to write it");
        }
        built.load(in);
      }
      String version = built.getProperty("version", "");
      if (version.isBlank() || version.contains("${")) {
        throw new IllegalStateException(
            VERSION_RESOURCE + " holds no version; build with mvn to fill it in");
      }
      return version;
    }
  }
}
