package dev.ringsweep.internal;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.TokenRange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A caller's {@link ProgressListener} behind a guard: a listener that throws is logged and ignored, so that it can
 * never break or stall an operation. Every engine reports through one of these (see {@link OperationContext}).
 */
public final class SafeProgressListener implements ProgressListener {

  private static final Logger LOG = LoggerFactory.getLogger(ProgressListener.class);

  private final ProgressListener user;

  private SafeProgressListener(ProgressListener user) {
    this.user = user;
  }

  /** {@code listener} guarded; a listener that is already guarded, or {@link ProgressListener#NONE}, as it is. */
  public static ProgressListener wrap(ProgressListener listener) {
    return listener instanceof SafeProgressListener || listener == ProgressListener.NONE
        ? listener : new SafeProgressListener(listener);
  }

  @Override
  public void onProgress(Progress progress) {
    try {
      user.onProgress(progress);
    } catch (RuntimeException e) {
      LOG.warn("The progress listener threw on onProgress; ignored", e);
    }
  }

  @Override
  public void onVerificationProgress(String read, Progress progress) {
    try {
      user.onVerificationProgress(read, progress);
    } catch (RuntimeException e) {
      LOG.warn("The progress listener threw on onVerificationProgress; ignored", e);
    }
  }

  @Override
  public void onRetry(TokenRange range, int attempt, Throwable error) {
    try {
      user.onRetry(range, attempt, error);
    } catch (RuntimeException e) {
      LOG.warn("The progress listener threw on onRetry; ignored", e);
    }
  }

  @Override
  public void onWriteRetry(int statements, int attempt, Throwable error) {
    try {
      user.onWriteRetry(statements, attempt, error);
    } catch (RuntimeException e) {
      LOG.warn("The progress listener threw on onWriteRetry; ignored", e);
    }
  }

  @Override
  public void onSplit(TokenRange range, int pieces) {
    try {
      user.onSplit(range, pieces);
    } catch (RuntimeException e) {
      LOG.warn("The progress listener threw on onSplit; ignored", e);
    }
  }

  @Override
  public void onLimitChanged(LimitChange change) {
    try {
      user.onLimitChanged(change);
    } catch (RuntimeException e) {
      LOG.warn("The progress listener threw on onLimitChanged; ignored", e);
    }
  }

  @Override
  public void onVerificationLimitChanged(String read, LimitChange change) {
    try {
      user.onVerificationLimitChanged(read, change);
    } catch (RuntimeException e) {
      LOG.warn("The progress listener threw on onVerificationLimitChanged; ignored", e);
    }
  }
}
