package dev.ringsweep.internal.count;

import dev.ringsweep.HostStats;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.internal.Errors;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.internal.Backoff;
import dev.ringsweep.internal.Retrying;
import dev.ringsweep.internal.RangeExecutor;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.token.TokenRange;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the rows of one token interval on the client, page by page ({@code SELECT pk FROM … WHERE token(…) …}):
 * the fallback of a count for a piece whose server-side {@code count(*)} keeps timing out even after splitting,
 * typically one partition too large to count within one request. No request has to read more than a page; a page
 * that fails is retried from its paging state with backoff, and one on which the server keeps timing out is asked
 * for in pages 4 times smaller, at most {@code maxSplitDepth} times. Asynchronous throughout: nothing here blocks a
 * thread, and pages are handled on the common pool, never on a driver I/O thread.
 */
final class PagedCount {

  private static final Logger LOG = LoggerFactory.getLogger(PagedCount.class);
  private static final int SHRINK_FACTOR = 4;

  private final CqlSession session;
  private final OperatorOptions options;
  private final TokenMap tokenMap;
  private final ProgressListener listener;
  private final RangeQuery query;
  private CompletableFuture<PreparedStatement[]> prepared;

  /**
   * @param listener told of each page retried ({@link ProgressListener#onRetry}) and each time a piece's pages become
   *     smaller ({@link ProgressListener#onSplit}); its exceptions are logged and ignored
   */
  PagedCount(CqlSession session, OperatorOptions options, TokenMap tokenMap, TableMetadata table,
      ProgressListener listener) {
    this.session = session;
    this.options = options;
    this.tokenMap = tokenMap;
    this.listener = listener;
    // Selecting the first partition key column returns one row per CQL row, as count(*) counts them.
    this.query = RangeQuery.of(table, table.getPartitionKey().get(0).getName().asCql(true));
  }

  /** The rows of {@code interval}, counted page by page, and the coordinator of the last page. */
  CompletionStage<CountOperation.Part> count(TokenRange piece, RangeQuery.Interval interval) {
    return statements().thenCompose(statements -> {
      BoundStatement statement = RangeQuery.bind(statements[0], statements[1], interval, tokenMap, options);
      CompletableFuture<CountOperation.Part> result = new CompletableFuture<>();
      fetch(piece, statement, new State(options.pageSize()), result);
      return result;
    });
  }

  /** Prepares the two statements once, when the first piece falls back. */
  private synchronized CompletableFuture<PreparedStatement[]> statements() {
    if (prepared == null || prepared.isCompletedExceptionally()) {
      prepared = Retrying.prepareAsync(session, RangeQuery.toPrepare(query.exclusiveCql(), options), options)
          .thenCombine(Retrying.prepareAsync(session, RangeQuery.toPrepare(query.inclusiveCql(), options), options),
              (ex, in) -> new PreparedStatement[] {ex, in});
    }
    return prepared;
  }

  /** Where the paging of one interval stands. */
  private static final class State {
    ByteBuffer pagingState;
    int pageSize;
    int attempts;
    int shrinks;
    long rows;

    State(int pageSize) {
      this.pageSize = pageSize;
    }
  }

  private void fetch(TokenRange piece, BoundStatement statement, State state,
      CompletableFuture<CountOperation.Part> result) {
    session.executeAsync(statement.setPagingState(state.pagingState).setPageSize(state.pageSize))
        // Continued off the driver's I/O threads: the progress listener may be told of smaller pages from here.
        .whenCompleteAsync((page, error) -> {
          try {
            if (error == null) {
              onPage(piece, statement, state, page, result);
            } else {
              onError(piece, statement, state, Errors.unwrap(error), result);
            }
          } catch (RuntimeException e) {
            result.completeExceptionally(e);
          }
        });
  }

  private void onPage(TokenRange piece, BoundStatement statement, State state, AsyncResultSet page,
      CompletableFuture<CountOperation.Part> result) {
    state.rows += page.remaining();
    state.attempts = 0;
    state.pagingState = page.getExecutionInfo().getPagingState();
    if (state.pagingState == null) {
      result.complete(
          new CountOperation.Part(state.rows, HostStats.hostName(page.getExecutionInfo().getCoordinator())));
    } else {
      fetch(piece, statement, state, result);
    }
  }

  private void onError(TokenRange piece, BoundStatement statement, State state, Throwable error,
      CompletableFuture<CountOperation.Part> result) {
    if (!Errors.isRetryable(error)) {
      result.completeExceptionally(error);
    } else if (state.attempts < options.maxRetries()) {
      state.attempts++;
      int attempt = state.attempts;
      tell(() -> listener.onRetry(piece, attempt, error));
      long delay = Backoff.delay(options.retryBackoff(), options.retryBackoff().multipliedBy(32), state.attempts)
          .toNanos();
      CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS)
          .execute(() -> fetch(piece, statement, state, result));
    } else if (Errors.isServerTimeout(error) && state.shrinks < options.maxSplitDepth()
        && state.pageSize > 1) {
      state.shrinks++;
      state.attempts = 0;
      state.pageSize = Math.max(1, state.pageSize / SHRINK_FACTOR);
      tell(() -> listener.onSplit(piece, SHRINK_FACTOR));
      fetch(piece, statement, state, result);
    } else {
      result.completeExceptionally(error);
    }
  }

  private static void tell(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("Progress listener failed; ignoring", e);
    }
  }
}
