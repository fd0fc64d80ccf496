package dev.seqcast.cli;

import dev.seqcast.forecast.ForecastSettings;
import dev.seqcast.model.AnomalyScore;
import dev.seqcast.model.ConformalInterval;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** Interval, horizon and anomaly options shared by {@code serve} and {@code demo}. */
final class ForecastOptions {

  @Option(
      names = "--interval-coverage",
      defaultValue = "" + ConformalInterval.DEFAULT_COVERAGE,
      description =
          "Target coverage of each prediction's lo/hi interval, calibrated on the series' own"
              + " recent residuals (conformal), between 0 and 1.")
  double coverage;

  @Option(
      names = "--interval-window",
      defaultValue = "" + ConformalInterval.DEFAULT_WINDOW,
      description = "Recent one-step residuals per series the interval is calibrated on.")
  int window;

  @Option(
      names = "--horizon",
      defaultValue = "1",
      description = "Forecasts per tick: horizons 1..H, each a prediction record.")
  int horizon;

  @Option(
      names = "--anomaly-threshold",
      defaultValue = "" + AnomalyScore.DEFAULT_THRESHOLD,
      description =
          "Ticks whose anomaly score (in interval half-widths) reaches this go to"
              + " seqcast.anomalies.")
  double anomalyThreshold;

  /** The settings, or a usage error naming the option to change. */
  ForecastSettings settings(CommandLine commandLine) {
    try {
      return new ForecastSettings(coverage, window, horizon, anomalyThreshold);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(
          commandLine,
          e.getMessage()
              + " (options --interval-coverage, --interval-window, --horizon,"
              + " --anomaly-threshold)");
    }
  }
}
