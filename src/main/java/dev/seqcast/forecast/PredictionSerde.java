package dev.seqcast.forecast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** The JSON wire format of {@link Prediction}; the one serde for it. Thread-safe. */
public final class PredictionSerde implements Serde<Prediction> {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  @Override
  public Serializer<Prediction> serializer() {
    return (topic, prediction) -> prediction == null ? null : encode(prediction);
  }

  @Override
  public Deserializer<Prediction> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  /** Encodes one prediction. */
  public static byte[] encode(Prediction p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(160);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("series", p.series());
      json.writeNumberField("ts", p.ts());
      json.writeNumberField("horizon", p.horizon());
      json.writeNumberField("value", p.value());
      if (p.hasInterval()) {
        json.writeNumberField("lo", p.lo());
        json.writeNumberField("hi", p.hi());
      }
      json.writeNumberField("observed", p.observed());
      json.writeStringField("model", p.model());
      json.writeNumberField("modelVersion", p.modelVersion());
      json.writeNumberField("latencyMs", p.latencyMs());
      if (p.fresh() != null) {
        json.writeStringField("fresh", p.fresh());
      }
      if (p.gap() > 0) {
        json.writeNumberField("gap", p.gap());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Decodes one prediction; for consumers such as the demo and tests. */
  public static Prediction decode(byte[] bytes) {
    if (bytes == null) {
      throw new SerializationException("prediction record has no value");
    }
    try {
      JsonNode node = MAPPER.readTree(bytes);
      return new Prediction(
          required(node, "series").asText(),
          required(node, "ts").asLong(),
          required(node, "horizon").asInt(),
          required(node, "value").asDouble(),
          optional(node, "lo"),
          optional(node, "hi"),
          required(node, "observed").asDouble(),
          required(node, "model").asText(),
          required(node, "modelVersion").asLong(),
          required(node, "latencyMs").asDouble(),
          node.hasNonNull("fresh") ? node.get("fresh").asText() : null,
          node.hasNonNull("gap") ? node.get("gap").asLong() : 0);
    } catch (IOException e) {
      throw new SerializationException("not a prediction: " + e.getMessage(), e);
    }
  }

  private static double optional(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Double.NaN : value.asDouble();
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new SerializationException("prediction lacks field '" + field + "'");
    }
    return value;
  }
}
