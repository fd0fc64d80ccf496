package dev.seqcast.streams;

/**
 * Totals of the forecasts one model version made and had scored in this instance since it started,
 * as live or as shadow.
 *
 * @param role {@code live} or {@code shadow}
 */
public record Scorecard(
    String model,
    String role,
    long version,
    long scored,
    double absErrorSum,
    double squaredErrorSum) {}
