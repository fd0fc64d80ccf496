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

/** The JSON wire format of {@link Anomaly}; the one serde for it. Thread-safe. */
public final class AnomalySerde implements Serde<Anomaly> {

  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper(JSON);

  @Override
  public Serializer<Anomaly> serializer() {
    return (topic, anomaly) -> anomaly == null ? null : encode(anomaly);
  }

  @Override
  public Deserializer<Anomaly> deserializer() {
    return (topic, bytes) -> bytes == null ? null : decode(bytes);
  }

  /** Encodes one anomaly. */
  public static byte[] encode(Anomaly a) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(200);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("series", a.series());
      json.writeNumberField("ts", a.ts());
      json.writeNumberField("observed", a.observed());
      json.writeNumberField("forecast", a.forecast());
      json.writeNumberField("lo", a.lo());
      json.writeNumberField("hi", a.hi());
      json.writeNumberField("score", a.score());
      json.writeStringField("kind", a.kind());
      json.writeNumberField("threshold", a.threshold());
      json.writeStringField("model", a.model());
      json.writeNumberField("modelVersion", a.modelVersion());
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** Decodes one anomaly; for consumers such as tests. */
  public static Anomaly decode(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      return new Anomaly(
          required(node, "series").asText(),
          required(node, "ts").asLong(),
          required(node, "observed").asDouble(),
          required(node, "forecast").asDouble(),
          required(node, "lo").asDouble(),
          required(node, "hi").asDouble(),
          required(node, "score").asDouble(),
          required(node, "kind").asText(),
          required(node, "threshold").asDouble(),
          required(node, "model").asText(),
          required(node, "modelVersion").asLong());
    } catch (IOException e) {
      throw new SerializationException("not an anomaly: " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode node, String field) {
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || value.isNull()) {
      throw new SerializationException("anomaly lacks field '" + field + "'");
    }
    return value;
  }
}
