package dev.ringsweep;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The immutable outcome of a token-range count.
 *
 * <p>When the count completes, {@link #rows()} is the exact number of rows of the table (at the consistency level
 * the operator used). A {@link BulkOperationException} carries a partial result whose {@link #rangesFailed()} is
 * greater than zero: its {@code rows()} then counts only the ranges that succeeded.
 *
 * @param rows rows counted over all ranges that succeeded
 * @param rangesDone planned token ranges counted successfully
 * @param rangesFailed planned token ranges that could not be counted
 * @param duration wall-clock time of the operation
 * @param hosts per coordinator host ({@code address:port}), the range queries it served and their rows
 */
public record CountResult(
    long rows, int rangesDone, int rangesFailed, Duration duration, Map<String, HostStats> hosts)
    implements Serializable {

  /** Validates the figures and copies the host map into an immutable, sorted map. */
  public CountResult {
    if (rows < 0) {
      throw new IllegalArgumentException("Invalid row count: " + rows + " (must be >= 0)");
    }
    if (rangesDone < 0 || rangesFailed < 0) {
      throw new IllegalArgumentException(
          "Invalid range counts: done=" + rangesDone + ", failed=" + rangesFailed + " (must be >= 0)");
    }
    Objects.requireNonNull(duration, "duration");
    hosts = java.util.Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(hosts, "hosts")));
  }

  /** Planned token ranges in all: done plus failed. */
  public int rangesTotal() {
    return rangesDone + rangesFailed;
  }

  /** Rows per second over the whole operation (0 when the duration is zero). */
  public double rowsPerSecond() {
    long nanos = duration.toNanos();
    return nanos == 0 ? 0 : rows * 1e9 / nanos;
  }

  /** Whether every planned range was counted, so that {@link #rows()} is the table's exact size. */
  public boolean isComplete() {
    return rangesFailed == 0;
  }
}
