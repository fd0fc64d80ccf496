package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    assertTrue(copy.signature().isEmpty());
  }

  @Test
  void aDecodedBundleKeepsItsHeaderJsonVerbatim() throws Exception {
    byte[] extended =
        withHeader(h -> h.replace("{\"name\"", "{\"comment\":\"from a newer trainer\",\"name\""));
    ModelBundle decoded = ModelBundle.decode(extended);
    assertTrue(decoded.headerJson().startsWith("{\"comment\":\"from a newer trainer\""));
    assertArrayEquals(extended, decoded.encode());
  }

  @Test
  void anUnsignedBundleIsFormatOneEndingInItsChecksum() {
    byte[] bytes = bundle.encode();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    assertEquals(1, in.getShort(4));
    int headerLength = in.getInt(6);
    int count = in.getInt(10 + headerLength);
    assertEquals(bundle.header().weightCount(), count);
    assertEquals(10 + headerLength + 4 + 4 * count + 32, bytes.length);
  }

  @Test
  void aFormatTwoBundleWithoutItsSignatureBlockIsTruncated() {
    byte[] bytes = bundle.encode();
    bytes[5] = 2;
    reseal(bytes);
    assertReason(BundleException.Reason.TRUNCATED, bytes);
  }

  @Test
  void stackedGruRoundTripsWithItsOwnGateOrderAndStateSize() throws Exception {
    ModelBundle gru = TestModels.random("speech", 2, CellType.GRU, 3, 8, 2, 5, 0.3);
    ModelBundle copy = ModelBundle.decode(gru.encode());
    assertEquals(gru.header(), copy.header());
    assertArrayEquals(gru.weights(), copy.weights());
    // per layer 3h·(in + h) + 3h, then the head: 24·11 + 24 + 24·16 + 24 + 8 + 1
    assertEquals(24 * 11 + 24 + 24 * 16 + 24 + 8 + 1, copy.header().weightCount());
    assertEquals(16, RecurrentModel.from(copy).stateSize());
    assertEquals(2 * 2 * 8, RecurrentModel.from(bundleOf(CellType.LSTM, 2)).stateSize());
  }

  @Test
  void aGruHeaderWithTheLstmGateOrderIsRefused() {
    byte[] gru = bundleOf(CellType.GRU, 1).encode();
    byte[] edited = withHeader(gru, h -> h.replace("r,z,n", "i,f,g,o"));
    assertReason(BundleException.Reason.BAD_HEADER, edited);
    byte[] deeper = withHeader(gru, h -> h.replace("\"layers\":1", "\"layers\":9"));
    assertReason(BundleException.Reason.BAD_HEADER, deeper);
  }

  private static ModelBundle bundleOf(CellType cell, int layers) {
    return TestModels.random("m", 1, cell, 8, layers, 2);
  }

  @Test
  void theBundledModelsDecode() throws Exception {
    ModelBundle sp500 = ModelBundle.decode(TestModels.bundledSp500());
    assertEquals("sp500", sp500.header().name());
    assertEquals(CellType.LSTM, sp500.header().cell());
    ModelBundle gru = ModelBundle.decode(TestModels.bundled("sp500-gru"));
    assertEquals(CellType.GRU, gru.header().cell());
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
    future[5] = 3;
    assertReason(BundleException.Reason.UNSUPPORTED_FORMAT, future);
  }

  @Test
  void aHeaderWithoutHeadOrTransformReadsAsTheForecastersRegression() throws Exception {
    byte[] legacy =
        withHeader(
            h ->
                h.replace("\"head\":\"regression\",", "")
                    .replace("\"transform\":\"log-return/ew-volatility\",", ""));
    ModelHeader header = ModelBundle.decode(legacy).header();
    assertEquals(OutputHead.REGRESSION, header.head());
    assertEquals(Normalisation.LOG_RETURN, header.normalisation().transform());
  }

  @Test
  void aClassificationHeadKeepsItsClassesAndNeedsOnePerOutput() throws Exception {
    ModelHeader shape =
        ModelHeader.ofShape(
            "tagger",
            CellType.GRU,
            3,
            4,
            1,
            2,
            OutputHead.classification(java.util.List.of("quiet", "loud")));
    ModelBundle tagger = new ModelBundle(shape, new float[shape.weightCount()]);
    ModelBundle decoded = ModelBundle.decode(tagger.encode());
    assertEquals(java.util.List.of("quiet", "loud"), decoded.header().head().classes());
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(tagger.encode(), h -> h.replace("[\"quiet\",\"loud\"]", "[\"quiet\"]")));
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(tagger.encode(), h -> h.replace(",\"classes\":[\"quiet\",\"loud\"]", "")));
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(tagger.encode(), h -> h.replace("classification", "ranking")));
  }

  private static final SmoothingSpec SMOOTHED =
      new SmoothingSpec(
          SmoothingSpec.Transform.ADDITIVE,
          24,
          0.3,
          0.05,
          0.98,
          0.1,
          0.05,
          1e-9,
          8,
          12,
          3_600_000L,
          5_400_000L,
          24,
          java.util.List.of(CalendarTerm.HOUR_OF_DAY, CalendarTerm.DAY_OF_WEEK),
          java.util.List.of(new SmoothingSpec.TickFeature("load", 3.5, 1.25)));

  @Test
  void aSmoothedHeaderRoundTripsEveryFieldOfItsSpec() throws Exception {
    ModelBundle smoothed = TestModels.randomSmoothed(SMOOTHED, CellType.LSTM, 8, 1, 3, 0.3);
    ModelBundle copy = ModelBundle.decode(smoothed.encode());
    assertEquals(SMOOTHED, copy.header().smoothing());
    assertEquals(smoothed.header(), copy.header());
    assertEquals(12, copy.header().outputSize());
    assertEquals(
        java.util.List.of(
            "error",
            "gap",
            "hour-of-day:sin",
            "hour-of-day:cos",
            "day-of-week:sin",
            "day-of-week:cos",
            "tick:load"),
        copy.header().features());
    assertEquals("smoothed-additive/ew-mae", copy.header().normalisation().transform());
    assertTrue(copy.headerJson().contains("\"horizon\":12"));
  }

  @Test
  void bundlesFromBeforeSmoothingDecodeAsOneStepLogReturnModels() throws Exception {
    for (byte[] old :
        java.util.List.of(TestModels.bundledSp500(), TestModels.bundled("sp500-gru"))) {
      ModelHeader header = ModelBundle.decode(old).header();
      assertEquals(null, header.smoothing());
      assertEquals(Normalisation.LOG_RETURN, header.normalisation().transform());
      assertEquals(1, header.outputSize());
    }
    assertEquals(null, ModelBundle.decode(bundle.encode()).header().smoothing());
  }

  @Test
  void smoothingAndTransformMustAgree() {
    byte[] smoothed = TestModels.randomSmoothed(SMOOTHED, CellType.LSTM, 8, 1, 3, 0.3).encode();
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(smoothed, h -> h.replace("smoothed-additive/ew-mae", Normalisation.LOG_RETURN)));
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(smoothed, h -> h.replace("\"smoothing\":", "\"smoothing-was\":")));
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(smoothed, h -> h.replace("\"horizon\":12", "\"horizon\":11")));
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(smoothed, h -> h.replace("\"hour-of-day\",", "")));
    assertReason(
        BundleException.Reason.BAD_HEADER,
        withHeader(smoothed, h -> h.replace("\"season\":24", "\"season\":0")));
  }

  /** Re-encodes the bundle with its header JSON edited, sealed with a valid checksum. */
  private byte[] withHeader(java.util.function.UnaryOperator<String> edit) {
    return withHeader(bundle.encode(), edit);
  }

  private static byte[] withHeader(byte[] bytes, java.util.function.UnaryOperator<String> edit) {
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
