package dev.ringsweep.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the results of a harness run: one CSV per suite, and one markdown file with the machine, every suite's
 * table (each figure beside its ratio to the group's baseline, measured in the same run) and links to the charts.
 */
final class Report {

  static final String CSV_HEADER = "suite,group,case,baseline,rows,seconds,rows_per_second,speedup_vs_baseline,"
      + "time_vs_baseline,"
      + "client_cpu_seconds,cpu_vs_baseline,client_peak_rss_mib,rss_vs_baseline,runs,note";

  private Report() {}

  /** The CSV of one suite. */
  static String csv(Suite suite) {
    StringBuilder out = new StringBuilder(CSV_HEADER).append('\n');
    for (String group : suite.groups()) {
      Measurement base = suite.baseline(group);
      for (Measurement m : suite.group(group)) {
        out.append(String.join(",", suite.name(), quote(group), quote(m.label()), String.valueOf(m.isBaseline()),
            String.valueOf(m.rows()), fmt("%.3f", m.seconds()), fmt("%.0f", m.rowsPerSecond()),
            fmt("%.3f", base.seconds() / m.seconds()), fmt("%.3f", m.seconds() / base.seconds()),
            fmt("%.2f", m.cpuSeconds()),
            fmt("%.3f", m.cpuSeconds() / base.cpuSeconds()), fmt("%.0f", m.peakRssMb()),
            fmt("%.3f", m.peakRssMb() / base.peakRssMb()), String.valueOf(m.runs()), quote(m.note())));
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** The markdown section of one suite; {@code charts} are file names beside the markdown file. */
  static String markdown(Suite suite, List<String> charts) {
    StringBuilder md = new StringBuilder();
    md.append("## ").append(suite.title()).append("\n\n");
    for (String group : suite.groups()) {
      Measurement base = suite.baseline(group);
      md.append("**").append(group).append("** (baseline: ").append(base.label()).append(")\n\n");
      md.append("| case | rows | seconds | rows/s | ").append(suite.ratio() == Suite.Ratio.SPEED_UP ? "speed-up"
          : "time ratio").append(" | client CPU s | CPU µs/row | CPU ratio | peak RSS MiB | RSS ratio | runs | note |\n");
      md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
      for (Measurement m : suite.group(group)) {
        md.append(String.format(Locale.ROOT, "| %s | %,d | %.2f | %,.0f | %s | %s | %s | %s | %s | %s | %d | %s |%n",
            m.isBaseline() ? "**" + m.label() + "**" : m.label(), m.rows(), m.seconds(), m.rowsPerSecond(),
            ratio(timeRatio(suite, base, m)), num("%.1f", m.cpuSeconds()),
            num("%.1f", m.cpuSeconds() * 1e6 / m.rows()), ratio(m.cpuSeconds() / base.cpuSeconds()),
            num("%.0f", m.peakRssMb()), ratio(m.peakRssMb() / base.peakRssMb()), m.runs(), m.note()));
      }
      md.append('\n');
    }
    md.append(suite.ratio() == Suite.Ratio.SPEED_UP
        ? "Speed-up = baseline seconds / seconds (higher is faster)" : "Time ratio = seconds / baseline seconds");
    md.append("; CPU and RSS ratio = figure / baseline figure (lower is leaner). Medians over the runs.\n\n");
    for (String note : suite.notes()) {
      md.append("- ").append(note).append('\n');
    }
    if (!suite.notes().isEmpty()) {
      md.append('\n');
    }
    for (String chart : charts) {
      md.append("![").append(suite.name()).append("](").append(chart).append(")\n\n");
    }
    return md.toString();
  }

  /**
   * Reads a suite back from the CSV this class wrote (so that a results directory filled by several harness runs
   * gets one headline); the suite's title is its name, and it has no notes.
   */
  static Suite readCsv(String name, String csv) {
    Suite suite = new Suite(name, name);
    List<String> lines = csv.lines().toList();
    for (String line : lines.subList(1, lines.size())) {
      List<String> f = fields(line);
      suite.add(new Measurement(f.get(1), f.get(2), Boolean.parseBoolean(f.get(3)) ? Measurement.Role.BASELINE
          : Measurement.Role.CONTENDER, Long.parseLong(f.get(4)), Double.parseDouble(f.get(5)), number(f.get(9)),
          number(f.get(11)), Integer.parseInt(f.get(13)), f.get(14)));
    }
    return suite;
  }

  private static double number(String field) {
    return field.isEmpty() ? Double.NaN : Double.parseDouble(field);
  }

  /** The fields of one CSV line as {@link #quote} writes them. */
  static List<String> fields(String line) {
    List<String> out = new java.util.ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          field.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          field.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    out.add(field.toString());
    return out;
  }

  /** Writes {@code text} to {@code file}, creating its directory. */
  /**
   * The line after which a results page is written by hand: the harness keeps it and what follows when it rewrites
   * the page ({@link #keepingHandWritten}).
   */
  static final String HAND_WRITTEN =
      "<!-- Written by hand from here on: the harness keeps it when it rewrites this page. -->";

  /**
   * The page {@code generated}, followed by the hand-written end of {@code old} (from the {@link #HAND_WRITTEN} line
   * on), when the old page has one; {@code old} is null when there was no page.
   */
  static String keepingHandWritten(String old, String generated) {
    int at = old == null ? -1 : old.indexOf(HAND_WRITTEN);
    if (at < 0) {
      return generated;
    }
    return generated.stripTrailing() + "\n\n" + old.substring(at);
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /** The figure the report gives beside a case's seconds (see {@link Suite.Ratio}). */
  static double timeRatio(Suite suite, Measurement base, Measurement m) {
    return suite.ratio() == Suite.Ratio.SPEED_UP ? base.seconds() / m.seconds() : m.seconds() / base.seconds();
  }

  private static String ratio(double value) {
    return Double.isNaN(value) || Double.isInfinite(value) ? "–" : String.format(Locale.ROOT, "%.2f×", value);
  }

  private static String num(String format, double value) {
    return Double.isNaN(value) || value < 0 ? "–" : String.format(Locale.ROOT, format, value);
  }

  private static String fmt(String format, double value) {
    return Double.isNaN(value) || Double.isInfinite(value) || value < 0 ? "" : String.format(Locale.ROOT, format,
        value);
  }

  private static String quote(String text) {
    return text.contains(",") || text.contains("\"") ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }
}
