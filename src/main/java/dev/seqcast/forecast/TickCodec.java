package dev.seqcast.forecast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;
import dev.seqcast.streams.RecordKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tick wire format ({@code docs/schemas/tick.schema.json}): key = series id in UTF-8, value =
 * {@code {"ts": <epoch ms>, "value": <number>, "features": {<name>: <number>, ...}}} where {@code
 * features} is optional and unknown top-level fields are ignored (forward compatibility).
 *
 * <p>This is the edge where ticks enter: everything is validated here, and a failure names its
 * {@link DlqReason}. Thread-safe.
 */
public final class TickCodec {

  /** Default largest accepted tick value, in bytes. */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024;

  /** Latest accepted event time: 9999-12-31T23:59:59.999Z. */
  static final long MAX_TS = 253_402_300_799_999L;

  private static final JsonFactory JSON = new JsonFactory();

  private final int maxBytes;

  /** A codec accepting tick values up to {@code maxBytes}. */
  public TickCodec(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Parses and validates one record. */
  public Tick decode(byte[] key, byte[] value) throws InvalidRecordException {
    String series = RecordKeys.decode(key, "tick key (series id)");
    if (value == null) {
      throw new InvalidRecordException(DlqReason.MISSING_VALUE, "tick value is null");
    }
    if (value.length > maxBytes) {
      throw new InvalidRecordException(
          DlqReason.OVERSIZED, "tick value has " + value.length + " bytes, limit " + maxBytes);
    }
    try (JsonParser parser = JSON.createParser(value)) {
      return decodeObject(series, parser);
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(DlqReason.MALFORMED_JSON, e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Tick decodeObject(String series, JsonParser parser)
      throws IOException, InvalidRecordException {
    if (parser.nextToken() != JsonToken.START_OBJECT) {
      throw new InvalidRecordException(DlqReason.MALFORMED_JSON, "tick value is not a JSON object");
    }
    Long ts = null;
    Double value = null;
    Map<String, Double> features = Map.of();
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      if (token == null) {
        throw new InvalidRecordException(DlqReason.MALFORMED_JSON, "tick value ends early");
      }
      String field = parser.currentName();
      JsonToken fieldValue = parser.nextToken();
      switch (field) {
        case "ts" -> ts = readTimestamp(parser, fieldValue);
        case "value" -> value = readNumber(parser, fieldValue, "value");
        case "features" -> features = readFeatures(parser, fieldValue);
        default -> parser.skipChildren();
      }
    }
    if (parser.nextToken() != null) {
      throw new InvalidRecordException(DlqReason.MALFORMED_JSON, "trailing content after tick");
    }
    if (ts == null) {
      throw new InvalidRecordException(DlqReason.MISSING_FIELD, "field 'ts' is missing");
    }
    if (value == null) {
      throw new InvalidRecordException(DlqReason.MISSING_FIELD, "field 'value' is missing");
    }
    return new Tick(series, ts, value, features);
  }

  private static long readTimestamp(JsonParser parser, JsonToken token)
      throws IOException, InvalidRecordException {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw new InvalidRecordException(
          DlqReason.WRONG_TYPE, "field 'ts' must be an integer (epoch milliseconds), was " + token);
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new InvalidRecordException(DlqReason.BAD_TIMESTAMP, "field 'ts' is out of range");
    }
    long ts = parser.getLongValue();
    if (ts < 0 || ts > MAX_TS) {
      throw new InvalidRecordException(
          DlqReason.BAD_TIMESTAMP, "field 'ts' = " + ts + " is outside [0, " + MAX_TS + "]");
    }
    return ts;
  }

  private static double readNumber(JsonParser parser, JsonToken token, String name)
      throws IOException, InvalidRecordException {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new InvalidRecordException(
          DlqReason.WRONG_TYPE, "field '" + name + "' must be a number, was " + token);
    }
    double number = parser.getDoubleValue();
    if (!Double.isFinite(number)) {
      throw new InvalidRecordException(
          DlqReason.NON_FINITE, "field '" + name + "' is not a finite double");
    }
    return number;
  }

  private static Map<String, Double> readFeatures(JsonParser parser, JsonToken token)
      throws IOException, InvalidRecordException {
    if (token != JsonToken.START_OBJECT) {
      throw new InvalidRecordException(
          DlqReason.WRONG_TYPE, "field 'features' must be an object, was " + token);
    }
    Map<String, Double> features = new LinkedHashMap<>();
    while (parser.nextToken() != JsonToken.END_OBJECT) {
      String name = parser.currentName();
      features.put(name, readNumber(parser, parser.nextToken(), "features." + name));
    }
    return features;
  }

  /** Encodes a tick value (without key) in the wire format; used by producers such as replay. */
  public static byte[] encodeValue(long ts, double value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(48);
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.writeStartObject();
      json.writeNumberField("ts", ts);
      json.writeNumberField("value", value);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
