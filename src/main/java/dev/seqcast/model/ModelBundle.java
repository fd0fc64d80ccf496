package dev.seqcast.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A versioned model as shipped on {@code seqcast.models}: header + float32 weights, sealed by
 * SHA-256 and optionally signed. Binary envelope, big-endian:
 *
 * <pre>
 *   "SQCB" | u16 format | u32 header length | header JSON (UTF-8)
 *          | u32 weight count | float32 x weight count | SHA-256 of all preceding bytes (32)
 *   format 2 only:
 *          | u16 key id length | key id (UTF-8) | u16 signature length
 *          | Ed25519 signature of all preceding bytes
 * </pre>
 *
 * Format 1 is an unsigned bundle, format 2 a signed one; both are read. {@link #encode} writes
 * format 1, {@link BundleSigner#sign} turns valid bundle bytes into format 2.
 *
 * <p>Weight layout (what {@link RecurrentModel} reads), for each layer {@code l} in turn: the fused
 * gate matrix, row-major {@code [G·h][in_l + h]} with {@code G} gate blocks in the cell's order
 * ({@code i,f,g,o} for LSTM, {@code r,z,n} for GRU) and each row over {@code [x_l | h_l,prev]},
 * then the gate bias {@code [G·h]}; after the last layer, head weights row-major {@code [out][h]}
 * and head bias {@code [out]}. {@code in_0} is the feature count, {@code in_l = h} above it.
 *
 * <p>{@link #decode} is where bundles enter, so it validates everything it can without keys: the
 * structure of a signature block, but not whether the signature verifies (that is {@link
 * TrustedKeys#verify}). Immutable, thread-safe.
 */
public final class ModelBundle {

  /** Largest bundle accepted. */
  public static final int MAX_BYTES = 64 << 20;

  static final byte[] MAGIC = {'S', 'Q', 'C', 'B'};
  static final short FORMAT = 1;
  static final short FORMAT_SIGNED = 2;

  /** Byte offset of the u16 format field. */
  static final int FORMAT_AT = 4;

  private static final int MAX_KEY_ID_BYTES = 255;
  private static final int DIGEST_BYTES = 32;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String WEIGHT_LAYOUT =
      "per layer: gates[G*h][in+h] row-major over [x|h], gate bias[G*h];"
          + " then head[out][h] row-major, head bias[out]";

  private final ModelHeader header;
  private final float[] weights;
  private final BundleSignature signature;
  private final String headerJson;

  /** An unsigned bundle of {@code header} and {@code weights}; the weights must match the sizes. */
  public ModelBundle(ModelHeader header, float[] weights) {
    this(header, weights, null, headerJson(header));
  }

  private ModelBundle(
      ModelHeader header, float[] weights, BundleSignature signature, String headerJson) {
    if (weights.length != header.weightCount()) {
      throw new IllegalArgumentException(
          "header implies " + header.weightCount() + " weights, got " + weights.length);
    }
    this.header = header;
    this.weights = weights.clone();
    this.signature = signature;
    this.headerJson = headerJson;
  }

  /** The header. */
  public ModelHeader header() {
    return header;
  }

  /** A copy of the weights. */
  public float[] weights() {
    return weights.clone();
  }

  float weight(int i) {
    return weights[i];
  }

  /**
   * The signature block the bundle was decoded with, unverified; empty for an unsigned bundle and
   * for one built in memory.
   */
  public Optional<BundleSignature> signature() {
    return Optional.ofNullable(signature);
  }

  /**
   * The header JSON exactly as the envelope carried it when decoded (fields this build does not
   * read included), or as {@link #encode} writes it for a bundle built in memory.
   */
  public String headerJson() {
    return headerJson;
  }

  /**
   * The unsigned (format 1) envelope, with the header JSON of {@link #headerJson}; {@link
   * BundleSigner#sign} signs it.
   */
  public byte[] encode() {
    byte[] headerJson = this.headerJson.getBytes(StandardCharsets.UTF_8);
    int size = 4 + 2 + 4 + headerJson.length + 4 + 4 * weights.length + DIGEST_BYTES;
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put(MAGIC).putShort(FORMAT).putInt(headerJson.length).put(headerJson);
    out.putInt(weights.length);
    for (float w : weights) {
      out.putFloat(w);
    }
    out.put(sha256(out.array(), out.position()));
    return out.array();
  }

  /** Reads and validates a bundle. */
  public static ModelBundle decode(byte[] bytes) throws BundleException {
    if (bytes == null || bytes.length < 4 + 2 + 4) {
      throw new BundleException(
          BundleException.Reason.TRUNCATED, "bundle shorter than its envelope");
    }
    if (bytes.length > MAX_BYTES) {
      throw new BundleException(
          BundleException.Reason.TRUNCATED, "bundle of " + bytes.length + " bytes exceeds limit");
    }
    ByteBuffer in = ByteBuffer.wrap(bytes);
    byte[] magic = new byte[4];
    in.get(magic);
    if (!Arrays.equals(magic, MAGIC)) {
      throw new BundleException(BundleException.Reason.BAD_MAGIC, "not a seqcast bundle (magic)");
    }
    short format = in.getShort();
    if (format != FORMAT && format != FORMAT_SIGNED) {
      throw new BundleException(
          BundleException.Reason.UNSUPPORTED_FORMAT, "bundle format " + format + " not supported");
    }
    int headerLength = in.getInt();
    if (headerLength < 0 || headerLength > in.remaining() - 4 - DIGEST_BYTES) {
      throw new BundleException(BundleException.Reason.TRUNCATED, "header length exceeds bundle");
    }
    int headerStart = in.position();
    in.position(headerStart + headerLength);
    int count = in.getInt();
    long digestAt = (long) in.position() + 4L * count;
    long digestEnd = digestAt + DIGEST_BYTES;
    if (count < 0 || digestEnd > bytes.length || (format == FORMAT && digestEnd != bytes.length)) {
      throw new BundleException(
          BundleException.Reason.TRUNCATED,
          "bundle has " + bytes.length + " bytes, envelope implies " + digestEnd);
    }
    BundleSignature signature =
        format == FORMAT_SIGNED ? readSignature(bytes, (int) digestEnd) : null;
    if (!MessageDigest.isEqual(
        sha256(bytes, (int) digestAt),
        Arrays.copyOfRange(bytes, (int) digestAt, (int) digestEnd))) {
      throw new BundleException(BundleException.Reason.BAD_CHECKSUM, "SHA-256 mismatch");
    }
    String headerJson = new String(bytes, headerStart, headerLength, StandardCharsets.UTF_8);
    ModelHeader header = parseHeader(headerJson);
    if (count != header.weightCount()) {
      throw new BundleException(
          BundleException.Reason.SHAPE_MISMATCH,
          "sizes imply " + header.weightCount() + " weights, bundle has " + count);
    }
    float[] weights = new float[count];
    for (int i = 0; i < count; i++) {
      weights[i] = in.getFloat();
      if (!Float.isFinite(weights[i])) {
        throw new BundleException(
            BundleException.Reason.NON_FINITE_WEIGHTS, "weight " + i + " is " + weights[i]);
      }
    }
    return new ModelBundle(header, weights, signature, headerJson);
  }

  /** The signature block starting at {@code at}, which must end exactly at the bundle's end. */
  private static BundleSignature readSignature(byte[] bytes, int at) throws BundleException {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    in.position(at);
    if (in.remaining() < 2) {
      throw new BundleException(
          BundleException.Reason.TRUNCATED, "signed bundle ends before its signature block");
    }
    int keyIdLength = Short.toUnsignedInt(in.getShort());
    if (keyIdLength > in.remaining() - 2) {
      throw new BundleException(
          BundleException.Reason.TRUNCATED, "key id length exceeds the signature block");
    }
    byte[] keyId = new byte[keyIdLength];
    in.get(keyId);
    int signatureLength = Short.toUnsignedInt(in.getShort());
    if (signatureLength != in.remaining()) {
      throw new BundleException(
          BundleException.Reason.TRUNCATED,
          "signature block announces "
              + signatureLength
              + " signature bytes, "
              + in.remaining()
              + " follow");
    }
    if (keyIdLength == 0 || keyIdLength > MAX_KEY_ID_BYTES || signatureLength == 0) {
      throw new BundleException(
          BundleException.Reason.BAD_SIGNATURE,
          "signature block has a key id of "
              + keyIdLength
              + " bytes (1 to "
              + MAX_KEY_ID_BYTES
              + " allowed) and a signature of "
              + signatureLength
              + " bytes");
    }
    byte[] signature = new byte[signatureLength];
    in.get(signature);
    return new BundleSignature(
        new String(keyId, StandardCharsets.UTF_8), signature, bytes.length - signatureLength);
  }

  /**
   * Re-seals the bundle {@code valid} (already decoded without error, signed or not) as format 2
   * signed by {@code keyId}: its content up to the checksum is kept byte for byte, the format field
   * becomes 2, the checksum is recomputed and a signature block replaces any previous one.
   *
   * @param signer signs the bytes it is given (every byte before the signature) and returns exactly
   *     {@code signatureLength} bytes
   */
  static byte[] signed(
      byte[] valid, String keyId, int signatureLength, UnaryOperator<byte[]> signer) {
    ByteBuffer in = ByteBuffer.wrap(valid);
    int headerLength = in.getInt(FORMAT_AT + 2);
    int countAt = FORMAT_AT + 2 + 4 + headerLength;
    int digestAt = countAt + 4 + 4 * in.getInt(countAt);
    byte[] id = keyId.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(digestAt + DIGEST_BYTES + 2 + id.length + 2 + signatureLength);
    out.put(valid, 0, digestAt).putShort(FORMAT_AT, FORMAT_SIGNED);
    out.put(sha256(out.array(), digestAt));
    out.putShort((short) id.length).put(id).putShort((short) signatureLength);
    byte[] signature = signer.apply(Arrays.copyOf(out.array(), out.position()));
    if (signature.length != signatureLength) {
      throw new IllegalStateException(
          "signer returned " + signature.length + " bytes, expected " + signatureLength);
    }
    return out.put(signature).array();
  }

  static byte[] sha256(byte[] bytes, int length) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(bytes, 0, length);
      return digest.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  private static String headerJson(ModelHeader h) {
    ObjectNode root = JSON.createObjectNode();
    root.put("name", h.name());
    root.put("version", h.version());
    root.put("cell", h.cell().wireName());
    root.put("layers", h.layers());
    root.put("inputSize", h.inputSize());
    root.put("hiddenSize", h.hiddenSize());
    root.put("outputSize", h.outputSize());
    root.put("gateOrder", h.cell().gateOrder());
    root.put("weightLayout", WEIGHT_LAYOUT);
    root.put("head", h.head().kind().wireName());
    if (h.head().isClassification()) {
      root.set("classes", JSON.valueToTree(h.head().classes()));
    }
    root.set("features", JSON.valueToTree(h.features()));
    ObjectNode norm = root.putObject("normalisation");
    norm.put("transform", h.normalisation().transform());
    norm.put("alpha", h.normalisation().alpha());
    norm.put("initialScale", h.normalisation().initialScale());
    norm.put("clip", h.normalisation().clip());
    if (h.smoothing() != null) {
      writeSmoothing(root, h.smoothing());
    }
    root.set("training", JSON.valueToTree(h.training()));
    root.set("metrics", JSON.valueToTree(h.metrics()));
    root.put("createdAt", h.createdAt().toString());
    return root.toString();
  }

  /**
   * The fields of a smoothed multi-horizon forecaster: {@code smoothing} (season, coefficients, gap
   * rule), {@code horizon}, {@code calendar} and {@code tickFeatures}; the transform, scale weight,
   * scale floor and clip are the {@code normalisation} written beside them.
   */
  private static void writeSmoothing(ObjectNode root, SmoothingSpec spec) {
    ObjectNode smoothing = root.putObject("smoothing");
    smoothing.put("season", spec.season());
    smoothing.put("level", spec.level());
    smoothing.put("trend", spec.trend());
    smoothing.put("damping", spec.damping());
    smoothing.put("seasonal", spec.seasonal());
    smoothing.put("spacingMillis", spec.spacingMillis());
    smoothing.put("regularGapMillis", spec.regularGapMillis());
    smoothing.put("maxGapSteps", spec.maxGapSteps());
    root.put("horizon", spec.horizon());
    root.set(
        "calendar",
        JSON.valueToTree(spec.calendar().stream().map(CalendarTerm::wireName).toList()));
    var ticks = root.putArray("tickFeatures");
    for (SmoothingSpec.TickFeature feature : spec.tickFeatures()) {
      ticks
          .addObject()
          .put("name", feature.name())
          .put("mean", feature.mean())
          .put("std", feature.std());
    }
  }

  /**
   * The smoothing of a header that has a {@code smoothing} object, else null. A smoothed transform
   * without it, or a smoothing object under another transform, is a bad header.
   */
  private static SmoothingSpec readSmoothing(JsonNode root, JsonNode norm, String transform)
      throws BundleException {
    SmoothingSpec.Transform kind = SmoothingSpec.Transform.byWireName(transform);
    if (!root.hasNonNull("smoothing")) {
      return null;
    }
    if (kind == null) {
      throw new BundleException(
          BundleException.Reason.BAD_HEADER,
          "'smoothing' needs a smoothed transform, not '" + transform + "'");
    }
    JsonNode smoothing = object(root, "smoothing");
    List<CalendarTerm> calendar = new ArrayList<>();
    for (JsonNode term : array(root, "calendar")) {
      if (!term.isTextual()) {
        throw new BundleException(
            BundleException.Reason.BAD_HEADER, "'calendar' must hold term names");
      }
      calendar.add(CalendarTerm.parse(term.asText()));
    }
    List<SmoothingSpec.TickFeature> ticks = new ArrayList<>();
    if (root.hasNonNull("tickFeatures")) {
      for (JsonNode feature : array(root, "tickFeatures")) {
        ticks.add(
            new SmoothingSpec.TickFeature(
                text(feature, "name"), number(feature, "mean"), number(feature, "std")));
      }
    }
    return new SmoothingSpec(
        kind,
        size(smoothing, "season"),
        number(smoothing, "level"),
        number(smoothing, "trend"),
        number(smoothing, "damping"),
        number(smoothing, "seasonal"),
        number(norm, "alpha"),
        number(norm, "initialScale"),
        number(norm, "clip"),
        size(root, "horizon"),
        integer(smoothing, "spacingMillis"),
        integer(smoothing, "regularGapMillis"),
        size(smoothing, "maxGapSteps"),
        calendar,
        ticks);
  }

  private static ModelHeader parseHeader(String json) throws BundleException {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new BundleException(
          BundleException.Reason.BAD_HEADER, "header is not JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw new BundleException(BundleException.Reason.BAD_HEADER, "header is not a JSON object");
    }
    CellType cell;
    try {
      cell = CellType.parse(text(root, "cell"));
    } catch (IllegalArgumentException e) {
      throw new BundleException(BundleException.Reason.UNKNOWN_CELL, e.getMessage());
    }
    if (!cell.gateOrder().equals(text(root, "gateOrder"))) {
      throw new BundleException(
          BundleException.Reason.BAD_HEADER,
          "gate order of a " + cell.wireName() + " bundle must be " + cell.gateOrder());
    }
    try {
      JsonNode norm = object(root, "normalisation");
      List<String> features = new ArrayList<>();
      for (JsonNode feature : array(root, "features")) {
        features.add(feature.asText());
      }
      Map<String, Double> metrics = new LinkedHashMap<>();
      object(root, "metrics")
          .fields()
          .forEachRemaining(e -> metrics.put(e.getKey(), e.getValue().asDouble()));
      @SuppressWarnings("unchecked")
      Map<String, Object> training = JSON.convertValue(object(root, "training"), Map.class);
      // "head", "classes" and the transform's name arrived with classification heads; bundles
      // written before them are regression heads on the log-return transform.
      OutputHead head = OutputHead.REGRESSION;
      if (root.hasNonNull("head")
          && OutputHead.Kind.parse(text(root, "head")) == OutputHead.Kind.CLASSIFICATION) {
        List<String> classes = new ArrayList<>();
        for (JsonNode label : array(root, "classes")) {
          if (!label.isTextual()) {
            throw new BundleException(
                BundleException.Reason.BAD_HEADER, "'classes' must hold text labels");
          }
          classes.add(label.asText());
        }
        head = OutputHead.classification(classes);
      }
      String transform =
          norm.hasNonNull("transform") ? text(norm, "transform") : Normalisation.LOG_RETURN;
      return new ModelHeader(
          text(root, "name"),
          integer(root, "version"),
          cell,
          size(root, "inputSize"),
          size(root, "hiddenSize"),
          size(root, "layers"),
          size(root, "outputSize"),
          features,
          new Normalisation(
              number(norm, "alpha"), number(norm, "initialScale"), number(norm, "clip"), transform),
          training,
          metrics,
          Instant.parse(text(root, "createdAt")),
          head,
          readSmoothing(root, norm, transform));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new BundleException(BundleException.Reason.BAD_HEADER, e.getMessage());
    }
  }

  private static JsonNode field(JsonNode node, String name) throws BundleException {
    JsonNode value = node.get(name);
    if (value == null || value.isNull()) {
      throw new BundleException(BundleException.Reason.BAD_HEADER, "header lacks '" + name + "'");
    }
    return value;
  }

  private static String text(JsonNode node, String name) throws BundleException {
    JsonNode value = field(node, name);
    if (!value.isTextual()) {
      throw new BundleException(BundleException.Reason.BAD_HEADER, "'" + name + "' is not text");
    }
    return value.asText();
  }

  private static long integer(JsonNode node, String name) throws BundleException {
    JsonNode value = field(node, name);
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new BundleException(
          BundleException.Reason.BAD_HEADER, "'" + name + "' is not an integer");
    }
    return value.asLong();
  }

  private static int size(JsonNode node, String name) throws BundleException {
    return (int) Math.max(-1, Math.min(Integer.MAX_VALUE, integer(node, name)));
  }

  private static double number(JsonNode node, String name) throws BundleException {
    JsonNode value = field(node, name);
    if (!value.isNumber()) {
      throw new BundleException(
          BundleException.Reason.BAD_HEADER, "'" + name + "' is not a number");
    }
    return value.asDouble();
  }

  private static JsonNode object(JsonNode node, String name) throws BundleException {
    JsonNode value = field(node, name);
    if (!value.isObject()) {
      throw new BundleException(
          BundleException.Reason.BAD_HEADER, "'" + name + "' is not an object");
    }
    return value;
  }

  private static JsonNode array(JsonNode node, String name) throws BundleException {
    JsonNode value = field(node, name);
    if (!value.isArray()) {
      throw new BundleException(
          BundleException.Reason.BAD_HEADER, "'" + name + "' is not an array");
    }
    return value;
  }
}
