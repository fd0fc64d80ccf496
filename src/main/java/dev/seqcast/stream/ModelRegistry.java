package dev.seqcast.stream;

import dev.seqcast.model.BundleException;
import dev.seqcast.model.ModelBundle;
import dev.seqcast.model.RecurrentModel;
import dev.seqcast.model.StepKernel;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models an application instance may use: for each model name, the newest bundle that passed
 * validation. Bundles reach it from the {@code seqcast.models} global store; a bundle that fails
 * validation is refused with one log line and a counted reason, and the running model stays.
 *
 * <p>Threading: {@link #offer} is called by the global-store thread, {@link #current} by stream
 * threads; models are immutable and published through a concurrent map.
 */
public final class ModelRegistry {

  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

  /** What became of an offered bundle. */
  public enum Outcome {
    /** Validated and now the current model of its name. */
    ACCEPTED,
    /** The same bytes as the current model, or an older version seen while catching up. */
    IGNORED,
    /** Refused; the running model (if any) stays. */
    REFUSED
  }

  /** Told about every refusal and every newly current model, e.g. to count them in metrics. */
  @FunctionalInterface
  public interface Listener {
    /** {@code reason} is a stable lower-case code such as {@code bad-checksum}. */
    void refused(String source, String reason, String detail);

    /** {@code model} became the current model of its name. */
    default void accepted(RecurrentModel model) {}
  }

  private record Entry(RecurrentModel model, byte[] bytes) {}

  private final Map<String, Entry> current = new ConcurrentHashMap<>();
  private final int expectedInputSize;
  private final Listener listener;

  /**
   * A registry that accepts models taking {@code expectedInputSize} features per step.
   *
   * @param listener told about each refusal and each accepted model
   */
  public ModelRegistry(int expectedInputSize, Listener listener) {
    this.expectedInputSize = expectedInputSize;
    this.listener = listener;
  }

  /** The current model named {@code name}, or null if none has been accepted. */
  public RecurrentModel current(String name) {
    Entry entry = current.get(name);
    return entry == null ? null : entry.model();
  }

  /**
   * Validates a bundle and makes it current if it is newer than the running model of its name.
   *
   * @param source where the bytes came from, for the log line (e.g. {@code seqcast.models/sp500/3})
   * @param catchingUp true while replaying stored bundles at start-up, where an older version after
   *     a newer one is expected and not a refusal
   */
  public synchronized Outcome offer(String source, byte[] bytes, boolean catchingUp) {
    RecurrentModel model;
    try {
      model = RecurrentModel.from(ModelBundle.decode(bytes));
      check(model);
    } catch (BundleException e) {
      return refuse(source, e.reason().code(), e.getMessage());
    } catch (IllegalArgumentException e) {
      return refuse(source, "invalid-model", e.getMessage());
    }
    Entry running = current.get(model.name());
    if (running != null && model.version() <= running.model().version()) {
      if (catchingUp || Arrays.equals(bytes, running.bytes())) {
        return Outcome.IGNORED;
      }
      return refuse(
          source,
          "version-not-newer",
          "version " + model.version() + " is not newer than running " + running.model().version());
    }
    current.put(model.name(), new Entry(model, bytes));
    LOG.info("model {} version {} is now current (from {})", model.name(), model.version(), source);
    listener.accepted(model);
    return Outcome.ACCEPTED;
  }

  private void check(RecurrentModel model) {
    if (model.inputSize() != expectedInputSize) {
      throw new IllegalArgumentException(
          "model takes "
              + model.inputSize()
              + " features per step, the predictor supplies "
              + expectedInputSize);
    }
    if (model.outputSize() < 1) {
      throw new IllegalArgumentException("model has no outputs");
    }
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
    LOG.warn(
        "refused model bundle from {}: {} ({}); the running model stays", source, reason, detail);
    listener.refused(source, reason, detail);
    return Outcome.REFUSED;
  }
}
