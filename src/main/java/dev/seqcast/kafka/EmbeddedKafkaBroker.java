package dev.seqcast.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker in this JVM: KRaft mode, one process acting as broker and
 * controller, formatted and started the way {@code kafka-storage.sh format} and {@code
 * kafka-server-start.sh} do it, from the Kafka server artifacts. Used by {@code seqcast broker},
 * the demo and the integration tests. Listens on localhost only.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

  /** Partitions of a topic the broker creates on first use (seqcast's data topics get 4 too). */
  public static final int AUTO_CREATED_PARTITIONS = 4;

  private static final String CONTROLLER_LISTENER = "CONTROLLER";

  private final KafkaRaftServer server;
  private final int port;
  private final Path dataDir;
  private final boolean ownsDataDir;
  private boolean closed;
  private volatile KafkaConnection superUser;

  private EmbeddedKafkaBroker(KafkaRaftServer server, int port, Path dataDir, boolean ownsDataDir) {
    this.server = server;
    this.port = port;
    this.dataDir = dataDir;
    this.ownsDataDir = ownsDataDir;
  }

  /**
   * Formats (if new) and starts a broker.
   *
   * @param port client port; 0 picks a free one
   * @param dataDir log directory; null for a fresh temporary directory deleted on close
   */
  public static EmbeddedKafkaBroker start(int port, Path dataDir) throws IOException {
    return start(port, dataDir, Map.of());
  }

  /** As {@link #start(int, Path)}, with extra broker properties applied last. */
  public static EmbeddedKafkaBroker start(int port, Path dataDir, Map<String, String> overrides)
      throws IOException {
    return start(port, dataDir, overrides, null);
  }

  /**
   * As {@link #start(int, Path)}, but clients must authenticate over SASL_SSL and are authorised by
   * ACLs; see {@link BrokerSecurity}. {@link #connection()} is then the super user's.
   */
  public static EmbeddedKafkaBroker startSecured(int port, Path dataDir, BrokerSecurity security)
      throws IOException {
    EmbeddedKafkaBroker broker = start(port, dataDir, Map.of(), security);
    broker.superUser = new KafkaConnection(broker.bootstrapServers(), security.superUserSettings());
    return broker;
  }

  private static EmbeddedKafkaBroker start(
      int port, Path dataDir, Map<String, String> overrides, BrokerSecurity security)
      throws IOException {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be 0..65535, was " + port);
    }
    String clusterId = Uuid.randomUuid().toString();
    for (int attempt = 1; ; attempt++) {
      Node node =
          port == 0
              ? Node.onFreePorts(1).get(0)
              : new Node(1, requireFree(port), freePorts(1, port)[0]);
      try {
        return startNode(node, List.of(node), clusterId, dataDir, overrides, security);
      } catch (IOException e) {
        if (!(portTaken(e) && attempt < START_ATTEMPTS)) {
          throw e;
        }
      }
    }
  }

  /**
   * How often a start is tried on fresh ports. A port found free can be taken by another process
   * before the broker binds it (two brokers starting side by side can be handed the same one), so a
   * bind failure on ports picked here is retried on new ones.
   */
  static final int START_ATTEMPTS = 4;

  /** Whether {@code e} failed because a port was already in use. */
  static boolean portTaken(Throwable e) {
    return Causes.find(e, BindException.class) != null;
  }

  /**
   * Where one KRaft node listens: its node id, client port and controller port.
   *
   * @param id node id, unique in the quorum
   * @param clientPort port of the PLAINTEXT client listener
   * @param controllerPort port of the CONTROLLER listener
   */
  public record Node(int id, int clientPort, int controllerPort) {

    /**
     * Nodes {@code 1..count} on free ports, every one of the {@code 2 × count} ports different
     * (looking them up one at a time can be handed the same port twice, which Kafka refuses: "Each
     * listener must have a different port").
     */
    public static List<Node> onFreePorts(int count) throws IOException {
      int[] ports = freePorts(2 * count);
      List<Node> nodes = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        nodes.add(new Node(i + 1, ports[2 * i], ports[2 * i + 1]));
      }
      return List.copyOf(nodes);
    }

    String voter() {
      return id + "@localhost:" + controllerPort;
    }
  }

  /**
   * Formats (if new) and starts one combined broker + controller node of a static KRaft quorum.
   * {@link EmbeddedKafkaCluster} starts the nodes of a multi-node quorum in parallel, since each
   * waits for a quorum of controllers before it reports started.
   *
   * @param node this node
   * @param quorum every node of the quorum, this one included
   * @param clusterId the cluster id all nodes are formatted with
   * @param dataDir log directory; null for a fresh temporary directory deleted on close
   * @param overrides extra broker properties, applied last
   */
  public static EmbeddedKafkaBroker startNode(
      Node node, List<Node> quorum, String clusterId, Path dataDir, Map<String, String> overrides)
      throws IOException {
    return startNode(node, quorum, clusterId, dataDir, overrides, null);
  }

  private static EmbeddedKafkaBroker startNode(
      Node node,
      List<Node> quorum,
      String clusterId,
      Path dataDir,
      Map<String, String> overrides,
      BrokerSecurity security)
      throws IOException {
    boolean owns = dataDir == null;
    Path dir = owns ? Files.createTempDirectory("seqcast-kafka") : dataDir;
    Files.createDirectories(dir);
    Properties props = properties(node, quorum, dir);
    if (security != null) {
      props.putAll(security.brokerProperties(node.clientPort(), node.controllerPort()));
    }
    props.putAll(overrides);
    KafkaConfig config = new KafkaConfig(props, false);
    try {
      formatIfNew(
          dir,
          node.id(),
          clusterId,
          security == null ? List.of() : List.of(security.scramArgument()));
      KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
      server.startup();
      return new EmbeddedKafkaBroker(server, node.clientPort(), dir, owns);
    } catch (Exception e) {
      if (owns) {
        LocalDirs.deleteQuietly(dir);
      }
      throw new IOException(
          "Kafka broker failed to start on port " + node.clientPort() + ": " + e, e);
    }
  }

  private static Properties properties(Node node, List<Node> quorum, Path dir) {
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", Integer.toString(node.id()));
    props.put(
        "controller.quorum.voters", String.join(",", quorum.stream().map(Node::voter).toList()));
    props.put(
        "listeners",
        "PLAINTEXT://localhost:"
            + node.clientPort()
            + ",CONTROLLER://localhost:"
            + node.controllerPort());
    props.put("advertised.listeners", "PLAINTEXT://localhost:" + node.clientPort());
    props.put("controller.listener.names", CONTROLLER_LISTENER);
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("log.dirs", dir.toString());
    // A single node by default: every internal topic has one replica (a cluster overrides these).
    props.put("offsets.topic.replication.factor", "1");
    props.put("offsets.topic.num.partitions", "4");
    props.put("transaction.state.log.replication.factor", "1");
    props.put("transaction.state.log.min.isr", "1");
    props.put("transaction.state.log.num.partitions", "4");
    props.put("share.coordinator.state.topic.replication.factor", "1");
    props.put("share.coordinator.state.topic.min.isr", "1");
    props.put("group.initial.rebalance.delay.ms", "0");
    props.put("num.partitions", Integer.toString(AUTO_CREATED_PARTITIONS));
    props.put("auto.create.topics.enable", "false");
    props.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 << 20));
    return props;
  }

  private static void formatIfNew(
      Path dir, int nodeId, String clusterId, List<String> scramArguments) throws Exception {
    if (Files.exists(dir.resolve("meta.properties"))) {
      return;
    }
    new Formatter()
        .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
        .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
        .setNodeId(nodeId)
        .setClusterId(clusterId)
        .setDirectories(List.of(dir.toString()))
        .setMetadataLogDirectory(dir.toString())
        .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
        .setControllerListenerName(CONTROLLER_LISTENER)
        .setIgnoreFormatted(true)
        .setScramArguments(scramArguments)
        .run();
  }

  /**
   * {@code count} different free loopback ports, none of them in {@code taken}. Every socket stays
   * open until all are found, so the system cannot hand out one port twice.
   */
  static int[] freePorts(int count, int... taken) throws IOException {
    List<ServerSocket> open = new ArrayList<>();
    try {
      int[] ports = new int[count];
      int found = 0;
      while (found < count) {
        ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        open.add(socket);
        int port = socket.getLocalPort();
        if (IntStream.of(taken).noneMatch(t -> t == port)) {
          ports[found++] = port;
        }
      }
      return ports;
    } finally {
      for (ServerSocket socket : open) {
        socket.close();
      }
    }
  }

  private static int requireFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return port;
    } catch (IOException e) {
      throw new IllegalStateException(
          "port " + port + " is already in use; choose another with --port, or --port 0 for any");
    }
  }

  /** {@code localhost:<port>} for clients. */
  public String bootstrapServers() {
    return "localhost:" + port;
  }

  /**
   * A client connection to this broker: plaintext, or the super user's when the broker was started
   * secured.
   */
  public KafkaConnection connection() {
    return superUser != null ? superUser : KafkaConnection.to(bootstrapServers());
  }

  /** The client port actually bound. */
  public int port() {
    return port;
  }

  /** The broker's log directory. */
  public Path dataDir() {
    return dataDir;
  }

  /** Blocks until the broker has shut down (e.g. from a shutdown hook calling {@link #close}). */
  public void awaitShutdown() {
    server.awaitShutdown();
  }

  /** Stops the broker and, if it made its data directory, deletes it. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.shutdown();
    server.awaitShutdown();
    if (ownsDataDir) {
      LocalDirs.deleteQuietly(dataDir);
    }
  }
}
