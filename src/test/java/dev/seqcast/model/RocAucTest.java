package dev.seqcast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** ROC-AUC on scores whose area is known by hand or by counting pairs. */
class RocAucTest {

  @Test
  void separatedReversedAndTiedScoresGiveOneZeroAndOneHalf() {
    RocAuc separated = new RocAuc();
    RocAuc reversed = new RocAuc();
    RocAuc tied = new RocAuc();
    for (int i = 0; i < 50; i++) {
      boolean positive = i % 3 == 0;
      separated.add(positive ? 1 + i : -i, positive);
      reversed.add(positive ? -i : 1 + i, positive);
      tied.add(0.3f, positive);
    }
    assertEquals(1.0, separated.auc(), 1e-12);
    assertEquals(0.0, reversed.auc(), 1e-12);
    assertEquals(0.5, tied.auc(), 1e-12);
  }

  @Test
  void tiesBetweenAPositiveAndANegativeCountOneHalf() {
    RocAuc auc = new RocAuc();
    auc.add(0.8f, true);
    auc.add(0.4f, true);
    auc.add(0.6f, false);
    auc.add(0.2f, false);
    auc.add(0.4f, false);
    // pairs: 0.8 beats all three negatives; 0.4 beats 0.2, ties 0.4, loses to 0.6: 4.5 of 6
    assertEquals(0.75, auc.auc(), 1e-12);
  }

  @Test
  void zeroOneDecisionsGiveTheMeanOfTheTrueRates() {
    RocAuc auc = new RocAuc();
    for (int i = 0; i < 10; i++) {
      auc.add(i < 7 ? 1 : 0, true); // TPR 0.7
    }
    for (int i = 0; i < 20; i++) {
      auc.add(i < 5 ? 1 : 0, false); // TNR 0.75
    }
    assertEquals((0.7 + 0.75) / 2, auc.auc(), 1e-12);
  }

  @Test
  void withoutAPositiveOrANegativeThereIsNoArea() {
    RocAuc auc = new RocAuc();
    auc.add(0.5f, true);
    assertTrue(Double.isNaN(auc.auc()));
    assertTrue(Double.isNaN(new RocAuc().auc()));
  }

  @Test
  void manyScoresWithNegativesAndTiesMatchCountingEveryPair() {
    Random random = new Random(7);
    int n = 3000;
    float[] scores = new float[n];
    boolean[] positive = new boolean[n];
    RocAuc auc = new RocAuc();
    for (int i = 0; i < n; i++) {
      positive[i] = random.nextDouble() < 0.3;
      // coarse values, so that many tie; positives a little higher; -0 and 0 alike
      scores[i] = Math.round((random.nextGaussian() + (positive[i] ? 0.7 : 0)) * 4) / 4f;
      if (scores[i] == 0 && random.nextBoolean()) {
        scores[i] = -0f;
      }
      auc.add(scores[i], positive[i]);
    }
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (positive[i] && !positive[j]) {
          pairs++;
          wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
        }
      }
    }
    assertEquals(wins / pairs, auc.auc(), 1e-9);
  }
}
