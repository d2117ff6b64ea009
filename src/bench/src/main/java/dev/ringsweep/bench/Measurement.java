package dev.ringsweep.bench;

import java.util.Arrays;
import java.util.List;

/**
 * One measured case of a suite: the median over its runs of wall seconds, client CPU seconds and client peak RSS.
 * CPU and RSS are NaN where they were not measured (work done inside the harness's own JVM, or on a cluster).
 *
 * @param group the comparison it belongs to; ratios are taken against the group's baseline
 * @param label what ran, e.g. "DSBulk unload → CSV"
 * @param baseline whether this is the group's baseline
 * @param rows rows processed in each run (checked against the table)
 * @param seconds median wall seconds
 * @param cpuSeconds median client CPU seconds (user + system), or NaN
 * @param peakRssMb median client peak resident set size in MiB, or NaN
 * @param runs how many runs the medians are over
 * @param note anything else worth a column (settings, output size, failures)
 */
record Measurement(String group, String label, Role baseline, long rows, double seconds, double cpuSeconds,
    double peakRssMb, int runs, String note) {

  /** Whether a measurement is its group's baseline. */
  enum Role {
    BASELINE,
    CONTENDER
  }

  Measurement {
    if (seconds < 0 || Double.isNaN(seconds)) {
      throw new IllegalArgumentException("Invalid seconds: " + seconds + " (must be >= 0) for " + label);
    }
    if (runs < 1) {
      throw new IllegalArgumentException("Invalid runs: " + runs + " (must be > 0) for " + label);
    }
  }

  /** Rows per second. */
  double rowsPerSecond() {
    return seconds == 0 ? 0 : rows / seconds;
  }

  boolean isBaseline() {
    return baseline == Role.BASELINE;
  }

  /** The median of some figures (the upper one of the two middle figures for an even count). */
  static double median(List<Double> values) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    return sorted[sorted.length / 2];
  }

  /** The median of an array of figures. */
  static double median(double... values) {
    return median(Arrays.stream(values).boxed().toList());
  }
}
