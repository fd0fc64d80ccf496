/**
 * The forecasting pipeline: a tick from {@code seqcast.ticks} is decoded and admitted ({@link
 * dev.seqcast.forecast.TickCodec}, {@link dev.seqcast.forecast.TickAdmission}), advances its
 * series' state by one recurrent step ({@link dev.seqcast.forecast.PredictorProcessor}, {@link
 * dev.seqcast.forecast.SeriesUpdate}, {@link dev.seqcast.forecast.SeriesState}) and leaves as
 * predictions and anomalies. {@link dev.seqcast.forecast.PredictorTopology} wires it; {@link
 * dev.seqcast.forecast.PredictorApp} runs it; {@link dev.seqcast.forecast.PredictorMetrics} are its
 * meters.
 */
package dev.seqcast.forecast;
