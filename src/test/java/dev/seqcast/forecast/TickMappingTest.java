package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.forecast.TickMapping.TimeFormat;
import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;
import dev.seqcast.streams.RecordKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Ticks in a producer's own JSON shape, and the bounds every shape shares. */
class TickMappingTest {

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static TickCodec codec(String key, String value, String time, TimeFormat format) {
    return new TickCodec(TickCodec.DEFAULT_MAX_BYTES, new TickMapping(key, value, time, format));
  }

  private static InvalidRecordException refused(TickCodec codec, String key, String json) {
    return assertThrows(
        InvalidRecordException.class,
        () -> codec.decode(key == null ? null : utf8(key), utf8(json), 5));
  }

  @Test
  void aProducersOwnShapeIsReadByFieldNames() throws Exception {
    TickCodec codec = codec("sym", "px", "t", TimeFormat.ISO_8601);
    Tick tick =
        codec.decode(
            null, utf8("{\"sym\":\"AAPL\",\"px\":187.2,\"t\":\"2026-12-03T10:15:00Z\"}"), 5);
    assertEquals(
        new Tick("AAPL", Instant.parse("2026-12-03T10:15:00Z").toEpochMilli(), 187.2, Map.of()),
        tick);
    // An offset other than Z is an instant too.
    Tick offset =
        codec.decode(null, utf8("{\"sym\":\"A\",\"px\":1,\"t\":\"2026-12-03T11:15:00+01:00\"}"), 5);
    assertEquals(tick.ts(), offset.ts());
  }

  @Test
  void dottedPathsReachIntoNestedObjectsAndEpochSecondsMayBeDecimal() throws Exception {
    TickCodec codec = codec("meta.host", "quote.px", "quote.at", TimeFormat.EPOCH_S);
    Tick tick =
        codec.decode(
            null,
            utf8(
                "{\"meta\":{\"host\":\"node-1\",\"dc\":\"x\"},\"other\":{\"px\":9},"
                    + "\"quote\":{\"at\":1700000000.25,\"px\":-3.5}}"),
            5);
    assertEquals(new Tick("node-1", 1_700_000_000_250L, -3.5, Map.of()), tick);
  }

  @Test
  void theRecordTimestampCanBeTheEventTime() throws Exception {
    TickCodec codec = codec(null, "value", TickMapping.RECORD_TIMESTAMP, TimeFormat.EPOCH_MS);
    assertEquals(1234L, codec.decode(utf8("s"), utf8("{\"value\":2}"), 1234).ts());
    InvalidRecordException none =
        assertThrows(
            InvalidRecordException.class,
            () -> codec.decode(utf8("s"), utf8("{\"value\":2}"), TickCodec.NO_RECORD_TIMESTAMP));
    assertEquals(DlqReason.BAD_TIMESTAMP, none.reason());
  }

  @Test
  void aRecordThatDoesNotFitTheMappingNamesTheFieldAndTheOption() {
    TickCodec codec = codec("sym", "px", "t", TimeFormat.ISO_8601);
    InvalidRecordException noValue =
        refused(codec, null, "{\"sym\":\"A\",\"t\":\"2026-12-03T10:15:00Z\"}");
    assertEquals(DlqReason.MISSING_FIELD, noValue.reason());
    assertEquals("field 'px' (--value-field) is missing", noValue.getMessage());

    InvalidRecordException noKey =
        refused(codec, null, "{\"px\":1,\"t\":\"2026-12-03T10:15:00Z\"}");
    assertEquals(DlqReason.MISSING_KEY, noKey.reason());
    assertTrue(noKey.getMessage().contains("--key-field"), noKey.getMessage());

    InvalidRecordException badKey = refused(codec, null, "{\"sym\":[1],\"px\":1,\"t\":\"x\"}");
    assertEquals(DlqReason.WRONG_TYPE, badKey.reason());
    assertTrue(badKey.getMessage().contains("'sym' (--key-field)"), badKey.getMessage());

    InvalidRecordException badTime =
        refused(codec, null, "{\"sym\":\"A\",\"px\":1,\"t\":\"yesterday\"}");
    assertEquals(DlqReason.BAD_TIMESTAMP, badTime.reason());
    assertTrue(badTime.getMessage().contains("'t' (--time-field)"), badTime.getMessage());

    InvalidRecordException millisAsText =
        refused(codec(null, "v", "t", TimeFormat.EPOCH_MS), "k", "{\"v\":1,\"t\":\"12\"}");
    assertEquals(DlqReason.WRONG_TYPE, millisAsText.reason());
  }

  @Test
  void aFieldGivenTwiceIsRefusedInEveryShape() {
    InvalidRecordException plain =
        refused(new TickCodec(TickCodec.DEFAULT_MAX_BYTES), "k", "{\"ts\":1,\"value\":1,\"ts\":2}");
    assertEquals(DlqReason.MALFORMED_JSON, plain.reason());
    assertTrue(plain.getMessage().contains("Duplicate field 'ts'"), plain.getMessage());

    InvalidRecordException nested =
        refused(
            codec(null, "q.px", "ts", TimeFormat.EPOCH_MS),
            "k",
            "{\"ts\":1,\"q\":{\"px\":1,\"px\":2}}");
    assertEquals(DlqReason.MALFORMED_JSON, nested.reason());
  }

  @Test
  void seriesIdsAreBoundedInLengthAndFreeOfControlCharacters() throws Exception {
    TickCodec plain = new TickCodec(TickCodec.DEFAULT_MAX_BYTES);
    String longest = "x".repeat(RecordKeys.MAX_ID_LENGTH);
    assertEquals(longest, plain.decode(utf8(longest), utf8("{\"ts\":1,\"value\":1}")).series());

    InvalidRecordException tooLong = refused(plain, "x".repeat(10_000), "{\"ts\":1,\"value\":1}");
    assertEquals(DlqReason.BAD_KEY, tooLong.reason());
    InvalidRecordException control = refused(plain, "evil\u001b[2Jid", "{\"ts\":1,\"value\":1}");
    assertEquals(DlqReason.BAD_KEY, control.reason());

    TickCodec mapped = codec("id", "value", "ts", TimeFormat.EPOCH_MS);
    InvalidRecordException fieldControl =
        refused(mapped, null, "{\"id\":\"a\\nb\",\"ts\":1,\"value\":1}");
    assertEquals(DlqReason.BAD_KEY, fieldControl.reason());
  }

  @Test
  void mappingsWithEmptyPathSegmentsOrUnknownFormatsAreRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> new TickMapping(null, "quote..px", "ts", TimeFormat.EPOCH_MS));
    assertThrows(
        IllegalArgumentException.class, () -> new TickMapping("", "v", "ts", TimeFormat.EPOCH_MS));
    IllegalArgumentException format =
        assertThrows(IllegalArgumentException.class, () -> TimeFormat.parse("unix"));
    assertTrue(format.getMessage().contains("epoch-ms, epoch-s or iso-8601"));
    assertEquals(TimeFormat.ISO_8601, TimeFormat.parse("ISO-8601"));
  }
}
