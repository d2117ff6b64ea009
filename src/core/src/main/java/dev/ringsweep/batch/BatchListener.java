package dev.ringsweep.batch;

import dev.ringsweep.LimitChange;

/**
 * Hooks for feeding a {@link BatchWriter}'s activity into a metric system of your own; every method does nothing by
 * default. The writer's built-in {@link BatchMetrics} are computed from the same events.
 *
 * <p>Every request the writer sends ends in exactly one of {@link #onBatchWritten}, {@link #onRetry} (it will be
 * sent again) or {@link #onBatchFailed} (it will be split, or its statements reported as failed).
 *
 * <p>Methods are called on driver I/O threads, possibly concurrently: they must be thread-safe, return quickly and
 * never block. An exception thrown by a listener is logged and otherwise ignored.
 */
public interface BatchListener {

  /** A listener that does nothing. */
  BatchListener NONE = new BatchListener() {};

  /** A request of {@code statements} statements was acknowledged after {@code latencyNanos} nanoseconds. */
  default void onBatchWritten(BatchKind kind, int statements, long latencyNanos) {}

  /** A request failed with a retryable error and will be sent again; {@code retry} counts from 1. */
  default void onRetry(BatchKind kind, int statements, int retry, Throwable cause) {}

  /** A request failed for good: it will be split to isolate failing statements, or its statements reported. */
  default void onBatchFailed(BatchKind kind, int statements, Throwable cause) {}

  /** {@code statements} statements were reported as not written (see {@link FailureCallback}). */
  default void onStatementsFailed(int statements, Throwable cause) {}

  /** An input of {@code statements} statements contained reads and was run as concurrent single statements. */
  default void onFallbackToConcurrent(int statements) {}

  /**
   * The limit of requests in flight was set (once, when the writer is built) or, for an adaptive
   * limit ({@link BatchWriterOptions#concurrency()}), changed, with the cause. An adaptive writer on a cluster of
   * several nodes announces at build time a fixed ceiling on the sum ({@link LimitChange#ALL}), then each replica
   * set's own limit (its {@link LimitChange#scope()}) when its first request is queued, and that limit's changes;
   * while its replica sets share one limit (they met trouble together), that limit's start
   * ({@link LimitChange.Cause#POOLED}), changes and end ({@link LimitChange.Cause#UNPOOLED}), of scope
   * {@link LimitChange#ALL}.
   */
  default void onLimitChanged(LimitChange change) {}
}
