package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.ringsweep.internal.Errors;
import dev.ringsweep.internal.Backoff;
import dev.ringsweep.internal.TokenBucket;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends planned requests without ever blocking a thread: requests wait in a queue, a semaphore bounds how many are
 * in flight, and whoever frees a permit (a driver I/O thread completing a request) starts the next one. A rate limit
 * and retry backoff delay a send through {@link CompletableFuture#delayedExecutor}, holding the request's permit.
 *
 * <p>A request that fails for a reason a retry may fix is re-sent (if idempotent) up to {@code maxRetries} times
 * with exponential backoff and jitter; one the server refuses for what is in it is bisected, halves one after the other under
 * the same permit, until the failing statements stand alone; they, and the statements of any request that failed
 * otherwise, are handed to the failure callback and counted.
 */
final class RequestExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** A request waiting for a permit. */
  private record Pending(WriteJob job, PlannedBatch batch) {}

  private final Function<Statement<?>, CompletionStage<AsyncResultSet>> execute;
  private final BatchWriterOptions options;
  private final BatchListener listener;
  private final FailureCallback onFailure;
  private final LongSupplier clock;
  private final Semaphore permits;
  private final TokenBucket rateLimit;
  private final Queue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger drainRequests = new AtomicInteger();

  RequestExecutor(Function<Statement<?>, CompletionStage<AsyncResultSet>> execute, BatchWriterOptions options,
      BatchListener listener, FailureCallback onFailure, LongSupplier clock) {
    this.execute = execute;
    this.options = options;
    this.listener = listener;
    this.onFailure = onFailure;
    this.clock = clock;
    this.permits = new Semaphore(options.maxInFlight());
    this.rateLimit = options.isRateLimited() ? new TokenBucket(options.maxStatementsPerSecond(), clock) : null;
  }

  /** Queues the requests of one call; the returned job completes when all of them are done. */
  WriteJob submit(long statements, List<PlannedBatch> batches) {
    WriteJob job = new WriteJob(statements, batches.size(), clock);
    for (PlannedBatch batch : batches) {
      queue.add(new Pending(job, batch));
    }
    drain();
    return job;
  }

  /** Requests currently holding a permit (sent, or waiting on a rate-limit or backoff delay). */
  int inFlight() {
    return options.maxInFlight() - permits.availablePermits();
  }

  /**
   * Starts queued requests while permits are free. One thread drains at a time; a call made meanwhile (a request
   * completing, a new submit) only asks the draining thread to look again, so a request that completes at once
   * cannot recurse into another drain.
   */
  private void drain() {
    if (drainRequests.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      while (!queue.isEmpty() && permits.tryAcquire()) {
        start(queue.poll()); // never null: only the draining thread polls
      }
      missed = drainRequests.addAndGet(-missed);
    } while (missed != 0);
  }

  private void start(Pending next) {
    CompletionStage<Void> done;
    try {
      done = process(next.job(), next.batch(), 0);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((ignored, error) -> {
      if (error != null) {
        LOG.error("Unexpected error while writing a batch of {} statements", next.batch().size(), error);
        next.job().abort(error);
      }
      permits.release();
      next.job().requestDone();
      drain();
    });
  }

  private CompletionStage<Void> process(WriteJob job, PlannedBatch batch, int retry) {
    return send(batch).<CompletionStage<Void>>handle((latencyNanos, error) -> {
      BatchKind kind = batch.kind();
      if (error == null) {
        listener.onBatchWritten(kind, batch.size(), latencyNanos);
        job.written(batch.size());
        return DONE;
      }
      Throwable cause = Errors.unwrap(error);
      if (batch.idempotent() && retry < options.maxRetries() && Errors.isRetryable(cause)) {
        listener.onRetry(kind, batch.size(), retry + 1, cause);
        job.retried();
        LOG.debug("Retrying a request of {} statements after {}", batch.size(), cause.toString());
        return delay(Backoff.jittered(options.backoff(retry + 1).toNanos()))
            .thenCompose(v -> process(job, batch, retry + 1));
      }
      listener.onBatchFailed(kind, batch.size(), cause);
      if (batch.splittable() && batch.size() > 1 && Errors.isCausedByStatement(cause)) {
        LOG.debug("Splitting a batch of {} statements that failed: {}", batch.size(), cause.toString());
        List<PlannedBatch> halves = batch.halves();
        return process(job, halves.get(0), 0).thenCompose(v -> process(job, halves.get(1), 0));
      }
      reportFailed(job, batch, cause);
      return DONE;
    }).thenCompose(Function.identity());
  }

  /** Sends the request, after the rate limit's delay if any; completes with its latency in nanoseconds. */
  private CompletionStage<Long> send(PlannedBatch batch) {
    long wait = rateLimit == null ? 0 : rateLimit.reserve(batch.size());
    if (wait <= 0) {
      return executeTimed(batch);
    }
    return delay(wait).thenCompose(v -> executeTimed(batch));
  }

  private CompletionStage<Long> executeTimed(PlannedBatch batch) {
    long start = clock.getAsLong();
    try {
      return execute.apply(batch.toStatement()).thenApply(resultSet -> clock.getAsLong() - start);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void reportFailed(WriteJob job, PlannedBatch batch, Throwable cause) {
    for (BatchableStatement<?> statement : batch.statements()) {
      try {
        onFailure.onFailure(statement, cause);
      } catch (RuntimeException e) {
        LOG.warn("A FailureCallback threw; ignored", e);
      }
    }
    listener.onStatementsFailed(batch.size(), cause);
    job.failed(batch.size(), cause);
  }

  private static CompletableFuture<Void> delay(long nanos) {
    return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS));
  }
}
