/**
 * Offline forecasting: the DL4J trainer of forecasting bundles, the classical baselines and the
 * rolling-origin backtest that compares them on the same splits.
 */
package dev.seqcast.forecast.train;
