package dev.seqcast.streams;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seqcast.kafka.KafkaConnection;
import dev.seqcast.model.RecurrentModel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes what happens to models in this instance to the model events topic: every refusal (with
 * reason and detail), every change of the live or shadow model, and periodic scorecards of each
 * version's online forecast error. Key = model name (or the refused record's key); value = one JSON
 * object ({@code docs/models.md}). Sending is asynchronous and best-effort: a failed send is logged
 * and never stops the predictor.
 */
public final class ModelEvents implements ModelRegistry.Listener, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ModelEvents.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KafkaProducer<String, byte[]> producer;
  private final String instance;
  private final String topic;

  /** Events of {@code instance}, written to {@code topic}. */
  public ModelEvents(KafkaConnection kafka, String topic, String instance) {
    Map<String, Object> config = kafka.clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.CLIENT_ID_CONFIG, instance + "-model-events");
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.instance = instance;
    this.topic = topic;
  }

  @Override
  public void refused(String source, String reason, String detail) {
    ObjectNode event = event("refused");
    event.put("source", source);
    event.put("reason", reason);
    event.put("detail", detail);
    send(source, event);
  }

  @Override
  public void live(RecurrentModel model, String why) {
    ObjectNode event = event("live");
    event.put("model", model.name());
    event.put("version", model.version());
    event.put("why", why);
    send(model.name(), event);
  }

  @Override
  public void shadow(String name, RecurrentModel model, String why) {
    ObjectNode event = event("shadow");
    event.put("model", name);
    if (model == null) {
      event.putNull("version");
    } else {
      event.put("version", model.version());
    }
    event.put("why", why);
    send(name, event);
  }

  /**
   * Writes one {@code scorecard} event per model: this instance's totals of scored forecasts per
   * version, live and shadow, so {@code model show} can compare a shadow with the live version.
   */
  public void scorecards(List<Scorecard> cards) {
    Map<String, List<Scorecard>> byModel = new TreeMap<>();
    for (Scorecard card : cards) {
      byModel.computeIfAbsent(card.model(), m -> new ArrayList<>()).add(card);
    }
    byModel.forEach(
        (model, modelCards) -> {
          ObjectNode event = event("scorecard");
          event.put("model", model);
          ArrayNode versions = event.putArray("versions");
          for (Scorecard card : modelCards) {
            ObjectNode v = versions.addObject();
            v.put("role", card.role());
            v.put("version", card.version());
            v.put("scored", card.scored());
            v.put("absErrorSum", card.absErrorSum());
            v.put("squaredErrorSum", card.squaredErrorSum());
          }
          send(model, event);
        });
  }

  private ObjectNode event(String type) {
    ObjectNode event = JSON.createObjectNode();
    event.put("event", type);
    event.put("at", Instant.now().toString());
    event.put("instance", instance);
    return event;
  }

  private void send(String key, ObjectNode event) {
    producer.send(
        new ProducerRecord<>(topic, key, event.toString().getBytes(StandardCharsets.UTF_8)),
        (metadata, failure) -> {
          if (failure != null) {
            LOG.warn("could not write a model event to {}: {}", topic, failure.toString());
          }
        });
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
