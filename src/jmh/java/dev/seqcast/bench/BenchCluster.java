package dev.seqcast.bench;

import dev.seqcast.forecast.PredictorApp;
import dev.seqcast.forecast.PredictorSettings;
import dev.seqcast.forecast.TickCodec;
import dev.seqcast.kafka.EmbeddedKafkaBroker;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.kafka.LocalDirs;
import dev.seqcast.kafka.Pacer;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.streams.ModelPublisher;
import dev.seqcast.streams.StreamsApp;
import dev.seqcast.streams.TopicNames;
import dev.seqcast.streams.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * A real single-node KRaft broker with the seqcast topics, for the end-to-end benchmarks: pre-loads
 * synthetic price ticks and runs predictor apps against them. Everything lives in temporary
 * directories removed on {@link #close()}. Confined to the benchmark's main thread.
 */
public final class BenchCluster implements AutoCloseable {

  private final EmbeddedKafkaBroker broker;
  private final List<Path> stateDirs = new ArrayList<>();
  private final List<StreamsApp> apps = new ArrayList<>();

  private BenchCluster(EmbeddedKafkaBroker broker) {
    this.broker = broker;
  }

  /** Starts a broker on a free port and creates the topics with {@code partitions} each. */
  public static BenchCluster start(int partitions) throws Exception {
    EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null);
    Topics.createAll(broker.connection(), partitions, (short) 1);
    return new BenchCluster(broker);
  }

  /** The broker's bootstrap address. */
  public String bootstrap() {
    return broker.bootstrapServers();
  }

  /** The client configuration reaching the broker. */
  public KafkaConnection connection() {
    return broker.connection();
  }

  /** Publishes a model bundle to the models topic. */
  public void publish(ModelBundle bundle) throws Exception {
    ModelPublisher.publish(broker.connection(), bundle);
  }

  /** Series id {@code i} as the generator names it: {@code s0000042}. */
  public static String seriesId(int i) {
    return String.format("s%07d", i);
  }

  /** A producer tuned for bulk loading or for fixed-rate load: {@code lingerMs} 0 sends at once. */
  public KafkaProducer<byte[], byte[]> producer(int lingerMs) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap(),
            ProducerConfig.ACKS_CONFIG,
            "1",
            ProducerConfig.LINGER_MS_CONFIG,
            Integer.toString(lingerMs),
            ProducerConfig.BATCH_SIZE_CONFIG,
            Integer.toString(256 * 1024)),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /**
   * Writes {@code ticks} ticks to {@code seqcast.ticks}, round-robin over {@code series} series,
   * one event-time step (1 s) per round; values are seeded random walks around 100. Returns when
   * the broker acknowledged all of them.
   */
  public void preload(int series, long ticks, long seed) {
    // Event times end now: the broker's time-based retention would delete segments of old-dated
    // records while the benchmark is still reading them.
    long originMs = System.currentTimeMillis() - (ticks / series + 1) * 1000;
    Random random = new Random(seed);
    double[] price = new double[series];
    java.util.Arrays.fill(price, 100.0);
    byte[][] keys = new byte[series][];
    for (int s = 0; s < series; s++) {
      keys[s] = seriesId(s).getBytes(StandardCharsets.UTF_8);
    }
    java.util.concurrent.atomic.AtomicLong failed = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<Exception> firstFailure =
        new java.util.concurrent.atomic.AtomicReference<>();
    try (KafkaProducer<byte[], byte[]> producer = producer(20)) {
      for (long i = 0; i < ticks; i++) {
        int s = (int) (i % series);
        long round = i / series;
        price[s] *= Math.exp(0.01 * random.nextGaussian());
        producer.send(
            new ProducerRecord<>(
                Topics.TICKS,
                null,
                originMs + round * 1000,
                keys[s],
                TickCodec.encodeValue(originMs + round * 1000, price[s])),
            (metadata, failure) -> {
              if (failure != null) {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, failure);
              }
            });
      }
      producer.flush();
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(
          failed.get() + " of " + ticks + " ticks were not written", firstFailure.get());
    }
  }

  /**
   * Sends ticks on schedule, {@code rate} per second round-robin over {@code series} series, until
   * {@code endMs}; record timestamps are the send time, so a prediction's timestamp tells when its
   * tick left. Counts sent ticks in {@code sent}.
   */
  public void produceAtRate(int series, int rate, long endMs, AtomicLong sent) {
    byte[][] keys = new byte[series][];
    double[] price = new double[series];
    for (int s = 0; s < series; s++) {
      keys[s] = seriesId(s).getBytes(StandardCharsets.UTF_8);
      price[s] = 100;
    }
    Random random = new Random(1);
    long[] lastTs = new long[series];
    Pacer pacer = Pacer.perSecond(rate);
    try (KafkaProducer<byte[], byte[]> producer = producer(0)) {
      for (long i = 0; System.currentTimeMillis() < endMs; i++) {
        try {
          pacer.pace();
        } catch (InterruptedException stopped) {
          Thread.currentThread().interrupt();
          return;
        }
        int s = (int) (i % series);
        price[s] *= Math.exp(0.01 * random.nextGaussian());
        long now = System.currentTimeMillis();
        // The predictor dead-letters a tick not after its series' last; a per-series bump keeps
        // event time at the send time instead of drifting ahead of it at high rates.
        long ts = Math.max(now, lastTs[s] + 1);
        lastTs[s] = ts;
        producer.send(
            new ProducerRecord<>(
                Topics.TICKS, null, now, keys[s], TickCodec.encodeValue(ts, price[s])));
        sent.incrementAndGet();
      }
    }
  }

  /**
   * A read_committed consumer of {@code seqcast.predictions} in a fresh group that starts at the
   * end of the topic, already assigned its partitions when returned.
   */
  public KafkaConsumer<byte[], byte[]> latestPredictions(String groupPrefix) {
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                groupPrefix + "-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest"),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(List.of(Topics.PREDICTIONS));
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(100));
    }
    return consumer;
  }

  /**
   * Starts a predictor app with its own application id and state directory.
   *
   * @param guarantee {@code at_least_once} or {@code exactly_once_v2}
   * @param kernels where the app's step kernels come from
   */
  public StreamsApp startApp(
      String applicationId,
      String guarantee,
      long commitIntervalMs,
      Function<RecurrentModel, StepKernel> kernels,
      MeterRegistry meters)
      throws IOException, TimeoutException, InterruptedException {
    Path stateDir = Files.createTempDirectory("seqcast-bench-state");
    stateDirs.add(stateDir);
    return startApp(applicationId, guarantee, commitIntervalMs, kernels, meters, stateDir, null);
  }

  /**
   * As above, with local state in {@code stateDir}; returns once the app is RUNNING, which Kafka
   * Streams reaches only after every active store is restored from its changelog.
   *
   * @param restoreListener told about changelog restoration, or {@code null}
   */
  public StreamsApp startApp(
      String applicationId,
      String guarantee,
      long commitIntervalMs,
      Function<RecurrentModel, StepKernel> kernels,
      MeterRegistry meters,
      Path stateDir,
      StateRestoreListener restoreListener)
      throws IOException, TimeoutException, InterruptedException {
    return startApp(
        applicationId,
        guarantee,
        commitIntervalMs,
        kernels,
        meters,
        stateDir,
        restoreListener,
        PredictorSettings.defaults());
  }

  /** As above, with other topology settings (e.g. series expiry). */
  public StreamsApp startApp(
      String applicationId,
      String guarantee,
      long commitIntervalMs,
      Function<RecurrentModel, StepKernel> kernels,
      MeterRegistry meters,
      Path stateDir,
      StateRestoreListener restoreListener,
      PredictorSettings settings)
      throws IOException, TimeoutException, InterruptedException {
    PredictorApp.Config config =
        new PredictorApp.Config(
            new StreamsApp.Config(
                broker.connection(),
                applicationId,
                stateDir,
                guarantee,
                commitIntervalMs,
                1,
                Map.of(StreamsConfig.consumerPrefix("max.poll.records"), "2000"),
                TopicNames.defaults()),
            settings);
    StreamsApp app = PredictorApp.start(config, meters, kernels, restoreListener);
    apps.add(app);
    app.awaitRunning(Duration.ofMinutes(2));
    return app;
  }

  /** Ticks the app behind {@code meters} has turned into predictions so far. */
  public static double predicted(MeterRegistry meters) {
    var counter = meters.find("seqcast.events").tag("outcome", "predicted").counter();
    return counter == null ? 0 : counter.count();
  }

  /** Ticks the app behind {@code meters} has sent to the dead-letter topic so far. */
  public static double deadLettered(MeterRegistry meters) {
    var counter = meters.find("seqcast.events").tag("outcome", "dead_lettered").counter();
    return counter == null ? 0 : counter.count();
  }

  /** A fresh in-memory meter registry for one app. */
  public static MeterRegistry meters() {
    return new SimpleMeterRegistry();
  }

  @Override
  public void close() {
    for (StreamsApp app : apps) {
      try {
        app.close();
      } catch (RuntimeException e) {
        // already closed by the benchmark
      }
    }
    broker.close();
    stateDirs.forEach(LocalDirs::deleteQuietly);
  }
}
