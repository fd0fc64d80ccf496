package dev.seqcast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The artefacts as a user runs them, in JVMs of their own: {@code seqcast.jar} with nothing but
 * {@code lib/} runs the demo (an in-process test has every test and provided jar on its class path
 * and cannot tell that a runtime library is missing), holds no benchmark code, and hands {@code
 * bench} to {@code seqcast-bench.jar}.
 */
class PackagedJarIT {

  private static final Path TARGET = Path.of("target");

  private static String run(List<String> args, int expectedExit) throws Exception {
    List<String> command =
        Stream.concat(
                Stream.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-jar",
                    TARGET.resolve("seqcast.jar").toString()),
                args.stream())
            .toList();
    Path output = Files.createTempFile("seqcast-jar", ".out");
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(output.toFile())
              .start();
      if (!process.waitFor(5, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("still running after 5 minutes: " + command);
      }
      String text = Files.readString(output, StandardCharsets.UTF_8);
      assertEquals(expectedExit, process.exitValue(), text);
      return text;
    } finally {
      Files.deleteIfExists(output);
    }
  }

  @Test
  void theProductJarRunsTheDemoOnItsOwnLibraries() throws Exception {
    String text = run(List.of("demo", "--events", "500", "--rate", "0", "--metrics-port", "0"), 0);
    assertTrue(text.contains("predictions out            500"), text);
  }

  @Test
  void theProductCarriesNoBenchmarkCodeAndBenchRunsFromItsOwnJar() throws Exception {
    try (JarFile jar = new JarFile(TARGET.resolve("seqcast.jar").toFile())) {
      assertTrue(
          jar.stream().noneMatch(e -> e.getName().startsWith("dev/seqcast/bench/")),
          "benchmark classes in seqcast.jar");
    }
    try (Stream<Path> lib = Files.list(TARGET.resolve("lib"))) {
      List<String> jmh =
          lib.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("jmh")).toList();
      assertEquals(List.of(), jmh, "JMH on the product's runtime class path");
    }
    String help = run(List.of("bench", "--help"), 0);
    assertTrue(help.contains("kernel") && help.contains("reliability"), help);
  }

  @Test
  void theVersionComesFromTheManifest() throws Exception {
    String version = run(List.of("--version"), 0).strip();
    try (JarFile jar = new JarFile(TARGET.resolve("seqcast.jar").toFile())) {
      String manifest = jar.getManifest().getMainAttributes().getValue("Implementation-Version");
      assertEquals("seqcast " + manifest, version);
    }
  }
}
