package dev.seqcast.forecast.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeriesReplayTest {

  private final Series a = new Series("a", new long[] {0, 10, 20}, new double[] {1, 2, 3});
  private final Series b = new Series("b", new long[] {5, 15}, new double[] {7, 8});

  @Test
  void onePassIsEveryPointOnceInEventTimeOrder() {
    SeriesReplay replay = new SeriesReplay(List.of(a, b), false);
    List<String> seen = new ArrayList<>();
    while (replay.hasNext()) {
      SeriesReplay.Tick t = replay.next();
      seen.add(t.series() + "@" + t.ts() + "=" + t.value());
    }
    assertEquals(List.of("a@0=1.0", "b@5=7.0", "a@10=2.0", "b@15=8.0", "a@20=3.0"), seen);
  }

  @Test
  void loopingPingPongsWithIncreasingEventTimes() {
    SeriesReplay replay = new SeriesReplay(List.of(a, b), true);
    Map<String, List<Double>> values = new HashMap<>();
    Map<String, Long> lastTs = new HashMap<>();
    for (int i = 0; i < 40; i++) {
      SeriesReplay.Tick t = replay.next();
      assertTrue(t.ts() > lastTs.getOrDefault(t.series(), Long.MIN_VALUE), "ts increases");
      lastTs.put(t.series(), t.ts());
      values.computeIfAbsent(t.series(), k -> new ArrayList<>()).add(t.value());
    }
    assertEquals(List.of(1.0, 2.0, 3.0, 2.0, 1.0, 2.0, 3.0, 2.0), values.get("a").subList(0, 8));
    assertEquals(List.of(7.0, 8.0, 7.0, 8.0), values.get("b").subList(0, 4));
    assertTrue(replay.hasNext());
    assertFalse(new SeriesReplay(List.of(b), false).next().series().isEmpty());
  }
}
