package dev.seqcast.model;

/**
 * How a yes/no detector (speech in a frame, a speech segment, an anomaly) fared against the truth:
 * true positives, false positives and false negatives, and the F1 score they give. Mutable;
 * confined to one thread.
 */
public final class DetectionCounts {

  private long truePositives;
  private long falsePositives;
  private long falseNegatives;

  /** Counts one decision against its truth. */
  public void add(boolean predicted, boolean actual) {
    if (predicted && actual) {
      truePositives++;
    } else if (predicted) {
      falsePositives++;
    } else if (actual) {
      falseNegatives++;
    }
  }

  /** Adds counts made elsewhere, e.g. matched, unmatched predicted and missed true segments. */
  public void add(long truePositives, long falsePositives, long falseNegatives) {
    this.truePositives += truePositives;
    this.falsePositives += falsePositives;
    this.falseNegatives += falseNegatives;
  }

  /** Adds everything {@code other} counted. */
  public void add(DetectionCounts other) {
    add(other.truePositives, other.falsePositives, other.falseNegatives);
  }

  /** Share of detections that were right; 0 with no detection. */
  public double precision() {
    long detected = truePositives + falsePositives;
    return detected == 0 ? 0 : (double) truePositives / detected;
  }

  /** Share of true events detected; 0 with no true event. */
  public double recall() {
    long actual = truePositives + falseNegatives;
    return actual == 0 ? 0 : (double) truePositives / actual;
  }

  /** Harmonic mean of precision and recall; 0 when nothing true was detected. */
  public double f1() {
    return f1(precision(), recall());
  }

  /** The F1 of a precision and a recall measured apart (e.g. per episode and per event). */
  public static double f1(double precision, double recall) {
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  }
}
