package dev.seqcast.streams;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.junit.jupiter.api.Test;

class TopicNamesTest {

  private static final TopicNames CUSTOM =
      new TopicNames(
          "prices",
          "forecasts",
          "forecast-anomalies",
          "forecast.dead-letters",
          "ml_models",
          "ml.model-events",
          "mic.audio",
          "mic.tags");

  @Test
  void theDefaultsAreTodaysNames() {
    TopicNames defaults = TopicNames.defaults();
    assertEquals("seqcast.ticks", defaults.ticks());
    assertEquals("seqcast.predictions", defaults.predictions());
    assertEquals("seqcast.anomalies", defaults.anomalies());
    assertEquals("seqcast.dlq", defaults.dlq());
    assertEquals("seqcast.models", defaults.models());
    assertEquals("seqcast.model-events", defaults.modelEvents());
    assertEquals("seqcast.frames", defaults.frames());
    assertEquals("seqcast.tags", defaults.tags());
  }

  @Test
  void theRulesAreKafkasOwn() {
    List<String> names =
        List.of(
            "prices",
            "a",
            "A.b_c-9",
            "x".repeat(249),
            "",
            ".",
            "..",
            "x".repeat(250),
            "my ticks",
            "ticks/eu",
            "tïcks",
            "ticks!");
    for (String name : names) {
      boolean kafkaAccepts;
      try {
        Topic.validate(name);
        kafkaAccepts = true;
      } catch (InvalidTopicException e) {
        kafkaAccepts = false;
      }
      assertEquals(kafkaAccepts, TopicNames.problem(name) == null, "'" + name + "'");
    }
  }

  @Test
  void aProblemQuotesTheNameAndSaysWhichRuleItBreaks() {
    assertEquals("a topic name must not be empty", TopicNames.problem(""));
    assertTrue(TopicNames.problem("..").contains("Kafka reserves '.' and '..'"));
    assertTrue(
        TopicNames.problem("x".repeat(250)).contains("250 characters, Kafka allows at most 249"));
    assertEquals(
        "'my ticks' is not a valid topic name: ' ' at position 3; Kafka allows only ASCII"
            + " letters, digits, '.', '_' and '-'",
        TopicNames.problem("my ticks"));
  }

  @Test
  void aBadNameIsRefusedNamingTheTopicItWasFor() {
    IllegalArgumentException refused =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TopicNames("prices", "fore casts", "a", "d", "m", "e", "f", "t"));
    assertTrue(
        refused.getMessage().startsWith("predictions topic: 'fore casts'"), refused.getMessage());
  }

  @Test
  void twoTopicsMayNotShareANameNorDifferOnlyInDotsAgainstUnderscores() {
    IllegalArgumentException same =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TopicNames("prices", "prices", "a", "d", "m", "e", "f", "t"));
    assertTrue(same.getMessage().contains("the ticks and predictions topics"), same.getMessage());
    IllegalArgumentException colliding =
        assertThrows(
            IllegalArgumentException.class,
            () -> new TopicNames("ml.ticks", "p", "a", "d", "ml_ticks", "e", "f", "t"));
    assertTrue(colliding.getMessage().contains("ticks and models"), colliding.getMessage());
    assertTrue(Topic.hasCollision("ml.ticks", "ml_ticks"), "Kafka's own rule");
  }

  @Test
  void clashIsNullForDistinctNamesAndNamesTheFirstPairOtherwise() {
    Map<String, String> names = new LinkedHashMap<>();
    names.put("--a", "x.y");
    names.put("--b", "z");
    assertNull(TopicNames.clash(names));
    names.put("--c", "x_y");
    assertArrayEquals(new String[] {"--a", "--c"}, TopicNames.clash(names));
  }

  @Test
  void theDefinitionsCreateTheGivenNamesWithTheModelsTopicCompacted() {
    Map<String, NewTopic> byName = new LinkedHashMap<>();
    for (NewTopic topic : Topics.definitions(CUSTOM, 6, (short) 3)) {
      byName.put(topic.name(), topic);
    }
    assertEquals(
        List.of(
            "prices",
            "forecasts",
            "forecast.dead-letters",
            "forecast-anomalies",
            "mic.audio",
            "mic.tags",
            "ml_models",
            "ml.model-events"),
        List.copyOf(byName.keySet()));
    assertEquals(6, byName.get("prices").numPartitions());
    assertEquals(1, byName.get("ml_models").numPartitions());
    assertEquals(
        TopicConfig.CLEANUP_POLICY_COMPACT,
        byName.get("ml_models").configs().get(TopicConfig.CLEANUP_POLICY_CONFIG));
    assertEquals(1, byName.get("ml.model-events").numPartitions());
    assertEquals(3, byName.get("prices").replicationFactor());
  }
}
