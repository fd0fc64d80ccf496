package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The one F1 every evaluation reports (speech frames, speech segments, anomalies). */
class DetectionCountsTest {

  @Test
  void f1IsTwiceTheTruePositivesOverTwiceThemPlusBothErrors() {
    DetectionCounts counts = new DetectionCounts();
    for (int i = 0; i < 6; i++) {
      counts.add(true, true);
    }
    for (int i = 0; i < 2; i++) {
      counts.add(true, false);
    }
    for (int i = 0; i < 4; i++) {
      counts.add(false, true);
    }
    counts.add(false, false); // a true negative changes nothing
    assertEquals(2.0 * 6 / (2 * 6 + 2 + 4), counts.f1(), 1e-12);
    assertEquals(6.0 / 8, counts.precision(), 1e-12);
    assertEquals(6.0 / 10, counts.recall(), 1e-12);
  }

  @Test
  void addedCountsEqualCountsMadeOneByOne() {
    DetectionCounts a = new DetectionCounts();
    a.add(3, 1, 2);
    DetectionCounts b = new DetectionCounts();
    b.add(a);
    b.add(true, true);
    assertEquals(2.0 * 4 / (2 * 4 + 1 + 2), b.f1(), 1e-12);
  }

  @Test
  void nothingDetectedScoresZeroNotNaN() {
    DetectionCounts none = new DetectionCounts();
    assertEquals(0, none.f1());
    none.add(false, true);
    assertEquals(0, none.f1());
    assertEquals(0, DetectionCounts.f1(0, 0));
  }
}
