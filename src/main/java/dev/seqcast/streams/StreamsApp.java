package dev.seqcast.streams;

import dev.seqcast.kafka.KafkaConnection;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One seqcast Kafka Streams application as it runs, whichever pipeline its topology is: the client
 * configuration, supervision (client metrics, a dead stream thread replaced, state changes logged),
 * readiness, start and stop. The forecaster and the speech tagger are each one of these with their
 * own topology, model registry and meters. Thread-safe.
 */
public final class StreamsApp implements AutoCloseable, Readiness {

  private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

  /**
   * How a Kafka Streams client of seqcast's is configured.
   *
   * @param kafka where Kafka is and the client settings (security …) every client gets
   * @param applicationId Kafka Streams application id (consumer group, state directory name)
   * @param stateDir where RocksDB state lives
   * @param processingGuarantee {@code exactly_once_v2} (default) or {@code at_least_once}
   * @param commitIntervalMs commit interval; under exactly-once it bounds output visibility delay
   * @param streamThreads stream threads in this instance
   * @param overrides extra Kafka Streams/client properties, applied last
   * @param topics the topics the app reads and writes
   */
  public record Config(
      KafkaConnection kafka,
      String applicationId,
      Path stateDir,
      String processingGuarantee,
      long commitIntervalMs,
      int streamThreads,
      Map<String, String> overrides,
      TopicNames topics) {

    /** Default commit interval under exactly-once, in milliseconds. */
    public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;

    /**
     * Exactly-once, the default commit interval, one stream thread, no overrides, the default topic
     * names.
     */
    public static Config defaults(KafkaConnection kafka, String applicationId, Path stateDir) {
      return new Config(
          kafka,
          applicationId,
          stateDir,
          StreamsConfig.EXACTLY_ONCE_V2,
          DEFAULT_COMMIT_INTERVAL_MS,
          1,
          Map.of(),
          TopicNames.defaults());
    }

    /** This configuration on other topics. */
    public Config withTopics(TopicNames names) {
      return new Config(
          kafka,
          applicationId,
          stateDir,
          processingGuarantee,
          commitIntervalMs,
          streamThreads,
          overrides,
          names);
    }

    /** The Kafka Streams properties for this configuration. */
    public Properties streamsProperties() {
      Properties props = new Properties();
      props.putAll(kafka.clientConfig());
      props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
      props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
      props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, processingGuarantee);
      props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitIntervalMs));
      props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(streamThreads));
      // A prediction is worth most when fresh: send within a few ms rather than fill batches.
      props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), "5");
      props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
      props.putAll(overrides);
      return props;
    }
  }

  private final String role;
  private final KafkaStreams streams;
  private final ModelRegistry registry;
  private final Set<String> models;
  private final KafkaStreamsMetrics clientMetrics;
  private final List<AutoCloseable> closeAfter;
  private final AtomicBoolean closed = new AtomicBoolean();

  private StreamsApp(
      String role,
      KafkaStreams streams,
      ModelRegistry registry,
      Set<String> models,
      KafkaStreamsMetrics clientMetrics,
      List<AutoCloseable> closeAfter) {
    this.role = role;
    this.streams = streams;
    this.registry = registry;
    this.models = models;
    this.clientMetrics = clientMetrics;
    this.closeAfter = closeAfter;
  }

  /**
   * Builds the client for {@code topology}, supervises it and starts it; returns at once (see
   * {@link #awaitRunning}).
   *
   * @param role what the app is, for logs and errors ("predictor", "speech tagger")
   * @param registry the models the topology serves
   * @param models the model names that must be loaded before the app is ready
   * @param meters where the client's own metrics are bound
   * @param restoreListener told of every store restoration, or null; Kafka Streams accepts one only
   *     before the client starts
   * @param closeAfter closed in order after the client has stopped
   */
  public static StreamsApp start(
      String role,
      Config config,
      Topology topology,
      ModelRegistry registry,
      Set<String> models,
      MeterRegistry meters,
      StateRestoreListener restoreListener,
      List<AutoCloseable> closeAfter) {
    KafkaStreams streams = new KafkaStreams(topology, config.streamsProperties());
    KafkaStreamsMetrics clientMetrics = new KafkaStreamsMetrics(streams);
    clientMetrics.bindTo(meters);
    streams.setUncaughtExceptionHandler(
        failure -> {
          // Its tasks move to the new thread and resume from the last commit: nothing is lost.
          LOG.error("{} stream thread failed; replacing it", role, failure);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.setStateListener((now, before) -> LOG.info("{} {} -> {}", role, before, now));
    if (restoreListener != null) {
      streams.setGlobalStateRestoreListener(restoreListener);
    }
    streams.start();
    return new StreamsApp(
        role, streams, registry, Set.copyOf(models), clientMetrics, List.copyOf(closeAfter));
  }

  /**
   * Why this instance should not receive traffic yet, or null when it is ready: Kafka Streams is
   * RUNNING and every model it must serve is loaded. Backs {@code /health/ready}.
   */
  @Override
  public String notReadyReason() {
    KafkaStreams.State state = streams.state();
    if (state != KafkaStreams.State.RUNNING) {
      return "Kafka Streams is " + state;
    }
    for (String model : models) {
      if (registry.current(model) == null) {
        return "no valid version of model '" + model + "' loaded yet";
      }
    }
    return null;
  }

  /**
   * Waits until Kafka Streams is RUNNING.
   *
   * @throws IllegalStateException when the client stops (or fails) instead
   */
  public void awaitRunning(Duration timeout) throws TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (streams.state() != KafkaStreams.State.RUNNING) {
      KafkaStreams.State state = streams.state();
      if (!state.isRunningOrRebalancing() && state != KafkaStreams.State.CREATED) {
        throw new IllegalStateException(role + " stopped while starting: " + state);
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException(role + " not RUNNING after " + timeout + ": " + state);
      }
      Thread.sleep(50);
    }
  }

  /** The model registry of this instance. */
  public ModelRegistry registry() {
    return registry;
  }

  /** The underlying Kafka Streams client. */
  public KafkaStreams streams() {
    return streams;
  }

  /**
   * Stops processing, commits, and leaves the consumer group so that the partitions move to the
   * remaining instances (or to this one when it restarts) at once rather than after the session
   * timeout; then closes what was handed over at start. Closing again does nothing.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    streams.close(
        CloseOptions.timeout(Duration.ofSeconds(30))
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    clientMetrics.close();
    for (AutoCloseable resource : closeAfter) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("{}: closing {} failed", role, resource, e);
      }
    }
  }
}
