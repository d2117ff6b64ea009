package dev.ringsweep.bench;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
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
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.theme.XChartTheme;

/** PNG charts of the results: bars, lines and scatter points, drawn by XChart and saved with its bitmap encoder. */
final class Charts {

  /** Groups with more cases than this get no bar chart (a sweep draws its own chart). */
  private static final int MAX_BARS = 8;

  /** The widest a chart is made for its title to fit. */
  private static final int MAX_WIDTH = 1800;
  /** Room for a y axis's title and labels (up to "400,000"), in pixels. */
  private static final int Y_AXIS_WIDTH = 100;

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
    XYChart chart = new XYChartBuilder().width(width(title, 800)).height(480).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    series.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]));
    save(chart, file);
  }

  /**
   * A scatter chart of a trade-off: one point per case, {@code y} against {@code x} (e.g. rows/s against timeouts),
   * each case a series of its own so that the legend names it; the first case (the baseline) in Ringsweep's colour.
   * With {@code logX}, the x axis is logarithmic (every x must then be positive).
   */
  static void points(Path file, String title, String xTitle, String yTitle, boolean logX,
      Map<String, double[]> xyByCase) {
    XYChart chart = new XYChartBuilder().width(width(title, 800)).height(480).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotBackgroundColor(Color.WHITE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(12);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setXAxisLogarithmic(logX);
    chart.getStyler().setYAxisDecimalPattern("#,##0");
    chart.getStyler().setXAxisDecimalPattern("#,##0");
    boolean first = true;
    for (Map.Entry<String, double[]> point : xyByCase.entrySet()) {
      XYSeries series = chart.addSeries(point.getKey(), new double[] {point.getValue()[0]},
          new double[] {point.getValue()[1]});
      if (first) {
        series.setMarkerColor(RINGSWEEP);
        first = false;
      }
    }
    save(chart, file);
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
    CategoryChart chart = new CategoryChartBuilder().width(width(title, Math.max(700, 170 * bars)))
        .height(480 + 4 * longest).title(title)
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

  /**
   * The width of a chart of at least {@code min} pixels whose title fits in it (XChart draws a title on one line and
   * cuts it at the chart's edges), up to {@value #MAX_WIDTH} pixels.
   */
  private static int width(String title, int min) {
    Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
    try {
      // XChart centres the title over the plot, whose left edge is past the y axis's title and labels.
      int needed = g.getFontMetrics(new XChartTheme().getChartTitleFont()).stringWidth(title) + 2 * Y_AXIS_WIDTH;
      return Math.max(min, Math.min(MAX_WIDTH, needed));
    } finally {
      g.dispose();
    }
  }

  private static void save(Chart<?, ?> chart, Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      BitmapEncoder.saveBitmap(chart, file.toString(), BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }
}
