package dev.ringsweep;

import dev.ringsweep.token.TokenRange;

/**
 * Receives progress while a bulk operation runs, and optionally each retry and split of a token range, each retry of
 * an import's writes, and each change of a limit of requests in flight.
 *
 * <p>Called from internal threads of the operation: {@link #onProgress} once after each planned token range (an
 * import: each split of its source, whose rows written so far lag behind the rows read, and once more when its last
 * writes have ended; its verification's reads report theirs to {@link #onVerificationProgress}) finishes,
 * {@link #onRetry} and {@link #onSplit} when a range query (an import's: its verification's) fails with an error
 * worth retrying, {@link #onWriteRetry} when an import's write request does, {@link #onLimitChanged} when a limit of
 * requests in flight is set or changes. Keep the callbacks short and non-blocking. An exception thrown by the listener
 * is logged and otherwise ignored.
 */
@FunctionalInterface
public interface ProgressListener {

  /** A listener that does nothing. */
  ProgressListener NONE = progress -> {};

  /** Called with the progress after a planned token range finished. */
  void onProgress(Progress progress);

  /**
   * Called as an import's verification reads the target back, after each of its token ranges finishes (on Spark,
   * each of its tasks): {@code read} names the read ({@code "row count of the target before the import"},
   * {@code "row count of the target"} or {@code "checksum of the target"}), {@code progress} its token ranges done of
   * its total and the rows read so far. {@link #onProgress} keeps to the import's splits of its source. A
   * verification of a large import reads the whole table back, so this is where its progress shows. Does nothing by
   * default.
   */
  default void onVerificationProgress(String read, Progress progress) {}

  /**
   * Called when a query over {@code range} failed with a retryable {@code error} (a timeout, an unavailable or
   * overloaded replica) and is about to be retried after a backoff. Does nothing by default.
   *
   * @param attempt the number of the retry, from 1
   */
  default void onRetry(TokenRange range, int attempt, Throwable error) {}

  /**
   * Called when an import's write request of {@code statements} rows failed with a retryable {@code error} (a timeout,
   * an unavailable or overloaded replica) and is about to be sent again after a backoff: the import's counterpart of
   * {@link #onRetry}, which it does not call for its writes. The import's {@code ImportResult.batchMetrics().retries()}
   * counts the same retries. Does nothing by default.
   *
   * @param attempt the number of the retry of this request, from 1
   */
  default void onWriteRetry(int statements, int attempt, Throwable error) {}

  /**
   * Called when queries over {@code range} kept timing out after every retry, so that the work is split: a count
   * splits the range into {@code pieces} smaller ranges, an export divides its page size by {@code pieces} for the
   * rest of the range, and so does a count that counts a piece page by page (its fallback for a partition too large
   * to count in one request). Does nothing by default.
   */
  default void onSplit(TokenRange range, int pieces) {}

  /**
   * Called when an operation sets a limit of requests in flight ({@link LimitChange.Cause#START}): a count's or an
   * export's range queries, an import's write requests and its verification's reads (their counts and checksum of the
   * target, whose starts name the read, e.g. {@code "adaptive, up to 16 (import verification: checksum of the
   * target)"}); and each time an adaptive limit
   * ({@link ConcurrencyMode#ADAPTIVE}) changes it: while it grows this may be once per finished request or round trip.
   * A fixed limit is reported once, at the start. With limits per replica set, {@link LimitChange#scope()} says whose
   * limit changed. An import's verification reads report theirs to {@link #onVerificationLimitChanged}, which passes
   * them on here unless overridden. Does nothing by default.
   */
  default void onLimitChanged(LimitChange change) {}

  /**
   * Called instead of {@link #onLimitChanged} for the limits of an import's verification reads (their counts and
   * checksum of the target), with {@code read} naming the read as {@link #onVerificationProgress} does, so that a
   * listener can tell them from the limit of the import's writes without reading the change's detail. {@code change}
   * is what {@link #onLimitChanged} would get: its start's detail names the read too ({@code "adaptive, up to 16
   * (import verification: checksum of the target)"}; on Spark, whose tasks report once each, every change's detail
   * does). By default passes {@code change} on to {@link #onLimitChanged}.
   */
  default void onVerificationLimitChanged(String read, LimitChange change) {
    onLimitChanged(change);
  }
}
