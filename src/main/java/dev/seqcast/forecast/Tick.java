package dev.seqcast.forecast;

import java.util.Map;

/**
 * One validated observation of a series, as read from {@code seqcast.ticks}.
 *
 * @param series series id (the record key)
 * @param ts event time, epoch milliseconds
 * @param value the observation; finite
 * @param features optional extra named features, all finite; empty when absent
 */
public record Tick(String series, long ts, double value, Map<String, Double> features) {}
