package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares statements for the library's operations, retrying what retrying can cure. Preparing is a request like any
 * other: on a busy cluster it can time out or find its coordinator overloaded, and it is bounded by the same request
 * timeout as the range queries and writes. Preparing is idempotent, so such a failure is retried with the operation's
 * retries and backoff (as a range query is) instead of failing a whole count, export or import, possibly after every
 * row was written. Errors that retrying cannot cure (a syntax error, no permission) are returned at once.
 */
public final class Prepare {

  private static final Logger LOG = LoggerFactory.getLogger(Prepare.class);

  private Prepare() {}

  /**
   * Prepares {@code statement}; a retryable failure ({@link Errors#isRetryable}) is retried up to {@code maxRetries}
   * times, after {@code backoff} doubling on each retry up to 32 times it (jittered, as every retry of the library).
   *
   * @return a stage that completes with the prepared statement, or with the last attempt's error
   */
  public static CompletableFuture<PreparedStatement> async(CqlSession session, SimpleStatement statement,
      int maxRetries, Duration backoff) {
    CompletableFuture<PreparedStatement> result = new CompletableFuture<>();
    attempt(session, statement, maxRetries, backoff, 0, result);
    return result;
  }

  /** As {@link #async} with the operation's {@link dev.ringsweep.OperatorOptions#maxRetries} and backoff. */
  public static CompletableFuture<PreparedStatement> async(CqlSession session, SimpleStatement statement,
      dev.ringsweep.OperatorOptions options) {
    return async(session, statement, options.maxRetries(), options.retryBackoff());
  }

  /**
   * As {@link #async}, waiting.
   *
   * @throws RuntimeException the last attempt's error, as the driver threw it (see {@link Futures#await})
   */
  public static PreparedStatement sync(CqlSession session, SimpleStatement statement, int maxRetries,
      Duration backoff) {
    return Futures.await(async(session, statement, maxRetries, backoff));
  }

  /** As {@link #sync} with the operation's {@link dev.ringsweep.OperatorOptions#maxRetries} and backoff. */
  public static PreparedStatement sync(CqlSession session, SimpleStatement statement,
      dev.ringsweep.OperatorOptions options) {
    return sync(session, statement, options.maxRetries(), options.retryBackoff());
  }

  private static void attempt(CqlSession session, SimpleStatement statement, int maxRetries, Duration backoff,
      int retries, CompletableFuture<PreparedStatement> result) {
    session.prepareAsync(statement).whenComplete((prepared, error) -> {
      if (error == null) {
        result.complete(prepared);
      } else if (retries < maxRetries && Errors.isRetryable(error) && !result.isDone()) {
        int retry = retries + 1;
        long delay = Backoff.delay(backoff, backoff.multipliedBy(32), retry).toNanos();
        LOG.debug("Preparing {} failed ({}); retry {} of {} in {} ms", statement.getQuery(),
            Errors.unwrap(error), retry, maxRetries, TimeUnit.NANOSECONDS.toMillis(delay));
        CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS)
            .execute(() -> attempt(session, statement, maxRetries, backoff, retry, result));
      } else {
        result.completeExceptionally(Errors.unwrap(error));
      }
    });
  }
}
