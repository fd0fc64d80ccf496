package dev.seqcast.streams;

import dev.seqcast.model.BundleException;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.Normalisation;
import dev.seqcast.model.OutputHead;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import dev.seqcast.model.TrustedKeys;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.NOPLogger;

/**
 * The models an application instance may use. For each model name it keeps a lineage: every version
 * that passed validation, and the operator's {@link ModelControl} (pin, rollback, shadow) from the
 * same compacted topic. The <em>live</em> model of a name is the pinned version when one is pinned
 * and known, else the newest valid version; the <em>shadow</em> model, when one is set, steps
 * beside it without emitting. Bundles reach the registry from the models topic's global store; a
 * bundle that fails validation is refused with one log line and a counted reason, and the running
 * model stays.
 *
 * <p>Threading: {@link #offer}, {@link #control} and {@link #catchUp} are called by the
 * global-store thread, {@link #current} and {@link #shadow} by stream threads; models are immutable
 * and each lineage's live and shadow models are published through volatile fields.
 */
public final class ModelRegistry {

  private static final Logger SERVING_LOG = LoggerFactory.getLogger(ModelRegistry.class);

  /** Where decisions are logged; nowhere once {@link #silence} was called. */
  private Logger log = SERVING_LOG;

  /** What became of an offered bundle. */
  public enum Outcome {
    /** Validated and added to its lineage (it may or may not be live, see the control). */
    ACCEPTED,
    /** The same bytes as a known version, or as a bundle refused before under the same key. */
    IGNORED,
    /** Refused; the running model (if any) stays. */
    REFUSED
  }

  /** Told about refusals and about changes of the live and shadow models. */
  @FunctionalInterface
  public interface Listener {
    /** {@code reason} is a stable lower-case code such as {@code bad-checksum}. */
    void refused(String source, String reason, String detail);

    /** {@code model} became the live model of its name. */
    default void live(RecurrentModel model, String why) {}

    /** The shadow of {@code name} became {@code model}, or none when it is null. */
    default void shadow(String name, RecurrentModel model, String why) {}
  }

  private record Entry(RecurrentModel model, byte[] bytes) {}

  /** All known versions of one model name and what runs of them. Guarded by the registry. */
  private static final class Lineage {
    final NavigableMap<Long, Entry> versions = new TreeMap<>();
    ModelControl control = ModelControl.followNewest();
    volatile RecurrentModel live;
    volatile RecurrentModel shadow;
  }

  private final Map<String, Lineage> lineages = new ConcurrentHashMap<>();
  private final Map<String, byte[]> refusedDigests = new HashMap<>();
  private final ModelFit fit;
  private final Listener listener;
  private final TrustedKeys trustedKeys;

  /**
   * A registry that accepts models taking {@code expectedInputSize} features per step, signed or
   * not.
   *
   * @param listener told about each refusal and each change of a live or shadow model
   */
  public ModelRegistry(int expectedInputSize, Listener listener) {
    this(expectedInputSize, listener, null);
  }

  /**
   * A registry that accepts models taking {@code expectedInputSize} features per step and, when
   * {@code trustedKeys} is given, only those signed by one of them.
   *
   * @param listener told about each refusal and each change of a live or shadow model
   * @param trustedKeys keys a bundle must be signed by, or null to accept unsigned bundles and
   *     signed ones without checking their signature
   */
  public ModelRegistry(int expectedInputSize, Listener listener, TrustedKeys trustedKeys) {
    this(
        expectedInputSize,
        Normalisation.LOG_RETURN,
        OutputHead.Kind.REGRESSION,
        listener,
        trustedKeys);
  }

  /**
   * A registry for one pipeline: it accepts models of {@code expectedTransform} with {@code
   * expectedHead} and ignores (without a refusal) well-formed bundles of another transform, which
   * belong to another pipeline sharing the models topic (the forecaster and the speech tagger).
   *
   * @param expectedTransform {@link Normalisation#transform()} of the inputs this pipeline computes
   * @param expectedHead the head this pipeline reads
   */
  public ModelRegistry(
      int expectedInputSize,
      String expectedTransform,
      OutputHead.Kind expectedHead,
      Listener listener,
      TrustedKeys trustedKeys) {
    this(ModelFit.of(expectedInputSize, expectedTransform, expectedHead), listener, trustedKeys);
  }

  /**
   * A registry for one pipeline whose {@code fit} says which bundles are its own (others are
   * ignored without a refusal) and which of them fit the stream (the rest are refused as {@code
   * invalid-model}).
   */
  public ModelRegistry(ModelFit fit, Listener listener, TrustedKeys trustedKeys) {
    this.fit = fit;
    this.listener = listener;
    this.trustedKeys = trustedKeys;
  }

  /** True for a well-formed bundle made for another pipeline. */
  private boolean foreign(byte[] bytes) {
    try {
      return !fit.serves(ModelBundle.decode(bytes).header());
    } catch (BundleException e) {
      return false; // malformed: validation reports it
    }
  }

  /**
   * Stops logging decisions: for a registry that only answers what instances would decide ({@link
   * ModelLineup}), whose refusals the caller reports itself. Call before any record is applied.
   */
  void silence() {
    log = NOPLogger.NOP_LOGGER;
  }

  /** The live model named {@code name}, or null if none has been accepted. */
  public RecurrentModel current(String name) {
    Lineage lineage = lineages.get(name);
    return lineage == null ? null : lineage.live;
  }

  /** The shadow model of {@code name}, or null when none runs. */
  public RecurrentModel shadow(String name) {
    Lineage lineage = lineages.get(name);
    return lineage == null ? null : lineage.shadow;
  }

  /** The valid versions known for {@code name}, oldest first. */
  public synchronized List<Long> versions(String name) {
    Lineage lineage = lineages.get(name);
    return lineage == null ? List.of() : List.copyOf(lineage.versions.keySet());
  }

  /** The control in force for {@code name}. */
  public synchronized ModelControl control(String name) {
    Lineage lineage = lineages.get(name);
    return lineage == null ? ModelControl.followNewest() : lineage.control;
  }

  /**
   * Applies everything the models store held at start-up, then decides the live and shadow models
   * once: no version counts as a swap on the way, and older versions are kept for rollback.
   *
   * @param records store contents: bundle keys {@code <name>/<version>} and control keys
   * @param topic the models topic the store mirrors, named in the reason of each live model
   */
  public synchronized void catchUp(Map<String, byte[]> records, String topic) {
    Set<String> touched = new TreeSet<>();
    records.forEach(
        (key, bytes) -> {
          if (ModelControl.isControlKey(key)) {
            if (applyControl(key, bytes)) {
              touched.add(ModelControl.nameOf(key));
            }
          } else if (!refusedBefore(key, bytes) && !foreign(bytes)) {
            RecurrentModel model = validate(key, bytes);
            if (model != null) {
              Lineage lineage = lineage(model.name());
              Entry known = lineage.versions.get(model.version());
              // Kafka Streams may already have passed this record through offer() while it
              // restored the store: keep that entry, so nothing is reported twice.
              if (known == null || !Arrays.equals(known.bytes(), bytes)) {
                lineage.versions.put(model.version(), new Entry(model, bytes));
              }
              touched.add(model.name());
            }
          }
        });
    touched.forEach(name -> resolve(name, "restored from " + topic));
  }

  /**
   * Validates a bundle and adds it to its lineage if it is newer than every known version of its
   * name; it goes live unless a pin says otherwise.
   *
   * @param source where the bytes came from, for the log line (e.g. {@code sp500/3})
   */
  public synchronized Outcome offer(String source, byte[] bytes) {
    if (refusedBefore(source, bytes) || foreign(bytes)) {
      return Outcome.IGNORED;
    }
    RecurrentModel model = validate(source, bytes);
    if (model == null) {
      return Outcome.REFUSED;
    }
    Lineage lineage = lineage(model.name());
    Entry known = lineage.versions.get(model.version());
    if (known != null && Arrays.equals(bytes, known.bytes())) {
      return Outcome.IGNORED;
    }
    if (!lineage.versions.isEmpty() && model.version() <= lineage.versions.lastKey()) {
      refuse(
          source,
          "version-not-newer",
          "version "
              + model.version()
              + " is not newer than known "
              + lineage.versions.lastKey()
              + "; publish a higher version, or roll back to a known one");
      return Outcome.REFUSED;
    }
    lineage.versions.put(model.version(), new Entry(model, bytes));
    resolve(model.name(), "new version " + model.version() + " from " + source);
    return Outcome.ACCEPTED;
  }

  /** Applies a control record read from {@code <name>/control}. */
  public synchronized void control(String key, byte[] bytes) {
    if (applyControl(key, bytes)) {
      resolve(ModelControl.nameOf(key), "control record");
    }
  }

  private boolean applyControl(String key, byte[] bytes) {
    ModelControl control;
    try {
      control = ModelControl.decode(bytes);
    } catch (IllegalArgumentException e) {
      refuse(key, "bad-control", e.getMessage());
      return false;
    }
    lineage(ModelControl.nameOf(key)).control = control;
    return true;
  }

  private Lineage lineage(String name) {
    return lineages.computeIfAbsent(name, n -> new Lineage());
  }

  /** Recomputes the live and shadow model of {@code name} and reports what changed. */
  private void resolve(String name, String why) {
    Lineage lineage = lineage(name);
    if (lineage.versions.isEmpty()) {
      return;
    }
    ModelControl control = lineage.control;
    Entry live = lineage.versions.lastEntry().getValue();
    if (control.live() != null) {
      Entry pinned = lineage.versions.get(control.live());
      if (pinned != null) {
        live = pinned;
      } else {
        log.warn(
            "model {}: pinned version {} is not known (have {}); running the newest instead",
            name,
            control.live(),
            lineage.versions.keySet());
      }
    }
    if (lineage.live != live.model()) {
      lineage.live = live.model();
      log.info("model {} version {} is now live ({})", name, live.model().version(), why);
      listener.live(live.model(), why);
    }
    RecurrentModel shadow = null;
    if (control.shadow() != null) {
      Entry candidate = lineage.versions.get(control.shadow());
      if (candidate == null) {
        log.warn("model {}: shadow version {} is not known", name, control.shadow());
      } else if (candidate.model() != lineage.live) {
        shadow = candidate.model();
      }
    }
    if (lineage.shadow != shadow) {
      lineage.shadow = shadow;
      log.info(
          "model {}: {} ({})",
          name,
          shadow == null ? "no shadow" : "version " + shadow.version() + " runs in shadow",
          why);
      listener.shadow(name, shadow, why);
    }
  }

  /**
   * The decoded, checked (and, with trusted keys, verified) model, or null after reporting the
   * refusal. Kafka Streams passes restored records through the store processor and init() offers
   * the store again, so the same refused bytes under the same key are reported once only.
   */
  private RecurrentModel validate(String source, byte[] bytes) {
    byte[] digest = sha256(bytes);
    try {
      ModelBundle bundle =
          trustedKeys == null ? ModelBundle.decode(bytes) : trustedKeys.verify(bytes);
      RecurrentModel model = RecurrentModel.from(bundle);
      check(model);
      refusedDigests.remove(source);
      return model;
    } catch (BundleException e) {
      refuse(source, e.reason().code(), e.getMessage());
    } catch (IllegalArgumentException e) {
      refuse(source, "invalid-model", e.getMessage());
    }
    refusedDigests.put(source, digest);
    return null;
  }

  /** True if exactly these bytes under this key were refused already. */
  private boolean refusedBefore(String source, byte[] bytes) {
    byte[] digest = refusedDigests.get(source);
    return digest != null && MessageDigest.isEqual(digest, sha256(bytes));
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every JRE", e);
    }
  }

  private void check(RecurrentModel model) {
    fit.check(model);
    smokeTest(model);
  }

  /** A few steps on extreme but valid inputs must give finite outputs and state. */
  private static void smokeTest(RecurrentModel model) {
    StepKernel kernel = model.newKernel();
    float[] state = new float[model.stateSize()];
    float[] input = new float[model.inputSize()];
    float[] output = new float[model.outputSize()];
    float clip = (float) model.normalisation().clip();
    for (int step = 0; step < 32; step++) {
      Arrays.fill(input, step % 2 == 0 ? clip : -clip);
      kernel.step(state, input);
      kernel.output(state, output);
      for (float v : output) {
        if (!Float.isFinite(v)) {
          throw new IllegalArgumentException("smoke prediction gave a non-finite output");
        }
      }
    }
  }

  Outcome refuse(String source, String reason, String detail) {
    log.warn(
        "refused model bundle from {}: {} ({}); the running model stays", source, reason, detail);
    listener.refused(source, reason, detail);
    return Outcome.REFUSED;
  }
}
