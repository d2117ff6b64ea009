package dev.ringsweep.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.ringsweep.bench.BatchBenchmark.Mode;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The latencies the {@link BatchBenchmark} measured, and the markdown table made of them: per batch size and mode,
 * p50/p95/p99 latency of one call and statements per second, each also as a ratio to the concurrent baseline of
 * the same size in the same run. Percentiles are nearest-rank over the raw samples (with ten samples, p95 and p99
 * are the slowest one).
 */
final class BenchmarkReport {

  private final int iterations;
  private final Map<String, List<Long>> samples = new HashMap<>();

  BenchmarkReport(int iterations) {
    this.iterations = iterations;
  }

  void record(int size, Mode mode, long latencyNanos) {
    samples.computeIfAbsent(size + "/" + mode, k -> new ArrayList<>()).add(latencyNanos);
  }

  /** Nearest-rank percentile of the samples of one size and mode, in nanoseconds. */
  long percentile(int size, Mode mode, double percentile) {
    List<Long> sorted = samples.get(size + "/" + mode).stream().sorted().toList();
    int rank = (int) Math.ceil(percentile / 100 * sorted.size());
    return sorted.get(Math.max(rank, 1) - 1);
  }

  /** Statements per second over all iterations of one size and mode (size * iterations / total time). */
  double statementsPerSecond(int size, Mode mode) {
    List<Long> list = samples.get(size + "/" + mode);
    long total = list.stream().mapToLong(Long::longValue).sum();
    return (double) size * list.size() * 1e9 / total;
  }

  String markdown(int nodes, int rf, int warmup, CqlSession session, Duration elapsed, double loadBefore,
      double loadAfter) {
    StringBuilder md = new StringBuilder();
    md.append(String.format("# BatchWriter benchmark: %s node%s, RF %s%n%n", nodes, nodes == 1 ? "" : "s", rf));
    md.append(String.format("- Date: %s; run took %s s (measured part, after cluster start)%n", LocalDate.now(),
        elapsed.toSeconds()));
    md.append(String.format("- Machine: %s cores, %s GiB RAM, %s %s, JDK %s; Cassandra %s on loopback in child "
            + "JVMs of the same machine (client and servers share the cores)%n",
        Runtime.getRuntime().availableProcessors(), totalMemoryGiB(), System.getProperty("os.name"),
        System.getProperty("os.arch"), System.getProperty("java.version"), releaseVersion(session)));
    md.append(String.format(Locale.ROOT, "- System load average (1 min) before / after the measured part: %.1f / %.1f "
        + "(anything above the core count means other processes competed for the CPU)%n", loadBefore, loadAfter));
    md.append(String.format("- %s iterations per size and mode, after %s unmeasured warm-up passes; each "
        + "iteration writes `size` new rows (bigint key, int clustering, 100-character text), one call per mode, "
        + "modes taking turns%n", iterations, warmup));
    md.append("- Latency: one `BatchWriter` call (one batch, or `size` concurrent single statements) from submit "
        + "to the last acknowledgement; percentiles nearest-rank over the samples (with 10 samples p95 = p99 = "
        + "the slowest). statements/s = size x iterations / summed latency. Ratios are to concurrent singles of the "
        + "same size in this run: latency < 1 and statements/s > 1 mean faster than concurrent.\n\n");
    md.append("| Size | Mode | p50 ms | p95 ms | p99 ms | statements/s | p50 vs concurrent | statements/s vs "
        + "concurrent |\n");
    md.append("|---:|---|---:|---:|---:|---:|---:|---:|\n");
    for (int size : BatchBenchmark.SIZES) {
      double baseP50 = percentile(size, Mode.CONCURRENT, 50);
      double baseRate = statementsPerSecond(size, Mode.CONCURRENT);
      for (Mode mode : Mode.values()) {
        md.append(String.format(Locale.ROOT, "| %d | %s | %.2f | %.2f | %.2f | %,.0f | %.2fx | %.2fx |%n", size,
            mode.label, ms(percentile(size, mode, 50)), ms(percentile(size, mode, 95)),
            ms(percentile(size, mode, 99)), statementsPerSecond(size, mode), percentile(size, mode, 50) / baseP50,
            statementsPerSecond(size, mode) / baseRate));
      }
    }
    return md.toString();
  }

  /** The 1-minute system load average, or -1 where the platform has none. */
  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  private static long totalMemoryGiB() {
    java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    if (os instanceof com.sun.management.OperatingSystemMXBean) {
      return Math.round(((com.sun.management.OperatingSystemMXBean) os).getTotalMemorySize() / (1024.0 * 1024 * 1024));
    }
    return -1;
  }

  private static String releaseVersion(CqlSession session) {
    Row row = session.execute("SELECT release_version FROM system.local").one();
    return row == null ? "?" : row.getString(0);
  }
}
