package dev.seqcast.forecast.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Writes a {@link Backtest.Result} as a report directory: {@code index.html} (tables of every
 * metric by method and horizon, and the charts), {@code summary.json} (the same numbers; NaN as
 * null) and PNG charts ({@code forecast-h1.png}, {@code forecast-hH.png}: actual values against the
 * forecasts, with the interval of each neural method; {@code error-by-horizon.png}: MASE by horizon
 * for every method).
 */
public final class BacktestReport {

  /** Methods whose forecasts are drawn with their interval band. */
  private static final List<String> NEURAL = List.of(HorizonMethod.NAME, "lstm", "gru");

  /** Points drawn in a forecast chart: the last ones of the evaluation. */
  private static final int CHART_POINTS = 240;

  private record Metric(
      String key, String title, String format, ToDoubleFunction<ForecastMetrics> value) {}

  private static final List<Metric> METRICS =
      List.of(
          new Metric("mae", "MAE", "%.4g", ForecastMetrics::mae),
          new Metric("rmse", "RMSE", "%.4g", ForecastMetrics::rmse),
          new Metric("mase", "MASE", "%.3f", ForecastMetrics::mase),
          new Metric("smape", "sMAPE %", "%.3f", ForecastMetrics::smape),
          new Metric(
              "directionalAccuracy",
              "directional accuracy",
              "%.3f",
              ForecastMetrics::directionalAccuracy),
          new Metric("coverage", "interval coverage", "%.3f", ForecastMetrics::coverage),
          new Metric("intervalWidth", "interval width", "%.4g", ForecastMetrics::intervalWidth),
          new Metric("winkler", "Winkler score", "%.4g", ForecastMetrics::winkler),
          new Metric(
              "scaledWinkler", "scaled Winkler (MSIS)", "%.3f", ForecastMetrics::scaledWinkler));

  private BacktestReport() {}

  /** Writes the report files into {@code directory}, creating it; returns the HTML page. */
  public static Path write(Backtest.Result result, Map<String, Object> facts, Path directory)
      throws IOException {
    Files.createDirectories(directory);
    System.setProperty("java.awt.headless", "true");
    int horizon = result.settings().horizon();
    forecastChart(result, 1, directory.resolve("forecast-h1.png"));
    if (horizon > 1) {
      forecastChart(result, horizon, directory.resolve("forecast-h" + horizon + ".png"));
    }
    errorChart(result, directory.resolve("error-by-horizon.png"));
    new ObjectMapper()
        .enable(SerializationFeature.INDENT_OUTPUT)
        .writeValue(directory.resolve("summary.json").toFile(), summary(result, facts));
    Path page = directory.resolve("index.html");
    Files.writeString(page, html(result, facts), StandardCharsets.UTF_8);
    return page;
  }

  /** The numbers of the report as a JSON-ready map. */
  static Map<String, Object> summary(Backtest.Result result, Map<String, Object> facts) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("series", result.series().id());
    json.put("points", result.series().size());
    json.putAll(facts);
    json.put("settings", result.settings());
    List<Map<String, Object>> folds = new ArrayList<>();
    long[] ts = result.series().timestamps();
    for (RollingOrigin.Fold fold : result.folds()) {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("trainFrom", Instant.ofEpochMilli(ts[fold.trainFrom()]).toString());
      f.put("trainPoints", fold.trainSize());
      f.put("firstOrigin", Instant.ofEpochMilli(ts[fold.origin()]).toString());
      f.put("origins", fold.testTo() - fold.origin());
      folds.add(f);
    }
    json.put("folds", folds);
    List<Map<String, Object>> methods = new ArrayList<>();
    for (Backtest.MethodResult method : result.methods()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("method", method.name());
      m.put("fitSeconds", method.fitSeconds());
      List<Map<String, Object>> horizons = new ArrayList<>();
      for (int h = 1; h <= method.byHorizon().size(); h++) {
        ForecastMetrics metrics = method.byHorizon().get(h - 1);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("horizon", h);
        row.put("forecasts", metrics.count());
        for (Metric metric : METRICS) {
          double v = metric.value().applyAsDouble(metrics);
          row.put(metric.key(), Double.isFinite(v) ? v : null);
        }
        row.put("withInterval", metrics.intervalCount());
        horizons.add(row);
      }
      m.put("horizons", horizons);
      methods.add(m);
    }
    json.put("methods", methods);
    return json;
  }

  private static String html(Backtest.Result result, Map<String, Object> facts) {
    Backtest.Settings s = result.settings();
    int horizon = s.horizon();
    StringBuilder page = new StringBuilder();
    page.append("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>Backtest: ")
        .append(escape(result.series().id()))
        .append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto}")
        .append("table{border-collapse:collapse;margin:0.5em 0 1.5em}")
        .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}.best{font-weight:bold}")
        .append("</style></head><body>\n<h1>Backtest: ")
        .append(escape(result.series().id()))
        .append("</h1>\n<p>")
        .append(result.series().size())
        .append(" points; ")
        .append(s.folds())
        .append(" folds of ")
        .append(s.block())
        .append(" origins; horizons 1..")
        .append(horizon)
        .append("; season ")
        .append(s.season())
        .append("; training window ")
        .append(s.window() == 0 ? "all points before the fold" : s.window() + " points")
        .append("; intervals at target coverage ")
        .append(s.coverage())
        .append(" from the last ")
        .append(s.intervalWindow())
        .append(" absolute errors of the same method and horizon.</p>\n<ul>");
    facts.forEach(
        (k, v) ->
            page.append("<li>")
                .append(escape(k))
                .append(": ")
                .append(escape(String.valueOf(v)))
                .append("</li>"));
    page.append("</ul>\n");
    page.append("<h2>Horizon 1 and horizon ").append(horizon).append("</h2>\n");
    for (int h : horizon > 1 ? new int[] {1, horizon} : new int[] {1}) {
      page.append("<table><tr><th>h = ").append(h).append("</th><th>forecasts</th>");
      METRICS.forEach(m -> page.append("<th>").append(m.title()).append("</th>"));
      page.append("</tr>\n");
      for (Backtest.MethodResult method : result.methods()) {
        ForecastMetrics metrics = method.byHorizon().get(h - 1);
        page.append("<tr><td>")
            .append(escape(method.name()))
            .append("</td><td>")
            .append(metrics.count())
            .append("</td>");
        METRICS.forEach(m -> page.append("<td>").append(format(m, metrics)).append("</td>"));
        page.append("</tr>\n");
      }
      page.append("</table>\n");
    }
    page.append(
        "<h2>Charts</h2>\n<p><img src=\"forecast-h1.png\" alt=\"actual vs forecast, h=1\"></p>\n");
    if (horizon > 1) {
      page.append("<p><img src=\"forecast-h")
          .append(horizon)
          .append(".png\" alt=\"actual vs forecast, h=")
          .append(horizon)
          .append("\"></p>\n");
    }
    page.append("<p><img src=\"error-by-horizon.png\" alt=\"MASE by horizon\"></p>\n");
    page.append("<h2>Every metric by horizon</h2>\n");
    for (Metric metric : METRICS) {
      page.append("<h3>").append(metric.title()).append("</h3>\n<table><tr><th>method</th>");
      for (int h = 1; h <= horizon; h++) {
        page.append("<th>").append(h).append("</th>");
      }
      page.append("</tr>\n");
      for (Backtest.MethodResult method : result.methods()) {
        page.append("<tr><td>").append(escape(method.name())).append("</td>");
        for (ForecastMetrics metrics : method.byHorizon()) {
          page.append("<td>").append(format(metric, metrics)).append("</td>");
        }
        page.append("</tr>\n");
      }
      page.append("</table>\n");
    }
    page.append("<h2>Fit time</h2>\n<table><tr><th>method</th><th>seconds, all folds</th></tr>\n");
    for (Backtest.MethodResult method : result.methods()) {
      page.append(
          String.format(
              "<tr><td>%s</td><td>%.2f</td></tr>%n", escape(method.name()), method.fitSeconds()));
    }
    page.append("</table>\n</body></html>\n");
    return page.toString();
  }

  private static String format(Metric metric, ForecastMetrics metrics) {
    double v = metric.value().applyAsDouble(metrics);
    return Double.isFinite(v) ? String.format(metric.format(), v) : "–";
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /** Actual values and forecasts at {@code h} over the last points evaluated. */
  private static void forecastChart(Backtest.Result result, int h, Path file) throws IOException {
    long[] ts = result.series().timestamps();
    double[] values = result.series().values();
    XYChart chart =
        new XYChartBuilder()
            .width(1000)
            .height(480)
            .title(result.series().id() + ": actual and forecast " + h + " step(s) ahead")
            .xAxisTitle("")
            .yAxisTitle("value")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setDatePattern("yyyy-MM-dd");
    Backtest.Trace first = result.methods().get(0).traces().get(h - 1);
    // Start where the neural forecasts have their interval, so the band spans the whole chart.
    int from = Math.max(0, first.target().length - CHART_POINTS);
    for (Backtest.MethodResult method : result.methods()) {
      if (NEURAL.contains(method.name())) {
        double[] lo = method.traces().get(h - 1).lo();
        int withBand = from;
        while (withBand < lo.length && Double.isNaN(lo[withBand])) {
          withBand++;
        }
        if (withBand < lo.length) {
          from = withBand;
        }
      }
    }
    List<Date> dates = new ArrayList<>();
    List<Double> actual = new ArrayList<>();
    for (int i = from; i < first.target().length; i++) {
      dates.add(new Date(ts[first.target()[i]]));
      actual.add(values[first.target()[i]]);
    }
    XYSeries actualLine = chart.addSeries("actual", dates, actual);
    actualLine.setLineColor(Color.BLACK);
    actualLine.setMarker(SeriesMarkers.NONE);
    Color[] palette = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)
    };
    int colour = 0;
    for (Backtest.MethodResult method : chartedMethods(result, h)) {
      Backtest.Trace trace = method.traces().get(h - 1);
      Color c = palette[colour++ % palette.length];
      XYSeries line = chart.addSeries(method.name(), dates, slice(trace.forecast(), from));
      line.setLineColor(c);
      line.setMarker(SeriesMarkers.NONE);
      if (NEURAL.contains(method.name()) && hasInterval(trace, from)) {
        for (String side : List.of("lo", "hi")) {
          double[] bound = side.equals("lo") ? trace.lo() : trace.hi();
          XYSeries band = chart.addSeries(method.name() + " " + side, dates, slice(bound, from));
          band.setLineColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 110));
          band.setLineStyle(
              new BasicStroke(
                  1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {4f, 4f}, 0f));
          band.setMarker(SeriesMarkers.NONE);
        }
      }
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** The neural methods and the baseline with the lowest MASE at {@code h}. */
  private static List<Backtest.MethodResult> chartedMethods(Backtest.Result result, int h) {
    List<Backtest.MethodResult> charted = new ArrayList<>();
    Backtest.MethodResult best = null;
    for (Backtest.MethodResult method : result.methods()) {
      if (NEURAL.contains(method.name())) {
        charted.add(method);
      } else if (best == null
          || method.byHorizon().get(h - 1).mase() < best.byHorizon().get(h - 1).mase()) {
        best = method;
      }
    }
    if (best != null) {
      charted.add(best);
    }
    return charted;
  }

  private static boolean hasInterval(Backtest.Trace trace, int from) {
    for (int i = from; i < trace.lo().length; i++) {
      if (Double.isNaN(trace.lo()[i])) {
        return false;
      }
    }
    return trace.lo().length > from;
  }

  private static List<Double> slice(double[] values, int from) {
    List<Double> list = new ArrayList<>();
    for (int i = from; i < values.length; i++) {
      list.add(values[i]);
    }
    return list;
  }

  /** MASE against horizon, one line per method. */
  private static void errorChart(Backtest.Result result, Path file) throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(900)
            .height(480)
            .title(result.series().id() + ": error by horizon")
            .xAxisTitle("horizon (steps ahead)")
            .yAxisTitle("MASE")
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    for (Backtest.MethodResult method : result.methods()) {
      List<Integer> horizons = new ArrayList<>();
      List<Double> mase = new ArrayList<>();
      for (int h = 1; h <= method.byHorizon().size(); h++) {
        horizons.add(h);
        mase.add(method.byHorizon().get(h - 1).mase());
      }
      chart.addSeries(method.name(), horizons, mase);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
