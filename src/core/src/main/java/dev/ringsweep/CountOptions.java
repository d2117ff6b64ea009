package dev.ringsweep;

/**
 * Options of one count; immutable, each {@code with...} method returns a new instance. Range queries use the
 * operator's options (consistency, parallelism, timeout, retries, split count).
 *
 * <p>Defaults ({@link #defaults()}): no rate cap.
 *
 * @param maxRowsPerSecond a cap on the rows counted per second, over all range queries, or infinity for none. A
 *     count reads no rows to the client (each range query returns one number), but every row it counts is a row a
 *     server has read from disk: this caps that server-side scan rate, the same figure as an export's
 *     {@link dev.ringsweep.export.ExportOptions#maxRowsPerSecond() rows per second}. It is enforced after the fact: a
 *     range's rows are paid for when its count arrives, and no new range query starts until the rows counted so far
 *     are paid for at this rate. So the rate holds on average over the count, while up to one range per query in
 *     flight can run ahead of it; plan pieces small enough (see {@link OperatorBuilder#splitCount(int)}) for the cap
 *     to be smooth. There is no bytes-per-second cap for a count: it does not learn how many bytes the servers read.
 */
public record CountOptions(double maxRowsPerSecond) {

  /** Validates the options. */
  public CountOptions {
    if (!(maxRowsPerSecond >= 1e-3)) {
      throw new IllegalArgumentException(String.format(
          "Invalid read rate limit: %s rows per second (must be at least 0.001, or infinity for no limit)",
          maxRowsPerSecond));
    }
  }

  /** The default options: no rate cap. */
  public static CountOptions defaults() {
    return new CountOptions(Double.POSITIVE_INFINITY);
  }

  /** These options counting at most {@code rows} rows per second (a cap on the servers' scan rate). */
  public CountOptions withMaxRowsPerSecond(double rows) {
    return new CountOptions(rows);
  }

  /** Whether a rate cap is set. */
  public boolean isRateLimited() {
    return !Double.isInfinite(maxRowsPerSecond);
  }
}
