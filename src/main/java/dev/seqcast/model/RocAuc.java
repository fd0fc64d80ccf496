package dev.seqcast.model;

import java.util.Arrays;

/**
 * The area under the ROC curve of a score against yes/no truths: the probability that a random
 * positive scores above a random negative, ties counting one half (the Mann-Whitney statistic, from
 * average ranks). A score that takes two values only, such as a detector's 0/1 decisions, gets
 * {@code (TPR + TNR) / 2} of its one operating point. Mutable; confined to one thread.
 */
public final class RocAuc {

  private float[] scores = new float[1024];
  private boolean[] positives = new boolean[1024];
  private int size;

  /** Counts one score against its truth. */
  public void add(float score, boolean positive) {
    if (size == scores.length) {
      scores = Arrays.copyOf(scores, 2 * size);
      positives = Arrays.copyOf(positives, 2 * size);
    }
    scores[size] = score;
    positives[size] = positive;
    size++;
  }

  /** The area; NaN while there is no positive or no negative. */
  public double auc() {
    long[] order = new long[size];
    for (int i = 0; i < size; i++) {
      // sort by score, keeping the index: the float's bits as an int in the float's own order
      // (negative floats have their magnitude bits flipped; -0 counts as 0), then the index
      int bits = Float.floatToIntBits(scores[i] == 0f ? 0f : scores[i]);
      int key = bits ^ ((bits >> 31) & 0x7FFFFFFF);
      order[i] = (long) key << 32 | i;
    }
    Arrays.sort(order);
    long positiveCount = 0;
    double positiveRanks = 0;
    int from = 0;
    while (from < size) {
      int to = from;
      while (to < size && order[to] >> 32 == order[from] >> 32) {
        to++;
      }
      double rank = (from + 1 + to) / 2.0; // ranks from+1..to share their mean
      for (int i = from; i < to; i++) {
        if (positives[(int) order[i]]) {
          positiveCount++;
          positiveRanks += rank;
        }
      }
      from = to;
    }
    long negativeCount = size - positiveCount;
    if (positiveCount == 0 || negativeCount == 0) {
      return Double.NaN;
    }
    return (positiveRanks - positiveCount * (positiveCount + 1) / 2.0)
        / ((double) positiveCount * negativeCount);
  }
}
