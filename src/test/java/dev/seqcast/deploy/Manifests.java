package dev.seqcast.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads the deployment files under {@code deploy/}: YAML documents as Jackson trees (through
 * SnakeYAML, which resolves the anchors and {@code <<} merge keys the compose file uses; Jackson's
 * own YAML parser keeps {@code <<} as a plain key), the Kubernetes overlays rendered by the real
 * Kustomize inside {@code kubectl}.
 */
final class Manifests {

  private static final ObjectMapper JSON = new ObjectMapper();

  private Manifests() {}

  /** The project's base directory (Maven's {@code basedir}, else the working directory). */
  static Path projectDir() {
    return Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
  }

  /** {@code deploy/} of the project. */
  static Path deployDir() {
    return projectDir().resolve("deploy");
  }

  /** Every YAML document in {@code text}, empty documents left out. */
  static List<JsonNode> yamlDocuments(String text) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    List<JsonNode> documents = new ArrayList<>();
    for (Object document : new Yaml(options).loadAll(text)) {
      if (document != null) {
        documents.add(JSON.valueToTree(document));
      }
    }
    return documents;
  }

  /** The single YAML document in {@code file}. */
  static JsonNode yamlFile(Path file) {
    List<JsonNode> documents = yamlDocuments(read(file));
    if (documents.size() != 1) {
      throw new AssertionError(file + " holds " + documents.size() + " YAML documents, not 1");
    }
    return documents.get(0);
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The objects {@code kustomizationDir} renders to, by {@code kubectl kustomize}: the real
   * Kustomize applies the patches, generators and image overrides exactly as {@code kubectl apply
   * -k} would. kubectl ships with the build machine's image; a machine without it fails here with
   * what to install.
   */
  static List<JsonNode> kustomize(Path kustomizationDir) {
    Path kubectl =
        onPath("kubectl")
            .orElseThrow(
                () ->
                    new AssertionError(
                        "kubectl is not on the PATH; the Kubernetes manifests are rendered with"
                            + " 'kubectl kustomize' (kubectl 1.27 or newer, which embeds"
                            + " Kustomize v5): install kubectl"));
    try {
      Path out = Files.createTempFile("seqcast-kustomize", ".yaml");
      try {
        Process process =
            new ProcessBuilder(kubectl.toString(), "kustomize", kustomizationDir.toString())
                .redirectErrorStream(false)
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
          process.destroyForcibly();
          throw new AssertionError("kubectl kustomize " + kustomizationDir + " did not finish");
        }
        if (process.exitValue() != 0) {
          throw new AssertionError(
              "kubectl kustomize "
                  + kustomizationDir
                  + " failed ("
                  + process.exitValue()
                  + "):\n"
                  + errors);
        }
        return yamlDocuments(read(out));
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while rendering " + kustomizationDir, e);
    }
  }

  private static Optional<Path> onPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, name);
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return Optional.of(candidate);
        }
      }
    }
    return Optional.empty();
  }
}
