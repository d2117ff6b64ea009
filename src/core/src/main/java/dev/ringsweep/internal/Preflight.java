package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs a prepared range query once over a tiny token interval before a bulk operation starts, so that an error every
 * range would hit (no SELECT permission, a rejected query) fails the operation at once, before any range runs or
 * any output is created. Errors that retrying can cure (timeouts, unavailable replicas) are ignored here: the
 * operation itself retries them range by range.
 */
public final class Preflight {

  /** The interval {@code (Long.MIN_VALUE, Long.MIN_VALUE + 1]}: one token, almost never holding a row. */
  private static final long LOW = Long.MIN_VALUE;

  private Preflight() {}

  /**
   * Completes normally, or exceptionally with the query's non-retryable error.
   *
   * @param exclusive the operation's range query with an exclusive low bound ({@code token > ? AND token <= ?})
   */
  public static CompletionStage<Void> check(CqlSession session, PreparedStatement exclusive,
      ConsistencyLevel consistencyLevel, Duration timeout) {
    return session.executeAsync(exclusive.bind(LOW, LOW + 1)
            .setConsistencyLevel(consistencyLevel)
            .setPageSize(1)
            .setTimeout(timeout)
            .setIdempotent(true))
        .handle((rs, error) -> {
          if (error != null && !Errors.isRetryable(error)) {
            throw error instanceof CompletionException c ? c : new CompletionException(error);
          }
          return (Void) null;
        });
  }

  /** As {@link #check}, waiting: throws the query's non-retryable error as it is. */
  public static void run(CqlSession session, PreparedStatement exclusive, ConsistencyLevel consistencyLevel,
      Duration timeout) {
    try {
      check(session, exclusive, consistencyLevel, timeout).toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw e;
    }
  }
}
