package dev.seqcast.bench;

import dev.seqcast.forecast.Prediction;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How the predictions of a faulted run compare with those of an uninterrupted reference run over
 * the same ticks, series by series in order.
 *
 * <p>Compared: every field of the prediction that is a function of the input — series, event time,
 * horizon, value, interval lo/hi, observed value, model name and version — with {@code double}s
 * compared bit for bit ({@link Double#compare}). Excluded: {@code latencyMs}, the wall-clock time
 * from the tick's produce time to the forecast, which differs in every run; and the Kafka record
 * timestamp, which is the tick's produce time, i.e. when the harness sent it.
 *
 * @param expected predictions of the reference run
 * @param received predictions read from the faulted run (duplicates included)
 * @param identical every series' list equals the reference's exactly: same records, same order,
 *     nothing missing, nothing repeated
 * @param missing reference predictions (series, event time) never received
 * @param duplicates received predictions that repeat an earlier identical one
 * @param mismatched received predictions that differ from the reference's for the same series and
 *     event time, or that the reference does not have
 * @param outOfOrder series whose distinct predictions did not arrive in event-time order
 * @param firstDifference description of the first difference found, or empty
 */
public record OutputComparison(
    long expected,
    long received,
    boolean identical,
    long missing,
    long duplicates,
    long mismatched,
    long outOfOrder,
    String firstDifference) {

  /** Compares {@code observed} with {@code reference}, both per series in arrival order. */
  public static OutputComparison of(
      Map<String, List<Prediction>> reference, Map<String, List<Prediction>> observed) {
    long expected = 0;
    long received = 0;
    long missing = 0;
    long duplicates = 0;
    long mismatched = 0;
    long outOfOrder = 0;
    boolean identical = reference.keySet().equals(observed.keySet());
    String first = identical ? "" : "series differ: " + diff(reference, observed);
    for (Map.Entry<String, List<Prediction>> e : observed.entrySet()) {
      if (!reference.containsKey(e.getKey())) {
        mismatched += e.getValue().size();
        received += e.getValue().size();
      }
    }
    for (Map.Entry<String, List<Prediction>> e : reference.entrySet()) {
      List<Prediction> ref = e.getValue().stream().map(OutputComparison::comparable).toList();
      List<Prediction> got =
          observed.getOrDefault(e.getKey(), List.of()).stream()
              .map(OutputComparison::comparable)
              .toList();
      expected += ref.size();
      received += got.size();
      if (!ref.equals(got)) {
        identical = false;
        if (first.isEmpty()) {
          first = firstDifference(e.getKey(), ref, got);
        }
      }
      Map<Long, Prediction> want = new HashMap<>();
      ref.forEach(p -> want.put(p.ts(), p));
      Map<Long, Prediction> seen = new HashMap<>();
      long lastTs = Long.MIN_VALUE;
      boolean ordered = true;
      for (Prediction p : got) {
        Prediction before = seen.get(p.ts());
        if (before != null) {
          if (before.equals(p)) {
            duplicates++;
          } else {
            mismatched++;
          }
          continue;
        }
        seen.put(p.ts(), p);
        if (!p.equals(want.get(p.ts()))) {
          mismatched++;
        }
        if (p.ts() <= lastTs) {
          ordered = false;
        }
        lastTs = p.ts();
      }
      for (Long ts : want.keySet()) {
        if (!seen.containsKey(ts)) {
          missing++;
        }
      }
      if (!ordered) {
        outOfOrder++;
      }
    }
    return new OutputComparison(
        expected, received, identical, missing, duplicates, mismatched, outOfOrder, first);
  }

  /** Nothing lost, nothing different: what at-least-once promises (duplicates allowed). */
  public boolean noneLostOrAltered() {
    return missing == 0 && mismatched == 0 && outOfOrder == 0;
  }

  /** The prediction with the wall-clock latency zeroed: everything that is a function of input. */
  public static Prediction comparable(Prediction p) {
    return new Prediction(
        p.series(),
        p.ts(),
        p.horizon(),
        p.value(),
        p.lo(),
        p.hi(),
        p.observed(),
        p.model(),
        p.modelVersion(),
        0,
        p.fresh(),
        p.gap());
  }

  private static String firstDifference(String series, List<Prediction> ref, List<Prediction> got) {
    int n = Math.min(ref.size(), got.size());
    for (int i = 0; i < n; i++) {
      if (!ref.get(i).equals(got.get(i))) {
        return series + " #" + i + ": expected " + ref.get(i) + " got " + got.get(i);
      }
    }
    return series + ": expected " + ref.size() + " predictions, got " + got.size();
  }

  private static String diff(Map<String, ?> reference, Map<String, ?> observed) {
    var onlyRef = new java.util.TreeSet<>(reference.keySet());
    onlyRef.removeAll(observed.keySet());
    var onlyObs = new java.util.TreeSet<>(observed.keySet());
    onlyObs.removeAll(reference.keySet());
    return "missing " + onlyRef + ", unexpected " + onlyObs;
  }

  @Override
  public String toString() {
    return String.format(
        "%,d expected, %,d received, identical=%s, missing=%d, duplicates=%d, mismatched=%d,"
            + " out-of-order series=%d%s",
        expected,
        received,
        identical,
        missing,
        duplicates,
        mismatched,
        outOfOrder,
        firstDifference.isEmpty() ? "" : "; first difference: " + firstDifference);
  }
}
