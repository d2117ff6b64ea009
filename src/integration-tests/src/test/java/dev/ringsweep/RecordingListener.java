package dev.ringsweep;

import dev.ringsweep.token.TokenRange;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A progress listener for tests: records every limit change and counts the retries of range queries and writes. */
final class RecordingListener implements ProgressListener {
  final List<LimitChange> changes = new CopyOnWriteArrayList<>();
  final AtomicInteger retries = new AtomicInteger();
  final AtomicInteger writeRetries = new AtomicInteger();

  @Override
  public void onProgress(Progress progress) {}

  @Override
  public void onRetry(TokenRange range, int attempt, Throwable error) {
    retries.incrementAndGet();
  }

  @Override
  public void onWriteRetry(int statements, int attempt, Throwable error) {
    writeRetries.incrementAndGet();
  }

  @Override
  public void onLimitChanged(LimitChange change) {
    changes.add(change);
  }
}
