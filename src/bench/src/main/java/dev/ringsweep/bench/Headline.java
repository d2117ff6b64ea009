package dev.ringsweep.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The headline chart: how many times faster each Ringsweep count, export and import ran than the baseline of its own
 * comparison ({@code SELECT count(*)}, DSBulk unload, DSBulk load).
 */
final class Headline {

  private Headline() {}

  /** Writes the chart if there is anything to show; returns its file name, or null. */
  static String write(List<Suite> suites, Path file, HarnessArgs a) {
    List<String> labels = new ArrayList<>();
    List<Double> speedUps = new ArrayList<>();
    for (Suite suite : suites) {
      if (!List.of("count", "export", "import").contains(suite.name())) {
        continue; // batch has its own chart; scaling compares sizes, not tools
      }
      for (String group : suite.groups()) {
        Measurement base = suite.baseline(group);
        if (base.label().contains(CountSuite.TIMED_OUT)) {
          continue; // no speed-up against a query that never finished
        }
        for (Measurement m : suite.group(group)) {
          if (m.isBaseline() || !headline(m)) {
            continue;
          }
          labels.add(label(m, base));
          speedUps.add(base.seconds() / m.seconds());
        }
      }
    }
    if (labels.isEmpty()) {
      return null;
    }
    Charts.speedUps(file, String.format(Locale.ROOT, "Ringsweep speed-up, %d node(s), %s rows (same run, same "
        + "machine)", a.nodes(), HarnessArgs.label(a.rows())), labels, speedUps);
    return file.getFileName().toString();
  }

  /** A short label: what ran and what it is compared with. */
  static String label(Measurement m, Measurement base) {
    if (m.label().startsWith("Ringsweep defaults")) {
      return "count vs SELECT count(*)";
    }
    if (m.label().startsWith("Ringsweep → ")) {
      return "export → " + m.label().substring("Ringsweep → ".length()) + " vs DSBulk unload";
    }
    if (m.label().startsWith("Ringsweep ← ")) {
      return "import ← " + m.label().substring("Ringsweep ← ".length()) + " vs DSBulk load";
    }
    return m.label() + " vs " + base.label();
  }

  /** The cases worth a bar: not the points of the count sweep, nor the page sizes tried beside the defaults. */
  private static boolean headline(Measurement m) {
    return !m.label().contains(" pieces × parallelism ") && !m.label().startsWith("Ringsweep defaults, ");
  }
}
