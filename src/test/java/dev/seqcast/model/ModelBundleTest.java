package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.seqcast.testkit.TestModels;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ModelBundleTest {

  private final ModelBundle bundle = TestModels.random("sp500", 3, 8, 1);

  @Test
  void roundTripKeepsHeaderAndWeightsExactly() throws Exception {
    ModelBundle copy = ModelBundle.decode(bundle.encode());
    assertEquals(bundle.header(), copy.header());
    assertArrayEquals(bundle.weights(), copy.weights());
  }

  @Test
  void theBundledModelDecodes() throws Exception {
    ModelBundle sp500 = ModelBundle.decode(TestModels.bundledSp500());
    assertEquals("sp500", sp500.header().name());
    assertEquals(CellType.LSTM, sp500.header().cell());
  }

  @Test
  void aFlippedWeightByteFailsTheChecksum() {
    byte[] bytes = bundle.encode();
    bytes[bytes.length - 40] ^= 1;
    assertReason(BundleException.Reason.BAD_CHECKSUM, bytes);
  }

  @Test
  void everyTruncationIsRefused() {
    byte[] bytes = bundle.encode();
    for (int length = 0; length < bytes.length; length += 7) {
      byte[] cut = Arrays.copyOf(bytes, length);
      assertReason(BundleException.Reason.TRUNCATED, cut);
    }
    byte[] extra = Arrays.copyOf(bytes, bytes.length + 1);
    assertReason(BundleException.Reason.TRUNCATED, extra);
  }

  @Test
  void nanWeightIsRefusedEvenWithAValidChecksum() {
    float[] weights = bundle.weights();
    byte[] bytes = bundle.encode();
    int firstWeight = bytes.length - 32 - 4 * weights.length;
    ByteBuffer.wrap(bytes).putFloat(firstWeight + 4 * 5, Float.NaN);
    reseal(bytes);
    assertReason(BundleException.Reason.NON_FINITE_WEIGHTS, bytes);
    ByteBuffer.wrap(bytes).putFloat(firstWeight, Float.POSITIVE_INFINITY);
    reseal(bytes);
    assertReason(BundleException.Reason.NON_FINITE_WEIGHTS, bytes);
  }

  @Test
  void sizesThatDisagreeWithTheWeightsAreAShapeMismatch() {
    assertReason(
        BundleException.Reason.SHAPE_MISMATCH,
        withHeader(h -> h.replace("\"hiddenSize\":8", "\"hiddenSize\":9")));
  }

  @Test
  void unknownCellIsRefused() {
    assertReason(
        BundleException.Reason.UNKNOWN_CELL, withHeader(h -> h.replace("\"lstm\"", "\"lsdm\"")));
  }

  @Test
  void badHeadersAreRefused() {
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(h -> h.replace("\"version\":3", "\"version\":0")));
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(h -> h.replace("\"name\":\"sp500\"", "\"nome\":\"sp500\"")));
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(h -> h.replace("\"alpha\":0.06", "\"alpha\":1.5")));
    assertReason(
        BundleException.Reason.BAD_HEADER, withHeader(h -> h.replace("i,f,g,o", "g,f,o,i")));
    assertReason(
        BundleException.Reason.BAD_HEADER, withHeader(h -> h.substring(0, h.length() - 1) + "]"));
  }

  @Test
  void badMagicAndFormatAreRefused() {
    byte[] bytes = bundle.encode();
    bytes[0] = 'X';
    assertReason(BundleException.Reason.BAD_MAGIC, bytes);
    byte[] future = bundle.encode();
    future[5] = 2;
    assertReason(BundleException.Reason.UNSUPPORTED_FORMAT, future);
  }

  /** Re-encodes the bundle with its header JSON edited, sealed with a valid checksum. */
  private byte[] withHeader(java.util.function.UnaryOperator<String> edit) {
    byte[] bytes = bundle.encode();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    in.position(6);
    int headerLength = in.getInt();
    String header = new String(bytes, 10, headerLength, StandardCharsets.UTF_8);
    byte[] edited = edit.apply(header).getBytes(StandardCharsets.UTF_8);
    if (Arrays.equals(edited, header.getBytes(StandardCharsets.UTF_8))) {
      throw new AssertionError("edit changed nothing in " + header);
    }
    int tail = bytes.length - 10 - headerLength;
    ByteBuffer out = ByteBuffer.allocate(10 + edited.length + tail);
    out.put(bytes, 0, 6).putInt(edited.length).put(edited).put(bytes, 10 + headerLength, tail);
    byte[] result = out.array();
    reseal(result);
    return result;
  }

  private static void reseal(byte[] bytes) {
    byte[] digest = ModelBundle.sha256(bytes, bytes.length - 32);
    System.arraycopy(digest, 0, bytes, bytes.length - 32, 32);
  }

  private static void assertReason(BundleException.Reason expected, byte[] bytes) {
    BundleException e = assertThrows(BundleException.class, () -> ModelBundle.decode(bytes));
    assertEquals(expected, e.reason(), e.getMessage());
  }
}
