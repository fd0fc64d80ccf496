package dev.seqcast.streams;

import dev.seqcast.kafka.KafkaConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The seqcast topics' default names ({@link TopicNames#defaults()}), and the one place that creates
 * them (Admin API).
 */
public final class Topics {

  /** Ticks in: key = series id, value = tick JSON. */
  public static final String TICKS = "seqcast.ticks";

  /** Forecasts out: key = series id, value = prediction JSON. */
  public static final String PREDICTIONS = "seqcast.predictions";

  /** Anomalies: key = series id, value = anomaly JSON (docs/schemas/anomaly.schema.json). */
  public static final String ANOMALIES = "seqcast.anomalies";

  /** Dead letters: original bytes, reason in headers. */
  public static final String DLQ = "seqcast.dlq";

  /** Model bundles: compacted, key = {@code <name>/<version>}. */
  public static final String MODELS = "seqcast.models";

  /** What happened to models in each instance: refusals, live and shadow changes (JSON). */
  public static final String MODEL_EVENTS = "seqcast.model-events";

  /** Audio in: key = stream id, value = PCM16 little-endian mono, sample rate in a header. */
  public static final String FRAMES = "seqcast.frames";

  /** Speech tags out: key = stream id, value = frame tag or segment event JSON. */
  public static final String TAGS = "seqcast.tags";

  /** Default partitions of the data topics. */
  public static final int DEFAULT_PARTITIONS = 4;

  /** How long {@link #createAll} waits for the new topics' leaders. */
  private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(60);

  private Topics() {}

  /** As {@link #createAll(KafkaConnection, TopicNames, int, short)} with the default names. */
  public static void createAll(KafkaConnection kafka, int partitions, short replicationFactor)
      throws ExecutionException, InterruptedException {
    createAll(kafka, TopicNames.defaults(), partitions, replicationFactor);
  }

  /**
   * Creates every seqcast topic of {@code names} that does not exist yet and waits until it does.
   * Data topics get {@code partitions} partitions; the models topic one partition, compacted; the
   * model events topic one partition.
   */
  public static void createAll(
      KafkaConnection kafka, TopicNames names, int partitions, short replicationFactor)
      throws ExecutionException, InterruptedException {
    try (Admin admin = Admin.create(kafka.clientConfig())) {
      createAll(admin, names, partitions, replicationFactor);
    }
  }

  /** As {@link #definitions(TopicNames, int, short)} with the default names. */
  public static List<NewTopic> definitions(int partitions, short replicationFactor) {
    return definitions(TopicNames.defaults(), partitions, replicationFactor);
  }

  /**
   * Every seqcast topic of {@code names} as it is created: data topics with {@code partitions}
   * partitions, the models topic with one partition, compacted, taking bundles up to 64 MiB; the
   * model events topic with one partition. Deployments that create topics with other tools follow
   * this list.
   */
  public static List<NewTopic> definitions(
      TopicNames names, int partitions, short replicationFactor) {
    return List.of(
        new NewTopic(names.ticks(), partitions, replicationFactor),
        new NewTopic(names.predictions(), partitions, replicationFactor),
        new NewTopic(names.dlq(), partitions, replicationFactor),
        new NewTopic(names.anomalies(), partitions, replicationFactor),
        new NewTopic(names.frames(), partitions, replicationFactor),
        new NewTopic(names.tags(), partitions, replicationFactor),
        new NewTopic(names.models(), 1, replicationFactor)
            .configs(
                Map.of(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    TopicConfig.CLEANUP_POLICY_COMPACT,
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Integer.toString(64 << 20))),
        new NewTopic(names.modelEvents(), 1, replicationFactor));
  }

  /** As {@link #createAll(Admin, TopicNames, int, short)} with the default names. */
  public static void createAll(Admin admin, int partitions, short replicationFactor)
      throws ExecutionException, InterruptedException {
    createAll(admin, TopicNames.defaults(), partitions, replicationFactor);
  }

  /**
   * As {@link #createAll(KafkaConnection, TopicNames, int, short)} with an existing admin client.
   */
  public static void createAll(
      Admin admin, TopicNames names, int partitions, short replicationFactor)
      throws ExecutionException, InterruptedException {
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("partitions and replication factor must be at least 1");
    }
    List<NewTopic> wanted = definitions(names, partitions, replicationFactor);
    Set<String> existing = admin.listTopics().names().get();
    List<NewTopic> missing = new ArrayList<>();
    for (NewTopic topic : wanted) {
      if (!existing.contains(topic.name())) {
        missing.add(topic);
      }
    }
    if (!missing.isEmpty()) {
      admin.createTopics(missing).all().get();
    }
    awaitLeaders(admin, wanted.stream().map(NewTopic::name).toList());
  }

  /**
   * Waits until every partition of {@code topics} has a leader. Creation returns once the
   * controller has committed the topics; the first produce before the brokers have elected leaders
   * fails with a retriable error, and an idempotent producer whose next batch gets through first
   * can then retry the refused one as out of order for ever (KAFKA-14359).
   */
  private static void awaitLeaders(Admin admin, List<String> topics)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + LEADER_TIMEOUT.toNanos();
    while (true) {
      if (allLed(admin, topics)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the seqcast topics have partitions without a leader after " + LEADER_TIMEOUT);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Whether every partition of {@code topics} has a leader. On a cluster the broker asked may not
   * have the new topics' metadata yet and answers "unknown topic", which means "not yet" here.
   */
  private static boolean allLed(Admin admin, List<String> topics)
      throws ExecutionException, InterruptedException {
    try {
      return admin.describeTopics(topics).allTopicNames().get().values().stream()
          .flatMap(d -> d.partitions().stream())
          .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return false;
      }
      throw e;
    }
  }
}
