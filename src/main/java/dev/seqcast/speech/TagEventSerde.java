package dev.seqcast.speech;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/** JSON of {@link TagEvent} on {@code seqcast.tags}. Thread-safe. */
public final class TagEventSerde implements Serde<TagEvent> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public Serializer<TagEvent> serializer() {
    return (topic, event) -> {
      try {
        return event == null ? null : JSON.writeValueAsBytes(event);
      } catch (IOException e) {
        throw new SerializationException("cannot write tag event", e);
      }
    };
  }

  @Override
  public Deserializer<TagEvent> deserializer() {
    return (topic, bytes) -> {
      try {
        return bytes == null ? null : JSON.readValue(bytes, TagEvent.class);
      } catch (IOException e) {
        throw new SerializationException("not a tag event: " + e.getMessage(), e);
      }
    };
  }
}
