package dev.ringsweep.internal.export;

import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.internal.TokenBucket;

/**
 * The read rate limit of one export, shared by its writers: rows and bytes of query results per second
 * ({@link ExportOptions#maxRowsPerSecond()}, {@link ExportOptions#maxBytesPerSecond()}). A writer pays for each page
 * it receives before converting it; when it is ahead of the rate it sleeps, and so does not ask for the next page.
 */
final class ReadLimit {

  private final TokenBucket rows;
  private final TokenBucket bytes;

  private ReadLimit(TokenBucket rows, TokenBucket bytes) {
    this.rows = rows;
    this.bytes = bytes;
  }

  /** The limit the options set, or null when they set none. */
  static ReadLimit of(ExportOptions options) {
    if (!options.isRateLimited()) {
      return null;
    }
    return new ReadLimit(
        Double.isInfinite(options.maxRowsPerSecond()) ? null
            : new TokenBucket(options.maxRowsPerSecond(), System::nanoTime),
        Double.isInfinite(options.maxBytesPerSecond()) ? null
            : new TokenBucket(options.maxBytesPerSecond(), System::nanoTime));
  }

  /**
   * Pays for a page of {@code rowCount} rows and {@code byteCount} bytes (negative when unknown), sleeping as long
   * as the rate requires.
   *
   * @throws IllegalStateException if the thread is interrupted while it waits (the export is stopping)
   */
  void pace(long rowCount, long byteCount) {
    long wait = rows == null || rowCount <= 0 ? 0 : rows.reserve(rowCount);
    if (bytes != null && byteCount > 0) {
      wait = Math.max(wait, bytes.reserve(byteCount));
    }
    if (wait > 0) {
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the read rate limit", e);
      }
    }
  }
}
