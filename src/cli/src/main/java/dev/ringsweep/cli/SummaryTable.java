package dev.ringsweep.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The main job's closing summary: one line per step with its rows, time, rows/s and outcome. */
final class SummaryTable {

  /** One step of the job. */
  record Step(String name, long rows, Duration duration, String outcome) {

    /** Rows per second of the step (0 when it took no time). */
    double rowsPerSecond() {
      long nanos = duration.toNanos();
      return nanos == 0 ? 0 : rows * 1e9 / nanos;
    }
  }

  private final List<Step> steps = new ArrayList<>();

  /** Adds a step and returns it. */
  Step add(String name, long rows, Duration duration, String outcome) {
    Step step = new Step(name, rows, duration, outcome);
    steps.add(step);
    return step;
  }

  /** The steps so far, in order. */
  List<Step> steps() {
    return List.copyOf(steps);
  }

  /** Prints the table. */
  void print(PrintWriter out) {
    int nameWidth = Math.max(4, steps.stream().mapToInt(s -> s.name().length()).max().orElse(4));
    String format = "%-" + nameWidth + "s  %12s  %9s  %12s  %s%n";
    out.printf(Locale.ROOT, format, "step", "rows", "seconds", "rows/s", "result");
    out.println("-".repeat(nameWidth + 2 + 12 + 2 + 9 + 2 + 12 + 2 + 6));
    for (Step s : steps) {
      out.printf(Locale.ROOT, format, s.name(), String.format(Locale.ROOT, "%,d", s.rows()),
          String.format(Locale.ROOT, "%.2f", s.duration().toNanos() / 1e9),
          String.format(Locale.ROOT, "%,.0f", s.rowsPerSecond()), s.outcome());
    }
    out.flush();
  }
}
