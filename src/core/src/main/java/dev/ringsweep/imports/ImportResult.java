package dev.ringsweep.imports;

import dev.ringsweep.batch.BatchMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What an import did. Every row read is either written or failed: {@code rowsRead == rows + failed} when the import
 * ran to the end (a stopped import may also have rows read but not yet written when it stopped).
 *
 * @param rowsRead rows read from the source
 * @param rows rows written: every statement of the row acknowledged by the cluster
 * @param failed rows not written: {@code badRecords} plus {@code writeFailures}
 * @param badRecords rows rejected before writing (null key, value out of range, unconvertible value)
 * @param writeFailures rows the cluster refused, or whose writes failed after their retries
 * @param badRecordsFile the file the failed rows were written to, or null when no row failed
 * @param duration wall-clock time of the import, verification included
 * @param batchMetrics what the BatchWriter did (requests, batch sizes, latencies, retries)
 * @param verification what the verification found; {@link VerificationResult#notRun()} when it did not run
 */
public record ImportResult(
    long rowsRead,
    long rows,
    long failed,
    long badRecords,
    long writeFailures,
    Path badRecordsFile,
    Duration duration,
    BatchMetrics batchMetrics,
    VerificationResult verification) {

  /** Validates the figures. */
  public ImportResult {
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(batchMetrics, "batchMetrics");
    Objects.requireNonNull(verification, "verification");
    if (rowsRead < 0 || rows < 0 || badRecords < 0 || writeFailures < 0 || failed != badRecords + writeFailures
        || rows + failed > rowsRead) {
      throw new IllegalArgumentException(String.format(
          "Invalid import result: %s read, %s written, %s failed (%s bad records, %s write failures)", rowsRead,
          rows, failed, badRecords, writeFailures));
    }
  }

  /** Rows written per second of wall-clock time (0 for an instant run). */
  public double rowsPerSecond() {
    double seconds = duration.toNanos() / 1e9;
    return seconds == 0 ? 0 : rows / seconds;
  }
}
