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

  /**
   * What an import's verification reads add to the start of their limits' details (see
   * {@code ImportOperation}): {@code " (import verification: checksum of the target)"}, for example.
   */
  static final String VERIFICATION = " (import verification: ";

  /** The changes of an import's writes among {@code changes}: those not of its verification's reads. */
  static List<LimitChange> writes(List<LimitChange> changes) {
    return operation(changes, detail -> !detail.contains(VERIFICATION));
  }

  /** The changes of the import verification's read named {@code read} ("checksum of the target", say). */
  static List<LimitChange> verification(List<LimitChange> changes, String read) {
    return operation(changes, detail -> detail.endsWith(VERIFICATION + read + ")"));
  }

  /**
   * The changes of the operation whose limits' starts have a detail that {@code start} accepts: from the first such
   * start to the first start after it that {@code start} does not accept (the next operation's).
   */
  private static List<LimitChange> operation(List<LimitChange> changes,
      java.util.function.Predicate<String> start) {
    List<LimitChange> all = List.copyOf(changes);
    int from = -1;
    for (int i = 0; i < all.size(); i++) {
      LimitChange c = all.get(i);
      if (c.cause() != LimitChange.Cause.START) {
        continue;
      }
      if (from < 0 && start.test(c.detail())) {
        from = i;
      } else if (from >= 0 && !start.test(c.detail())) {
        return all.subList(from, i);
      }
    }
    return from < 0 ? List.of() : all.subList(from, all.size());
  }
}
