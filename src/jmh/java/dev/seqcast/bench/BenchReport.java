package dev.seqcast.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes a benchmark's results to {@code <dir>/<name>.json} and prints its one-line summary. NaN
 * baselines and ratios are written as JSON {@code null}. Not thread-safe; call from one thread.
 */
public final class BenchReport {

  /** Default output directory, relative to the working directory. */
  public static final Path DEFAULT_DIR = Path.of("target", "bench");

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchReport() {}

  /**
   * Writes {@code results} as a JSON list to {@code dir/name.json} and prints {@code summary} on
   * one line prefixed with the benchmark name.
   *
   * @return the file written
   */
  public static Path write(
      Path dir, String name, List<BenchResult> results, String summary, PrintStream out)
      throws IOException {
    Files.createDirectories(dir);
    ArrayNode list = JSON.createArrayNode();
    for (BenchResult r : results) {
      ObjectNode node = list.addObject();
      node.put("name", r.name());
      node.put("metric", r.metric());
      number(node, "value", r.value());
      number(node, "baseline", r.baseline());
      number(node, "ratio", r.ratio());
      node.put("unit", r.unit());
      node.set("params", JSON.valueToTree(clean(r.params())));
    }
    Path file = dir.resolve(name + ".json");
    JSON.writeValue(file.toFile(), list);
    out.println("bench " + name + ": " + summary + " (" + file + ")");
    return file;
  }

  private static void number(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }

  private static Map<String, Object> clean(Map<String, Object> params) {
    Map<String, Object> copy = new java.util.LinkedHashMap<>();
    params.forEach((k, v) -> copy.put(k, v instanceof Double d && !Double.isFinite(d) ? null : v));
    return copy;
  }
}
