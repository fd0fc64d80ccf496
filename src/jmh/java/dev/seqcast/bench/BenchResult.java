package dev.seqcast.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One measured figure of a benchmark, in the shape every {@code target/bench/<name>.json} uses:
 * {@code {"name", "metric", "value", "baseline", "ratio", "unit", "params"}}. {@code ratio}
 * compares {@code value} with {@code baseline} measured in the same run on the same machine; its
 * direction is stated by the metric's name (e.g. {@code speedup_vs_dl4j} = baseline / value).
 *
 * @param name benchmark name, e.g. {@code kernel}
 * @param metric what {@code value} measures, e.g. {@code ns_per_step}
 * @param value the measured value
 * @param baseline the comparison value from the same run, or NaN when there is none
 * @param ratio the stated ratio of value and baseline, or NaN
 * @param unit unit of {@code value} and {@code baseline}
 * @param params what was measured: sizes, settings, secondary figures
 */
public record BenchResult(
    String name,
    String metric,
    double value,
    double baseline,
    double ratio,
    String unit,
    Map<String, Object> params) {

  /** Keeps the parameters' order. */
  public BenchResult {
    params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
  }
}
