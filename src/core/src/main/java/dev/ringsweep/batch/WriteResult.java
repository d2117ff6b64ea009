package dev.ringsweep.batch;

import java.time.Duration;

/**
 * What one call of a {@link BatchWriter} did: every statement handed in is either written or failed, never dropped.
 *
 * @param statements statements handed in
 * @param written statements the server acknowledged (reads of an input that fell back to concurrent execution
 *     count here when they succeeded)
 * @param failed statements not written, each also handed to the {@link FailureCallback}
 * @param retries requests re-sent after a retryable error
 * @param elapsed time from the call to the last acknowledgement or failure
 */
public record WriteResult(long statements, long written, long failed, long retries, Duration elapsed) {

  /** Checks the counts add up. */
  public WriteResult {
    if (statements < 0 || written < 0 || failed < 0 || retries < 0) {
      throw new IllegalArgumentException(String.format(
          "Invalid counts: statements %s, written %s, failed %s, retries %s (must be >= 0)",
          statements, written, failed, retries));
    }
    if (written + failed != statements) {
      throw new IllegalArgumentException(String.format(
          "Invalid counts: written %s + failed %s != statements %s", written, failed, statements));
    }
    if (elapsed == null || elapsed.isNegative()) {
      throw new IllegalArgumentException(String.format("Invalid elapsed: %s (must be >= 0)", elapsed));
    }
  }

  /** Whether every statement was written. */
  public boolean allWritten() {
    return failed == 0;
  }

  /** Statements written per second of {@link #elapsed()}; 0 when nothing took any time. */
  public double statementsPerSecond() {
    long nanos = elapsed.toNanos();
    return nanos == 0 ? 0 : written * 1e9 / nanos;
  }
}
