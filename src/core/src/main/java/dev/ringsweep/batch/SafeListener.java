package dev.ringsweep.batch;

import dev.ringsweep.LimitChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds events to the writer's own {@link MetricsRecorder} and then to the caller's listener, so that a listener
 * that throws can neither break the write path nor skip the built-in metrics.
 */
final class SafeListener implements BatchListener {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  private final MetricsRecorder metrics;
  private final BatchListener user;

  SafeListener(MetricsRecorder metrics, BatchListener user) {
    this.metrics = metrics;
    this.user = user;
  }

  @Override
  public void onBatchWritten(BatchKind kind, int statements, long latencyNanos) {
    metrics.onBatchWritten(kind, statements, latencyNanos);
    guard(() -> user.onBatchWritten(kind, statements, latencyNanos));
  }

  @Override
  public void onRetry(BatchKind kind, int statements, int retry, Throwable cause) {
    metrics.onRetry(kind, statements, retry, cause);
    guard(() -> user.onRetry(kind, statements, retry, cause));
  }

  @Override
  public void onBatchFailed(BatchKind kind, int statements, Throwable cause) {
    metrics.onBatchFailed(kind, statements, cause);
    guard(() -> user.onBatchFailed(kind, statements, cause));
  }

  @Override
  public void onStatementsFailed(int statements, Throwable cause) {
    metrics.onStatementsFailed(statements, cause);
    guard(() -> user.onStatementsFailed(statements, cause));
  }

  @Override
  public void onFallbackToConcurrent(int statements) {
    metrics.onFallbackToConcurrent(statements);
    guard(() -> user.onFallbackToConcurrent(statements));
  }

  @Override
  public void onLimitChanged(LimitChange change) {
    guard(() -> user.onLimitChanged(change));
  }

  private static void guard(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("A BatchListener threw; ignored", e);
    }
  }
}
