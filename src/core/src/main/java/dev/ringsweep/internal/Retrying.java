package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.ringsweep.OperatorOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single requests of the library's operations, retried when retrying can cure their failure: preparing a
 * statement, and the one-off reads an operation makes (whether a counter table already holds rows). Such a request is bounded by a timeout like any other: on a busy cluster it can time out or find its
 * coordinator overloaded. They are idempotent, so such a failure ({@link Errors#isRetryable}) is retried with the
 * operation's retries and backoff, as a range query is, instead of failing a whole count, export or import, possibly
 * after every row was written. Errors that retrying cannot cure (a syntax error, no permission) are returned at once.
 */
public final class Retrying {

  private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);

  private Retrying() {}

  /**
   * Prepares {@code statement}, retrying a retryable failure up to {@code options.maxRetries()} times after the
   * options' backoff (doubling on each retry up to 32 times it, jittered, as every retry of the library).
   *
   * @return a stage that completes with the prepared statement, or with the last attempt's error
   */
  public static CompletableFuture<PreparedStatement> prepareAsync(CqlSession session, SimpleStatement statement,
      OperatorOptions options) {
    return async(() -> session.prepareAsync(statement), options.maxRetries(), options.retryBackoff(),
        statement.getQuery());
  }

  /**
   * As {@link #prepareAsync}, waiting.
   *
   * @throws RuntimeException the last attempt's error, as the driver threw it (see {@link Futures#await})
   */
  public static PreparedStatement prepare(CqlSession session, SimpleStatement statement, OperatorOptions options) {
    return Futures.await(prepareAsync(session, statement, options));
  }

  /**
   * Executes the idempotent {@code statement}, retrying a retryable failure of its first page up to
   * {@code maxRetries} times after {@code backoff}, doubling (later pages are fetched as the rows are iterated, as
   * the driver does, and not retried).
   *
   * @throws RuntimeException the last attempt's error, as the driver threw it
   * @throws IllegalStateException if interrupted while waiting to retry (the interrupt flag is kept)
   */
  public static ResultSet execute(CqlSession session, Statement<?> statement, int maxRetries, Duration backoff) {
    return call(() -> session.execute(statement), maxRetries, backoff, describe(statement));
  }

  /**
   * Runs {@code work}, which may be repeated (a read), retrying a retryable failure (see
   * {@link Errors#isRetryable}) up to {@code maxRetries} times after {@code backoff}, doubling, jittered.
   *
   * @param what the work, for the debug log and the interrupt's message
   * @throws RuntimeException the last attempt's error, as {@code work} threw it
   * @throws IllegalStateException if interrupted while waiting to retry (the interrupt flag is kept)
   */
  public static <T> T call(Supplier<T> work, int maxRetries, Duration backoff, String what) {
    for (int retry = 1; ; retry++) {
      try {
        return work.get();
      } catch (RuntimeException e) {
        if (retry > maxRetries || !Errors.isRetryable(e)) {
          throw e;
        }
        long delay = Backoff.delay(backoff, backoff.multipliedBy(32), retry).toNanos();
        LOG.debug("{} failed ({}); retry {} of {} in {} ms", what, e, retry, maxRetries,
            TimeUnit.NANOSECONDS.toMillis(delay));
        try {
          TimeUnit.NANOSECONDS.sleep(delay);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting to retry " + what, interrupted);
        }
      }
    }
  }

  private static String describe(Statement<?> statement) {
    return statement instanceof SimpleStatement s ? s.getQuery() : statement.getClass().getSimpleName();
  }

  /** As {@link #execute(CqlSession, Statement, int, Duration)} with the operation's retries and backoff. */
  public static ResultSet execute(CqlSession session, Statement<?> statement, OperatorOptions options) {
    return execute(session, statement, options.maxRetries(), options.retryBackoff());
  }

  /** Runs {@code request} until it succeeds, fails with an error retrying cannot cure, or has had its retries. */
  static <T> CompletableFuture<T> async(Supplier<CompletionStage<T>> request, int maxRetries, Duration backoff,
      String what) {
    CompletableFuture<T> result = new CompletableFuture<>();
    attempt(request, maxRetries, backoff, what, 0, result);
    return result;
  }

  private static <T> void attempt(Supplier<CompletionStage<T>> request, int maxRetries, Duration backoff,
      String what, int retries, CompletableFuture<T> result) {
    request.get().whenComplete((value, error) -> {
      if (error == null) {
        result.complete(value);
      } else if (retries < maxRetries && Errors.isRetryable(error) && !result.isDone()) {
        int retry = retries + 1;
        long delay = Backoff.delay(backoff, backoff.multipliedBy(32), retry).toNanos();
        LOG.debug("{} failed ({}); retry {} of {} in {} ms", what, Errors.unwrap(error), retry, maxRetries,
            TimeUnit.NANOSECONDS.toMillis(delay));
        CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS)
            .execute(() -> attempt(request, maxRetries, backoff, what, retry, result));
      } else {
        result.completeExceptionally(Errors.unwrap(error));
      }
    });
  }
}
