package dev.ringsweep;

import dev.ringsweep.token.TokenRange;

/**
 * Receives progress while a bulk operation runs, and optionally each retry and split of a token range.
 *
 * <p>Called from internal threads of the operation: {@link #onProgress} once after each planned token range
 * finishes, {@link #onRetry} and {@link #onSplit} when a range query fails with an error worth retrying,
 * {@link #onLimitChanged} when the number of range queries in flight is set or changes. Keep the callbacks short and
 * non-blocking. An exception thrown by the listener is logged and otherwise ignored.
 */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that does nothing. */
  ProgressListener NONE = progress -> {};

  /** Called with the progress after a planned token range finished. */
  void onProgress(Progress progress);

  /**
   * Called when a query over {@code range} failed with a retryable {@code error} (a timeout, an unavailable or
   * overloaded replica) and is about to be retried after a backoff. Does nothing by default.
   *
   * @param attempt the number of the retry, from 1
   */
  default void onRetry(TokenRange range, int attempt, Throwable error) {}

  /**
   * Called when queries over {@code range} kept timing out after every retry, so that the work is split: a count
   * splits the range into {@code pieces} smaller ranges, an export divides its page size by {@code pieces} for the
   * rest of the range, and so does a count that counts a piece page by page (its fallback for a partition too large
   * to count in one request). Does nothing by default.
   */
  default void onSplit(TokenRange range, int pieces) {}

  /**
   * Called when an operation that runs range queries asynchronously (a count, an import's verification) sets its
   * limit of range queries in flight ({@link LimitChange.Cause#START}), and each time an adaptive limit
   * ({@link ConcurrencyMode#ADAPTIVE}) changes it: while it grows this may be once per finished range query. A fixed
   * limit is reported once, at the start. Does nothing by default.
   */
  default void onLimitChanged(LimitChange change) {}
}
