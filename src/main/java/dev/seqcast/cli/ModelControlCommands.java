package dev.seqcast.cli;

import dev.seqcast.model.TrustedKeys;
import dev.seqcast.streams.ModelControl;
import dev.seqcast.streams.ModelLineup;
import dev.seqcast.streams.ModelPublisher;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The operator commands that decide which versions run: {@code pin}, {@code unpin}, {@code
 * rollback}, {@code shadow} and {@code promote}. Each reads the models topic once, checks the
 * request against what is there, and writes one control record ({@link ModelControl}) that every
 * predictor instance applies at once and again after any restart.
 */
final class ModelControlCommands {

  private ModelControlCommands() {}

  /** What every control command shares: the topic, the model name, a reason. */
  abstract static class Base implements Callable<Integer> {

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Mixin ModelTopicOptions topic;

    @Parameters(index = "0", paramLabel = "NAME", description = "Model name, e.g. sp500.")
    String name;

    @Option(
        names = "--reason",
        defaultValue = "",
        description = "Why; kept in the control record and shown by 'model show'.")
    String reason;

    @Override
    public final Integer call() throws Exception {
      TrustedKeys trusted = topic.validate(spec.commandLine());
      ModelLineup.Model model = ModelTopicOptions.lineup(topic.read(), trusted).model(name);
      if (model == null || model.validVersions().isEmpty()) {
        throw new IllegalStateException(
            "no valid version of model '"
                + name
                + "' on "
                + topic.names.models()
                + " at "
                + topic.connection.bootstrapServers()
                + "; 'seqcast model list' shows what is there");
      }
      ModelControl next = decide(model);
      ModelPublisher.publishControl(topic.connection, topic.names.models(), name, next);
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "%s: live %s, shadow %s (was live %d%s); every instance applies it at once%n",
          name,
          next.live() == null ? "newest valid version (" + newest(model) + ")" : next.live(),
          next.shadow() == null ? "none" : next.shadow(),
          model.live(),
          model.shadow() == null ? "" : ", shadow " + model.shadow());
      out.flush();
      return 0;
    }

    /** The control record to write, given what the topic holds; usage errors for bad requests. */
    abstract ModelControl decide(ModelLineup.Model model);

    ModelControl control(Long live, Long shadow) {
      return new ModelControl(live, shadow, reason, Instant.now());
    }

    /** The shadow version to keep beside {@code live}: none if it would be the live one. */
    static Long shadowBeside(ModelLineup.Model model, long live) {
      Long shadow = model.control().shadow();
      return shadow != null && shadow == live ? null : shadow;
    }

    /** {@code version} must be a valid version of the model. */
    void requireValid(ModelLineup.Model model, long version) {
      if (!model.validVersions().contains(version)) {
        throw usage(
            "version "
                + version
                + " of '"
                + name
                + "' is not a valid bundle on "
                + topic.names.models()
                + "; valid versions: "
                + model.validVersions().stream()
                    .map(String::valueOf)
                    .collect(Collectors.joining(", ")));
      }
    }

    CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static long newest(ModelLineup.Model model) {
      List<Long> versions = model.validVersions();
      return versions.get(versions.size() - 1);
    }
  }

  @Command(
      name = "pin",
      mixinStandardHelpOptions = true,
      description =
          "Run VERSION live and stop following newer versions until 'model unpin'. A shadow"
              + " version, if any, keeps running.")
  static final class Pin extends Base {
    @Parameters(index = "1", paramLabel = "VERSION", description = "The version to run live.")
    long version;

    @Override
    ModelControl decide(ModelLineup.Model model) {
      requireValid(model, version);
      return control(version, shadowBeside(model, version));
    }
  }

  @Command(
      name = "unpin",
      mixinStandardHelpOptions = true,
      description = "Follow the newest valid version again (undoes pin and rollback).")
  static final class Unpin extends Base {
    @Override
    ModelControl decide(ModelLineup.Model model) {
      return control(null, model.control().shadow());
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Run an earlier version live: the highest valid version below the one running now, or"
              + " --to VERSION. It stays pinned (also across restarts) until 'model unpin'.")
  static final class Rollback extends Base {
    @Option(names = "--to", paramLabel = "VERSION", description = "The version to go back to.")
    Long to;

    @Override
    ModelControl decide(ModelLineup.Model model) {
      long running = model.live();
      long target;
      if (to != null) {
        requireValid(model, to);
        if (to >= running) {
          throw usage(
              "--to "
                  + to
                  + " is not earlier than the running version "
                  + running
                  + "; use 'model pin' to run a later one");
        }
        target = to;
      } else {
        target =
            model.validVersions().stream()
                .filter(v -> v < running)
                .reduce((a, b) -> b)
                .orElseThrow(
                    () ->
                        usage(
                            "no valid version of '"
                                + name
                                + "' is older than the running version "
                                + running));
      }
      return control(target, shadowBeside(model, target));
    }
  }

  @Command(
      name = "shadow",
      mixinStandardHelpOptions = true,
      description =
          "Run VERSION in shadow beside the live version: it steps every series and is scored,"
              + " emits nothing. --off stops it. 'model promote' makes it live.")
  static final class Shadow extends Base {
    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "VERSION",
        description = "The candidate version.")
    Long version;

    @Option(names = "--off", description = "Stop the shadow.")
    boolean off;

    @Override
    ModelControl decide(ModelLineup.Model model) {
      if (off == (version != null)) {
        throw usage("give either a VERSION to run in shadow or --off to stop the shadow");
      }
      if (off) {
        return control(model.control().live(), null);
      }
      requireValid(model, version);
      if (version.equals(model.live())) {
        throw usage("version " + version + " is the live version; shadow another one");
      }
      // Keep the live version where it is: pin it if it was only the newest, or the candidate
      // (newer, usually) would go live instead of running in shadow.
      return control(model.live(), version);
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description =
          "Make the shadow version live. Each series adopts the state the shadow built, so the"
              + " switch needs no re-warm. The new live version stays pinned until 'model unpin'.")
  static final class Promote extends Base {
    @Override
    ModelControl decide(ModelLineup.Model model) {
      Long shadow = model.shadow();
      if (shadow == null) {
        throw usage(
            "model '"
                + name
                + "' has no shadow version; start one with 'model shadow NAME VERSION'");
      }
      return control(shadow, null);
    }
  }
}
