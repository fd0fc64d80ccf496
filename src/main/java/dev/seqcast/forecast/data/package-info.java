/**
 * Series for the forecaster from outside the stream: CSV files, replay onto the ticks topic, series
 * rebuilt from a topic of ticks, and Prometheus range queries.
 */
package dev.seqcast.forecast.data;
