package dev.ringsweep.bench;

import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** PNG bar charts of the results (XChart's bitmap encoder; nothing else of XChart is used). */
final class Charts {

  /** Groups with more cases than this get no bar chart (a sweep draws its own chart). */
  private static final int MAX_BARS = 8;

  private static final Color RINGSWEEP = new Color(0x1E, 0x6F, 0xB4);

  private Charts() {}

  /**
   * For each group of {@code suite}: one chart of rows/s (baseline grey); returns the file names written into
   * {@code directory}.
   */
  static List<String> suite(Suite suite, Path directory, String subtitle) {
    List<String> files = new ArrayList<>();
    int index = 0;
    for (String group : suite.groups()) {
      List<Measurement> members = suite.group(group);
      if (suite.barCharts() == Suite.BarCharts.NONE || members.size() < 2 || members.size() > MAX_BARS) {
        continue;
      }
      String file = suite.name() + (suite.groups().size() > 1 ? "-" + (++index) : "") + ".png";
      bars(directory.resolve(file), suite.title() + ": " + group + " — " + subtitle, "rows/s (higher is faster)",
          members, Measurement::rowsPerSecond);
      files.add(file);
      if (members.stream().filter(m -> !Double.isNaN(m.peakRssMb()) && m.peakRssMb() > 0).count() >= 2) {
        String rss = file.replace(".png", "-rss.png");
        bars(directory.resolve(rss), suite.title() + ": " + group + " — client peak RSS", "MiB (lower is leaner)",
            members.stream().filter(m -> !Double.isNaN(m.peakRssMb()) && m.peakRssMb() > 0).toList(),
            Measurement::peakRssMb);
        files.add(rss);
      }
    }
    suite.extraCharts().forEach((file, draw) -> {
      draw.accept(directory.resolve(file));
      files.add(file);
    });
    return files;
  }

  /**
   * A line chart of a sweep: y against x, one line per series (e.g. rows/s against parallelism, one line per
   * piece count).
   */
  static void lines(Path file, String title, String xTitle, String yTitle, Map<String, double[][]> series) {
    XYChart chart = new XYChartBuilder().width(800).height(480).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle)
        .build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    series.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** A chart of speed-ups (baseline seconds / seconds) of the given cases, each against its own baseline. */
  static void speedUps(Path file, String title, List<String> labels, List<Double> speedUps) {
    CategoryChart chart = chart(title, "× faster than the baseline (1.0 = as fast)", labels);
    chart.addSeries("speed-up", labels, speedUps).setFillColor(RINGSWEEP);
    save(chart, file);
  }

  private static void bars(Path file, String title, String yTitle, List<Measurement> members,
      ToDoubleFunction<Measurement> value) {
    List<String> labels = members.stream()
        .map(m -> m.isBaseline() ? m.label() + " (baseline)" : m.label()).toList();
    CategoryChart chart = chart(title, yTitle, labels);
    List<Double> values = members.stream().map(m -> value.applyAsDouble(m)).toList();
    chart.addSeries("value", labels, values).setFillColor(RINGSWEEP);
    save(chart, file);
  }

  private static CategoryChart chart(String title, String yTitle, List<String> labels) {
    int bars = labels.size();
    int longest = labels.stream().mapToInt(String::length).max().orElse(0);
    CategoryChart chart = new CategoryChartBuilder().width(Math.max(700, 170 * bars)).height(480 + 4 * longest)
        .title(title)
        .yAxisTitle(yTitle).build();
    Styler styler = chart.getStyler();
    styler.setLegendVisible(false);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setLabelsFontColorAutomaticEnabled(true);
    chart.getStyler().setLabelsPosition(0.9);
    chart.getStyler().setXAxisLabelRotation(longest * 7 > 150 ? 20 : 0);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("#,##0.##");
    return chart;
  }

  private static void save(CategoryChart chart, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
