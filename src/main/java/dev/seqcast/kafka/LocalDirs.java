package dev.seqcast.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Clean-up of the local directories Kafka leaves behind (broker logs, Streams state). */
public final class LocalDirs {

  private LocalDirs() {}

  /** Deletes {@code dir} and everything below it, best effort: a leftover temp dir is harmless. */
  public static void deleteQuietly(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // nothing to do: the directory is gone or unreadable
    }
  }
}
