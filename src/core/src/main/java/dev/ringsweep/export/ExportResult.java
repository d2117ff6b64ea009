package dev.ringsweep.export;

import java.time.Duration;
import java.util.Objects;

/**
 * What an export did, in this run.
 *
 * @param rows rows written by this run
 * @param bytes bytes of the data files written by this run
 * @param files data files written by this run
 * @param rangesTotal planned token ranges
 * @param rangesSkipped planned token ranges skipped whole because a resumed checkpoint had them done
 * @param duration wall-clock time of the run
 */
public record ExportResult(long rows, long bytes, int files, int rangesTotal, int rangesSkipped, Duration duration) {

  /** Validates the figures. */
  public ExportResult {
    Objects.requireNonNull(duration, "duration");
    if (rows < 0 || bytes < 0 || files < 0 || rangesSkipped < 0 || rangesSkipped > rangesTotal) {
      throw new IllegalArgumentException(
          String.format("Invalid export result: %s rows, %s bytes, %s files, %s of %s ranges skipped", rows, bytes,
              files, rangesSkipped, rangesTotal));
    }
  }

  /** Rows written per second of wall-clock time (0 for an instant run). */
  public double rowsPerSecond() {
    double seconds = duration.toNanos() / 1e9;
    return seconds == 0 ? 0 : rows / seconds;
  }
}
