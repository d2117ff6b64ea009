package dev.ringsweep.batch;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The bookkeeping of one call to a {@link BatchWriter}: counts what its requests did and completes the caller's
 * future with a {@link WriteResult} when the last of them is done.
 */
final class WriteJob {

  private final long statements;
  private final LongSupplier clock;
  private final long startNanos;
  private final AtomicInteger pendingRequests;
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicReference<Throwable> firstCause = new AtomicReference<>();
  private final CompletableFuture<WriteResult> result = new CompletableFuture<>();
  /** Completes when the last request is over: whatever became of {@link #result} (a caller may cancel it). */
  private final CompletableFuture<Void> settled = new CompletableFuture<>();

  WriteJob(long statements, int requests, LongSupplier clock) {
    this.statements = statements;
    this.clock = clock;
    this.startNanos = clock.getAsLong();
    this.pendingRequests = new AtomicInteger(requests);
    if (requests == 0) {
      complete();
      settled.complete(null);
    }
  }

  void written(int count) {
    written.addAndGet(count);
  }

  void failed(int count, Throwable cause) {
    failed.addAndGet(count);
    firstCause.compareAndSet(null, cause);
  }

  void retried() {
    retries.incrementAndGet();
  }

  /** One request (with its retries and splits) is over; the last one completes the result. */
  void requestDone() {
    if (pendingRequests.decrementAndGet() == 0) {
      complete();
      settled.complete(null);
    }
  }

  /** Ends the job with an error that is not a write failure (a bug): the caller's future fails with it. */
  void abort(Throwable error) {
    result.completeExceptionally(error);
  }

  /** The first cause of a failed statement, if any failed. */
  Throwable firstCause() {
    return firstCause.get();
  }

  CompletableFuture<WriteResult> result() {
    return result;
  }

  /**
   * Completes (never exceptionally) when every request of the call is over, even if {@link #result} ended sooner: a
   * caller interrupted while waiting cancels its result, and an unexpected error fails it at once.
   */
  CompletableFuture<Void> settled() {
    return settled;
  }

  private void complete() {
    Duration elapsed = Duration.ofNanos(Math.max(0, clock.getAsLong() - startNanos));
    try {
      result.complete(new WriteResult(statements, written.get(), failed.get(), retries.get(), elapsed));
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }
}
