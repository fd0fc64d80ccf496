package dev.seqcast.cli;

import dev.seqcast.forecast.ForecastSettings;
import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.speech.SpeechApp;
import dev.seqcast.streams.ModelCatalog;
import dev.seqcast.streams.ModelLineup;
import dev.seqcast.streams.ModelRegistry;
import dev.seqcast.streams.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options {@code model list} and {@code model show} share to read the models topic. */
final class ModelTopicOptions {

  @CommandLine.Mixin ConnectionOptions kafka;

  @CommandLine.Mixin TopicOptions topics;

  /** Set by {@link #validate}: the connection the options describe. */
  KafkaConnection connection;

  /** Set by {@link #validate}: the topic names the options give. */
  TopicNames names;

  @Option(
      names = "--trusted-keys",
      paramLabel = "DIR",
      description =
          "Directory of trusted Ed25519 public keys (*.pem), as given to serve: bundles not"
              + " signed by one of them are reported INVALID (default: signatures are shown, not"
              + " checked).")
  Path trustedKeysDir;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description = "Give up reading the models topic after this long.")
  int timeoutSeconds;

  /** Checks the values and loads the trusted keys, if any; mistakes are usage errors. */
  TrustedKeys validate(CommandLine cli) {
    if (timeoutSeconds < 1) {
      throw new CommandLine.ParameterException(
          cli, "--timeout must be at least 1 second, was " + timeoutSeconds);
    }
    names = topics.names(cli);
    connection = kafka.connection(cli);
    return KeyOptions.trustedKeys(cli, trustedKeysDir);
  }

  /**
   * What every pipeline's instances run of the models in {@code stored}, decided by their own
   * registries (the forecaster's and the speech tagger's) with {@code trusted} keys. Predictors are
   * taken to serve the default horizon: one serving a longer {@code --horizon} also refuses a
   * smoothed model whose head emits fewer.
   */
  static ModelLineup lineup(List<ModelCatalog.StoredBundle> stored, TrustedKeys trusted) {
    ModelRegistry.Listener quiet = (source, reason, detail) -> {};
    return ModelLineup.of(
        stored,
        List.of(
            PredictorApp.registry(quiet, trusted, ForecastSettings.defaults().horizon()),
            SpeechApp.registry(quiet, trusted)));
  }

  /** Every bundle on the models topic, read once up to its current end. */
  List<ModelCatalog.StoredBundle> read() {
    return ModelCatalog.read(connection, names.models(), Duration.ofSeconds(timeoutSeconds));
  }
}
