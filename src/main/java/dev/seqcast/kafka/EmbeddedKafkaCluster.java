package dev.seqcast.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;

/**
 * A real multi-node KRaft Kafka cluster in this JVM, for fault tests and the reliability benchmark:
 * {@code n} combined broker + controller nodes on localhost, each with its own ports and log
 * directory. With three or more nodes every topic defaults to replication factor 3 and {@code
 * min.insync.replicas} 2 (internal topics included), so one node can be lost without losing a
 * write; with one node it is the plain single-node broker.
 *
 * <p>Nodes can be stopped and started again on the same ports and log directories ({@link #stop},
 * {@link #restart}, {@link #stopAll}, {@link #startAll}), so clients see a broker go away and come
 * back exactly as in a real outage. Stopping is the broker's own shutdown, run in this JVM; a
 * {@code kill -9} of a broker process is not modelled here.
 *
 * <p>Thread-safe: the node table is guarded by this object's lock; nodes start and stop outside it.
 */
public final class EmbeddedKafkaCluster implements AutoCloseable {

  private final List<EmbeddedKafkaBroker.Node> quorum;
  private final List<Path> dirs;
  private final Map<String, String> overrides;
  private final String clusterId;
  private final EmbeddedKafkaBroker[] running;
  private boolean closed;

  private EmbeddedKafkaCluster(
      List<EmbeddedKafkaBroker.Node> quorum,
      List<Path> dirs,
      Map<String, String> overrides,
      String clusterId) {
    this.quorum = quorum;
    this.dirs = dirs;
    this.overrides = overrides;
    this.clusterId = clusterId;
    this.running = new EmbeddedKafkaBroker[quorum.size()];
  }

  /**
   * Starts {@code nodes} nodes on free ports, each in a fresh temporary log directory removed on
   * {@link #close()}, and returns once all are up.
   *
   * @param extra broker properties applied last on every node
   */
  public static EmbeddedKafkaCluster start(int nodes, Map<String, String> extra)
      throws IOException {
    if (nodes < 1) {
      throw new IllegalArgumentException("a cluster needs at least one node, was " + nodes);
    }
    for (int attempt = 1; ; attempt++) {
      try {
        return startOnFreePorts(nodes, extra);
      } catch (RuntimeException | IOException e) {
        // Another process may take a port between finding it free and the node binding it.
        if (!(EmbeddedKafkaBroker.portTaken(e) && attempt < EmbeddedKafkaBroker.START_ATTEMPTS)) {
          throw e;
        }
      }
    }
  }

  private static EmbeddedKafkaCluster startOnFreePorts(int nodes, Map<String, String> extra)
      throws IOException {
    List<EmbeddedKafkaBroker.Node> quorum = EmbeddedKafkaBroker.Node.onFreePorts(nodes);
    List<Path> dirs = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      dirs.add(Files.createTempDirectory("seqcast-kafka-node" + (i + 1) + "-"));
    }
    Map<String, String> overrides = new HashMap<>(replication(nodes));
    overrides.putAll(extra);
    EmbeddedKafkaCluster cluster =
        new EmbeddedKafkaCluster(
            quorum, List.copyOf(dirs), Map.copyOf(overrides), Uuid.randomUuid().toString());
    try {
      cluster.startAll();
    } catch (RuntimeException | IOException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  /** Replication of data and internal topics: 3 replicas, 2 in sync, once there are 3 nodes. */
  private static Map<String, String> replication(int nodes) {
    if (nodes < 3) {
      return Map.of();
    }
    return Map.of(
        "default.replication.factor", "3",
        "min.insync.replicas", "2",
        "offsets.topic.replication.factor", "3",
        "transaction.state.log.replication.factor", "3",
        "transaction.state.log.min.isr", "2",
        "share.coordinator.state.topic.replication.factor", "3",
        "share.coordinator.state.topic.min.isr", "2");
  }

  /** Number of nodes, running or not. */
  public int size() {
    return quorum.size();
  }

  /** The replication factor topics of this cluster should be created with. */
  public short replicationFactor() {
    return (short) Math.min(3, quorum.size());
  }

  /** {@code localhost:<port>,…} of every node, running or not. */
  public String bootstrapServers() {
    return String.join(",", quorum.stream().map(n -> "localhost:" + n.clientPort()).toList());
  }

  /** A plaintext client connection to this cluster. */
  public KafkaConnection connection() {
    return KafkaConnection.to(bootstrapServers());
  }

  /** Whether node {@code index} (0-based) is running. */
  public synchronized boolean isRunning(int index) {
    return running[index] != null;
  }

  /** Shuts node {@code index} (0-based) down; its log directory and ports stay reserved. */
  public synchronized void stop(int index) {
    EmbeddedKafkaBroker broker = running[index];
    running[index] = null;
    if (broker != null) {
      broker.close();
    }
  }

  /** Starts node {@code index} (0-based) again on its ports and log directory. */
  public synchronized void restart(int index) throws IOException {
    if (running[index] == null) {
      running[index] =
          EmbeddedKafkaBroker.startNode(
              quorum.get(index), quorum, clusterId, dirs.get(index), overrides);
    }
  }

  /**
   * Shuts every running node down at once: one at a time, the last nodes would wait for a quorum
   * that is already gone.
   */
  public void stopAll() {
    EmbeddedKafkaBroker[] stopping;
    synchronized (this) {
      stopping = running.clone();
      java.util.Arrays.fill(running, null);
    }
    inParallel(
        i -> {
          if (stopping[i] != null) {
            stopping[i].close();
          }
          return null;
        });
  }

  /** Starts every stopped node at once (each waits for a quorum of controllers to start). */
  public void startAll() throws IOException {
    try {
      inParallel(
          i -> {
            restartUnlocked(i);
            return null;
          });
    } catch (CompletionException e) {
      if (e.getCause() instanceof IOException io) {
        throw io;
      }
      throw e;
    }
  }

  private void restartUnlocked(int index) throws IOException {
    EmbeddedKafkaBroker broker;
    synchronized (this) {
      if (running[index] != null) {
        return;
      }
    }
    broker =
        EmbeddedKafkaBroker.startNode(
            quorum.get(index), quorum, clusterId, dirs.get(index), overrides);
    synchronized (this) {
      running[index] = broker;
    }
  }

  /** One step on node {@code i}, allowed to throw. */
  private interface NodeStep {
    Void run(int i) throws Exception;
  }

  private void inParallel(NodeStep step) {
    List<CompletableFuture<Void>> futures =
        IntStream.range(0, quorum.size())
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            return step.run(i);
                          } catch (Exception e) {
                            throw new CompletionException(e);
                          }
                        },
                        r -> {
                          Thread t = new Thread(r, "seqcast-kafka-node-" + (i + 1));
                          t.setDaemon(true);
                          t.start();
                        }))
            .toList();
    CompletableFuture.allOf(futures.toArray(new CompletableFuture[0])).join();
  }

  /** Stops every node and deletes the log directories. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    try {
      stopAll();
    } finally {
      dirs.forEach(LocalDirs::deleteQuietly);
    }
  }
}
