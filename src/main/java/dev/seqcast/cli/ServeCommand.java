package dev.seqcast.cli;

import dev.seqcast.forecast.ModelRouting;
import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.forecast.PredictorSettings;
import dev.seqcast.forecast.SeriesExpiry;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.TrustedKeys;
import dev.seqcast.speech.SpeechApp;
import dev.seqcast.streams.MetricsServer;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.TopicNames;
import dev.seqcast.streams.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the predictor against an existing Kafka cluster until Ctrl-C. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Run the streaming predictor (Kafka Streams) against a Kafka cluster until Ctrl-C: reads"
            + " the ticks and models topics, writes the predictions, anomalies, dead-letter and"
            + " model events topics (seqcast.ticks, … unless renamed with the --*-topic"
            + " options).")
public final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ConnectionOptions kafka;

  @Option(
      names = "--application-id",
      defaultValue = PredictorApp.Config.DEFAULT_APPLICATION_ID,
      description = "Kafka Streams application id; instances with the same id share the work.")
  String applicationId;

  @Option(
      names = "--state-dir",
      defaultValue = "seqcast-state",
      description = "Directory for the local RocksDB state.")
  Path stateDir;

  @Option(
      names = "--processing-guarantee",
      defaultValue = StreamsConfig.EXACTLY_ONCE_V2,
      description = "exactly_once_v2 or at_least_once.")
  String processingGuarantee;

  @Option(
      names = "--commit-interval-ms",
      defaultValue = "100",
      description =
          "Commit interval; under exactly-once, predictions become visible to"
              + " read_committed consumers at each commit.")
  long commitIntervalMs;

  @Option(names = "--threads", defaultValue = "1", description = "Stream threads in this instance.")
  int threads;

  @Option(
      names = "--standby-replicas",
      defaultValue = "1",
      description =
          "Warm copies of each task's state kept on other instances (num.standby.replicas), so an"
              + " instance that dies is replaced without replaying its whole changelog; has no"
              + " effect with a single instance.")
  int standbyReplicas;

  @Option(
      names = "--model",
      defaultValue = PredictorSettings.DEFAULT_MODEL,
      description = "Name of the model every series is predicted with.")
  String model;

  @Option(
      names = "--route",
      paramLabel = "REGEX=MODEL",
      split = "\\s+",
      description =
          "Predict series whose whole id matches REGEX with model MODEL; repeat for more routes"
              + " (or separate them with spaces), tried in order; unmatched series use --model"
              + " (default: none).")
  List<String> routes = new ArrayList<>();

  @Option(
      names = "--ring-size",
      defaultValue = "64",
      description = "Recent values kept per series to re-warm state after a model swap.")
  int ringSize;

  @Option(
      names = "--max-tick-bytes",
      defaultValue = "" + TickCodec.DEFAULT_MAX_BYTES,
      description = "Largest accepted tick value; larger ones are dead-lettered.")
  int maxTickBytes;

  @Option(
      names = "--series-ttl",
      paramLabel = "DURATION",
      defaultValue = Durations.OFF,
      description =
          "Drop the state of a series that has had no tick for DURATION of event time (e.g. 30m,"
              + " 6h, 7d, PT30M): its next tick starts it afresh and says so (\"fresh\":\"new\")."
              + " Bounds the store and its changelog under series churn; a series quiet for longer"
              + " than this loses its warm state. 'off' keeps every series.")
  String seriesTtl;

  @Option(
      names = "--stream-ttl",
      paramLabel = "DURATION",
      defaultValue = SpeechApp.DEFAULT_STREAM_TTL_TEXT,
      description =
          "With --speech: drop the state of an audio stream that has had no chunk for DURATION"
              + " of record time (e.g. 30m, 6h, PT30M); 'off' keeps every stream.")
  String streamTtl;

  @Option(
      names = "--trusted-keys",
      paramLabel = "DIR",
      description =
          "Directory of Ed25519 public keys (*.pem, e.g. NAME.pub.pem from 'model keygen'): only"
              + " model bundles signed by one of them are used; others are refused as unsigned,"
              + " untrusted-key or bad-signature (default: unsigned bundles are accepted).")
  Path trustedKeysDir;

  @Option(
      names = "--create-topics",
      description = "Create the seqcast topics (as named) first if they are missing.")
  boolean createTopics;

  @Option(
      names = "--replication-factor",
      defaultValue = "1",
      description = "Replication factor for --create-topics.")
  short replicationFactor;

  @Option(
      names = "--speech",
      description =
          "Run the speech tagger (frames topic to tags topic) instead of the forecaster; its"
              + " application id defaults to "
              + SpeechApp.APPLICATION_ID
              + " and its model to "
              + SpeechApp.MODEL_NAME
              + ". --route, --ring-size and --max-tick-bytes apply to the forecaster only (default:"
              + " the forecaster).")
  boolean speech;

  @Mixin MetricsOptions metrics;

  @Mixin ForecastOptions forecast;

  /** Where series id, value and event time are in tick records. */
  @Mixin TickMappingOptions tickMapping;

  @Mixin TopicOptions topics;

  @Override
  public Integer call() throws Exception {
    metrics.validate(spec.commandLine());
    TopicNames names = topics.names(spec.commandLine());
    if (!processingGuarantee.equals(StreamsConfig.EXACTLY_ONCE_V2)
        && !processingGuarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--processing-guarantee must be exactly_once_v2 or at_least_once, was '"
              + processingGuarantee
              + "'");
    }
    if (threads < 1 || commitIntervalMs < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--threads and --commit-interval-ms must be at least 1");
    }
    if (standbyReplicas < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--standby-replicas must be 0 or more, was " + standbyReplicas);
    }
    PredictorSettings settings;
    try {
      List<ModelRouting.Route> parsed = new ArrayList<>();
      for (String route : routes) {
        parsed.add(ModelRouting.Route.parse(route));
      }
      settings =
          new PredictorSettings(model, ringSize, maxTickBytes, metrics.series(Set.of()))
              .withRoutes(parsed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    Duration seriesTtlDuration = Durations.ttl(spec.commandLine(), "--series-ttl", seriesTtl);
    Duration streamTtlDuration = Durations.ttl(spec.commandLine(), "--stream-ttl", streamTtl);
    TrustedKeys trustedKeys = KeyOptions.trustedKeys(spec.commandLine(), trustedKeysDir);
    settings =
        settings
            .withExpiry(
                seriesTtlDuration == null
                    ? SeriesExpiry.never()
                    : SeriesExpiry.after(seriesTtlDuration))
            .withTrustedKeys(trustedKeys)
            .withForecast(forecast.settings(spec.commandLine()))
            .withTickMapping(tickMapping.mapping(spec.commandLine()));
    KafkaConnection connection = kafka.connection(spec.commandLine());
    if (createTopics) {
      Topics.createAll(connection, names, Topics.DEFAULT_PARTITIONS, replicationFactor);
    }
    if (speech) {
      return serveSpeech(
          new StreamsApp.Config(
              connection,
              speechApplicationId(),
              stateDir,
              processingGuarantee,
              commitIntervalMs,
              threads,
              Map.of(),
              names),
          speechModel(),
          trustedKeys,
          streamTtlDuration);
    }
    PredictorApp.Config config =
        new PredictorApp.Config(
            new StreamsApp.Config(
                connection,
                applicationId,
                stateDir,
                processingGuarantee,
                commitIntervalMs,
                threads,
                Map.of(
                    StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, Integer.toString(standbyReplicas)),
                names),
            settings);
    PrometheusMeterRegistry meters = MetricsServer.newRegistry();
    AtomicReference<StreamsApp> started = new AtomicReference<>();
    try (StopSignal stop = StopSignal.install("serve");
        MetricsServer server = metrics.start(meters, started, "predictor");
        StreamsApp app = PredictorApp.start(config, meters)) {
      started.set(app);
      app.awaitRunning(Duration.ofMinutes(5));
      spec.commandLine()
          .getOut()
          .printf(
              "seqcast predictor running: application.id=%s bootstrap.servers=%s"
                  + " metrics=http://localhost:%d/metrics (Ctrl-C to stop)%n",
              applicationId, connection.bootstrapServers(), server.port());
      spec.commandLine()
          .getOut()
          .printf(
              "model bundles: %s%n",
              trustedKeys == null
                  ? "unsigned accepted (no --trusted-keys)"
                  : "only those signed by one of the " + trustedKeys);
      spec.commandLine().getOut().flush();
      stop.await();
    }
    return 0;
  }

  /** --application-id when set (flag or variable), else the speech tagger's own default. */
  String speechApplicationId() {
    return EnvironmentDefaults.isGiven(spec.commandLine(), "--application-id")
        ? applicationId
        : SpeechApp.APPLICATION_ID;
  }

  /** --model when set (flag or variable), else the speech model's name. */
  String speechModel() {
    return EnvironmentDefaults.isGiven(spec.commandLine(), "--model")
        ? model
        : SpeechApp.MODEL_NAME;
  }

  /** {@code --speech}: the speech tagger until Ctrl-C. */
  private int serveSpeech(
      StreamsApp.Config config, String modelName, TrustedKeys trustedKeys, Duration streamTtl)
      throws Exception {
    PrometheusMeterRegistry meters = MetricsServer.newRegistry();
    AtomicReference<StreamsApp> started = new AtomicReference<>();
    try (StopSignal stop = StopSignal.install("serve");
        MetricsServer server = metrics.start(meters, started, "speech tagger");
        StreamsApp app = SpeechApp.start(config, modelName, trustedKeys, meters, streamTtl)) {
      started.set(app);
      app.awaitRunning(Duration.ofMinutes(5));
      spec.commandLine()
          .getOut()
          .printf(
              "seqcast speech tagger running: application.id=%s bootstrap.servers=%s model=%s"
                  + " metrics=http://localhost:%d/metrics (Ctrl-C to stop)%n",
              config.applicationId(), config.kafka().bootstrapServers(), modelName, server.port());
      spec.commandLine().getOut().flush();
      stop.await();
    }
    return 0;
  }
}
