package dev.seqcast.forecast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;
import dev.seqcast.streams.RecordKeys;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The tick wire format ({@code docs/schemas/tick.schema.json}): key = series id in UTF-8, value =
 * {@code {"ts": <epoch ms>, "value": <number>, "features": {<name>: <number>, ...}}} where {@code
 * features} is optional and unknown fields are ignored (forward compatibility). A {@link
 * TickMapping} reads other shapes: the series id from a value field, the value and event time from
 * fields of other names (dotted paths into nested objects), the event time in seconds or ISO-8601,
 * or from the record timestamp.
 *
 * <p>This is the edge where ticks enter: everything is validated here, and a failure names its
 * {@link DlqReason} and, for a mapped shape, the option that named the field. A field given twice
 * in one object is refused, whichever the shape. Thread-safe.
 */
public final class TickCodec {

  /** Default largest accepted tick value, in bytes. */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024;

  /** Latest accepted event time: 9999-12-31T23:59:59.999Z. */
  static final long MAX_TS = 253_402_300_799_999L;

  /** What {@link #decode(byte[], byte[], long)} takes when a record has no timestamp. */
  public static final long NO_RECORD_TIMESTAMP = -1;

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final String FEATURES = "features";

  private final int maxBytes;
  private final TickMapping mapping;
  private final Set<String> nestedPrefixes;

  /** A codec of the default shape accepting tick values up to {@code maxBytes}. */
  public TickCodec(int maxBytes) {
    this(maxBytes, TickMapping.defaults());
  }

  /** A codec reading ticks laid out as {@code mapping} says, values up to {@code maxBytes}. */
  public TickCodec(int maxBytes, TickMapping mapping) {
    this.maxBytes = maxBytes;
    this.mapping = mapping;
    Set<String> prefixes = new HashSet<>();
    for (String path :
        new String[] {
          mapping.keyField(),
          mapping.valueField(),
          mapping.timeFromRecord() ? null : mapping.timeField()
        }) {
      for (int dot = path == null ? -1 : path.indexOf('.');
          dot >= 0;
          dot = path.indexOf('.', dot + 1)) {
        prefixes.add(path.substring(0, dot));
      }
    }
    this.nestedPrefixes = Set.copyOf(prefixes);
  }

  /** The shape this codec reads. */
  public TickMapping mapping() {
    return mapping;
  }

  /** Parses and validates one record that carries no timestamp of its own. */
  public Tick decode(byte[] key, byte[] value) throws InvalidRecordException {
    return decode(key, value, NO_RECORD_TIMESTAMP);
  }

  /**
   * Parses and validates one record.
   *
   * @param recordTimestamp the record's timestamp, epoch ms (the event time when the mapping says
   *     {@link TickMapping#RECORD_TIMESTAMP}), or {@link #NO_RECORD_TIMESTAMP}
   */
  public Tick decode(byte[] key, byte[] value, long recordTimestamp) throws InvalidRecordException {
    String series =
        mapping.keyField() == null ? RecordKeys.decode(key, "tick key (series id)") : null;
    if (value == null) {
      throw new InvalidRecordException(DlqReason.MISSING_VALUE, "tick value is null");
    }
    if (value.length > maxBytes) {
      throw new InvalidRecordException(
          DlqReason.OVERSIZED, "tick value has " + value.length + " bytes, limit " + maxBytes);
    }
    Fields fields = new Fields();
    try (JsonParser parser = JSON.createParser(value)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidRecordException(
            DlqReason.MALFORMED_JSON, "tick value is not a JSON object");
      }
      readObject(parser, "", fields);
      if (parser.nextToken() != null) {
        throw new InvalidRecordException(DlqReason.MALFORMED_JSON, "trailing content after tick");
      }
    } catch (JsonProcessingException e) {
      throw new InvalidRecordException(DlqReason.MALFORMED_JSON, e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (mapping.keyField() != null) {
      if (fields.series == null) {
        throw new InvalidRecordException(
            DlqReason.MISSING_KEY, field(mapping.keyField(), "--key-field") + " is missing");
      }
      series = RecordKeys.requireValidId(fields.series, field(mapping.keyField(), "--key-field"));
    }
    long ts;
    if (mapping.timeFromRecord()) {
      if (recordTimestamp < 0 || recordTimestamp > MAX_TS) {
        throw new InvalidRecordException(
            DlqReason.BAD_TIMESTAMP,
            "the record timestamp (--time-field @timestamp) is "
                + (recordTimestamp < 0 ? "missing" : recordTimestamp + ", after 9999-12-31"));
      }
      ts = recordTimestamp;
    } else if (fields.ts == null) {
      throw new InvalidRecordException(
          DlqReason.MISSING_FIELD, field(mapping.timeField(), "--time-field") + " is missing");
    } else {
      ts = fields.ts;
    }
    if (fields.value == null) {
      throw new InvalidRecordException(
          DlqReason.MISSING_FIELD, field(mapping.valueField(), "--value-field") + " is missing");
    }
    return new Tick(series, ts, fields.value, fields.features);
  }

  /** What one tick value held, as it is read. */
  private static final class Fields {
    String series;
    Long ts;
    Double value;
    Map<String, Double> features = Map.of();
  }

  /** Reads the object the parser is at, {@code prefix} its dotted path plus a dot (or empty). */
  private void readObject(JsonParser parser, String prefix, Fields fields)
      throws IOException, InvalidRecordException {
    for (JsonToken token = parser.nextToken();
        token != JsonToken.END_OBJECT;
        token = parser.nextToken()) {
      if (token == null) {
        throw new InvalidRecordException(DlqReason.MALFORMED_JSON, "tick value ends early");
      }
      String name = parser.currentName();
      String path = prefix.isEmpty() ? name : prefix + name;
      JsonToken fieldValue = parser.nextToken();
      if (path.equals(mapping.valueField())) {
        fields.value = readNumber(parser, fieldValue, field(path, "--value-field"));
      } else if (!mapping.timeFromRecord() && path.equals(mapping.timeField())) {
        fields.ts = readTime(parser, fieldValue);
      } else if (path.equals(mapping.keyField())) {
        fields.series = readId(parser, fieldValue);
      } else if (path.equals(FEATURES)) {
        fields.features = readFeatures(parser, fieldValue);
      } else if (fieldValue == JsonToken.START_OBJECT && nestedPrefixes.contains(path)) {
        readObject(parser, path + ".", fields);
      } else {
        parser.skipChildren();
      }
    }
  }

  /** {@code field 'ts'} for the default shape, {@code field 'px' (--value-field)} otherwise. */
  private String field(String path, String option) {
    return mapping.isDefault() ? "field '" + path + "'" : "field '" + path + "' (" + option + ")";
  }

  private long readTime(JsonParser parser, JsonToken token)
      throws IOException, InvalidRecordException {
    String what = field(mapping.timeField(), "--time-field");
    long ts =
        switch (mapping.timeFormat()) {
          case EPOCH_MS -> readEpochMillis(parser, token, what);
          case EPOCH_S -> readEpochSeconds(parser, token, what);
          case ISO_8601 -> readIso(parser, token, what);
        };
    if (ts < 0 || ts > MAX_TS) {
      throw new InvalidRecordException(
          DlqReason.BAD_TIMESTAMP, what + " = " + ts + " is outside [0, " + MAX_TS + "]");
    }
    return ts;
  }

  private static long readEpochMillis(JsonParser parser, JsonToken token, String what)
      throws IOException, InvalidRecordException {
    if (token != JsonToken.VALUE_NUMBER_INT) {
      throw new InvalidRecordException(
          DlqReason.WRONG_TYPE, what + " must be an integer (epoch milliseconds), was " + token);
    }
    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new InvalidRecordException(DlqReason.BAD_TIMESTAMP, what + " is out of range");
    }
    return parser.getLongValue();
  }

  private static long readEpochSeconds(JsonParser parser, JsonToken token, String what)
      throws IOException, InvalidRecordException {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new InvalidRecordException(
          DlqReason.WRONG_TYPE, what + " must be a number (epoch seconds), was " + token);
    }
    double seconds = parser.getDoubleValue();
    if (!(seconds >= 0 && seconds <= MAX_TS / 1000.0)) {
      throw new InvalidRecordException(
          DlqReason.BAD_TIMESTAMP, what + " = " + seconds + " s is outside [0, 9999-12-31]");
    }
    return Math.round(seconds * 1000);
  }

  private static long readIso(JsonParser parser, JsonToken token, String what)
      throws IOException, InvalidRecordException {
    if (token != JsonToken.VALUE_STRING) {
      throw new InvalidRecordException(
          DlqReason.WRONG_TYPE, what + " must be an ISO-8601 string, was " + token);
    }
    String text = parser.getText();
    try {
      return DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(text, Instant::from).toEpochMilli();
    } catch (DateTimeParseException | ArithmeticException e) {
      throw new InvalidRecordException(
          DlqReason.BAD_TIMESTAMP,
          what
              + " '"
              + text
              + "' is not an ISO-8601 time with an offset, e.g. 2026-12-03T10:15:00Z");
    }
  }

  private String readId(JsonParser parser, JsonToken token)
      throws IOException, InvalidRecordException {
    if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
      return parser.getText();
    }
    throw new InvalidRecordException(
        DlqReason.WRONG_TYPE,
        field(mapping.keyField(), "--key-field") + " must be a string or an integer, was " + token);
  }

  private static double readNumber(JsonParser parser, JsonToken token, String what)
      throws IOException, InvalidRecordException {
    if (token != JsonToken.VALUE_NUMBER_INT && token != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new InvalidRecordException(
          DlqReason.WRONG_TYPE, what + " must be a number, was " + token);
    }
    double number = parser.getDoubleValue();
    if (!Double.isFinite(number)) {
      throw new InvalidRecordException(DlqReason.NON_FINITE, what + " is not a finite double");
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
      features.put(name, readNumber(parser, parser.nextToken(), "field 'features." + name + "'"));
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
