package dev.ringsweep.bench;

import dev.ringsweep.bench.BatchBenchmark.Mode;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Batch: the {@link BatchBenchmark} (LOGGED vs UNLOGGED batches vs concurrent single statements, through the
 * BatchWriter, at batch sizes 5 to 100) run on the harness's cluster, its figures put into the harness's report: one
 * group per batch size, concurrent singles as the baseline, and a chart of statements/s by batch size.
 */
final class BatchSuite {

  private static final int ITERATIONS = 10;
  private static final int WARMUP = 10;

  private BatchSuite() {}

  static Suite run(BenchContext ctx) {
    Suite suite = new Suite("batch", String.format(Locale.ROOT, "Batch writes (%d node(s))", ctx.nodes()))
        .barCharts(Suite.BarCharts.NONE);
    int rf = Math.min(ctx.nodes(), 3);
    System.out.println("batch: " + ITERATIONS + " iterations per size and mode after " + WARMUP + " warm-up passes");
    BenchmarkReport report = BatchBenchmark.measure(ctx.session(), rf, ITERATIONS, WARMUP);
    Map<String, double[][]> lines = new LinkedHashMap<>();
    for (int i = 0; i < BatchBenchmark.SIZES.length; i++) {
      int size = BatchBenchmark.SIZES[i];
      String group = "batch size " + size;
      suite.add(measurement(report, group, size, Mode.CONCURRENT, Measurement.Role.BASELINE));
      for (Mode mode : Mode.values()) {
        if (mode != Mode.CONCURRENT) {
          suite.add(measurement(report, group, size, mode, Measurement.Role.CONTENDER));
        }
      }
      for (Mode mode : Mode.values()) {
        double[][] xy = lines.computeIfAbsent(mode.label, k -> new double[2][BatchBenchmark.SIZES.length]);
        xy[0][i] = size;
        xy[1][i] = report.statementsPerSecond(size, mode);
      }
    }
    suite.chart("batch.png", file -> Charts.lines(file, String.format(Locale.ROOT,
        "BatchWriter, %d node(s), RF %d: statements/s by batch size", ctx.nodes(), rf), "statements per call",
        "statements/s", lines));
    suite.note(String.format(Locale.ROOT, "Each iteration writes `size` new rows (bigint key, int clustering, "
        + "100-character text) with one BatchWriter call per mode, modes taking turns; %d iterations per size and "
        + "mode after %d warm-up passes. Seconds = summed latency of the calls; rows/s = statements/s. Keyspace "
        + "RF %d.", ITERATIONS, WARMUP, rf));
    return suite;
  }

  private static Measurement measurement(BenchmarkReport report, String group, int size, Mode mode,
      Measurement.Role role) {
    double seconds = (double) size * ITERATIONS / report.statementsPerSecond(size, mode);
    return new Measurement(group, mode.label, role, (long) size * ITERATIONS, seconds, Double.NaN, Double.NaN,
        ITERATIONS, String.format(Locale.ROOT, "latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms",
            report.percentile(size, mode, 50) / 1e6, report.percentile(size, mode, 95) / 1e6,
            report.percentile(size, mode, 99) / 1e6));
  }
}
