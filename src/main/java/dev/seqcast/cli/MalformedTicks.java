package dev.seqcast.cli;

import java.nio.charset.StandardCharsets;

/** Deliberately broken tick values the demo mixes in, one kind after another. */
final class MalformedTicks {

  private static int next;

  private MalformedTicks() {}

  /** The next broken value, near event time {@code ts}. */
  static synchronized byte[] next(long ts) {
    String[] kinds = {
      "{\"ts\": " + ts + ", \"value\": ",
      "{\"ts\": " + ts + ", \"value\": \"NaN\"}",
      "{\"value\": 100.0}",
      "{\"ts\": " + ts + ", \"value\": -5}",
      "not json at all",
    };
    return kinds[next++ % kinds.length].getBytes(StandardCharsets.UTF_8);
  }
}
