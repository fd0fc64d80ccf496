package dev.seqcast.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.streams.Topics;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The embedded broker is a real Kafka broker: topics, transactions, ports, clean-up. */
class EmbeddedKafkaBrokerIT {

  @Test
  void createsTopicsAndCommitsTransactionsVisibleToReadCommittedConsumers() throws Exception {
    Path dataDir;
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, null)) {
      dataDir = broker.dataDir();
      assertTrue(broker.port() > 0);
      String bootstrap = broker.bootstrapServers();
      Topics.createAll(KafkaConnection.to(bootstrap), 4, (short) 1);
      Topics.createAll(KafkaConnection.to(bootstrap), 4, (short) 1); // idempotent

      try (Admin admin =
          Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
        Map<String, TopicDescription> topics =
            admin
                .describeTopics(Set.of(Topics.TICKS, Topics.PREDICTIONS, Topics.DLQ, Topics.MODELS))
                .allTopicNames()
                .get();
        assertEquals(4, topics.get(Topics.TICKS).partitions().size());
        assertEquals(4, topics.get(Topics.PREDICTIONS).partitions().size());
        assertEquals(4, topics.get(Topics.DLQ).partitions().size());
        assertEquals(1, topics.get(Topics.MODELS).partitions().size());
        ConfigResource models = new ConfigResource(ConfigResource.Type.TOPIC, Topics.MODELS);
        Config config = admin.describeConfigs(List.of(models)).all().get().get(models);
        assertEquals("compact", config.get("cleanup.policy").value());
        ConfigResource ticks = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TICKS);
        assertEquals(
            "delete",
            admin
                .describeConfigs(List.of(ticks))
                .all()
                .get()
                .get(ticks)
                .get("cleanup.policy")
                .value());
      }

      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(
                  ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                  "tx-test"),
              new StringSerializer(),
              new StringSerializer())) {
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.DLQ, "k", "aborted"));
        producer.abortTransaction();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(Topics.DLQ, "k", "committed"));
        producer.commitTransaction();
      }
      assertEquals(List.of("committed"), readCommitted(bootstrap, Topics.DLQ));
    }
    assertFalse(Files.exists(dataDir), "temporary data dir removed on close");
  }

  @Test
  void aTakenPortFailsFastWithAnExplanation() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> EmbeddedKafkaBroker.start(taken.getLocalPort(), null));
      assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " is already in use"));
      assertTrue(e.getMessage().contains("--port"));
    }
  }

  @Test
  void aKeptDataDirSurvivesARestartWithItsRecords() throws Exception {
    Path dir = Files.createTempDirectory("seqcast-broker-it");
    try {
      writeThenReadAcrossARestart(dir);
      assertTrue(Files.exists(dir), "a caller's data dir is never deleted");
    } finally {
      LocalDirs.deleteQuietly(dir);
    }
  }

  private static void writeThenReadAcrossARestart(Path dir) throws Exception {
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dir)) {
      Topics.createAll(broker.connection(), 1, (short) 1);
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(
              Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()),
              new StringSerializer(),
              new StringSerializer())) {
        producer.send(new ProducerRecord<>(Topics.TICKS, "k", "kept")).get();
      }
    }
    try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(0, dir)) {
      assertEquals(List.of("kept"), readCommitted(broker.bootstrapServers(), Topics.TICKS));
    }
  }

  private static List<String> readCommitted(String bootstrap, String topic) {
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG,
                UUID.randomUUID().toString(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest"),
            new StringDeserializer(),
            new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      List<String> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline && values.isEmpty()) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(r.value());
        }
      }
      return values;
    }
  }
}
