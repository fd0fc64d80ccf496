package dev.seqcast.kafka;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Where Kafka is and how to talk to it: the bootstrap servers plus standard Kafka client settings
 * (security protocol, SASL, SSL, timeouts …) that every client seqcast creates — Kafka Streams,
 * producers, consumers, admin — must carry. One value, passed wherever a client is made, so a
 * secured cluster needs its settings in exactly one place.
 *
 * <p>{@link #toString()} shows the bootstrap servers and the setting <em>names</em> only: setting
 * values may be passwords or JAAS lines and must never reach a log.
 *
 * @param bootstrapServers Kafka bootstrap servers, {@code host:port[,host:port…]}
 * @param settings further client properties by Kafka name, without {@code bootstrap.servers}
 */
public record KafkaConnection(String bootstrapServers, Map<String, String> settings) {

  /** Copies the settings and checks that the bootstrap servers are given once, here. */
  public KafkaConnection {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrap servers must not be empty");
    }
    if (settings.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
      throw new IllegalArgumentException(
          "give bootstrap.servers as the bootstrap servers, not as a further setting");
    }
    settings = Map.copyOf(settings);
  }

  /** A plaintext connection with no further settings, as to the embedded broker. */
  public static KafkaConnection to(String bootstrapServers) {
    return new KafkaConnection(bootstrapServers, Map.of());
  }

  /** A fresh, mutable client configuration: the settings plus {@code bootstrap.servers}. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(settings);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /**
   * A producer of raw bytes for replaying input: every record acknowledged by all in-sync replicas,
   * sent after at most 1 ms of batching (replays want records out promptly).
   */
  public KafkaProducer<byte[], byte[]> replayProducer() {
    Map<String, Object> config = clientConfig();
    config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
  }

  @Override
  public String toString() {
    return settings.isEmpty()
        ? bootstrapServers
        : bootstrapServers + " " + new TreeMap<>(settings).keySet();
  }
}
