package dev.seqcast.streams;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The operator's word on which versions of a model run, kept in {@code seqcast.models} under the
 * key {@code <name>/control}. The topic is compacted, so the newest control record of a name is
 * what every instance applies, at once and again after any restart: a pin or a rollback cannot be
 * lost or seen differently by two instances.
 *
 * <p>JSON: {@code {"live": 3, "shadow": 4, "reason": "...", "at": "2026-11-25T06:40:00Z"}}; {@code
 * live} null (or absent) = follow the newest valid version; {@code shadow} null = no shadow.
 *
 * @param live version pinned as live, or null to follow the newest valid version
 * @param shadow version run in shadow beside the live one, or null for none
 * @param reason the operator's note, shown by {@code model show}
 * @param at when the record was written
 */
public record ModelControl(Long live, Long shadow, String reason, Instant at) {

  /** Suffix of control record keys: {@code <name>/control}. */
  public static final String KEY_SUFFIX = "/control";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Validates versions. */
  public ModelControl {
    if (live != null && live < 1) {
      throw new IllegalArgumentException("live version must be at least 1, was " + live);
    }
    if (shadow != null && shadow < 1) {
      throw new IllegalArgumentException("shadow version must be at least 1, was " + shadow);
    }
    if (live != null && live.equals(shadow)) {
      throw new IllegalArgumentException("version " + live + " cannot be live and shadow at once");
    }
    reason = reason == null ? "" : reason;
  }

  /** No pin, no shadow: what applies to a model with no control record. */
  public static ModelControl followNewest() {
    return new ModelControl(null, null, "", Instant.EPOCH);
  }

  /** The control key of model {@code name}. */
  public static String key(String name) {
    return name + KEY_SUFFIX;
  }

  /** True if {@code key} is a control key. */
  public static boolean isControlKey(String key) {
    return key.endsWith(KEY_SUFFIX);
  }

  /** The model name of a control key. */
  public static String nameOf(String controlKey) {
    return controlKey.substring(0, controlKey.length() - KEY_SUFFIX.length());
  }

  /** JSON bytes. */
  public byte[] encode() {
    ObjectNode node = JSON.createObjectNode();
    if (live == null) {
      node.putNull("live");
    } else {
      node.put("live", live);
    }
    if (shadow == null) {
      node.putNull("shadow");
    } else {
      node.put("shadow", shadow);
    }
    node.put("reason", reason);
    node.put("at", at.toString());
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** Parses a control record; throws {@link IllegalArgumentException} saying what is wrong. */
  public static ModelControl decode(byte[] bytes) {
    JsonNode node;
    try {
      node = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IllegalArgumentException("control record is not JSON: " + e.getMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("control record must be a JSON object");
    }
    try {
      return new ModelControl(
          version(node, "live"),
          version(node, "shadow"),
          node.path("reason").asText(""),
          node.hasNonNull("at") ? Instant.parse(node.get("at").asText()) : Instant.EPOCH);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("control record 'at' is not an ISO-8601 instant", e);
    }
  }

  private static Long version(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return null;
    }
    if (!value.canConvertToExactIntegral()) {
      throw new IllegalArgumentException("control record '" + field + "' must be an integer");
    }
    return value.asLong();
  }
}
