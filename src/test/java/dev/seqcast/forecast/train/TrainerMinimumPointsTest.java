package dev.seqcast.forecast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.seqcast.model.CellType;
import org.junit.jupiter.api.Test;

/** The shortest trainable series, as the topic reader reports series that are too short. */
class TrainerMinimumPointsTest {

  /** The condition {@code Trainer.train} imposes on each series, written out directly. */
  private static boolean trainable(int size, Trainer.Options options) {
    int split = (int) Math.round(size * (1 - options.holdout()));
    return split >= options.tbptt() + 2 && size - split >= 2;
  }

  @Test
  void isTheSmallestTrainableSizeAndEveryLargerSizeIsTrainable() {
    for (int tbptt : new int[] {2, 3, 10, 20, 50, 200}) {
      for (double holdout : new double[] {0.01, 0.05, 0.1, 0.2, 0.33, 0.5, 0.8, 0.95}) {
        Trainer.Options options =
            new Trainer.Options("m", 1, CellType.LSTM, 4, 1, 1, tbptt, holdout, 1e-3, 1);
        int minimum = Trainer.minimumPoints(options);
        String where = "tbptt " + tbptt + ", holdout " + holdout;
        int smallest = 2;
        while (!trainable(smallest, options)) {
          smallest++;
        }
        assertEquals(smallest, minimum, where);
        for (int size = minimum; size < minimum + 500; size++) {
          assertTrue(trainable(size, options), where + ", size " + size);
        }
      }
    }
  }

  @Test
  void theDefaultsNeedSixtyFivePoints() {
    Trainer.Options defaults =
        new Trainer.Options("m", 1, CellType.LSTM, 32, 1, 15, 50, 0.2, 1e-3, 42);
    assertEquals(65, Trainer.minimumPoints(defaults));
  }
}
