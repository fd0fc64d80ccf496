package dev.seqcast.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every benchmark's JSON follows the design's contract and its summary is one line. */
class BenchReportTest {

  @TempDir Path dir;

  @Test
  void writesTheContractFieldsWithNullForMissingFiguresAndOneSummaryLine() throws Exception {
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    Path file =
        BenchReport.write(
            dir.resolve("nested"),
            "demo",
            List.of(
                new BenchResult("demo", "x_per_s", 2.0, 4.0, 0.5, "x/s", Map.of("series", 10)),
                new BenchResult("demo", "y", 1.0, Double.NaN, Double.NaN, "ms", Map.of())),
            "two figures",
            new PrintStream(printed, true, StandardCharsets.UTF_8));

    JsonNode list = new ObjectMapper().readTree(file.toFile());
    assertEquals(2, list.size());
    JsonNode first = list.get(0);
    for (String field : List.of("name", "metric", "value", "baseline", "ratio", "unit", "params")) {
      assertTrue(first.has(field), field);
    }
    assertEquals(0.5, first.get("ratio").asDouble());
    assertEquals(10, first.get("params").get("series").asInt());
    assertTrue(list.get(1).get("baseline").isNull());
    String line = printed.toString(StandardCharsets.UTF_8);
    assertEquals(1, line.lines().count());
    assertTrue(line.startsWith("bench demo: two figures"), line);
  }
}
