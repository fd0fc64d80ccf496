package dev.seqcast.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqcast.kafka.BoundedTopicReader;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.kafka.ReadBound;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The online forecast error of each version of a model, from the scorecards the predictor instances
 * write to {@code seqcast.model-events}: the newest card of each instance, summed.
 */
public final class Scorecards {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Totals of one version in one role. */
  public record Totals(
      String role, long version, long scored, double absErrorSum, double squaredSum) {

    public double mae() {
      return scored == 0 ? Double.NaN : absErrorSum / scored;
    }

    public double rmse() {
      return scored == 0 ? Double.NaN : Math.sqrt(squaredSum / scored);
    }
  }

  private Scorecards() {}

  /**
   * Reads the model events topic {@code topic} up to its current end; returns totals by
   * "role/version", sorted.
   *
   * @throws IllegalArgumentException if the events topic does not exist
   */
  public static Map<String, Totals> of(KafkaConnection kafka, String topic, String model) {
    Map<String, JsonNode> newestPerInstance = new HashMap<>();
    try (BoundedTopicReader reader =
        BoundedTopicReader.open(kafka, topic, new ReadBound.EndAtStart())) {
      reader.read(
          record -> {
            try {
              JsonNode event = JSON.readTree(record.value());
              if ("scorecard".equals(event.path("event").asText())
                  && model.equals(event.path("model").asText())) {
                newestPerInstance.put(event.path("instance").asText(), event);
              }
            } catch (IOException e) {
              // not an event this build writes: skip it
            }
          },
          (done, total, records) -> {});
    }
    Map<String, Totals> totals = new TreeMap<>();
    for (JsonNode card : newestPerInstance.values()) {
      for (JsonNode v : card.path("versions")) {
        String role = v.path("role").asText();
        long version = v.path("version").asLong();
        totals.merge(
            role + "/" + version,
            new Totals(
                role,
                version,
                v.path("scored").asLong(),
                v.path("absErrorSum").asDouble(),
                v.path("squaredErrorSum").asDouble()),
            (a, b) ->
                new Totals(
                    role,
                    version,
                    a.scored() + b.scored(),
                    a.absErrorSum() + b.absErrorSum(),
                    a.squaredSum() + b.squaredSum()));
      }
    }
    return totals;
  }
}
