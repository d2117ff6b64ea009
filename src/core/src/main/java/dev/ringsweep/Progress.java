package dev.ringsweep;

/**
 * A snapshot of an operation's progress, handed to a {@link ProgressListener}.
 *
 * @param rangesDone planned token ranges finished so far (successfully or not)
 * @param rangesTotal planned token ranges in all
 * @param rows rows processed so far
 */
public record Progress(int rangesDone, int rangesTotal, long rows) {

  /** Validates that the figures are consistent. */
  public Progress {
    if (rangesTotal < 0 || rangesDone < 0 || rangesDone > rangesTotal) {
      throw new IllegalArgumentException(
          "Invalid progress: " + rangesDone + " of " + rangesTotal + " ranges (must be 0 <= done <= total)");
    }
  }

  /** Fraction of planned ranges finished, from 0 to 1 (1 for an empty plan). */
  public double fraction() {
    return rangesTotal == 0 ? 1.0 : (double) rangesDone / rangesTotal;
  }
}
