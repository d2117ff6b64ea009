package dev.ringsweep.internal.export;

import dev.ringsweep.internal.format.CqlValues;
import com.datastax.oss.driver.api.core.type.DataTypes;
import dev.ringsweep.OperatorOptions;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.ProtocolVersion;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.type.codec.TypeCodec;
import com.datastax.oss.driver.api.core.type.codec.registry.CodecRegistry;
import dev.ringsweep.internal.Errors;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.Backoff;
import dev.ringsweep.internal.ReplicaSetLimits;
import dev.ringsweep.internal.RangeExecutor;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.token.TokenRange;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the rows of token ranges for an export, one page per request, asking for the next page as soon as a page
 * arrives so that the server reads it while this one is converted and written (at most one page ahead per
 * reader: memory stays bounded). A page that fails with a retryable error is
 * retried from its paging state after a backoff, so no row is read twice; a page that keeps timing out is then
 * requested in pages 4 times smaller (the export's form of splitting a range), for the rest of the interval. Shared
 * by the worker threads: it keeps no state between calls.
 *
 * <p>Every page request holds a permit of the export's {@link ReplicaSetLimits} (adaptive by default, like a count's
 * range queries: one limit per replica set of the planned range, under a ceiling on their sum) while it is in
 * flight: a page a writer needs now waits for one (first its replica set's, then the ceiling's), a page asked for
 * ahead is only asked for when both are free at once. Each page's latency and errors feed its replica set's limit.
 */
final class RangeReader {

  private static final Logger LOG = LoggerFactory.getLogger(RangeReader.class);
  private static final int SPLIT_FACTOR = 4;

  private final CqlSession session;
  private final OperatorOptions options;
  private final ProgressListener progress;
  private final PreparedStatement exclusive;
  private final PreparedStatement inclusive;
  private final TokenMap tokenMap;
  private final BooleanSupplier stopped;
  private final ReadLimit limit;
  private final ReplicaSetLimits permits;
  /** The codec of each selected column, resolved once (a lookup per cell cost ~5% of an export's CPU). */
  /** Which columns are inets, read from their bytes (see {@link CqlValues#inet6}). */
  private final boolean[] inet;
  private final TypeCodec<?>[] codecs;
  private final ProtocolVersion protocolVersion;

  /**
   * @param stopped whether the export is stopping: reading then ends with an {@link IllegalStateException}
   * @param limit the export's read rate limit, or null for none
   * @param permits the limits of page requests in flight, shared by the writers
   */
  RangeReader(CqlSession session, OperatorOptions options, ProgressListener progress,
      PreparedStatement exclusive, PreparedStatement inclusive, BooleanSupplier stopped, ReadLimit limit,
      ReplicaSetLimits permits) {
    this.limit = limit;
    this.permits = permits;
    this.session = session;
    this.options = options;
    this.progress = progress;
    this.exclusive = exclusive;
    this.inclusive = inclusive;
    this.tokenMap = session.getMetadata().getTokenMap().orElse(null);
    this.stopped = stopped;
    ColumnDefinitions columns = exclusive.getResultSetDefinitions();
    CodecRegistry registry = session.getContext().getCodecRegistry();
    this.codecs = new TypeCodec<?>[columns.size()];
    this.inet = new boolean[columns.size()];
    for (int c = 0; c < codecs.length; c++) {
      codecs[c] = registry.codecFor(columns.get(c).getType());
      inet[c] = columns.get(c).getType().equals(DataTypes.INET);
    }
    this.protocolVersion = session.getContext().getProtocolVersion();
  }

  /**
   * Reads every row of {@code range}, which replica set {@code replicaSet} holds, and hands it to {@code rows}, page
   * by page.
   *
   * @throws DriverException the error of a page that could not be read after retries and smaller pages
   */
  void read(TokenRange range, String replicaSet, Consumer<Object[]> rows) {
    for (RangeQuery.Interval interval : RangeQuery.intervals(range)) {
      read(range, replicaSet, interval, rows);
    }
  }

  private void read(TokenRange range, String replicaSet, RangeQuery.Interval interval, Consumer<Object[]> rows) {
    BoundStatement statement = RangeQuery.bind(exclusive, inclusive, interval, tokenMap, options);
    int width = exclusive.getResultSetDefinitions().size();
    Paging paging = new Paging(options.pageSize());
    CompletionStage<AsyncResultSet> prefetched = null;
    do {
      AsyncResultSet page = null;
      if (prefetched != null) {
        try {
          page = await(prefetched);
        } catch (DriverException e) {
          if (stopped.getAsBoolean() || !Errors.isRetryable(e)) {
            throw e;
          }
          // Asked again, with retries and smaller pages, from the same paging state.
          LOG.debug("Prefetched page of range {} failed, fetching it again", range, e);
        }
        prefetched = null;
      }
      if (page == null) {
        page = fetch(range, replicaSet, statement, paging);
      }
      if (limit != null) {
        limit.pace(page.remaining(), page.getExecutionInfo().getResponseSizeInBytes());
      }
      ByteBuffer next = page.getExecutionInfo().getPagingState();
      if (next != null && !stopped.getAsBoolean()) {
        // The next page is read by the server while this one is converted and written, if the limit allows.
        prefetched = prefetch(replicaSet, statement.setPagingState(next).setPageSize(paging.pageSize));
      }
      for (Row row : page.currentPage()) {
        Object[] values = new Object[width];
        for (int c = 0; c < width; c++) {
          // What row.getObject(c) returns, without its codec lookup. A null stays null (getObject would read a null
          // collection as an empty one); a frozen empty collection is not null.
          ByteBuffer bytes = row.getBytesUnsafe(c);
          values[c] = bytes == null ? null
              // The driver's codec would make an IPv4-mapped IPv6 address (16 bytes) an IPv4 one (4 bytes).
              : inet[c] && bytes.remaining() == 16 ? CqlValues.inet6(bytes)
              : codecs[c].decode(bytes, protocolVersion);
        }
        rows.accept(values);
      }
      paging.state = next;
    } while (paging.state != null);
  }

  /** Where an interval's paging stands: the paging state of the next page and the page size in force. */
  private static final class Paging {
    ByteBuffer state;
    int pageSize;
    int splits;

    Paging(int pageSize) {
      this.pageSize = pageSize;
    }
  }

  /** Asks for a page ahead if a permit is free now; null if not (it is then fetched when it is needed). */
  private CompletionStage<AsyncResultSet> prefetch(String replicaSet, BoundStatement statement) {
    ReplicaSetLimits.Permit permit = permits.tryAcquire(replicaSet);
    if (permit == null) {
      return null;
    }
    CompletionStage<AsyncResultSet> page;
    try {
      page = session.executeAsync(statement);
    } catch (RuntimeException e) {
      permit.ignored();
      throw e;
    }
    return page.whenComplete((result, error) -> {
      if (error == null) {
        permit.succeeded();
      } else {
        permit.failed(error);
      }
    });
  }

  /** Fetches the next page, retrying retryable errors with backoff, then shrinking the page on timeouts. */
  private AsyncResultSet fetch(TokenRange range, String replicaSet, BoundStatement statement, Paging paging) {
    for (int attempt = 0; ; ) {
      if (stopped.getAsBoolean()) {
        throw new IllegalStateException("Export stopped: another writer failed");
      }
      ReplicaSetLimits.Permit permit = permits.acquire(replicaSet, stopped);
      try {
        AsyncResultSet page =
            await(session.executeAsync(statement.setPagingState(paging.state).setPageSize(paging.pageSize)));
        permit.succeeded();
        return page;
      } catch (DriverException e) {
        permit.failed(e);
        if (stopped.getAsBoolean() || !Errors.isRetryable(e)) {
          throw e;
        }
        if (attempt < options.maxRetries()) {
          attempt++;
          LOG.debug("Page of range {} failed (attempt {}), retrying", range, attempt, e);
          int retry = attempt;
          progress.onRetry(range, retry, e);
          sleep(Backoff.delay(options.retryBackoff(), options.retryBackoff().multipliedBy(32), attempt).toMillis(), e);
        } else if (Errors.isTimeout(e) && paging.splits < options.maxSplitDepth() && paging.pageSize > 1) {
          paging.splits++;
          paging.pageSize = Math.max(1, paging.pageSize / SPLIT_FACTOR);
          attempt = 0;
          LOG.info("Pages of range {} keep timing out; requesting pages of {} rows", range, paging.pageSize);
          progress.onSplit(range, SPLIT_FACTOR);
        } else {
          throw e;
        }
      } catch (RuntimeException e) {
        permit.ignored(); // interrupted or stopping: says nothing about the cluster
        throw e;
      }
    }
  }

  /**
   * Waits for a page. A driver error is rethrown as a copy with this thread's stack (as the driver's synchronous
   * calls do), so that a failure names the export's code path.
   */
  private static AsyncResultSet await(CompletionStage<AsyncResultSet> stage) {
    try {
      return stage.toCompletableFuture().get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof DriverException driverError) {
        throw driverError.copy();
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("Page request failed", cause);
    } catch (InterruptedException e) {
      stage.toCompletableFuture().cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading a page", e);
    }
  }

  private static void sleep(long millis, DriverException cause) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }
}
