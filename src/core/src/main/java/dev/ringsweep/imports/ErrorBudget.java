package dev.ringsweep.imports;

/**
 * How many rows an import may fail (bad records plus rows the cluster refused) before it stops: a count, or a
 * percentage of the rows read so far. The import stops as soon as the budget is exceeded, i.e. at the first failure
 * with {@code count(0)}.
 *
 * <p>A percentage is checked against the rows read so far each time a row fails, once at least
 * {@value #PERCENT_SAMPLE} rows have been read (before that a few bad rows would be a large share), and once more
 * over the whole source at the end; a run of bad rows early in a large source stops it.
 *
 * @param maxFailed most failed rows allowed, or -1 when {@code maxPercent} applies
 * @param maxPercent most failed rows allowed as a percentage of rows read (0 to 100), or -1 when {@code maxFailed}
 *     applies
 */
public record ErrorBudget(long maxFailed, double maxPercent) {

  /** Rows read before a percentage is checked during the import. */
  public static final int PERCENT_SAMPLE = 1000;

  /** Validates that exactly one of the two limits is given and is in range. */
  public ErrorBudget {
    boolean count = maxFailed >= 0;
    boolean percent = maxPercent >= 0;
    if (count == percent) {
      throw new IllegalArgumentException(String.format(
          "Invalid error budget: maxFailed %s, maxPercent %s (exactly one must be >= 0)", maxFailed, maxPercent));
    }
    if (percent && !(maxPercent <= 100)) {
      throw new IllegalArgumentException(
          String.format("Invalid error budget percentage: %s (must be between 0 and 100)", maxPercent));
    }
  }

  /** At most {@code maxFailed} failed rows; must be >= 0. */
  public static ErrorBudget count(long maxFailed) {
    if (maxFailed < 0) {
      throw new IllegalArgumentException(String.format("Invalid error budget: %s (must be >= 0)", maxFailed));
    }
    return new ErrorBudget(maxFailed, -1);
  }

  /** At most {@code percent}% of the rows read so far may fail; 0 to 100. */
  public static ErrorBudget percent(double percent) {
    if (!(percent >= 0 && percent <= 100)) {
      throw new IllegalArgumentException(
          String.format("Invalid error budget percentage: %s (must be between 0 and 100)", percent));
    }
    return new ErrorBudget(-1, percent);
  }

  /** No limit: every bad row is recorded and the import goes on. */
  public static ErrorBudget unlimited() {
    return new ErrorBudget(Long.MAX_VALUE, -1);
  }

  /**
   * Whether {@code failed} failed rows out of {@code read} rows read so far exceed this budget while the import runs:
   * a percentage only counts from {@value #PERCENT_SAMPLE} rows read.
   */
  public boolean isExceeded(long failed, long read) {
    return maxFailed >= 0 ? failed > maxFailed : read >= PERCENT_SAMPLE && isExceededAtEnd(failed, read);
  }

  /** Whether {@code failed} failed rows out of all {@code read} rows of a finished import exceed this budget. */
  public boolean isExceededAtEnd(long failed, long read) {
    if (maxFailed >= 0) {
      return failed > maxFailed;
    }
    return read > 0 && failed * 100.0 > maxPercent * read;
  }

  @Override
  public String toString() {
    return maxFailed >= 0 ? maxFailed + " failed rows" : maxPercent + "% of rows read";
  }
}
