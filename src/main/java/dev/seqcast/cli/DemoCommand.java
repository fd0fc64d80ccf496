package dev.seqcast.cli;

import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.forecast.data.Series;
import dev.seqcast.forecast.data.SeriesReplay;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.kafka.LocalDirs;
import dev.seqcast.kafka.Pacer;
import dev.seqcast.model.BundledModels;
import dev.seqcast.model.CellType;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.streams.MetricsServer;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.TopicNames;
import dev.seqcast.streams.Topics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job: a real KRaft broker, the bundled S&amp;P 500 LSTM, the predictor, and the bundled
 * real price series replayed as live ticks, with a live status line and a final scoreboard.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run everything on this machine: an embedded Kafka broker, the bundled LSTM (or GRU)"
          + " trained on the S&P 500, the streaming predictor, and the bundled real price series (S&P 500 daily,"
          + " five stocks monthly) replayed as live ticks. Prints a live line every few seconds"
          + " and a final table."
    })
public final class DemoCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--cell",
      defaultValue = "lstm",
      description = "Which bundled S&P 500 model to run: lstm or gru.")
  CellType cell;

  @Option(
      names = "--events",
      paramLabel = "N",
      description = "Ticks to replay, then print the summary and exit (default: run until Ctrl-C).")
  Long events;

  @Option(
      names = "--rate",
      paramLabel = "R",
      defaultValue = "1000",
      description = "Ticks per second to replay; 0 = as fast as possible.")
  int rate;

  @Option(
      names = "--port",
      defaultValue = "0",
      description = "Port of the embedded broker; 0 picks a free one.")
  int port;

  @Option(
      names = "--malformed-every",
      paramLabel = "K",
      defaultValue = "1000",
      description =
          "Also send one deliberately malformed tick every K ticks, to show the dead-letter topic;"
              + " 0 = never.")
  int malformedEvery;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      defaultValue = "data",
      description = "Directory holding sp500-2000.csv and stocks.csv.")
  Path dataDir;

  @Option(
      names = "--report-every",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "Seconds between live status lines.")
  int reportEverySeconds;

  @Option(
      names = "--speech",
      description =
          "Run the speech demo instead: the bundled speech GRU tags every held-out recording of"
              + " DATA-DIR/speech/test, replayed at once as live streams at real-time pace (--rate"
              + " 0: as fast as possible), printing speech segments and a per-stream table.")
  boolean speech;

  @Option(
      names = "--loop",
      description =
          "With --speech: replay the held-out recordings pass after pass (streams"
              + " <recording>#<pass>) until Ctrl-C, printing one line per pass; a steady source"
              + " for dashboards.")
  boolean loop;

  @Mixin MetricsOptions metrics;

  @Mixin ForecastOptions forecast;

  @Mixin TopicOptions topics;

  /** Series the demo exports per-series metrics for unless told otherwise. */
  static final Set<String> DEFAULT_METRICS_SERIES = Set.of("sp500", "AAPL");

  @Override
  public Integer call() throws Exception {
    validate();
    TopicNames topicNames = topics.names(spec.commandLine());
    if (speech) {
      metrics.validate(spec.commandLine());
      Path corpus = dataDir.resolve("speech/test");
      SpeechDemo demo =
          new SpeechDemo(
              spec.commandLine().getOut(),
              corpus,
              InputFiles.corpus(spec.commandLine(), "--data-dir", corpus),
              port,
              rate != 0,
              metrics,
              loop,
              topicNames);
      return untilStopped("speech-demo", demo::stop, demo::run);
    }
    metrics.validate(spec.commandLine());
    forecast.settings(spec.commandLine()); // a usage mistake fails before the broker starts
    PrintWriter out = spec.commandLine().getOut();
    List<Series> series = loadSeries();
    ModelBundle bundle = BundledModels.sp500(cell);
    DemoRun run = new DemoRun(out, series, bundle, topicNames);
    return untilStopped(
        "demo",
        run::stop,
        () -> {
          Path stateDir = Files.createTempDirectory("seqcast-demo-state");
          PrometheusMeterRegistry meters = MetricsServer.newRegistry();
          AtomicReference<StreamsApp> app = new AtomicReference<>();
          try (MetricsServer server = metrics.start(meters, app, "predictor");
              EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(port, null)) {
            out.printf("broker ready at %s%n", broker.bootstrapServers());
            out.printf(
                "metrics at http://localhost:%d/metrics, readiness at /health/ready%n",
                server.port());
            out.flush();
            return run.execute(broker.connection(), stateDir, meters, app);
          } finally {
            LocalDirs.deleteQuietly(stateDir);
          }
        });
  }

  /**
   * Runs {@code demo} until it returns; on Ctrl-C, calls {@code stop} and waits for {@code demo} to
   * return, so the demo closes its app and broker itself before the JVM exits.
   */
  private static int untilStopped(String name, Runnable stop, Callable<Integer> demo)
      throws Exception {
    try (StopSignal signal = StopSignal.install(name).onStop(stop)) {
      return demo.call();
    }
  }

  private void validate() {
    if (events != null && events < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--events must be at least 1, was " + events);
    }
    if (rate < 0) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--rate must be 0 (unthrottled) or positive, was " + rate);
    }
    if (loop && !speech) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--loop replays the speech corpus: use it with --speech (the price demo already runs"
              + " until Ctrl-C unless --events is given)");
    }
    if (malformedEvery < 0 || reportEverySeconds < 1) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--malformed-every must be >= 0 and --report-every >= 1");
    }
  }

  private List<Series> loadSeries() {
    Path sp500 = dataDir.resolve("sp500-2000.csv");
    Path stocks = dataDir.resolve("stocks.csv");
    if (!Files.isRegularFile(sp500) || !Files.isRegularFile(stocks)) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "bundled data not found under '"
              + dataDir.toAbsolutePath()
              + "'; run from the project directory or pass --data-dir");
    }
    List<Series> all =
        new ArrayList<>(
            InputFiles.seriesWithoutGaps(
                spec.commandLine(), sp500, "close", null, "sp500", "--data-dir"));
    all.addAll(
        InputFiles.seriesWithoutGaps(
            spec.commandLine(), stocks, "price", "symbol", null, "--data-dir"));
    return all;
  }

  /** One demo run: publish the model, start the predictor, replay, report. */
  private final class DemoRun {
    private final PrintWriter out;
    private final List<Series> series;
    private final ModelBundle bundle;
    private final TopicNames names;
    private volatile boolean stopRequested;

    DemoRun(PrintWriter out, List<Series> series, ModelBundle bundle, TopicNames names) {
      this.names = names;
      this.out = out;
      this.series = series;
      this.bundle = bundle;
    }

    /** Asks the run to stop replaying and report; returns at once. */
    void stop() {
      stopRequested = true;
    }

    int execute(
        KafkaConnection bootstrap,
        Path stateDir,
        PrometheusMeterRegistry meters,
        AtomicReference<StreamsApp> started)
        throws Exception {
      Topics.createAll(bootstrap, names, Topics.DEFAULT_PARTITIONS, (short) 1);
      ModelPublisher.publish(bootstrap, names.models(), bundle);
      out.printf(
          "published model %s v%d (%s, hidden %d; trainer's holdout MAE %.4f vs naive %.4f)%n",
          bundle.header().name(),
          bundle.header().version(),
          bundle.header().cell().wireName(),
          bundle.header().hiddenSize(),
          bundle.header().metrics().get("holdoutMae"),
          bundle.header().metrics().get("naiveMae"));
      PredictorApp.Config defaults =
          PredictorApp.Config.defaults(bootstrap, stateDir).withTopics(names);
      PredictorApp.Config config =
          defaults.withPredictor(
              defaults
                  .predictor()
                  .withMetricsSeries(metrics.series(DEFAULT_METRICS_SERIES))
                  .withForecast(forecast.settings(spec.commandLine())));
      try (StreamsApp app = PredictorApp.start(config, meters);
          DemoObserver observer = new DemoObserver(bootstrap, names);
          KafkaProducer<byte[], byte[]> producer = bootstrap.replayProducer()) {
        started.set(app);
        app.awaitRunning(Duration.ofSeconds(60));
        out.printf(
            "predictor running (%s); replaying %d series%s at %s ticks/s%n",
            config.app().processingGuarantee(),
            series.size(),
            events == null ? " until Ctrl-C" : ", " + events + " ticks",
            rate == 0 ? "max" : Integer.toString(rate));
        out.flush();
        Replay replay = replay(producer, observer);
        producer.flush();
        boolean complete = awaitOutputs(observer, replay, Duration.ofSeconds(60));
        printSummary(observer, replay);
        if (!complete && !stopRequested) {
          spec.commandLine()
              .getErr()
              .printf(
                  "seqcast demo: expected %d predictions and %d dead letters, got %d and %d"
                      + " within 60 s%n",
                  replay.sent, replay.malformed, observer.predictions(), observer.deadLetters());
          return 1;
        }
        return 0;
      }
    }

    private Replay replay(KafkaProducer<byte[], byte[]> producer, DemoObserver observer)
        throws InterruptedException {
      Replay replay = new Replay();
      Pacer pacer = Pacer.perSecond(rate);
      SeriesReplay ticks = new SeriesReplay(series, true);
      long limit = events == null ? Long.MAX_VALUE : events;
      long nextReport = System.nanoTime() + reportEverySeconds * 1_000_000_000L;
      while (!stopRequested && replay.sent < limit && ticks.hasNext()) {
        SeriesReplay.Tick tick = ticks.next();
        byte[] key = tick.series().getBytes(StandardCharsets.UTF_8);
        pacer.pace();
        producer.send(
            new ProducerRecord<>(
                names.ticks(), key, TickCodec.encodeValue(tick.ts(), tick.value())));
        replay.sent++;
        if (malformedEvery > 0 && replay.sent % malformedEvery == 0) {
          producer.send(new ProducerRecord<>(names.ticks(), key, MalformedTicks.next(tick.ts())));
          replay.malformed++;
        }
        if (System.nanoTime() >= nextReport) {
          printLive(observer, replay);
          nextReport += reportEverySeconds * 1_000_000_000L;
        }
      }
      return replay;
    }

    /** Every valid tick yields one prediction and every malformed one a dead letter. */
    private boolean awaitOutputs(DemoObserver observer, Replay replay, Duration timeout)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      // On Ctrl-C, give in-flight ticks a few seconds so the summary covers what was sent.
      long stopGrace = System.nanoTime() + 5_000_000_000L;
      while (observer.predictions() < replay.sent || observer.deadLetters() < replay.malformed) {
        if (System.nanoTime() > deadline || (stopRequested && System.nanoTime() > stopGrace)) {
          return false;
        }
        Thread.sleep(50);
      }
      return true;
    }

    private void printLive(DemoObserver observer, Replay replay) {
      double seconds = (System.nanoTime() - replay.startedNanos) / 1e9;
      out.printf(
          "[%5.1fs] ticks sent %,d | predictions %,d | dead letters %,d | %,.0f ticks/s | latency"
              + " p50 %.0f ms p99 %.0f ms | model %s%n",
          seconds,
          replay.sent + replay.malformed,
          observer.predictions(),
          observer.deadLetters(),
          replay.sent / seconds,
          observer.latencyPercentileMs(50),
          observer.latencyPercentileMs(99),
          observer.modelInUse());
      out.flush();
    }

    private void printSummary(DemoObserver observer, Replay replay) {
      double seconds = Math.max(1, observer.lastPredictionAtMs() - replay.startedMillis) / 1000.0;
      out.println();
      out.println("seqcast demo summary");
      out.printf(
          "  %-26s %,d (%,d valid, %,d malformed)%n",
          "ticks in", replay.sent + replay.malformed, replay.sent, replay.malformed);
      out.printf("  %-26s %,d%n", "predictions out", observer.predictions());
      out.printf(
          "  %-26s %,d %s%n",
          "dead letters", observer.deadLetters(), observer.deadLettersByReason());
      out.printf("  %-26s %s%n", "model", observer.modelInUse());
      out.printf("  %-26s %,.0f predictions/s%n", "throughput", observer.predictions() / seconds);
      out.printf(
          "  %-26s p50 %.0f ms, p99 %.0f ms%n",
          "latency (produce→predict)",
          observer.latencyPercentileMs(50),
          observer.latencyPercentileMs(99));
      out.println();
      out.printf(
          "  %-8s %12s %14s %14s %8s%n",
          "series", "predictions", "model MAE", "naive MAE", "ratio");
      observer
          .scores()
          .forEach(
              (name, s) ->
                  out.printf(
                      "  %-8s %,12d %14.4f %14.4f %8.4f%n",
                      name,
                      s.predictions,
                      s.modelMae(),
                      s.naiveMae(),
                      s.modelMae() / s.naiveMae()));
      out.println(
          "  (MAE of one-step-ahead forecasts in price units; naive = last value; ratio < 1"
              + " means the model beats naive)");
      out.flush();
    }
  }

  /** Replay counters, touched by the replaying thread only. */
  private static final class Replay {
    final long startedNanos = System.nanoTime();
    final long startedMillis = System.currentTimeMillis();
    long sent;
    long malformed;
  }
}
