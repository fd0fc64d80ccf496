package dev.seqcast.forecast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seqcast.streams.DlqReason;
import dev.seqcast.streams.InvalidRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TickCodecTest {

  private final TickCodec codec = new TickCodec(TickCodec.DEFAULT_MAX_BYTES);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void encodedTicksDecodeToTheSameValues() throws Exception {
    Random random = new Random(7);
    for (int i = 0; i < 1_000; i++) {
      long ts = Math.floorMod(random.nextLong(), TickCodec.MAX_TS + 1);
      double value = Math.exp(random.nextGaussian() * 20);
      Tick tick = codec.decode(utf8("s-" + i), TickCodec.encodeValue(ts, value));
      assertEquals(new Tick("s-" + i, ts, value, Map.of()), tick);
    }
  }

  @Test
  void optionalFeaturesAreReadAndUnknownFieldsIgnored() throws Exception {
    Tick tick =
        codec.decode(
            utf8("aapl"),
            utf8(
                "{\"source\":{\"x\":[1,2]},\"ts\":5,\"value\":1.5,"
                    + "\"features\":{\"volume\":1e6,\"spread\":-0.25}}"));
    assertEquals(new Tick("aapl", 5, 1.5, Map.of("volume", 1e6, "spread", -0.25)), tick);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"ts\":1,\"value\":                        | MALFORMED_JSON",
        "not json                                    | MALFORMED_JSON",
        "[1,2]                                       | MALFORMED_JSON",
        "{\"ts\":1,\"value\":2} trailing              | MALFORMED_JSON",
        "{\"value\":2}                                | MISSING_FIELD",
        "{\"ts\":1}                                   | MISSING_FIELD",
        "{\"ts\":\"1\",\"value\":2}                   | WRONG_TYPE",
        "{\"ts\":1.5,\"value\":2}                     | WRONG_TYPE",
        "{\"ts\":1,\"value\":\"NaN\"}                 | WRONG_TYPE",
        "{\"ts\":1,\"value\":null}                    | WRONG_TYPE",
        "{\"ts\":1,\"value\":true}                    | WRONG_TYPE",
        "{\"ts\":1,\"value\":1e400}                   | NON_FINITE",
        "{\"ts\":1,\"value\":-1e999}                  | NON_FINITE",
        "{\"ts\":-1,\"value\":2}                      | BAD_TIMESTAMP",
        "{\"ts\":253402300800000,\"value\":2}         | BAD_TIMESTAMP",
        "{\"ts\":99999999999999999999999,\"value\":2} | BAD_TIMESTAMP",
        "{\"ts\":1,\"value\":2,\"features\":[1]}      | WRONG_TYPE",
        "{\"ts\":1,\"value\":2,\"features\":{\"a\":\"b\"}} | WRONG_TYPE",
      })
  void invalidValuesAreRejectedWithTheirReason(String json, DlqReason expected) {
    InvalidRecordException e =
        assertThrows(
            InvalidRecordException.class, () -> codec.decode(utf8("k"), utf8(json.trim())));
    assertEquals(expected, e.reason(), e.getMessage());
  }

  @Test
  void keyAndSizeProblemsAreRejectedWithTheirReason() {
    byte[] ok = TickCodec.encodeValue(1, 2);
    assertReason(DlqReason.MISSING_KEY, null, ok);
    assertReason(DlqReason.MISSING_KEY, new byte[0], ok);
    assertReason(DlqReason.BAD_KEY, new byte[] {(byte) 0xff, (byte) 0xfe}, ok);
    assertReason(DlqReason.MISSING_VALUE, utf8("k"), null);
    byte[] big = utf8("{\"ts\":1,\"value\":2,\"pad\":\"" + "x".repeat(100) + "\"}");
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> new TickCodec(64).decode(utf8("k"), big));
    assertEquals(DlqReason.OVERSIZED, e.reason());
  }

  @Test
  void randomBytesNeverEscapeAsAnythingButAnInvalidTick() {
    Random random = new Random(11);
    int rejected = 0;
    for (int i = 0; i < 20_000; i++) {
      byte[] value = new byte[random.nextInt(40)];
      random.nextBytes(value);
      try {
        codec.decode(utf8("k"), value);
      } catch (InvalidRecordException e) {
        rejected++;
      }
    }
    assertEquals(20_000, rejected, "random bytes should never parse as a tick");
  }

  private void assertReason(DlqReason expected, byte[] key, byte[] value) {
    InvalidRecordException e =
        assertThrows(InvalidRecordException.class, () -> codec.decode(key, value));
    assertEquals(expected, e.reason());
  }
}
