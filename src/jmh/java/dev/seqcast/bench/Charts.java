package dev.seqcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** PNG bar and line charts of benchmark results (XChart, headless), written next to the JSON. */
public final class Charts {

  private Charts() {}

  /**
   * A grouped bar chart: one group per category, one bar per series.
   *
   * @param file PNG to write
   * @param categories x-axis labels
   * @param series series name → one value per category
   * @param logarithmic log-scaled y axis, for values spanning orders of magnitude
   */
  public static void bars(
      Path file,
      String title,
      String yAxis,
      List<String> categories,
      Map<String, List<Double>> series,
      boolean logarithmic)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(900)
            .height(480)
            .title(title)
            .xAxisTitle("")
            .yAxisTitle(yAxis)
            .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setYAxisLogarithmic(logarithmic);
    chart.getStyler().setXAxisLabelRotation(45);
    series.forEach((name, values) -> chart.addSeries(name, categories, values));
    Files.createDirectories(file.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /**
   * A line chart over a shared x axis with two y axes: {@code left} series are read against the
   * left axis, {@code right} series against the right one.
   *
   * @param x x values shared by every series
   * @param left series name → one value per x, left axis
   * @param right series name → one value per x, right axis
   */
  public static void lines(
      Path file,
      String title,
      String xAxis,
      List<Double> x,
      String leftAxis,
      Map<String, List<Double>> left,
      String rightAxis,
      Map<String, List<Double>> right)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    XYChart chart =
        new XYChartBuilder().width(900).height(480).title(title).xAxisTitle(xAxis).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.setYAxisGroupTitle(0, leftAxis);
    chart.setYAxisGroupTitle(1, rightAxis);
    chart.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
    left.forEach((name, values) -> chart.addSeries(name, x, values).setYAxisGroup(0));
    right.forEach((name, values) -> chart.addSeries(name, x, values).setYAxisGroup(1));
    Files.createDirectories(file.toAbsolutePath().getParent());
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
