package dev.ringsweep.internal.imports;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.TokenRange;

/**
 * What an import's verification reads (its counts and its checksum of the target) tell the caller's listener:
 * everything they report (their limits' starts and changes, their retries and splits), and their progress as
 * {@link ProgressListener#onVerificationProgress} with the read's name. The caller's
 * {@link ProgressListener#onProgress} follows the import's splits of its source; a count of the target, over token ranges of its own, would make that
 * progress jump back. Its limits go to {@link ProgressListener#onVerificationLimitChanged} with the read's name, and
 * each read's limit start says which read it is too, for a listener that only hears {@link
 * ProgressListener#onLimitChanged} (for example {@code "adaptive, up to 16 (import verification: checksum of the
 * target)"}).
 */
public final class VerificationListener implements ProgressListener {

  /** What the start of a verification read's limit says after its own detail, before the read's name. */
  public static final String VERIFICATION = " (import verification: ";

  private final ProgressListener listener;
  private final String read;
  private final boolean everyChange;

  private VerificationListener(ProgressListener listener, String read, boolean everyChange) {
    this.listener = listener;
    this.read = read;
    this.everyChange = everyChange;
  }

  /** {@code listener}, its progress told as the verification read named {@code read}'s. */
  public static ProgressListener of(ProgressListener listener, String read) {
    return new VerificationListener(listener, read, false);
  }

  /**
   * As {@link #of}, naming the read in every change's detail, not only in its starts: for a Spark job, whose changes
   * are its tasks' summaries (one each, of scope {@code "task <index>"}, of whatever cause the task met most).
   */
  public static ProgressListener ofTaskSummaries(ProgressListener listener, String read) {
    return new VerificationListener(listener, read, true);
  }

  @Override
  public void onProgress(Progress progress) {
    listener.onVerificationProgress(read, progress);
  }

  @Override
  public void onVerificationProgress(String read, Progress progress) {
    listener.onVerificationProgress(read, progress);
  }

  @Override
  public void onRetry(TokenRange range, int attempt, Throwable error) {
    listener.onRetry(range, attempt, error);
  }

  @Override
  public void onWriteRetry(int statements, int attempt, Throwable error) {
    listener.onWriteRetry(statements, attempt, error);
  }

  @Override
  public void onSplit(TokenRange range, int pieces) {
    listener.onSplit(range, pieces);
  }

  @Override
  public void onLimitChanged(LimitChange change) {
    listener.onVerificationLimitChanged(read, !everyChange && change.cause() != LimitChange.Cause.START ? change
        : new LimitChange(change.previousLimit(), change.limit(), change.cause(),
            change.detail() + VERIFICATION + read + ")", change.scope()));
  }

  @Override
  public void onVerificationLimitChanged(String read, LimitChange change) {
    listener.onVerificationLimitChanged(read, change);
  }
}
