package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.TokenRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guard every engine puts around a caller's progress listener. */
class SafeProgressListenerTest {

  private static final TokenRange RANGE = new TokenRange(0, 10, List.of());

  @Test
  void should_pass_every_callback_on_to_the_callers_listener() {
    // A callback the guard does not override would fall to the interface's default, which does nothing: the caller's
    // listener would never hear of it.
    assertThat(HeardListener.notOverriddenBy(SafeProgressListener.class)).isEmpty();
    HeardListener heard = new HeardListener();
    ProgressListener listener = SafeProgressListener.wrap(heard);

    listener.onProgress(new Progress(1, 2, 30));
    listener.onVerificationProgress("row count of the target", new Progress(3, 4, 50));
    listener.onRetry(RANGE, 1, new RuntimeException());
    listener.onWriteRetry(20, 2, new RuntimeException());
    listener.onSplit(RANGE, 4);
    listener.onLimitChanged(new LimitChange(0, 8, LimitChange.Cause.START, "fixed at 8"));
    listener.onVerificationLimitChanged("checksum of the target", new LimitChange(0, 4, LimitChange.Cause.START,
        "adaptive, up to 16 (import verification: checksum of the target)"));

    assertThat(heard.heard).containsExactly("progress 30", "verification progress row count of the target 3/4 50",
        "retry 1", "write retry 20 2", "split 4", "limit 8", "verification limit checksum of the target 4");
  }

  @Test
  void should_swallow_what_a_listener_throws() {
    ProgressListener throwing = new ProgressListener() {
      @Override
      public void onProgress(Progress progress) {
        throw new IllegalStateException("progress");
      }

      @Override
      public void onVerificationProgress(String read, Progress progress) {
        throw new IllegalStateException("verification progress");
      }

      @Override
      public void onRetry(TokenRange range, int attempt, Throwable error) {
        throw new IllegalStateException("retry");
      }

      @Override
      public void onWriteRetry(int statements, int attempt, Throwable error) {
        throw new IllegalStateException("write retry");
      }

      @Override
      public void onSplit(TokenRange range, int pieces) {
        throw new IllegalStateException("split");
      }

      @Override
      public void onLimitChanged(LimitChange change) {
        throw new IllegalStateException("limit");
      }

      @Override
      public void onVerificationLimitChanged(String read, LimitChange change) {
        throw new IllegalStateException("verification limit");
      }
    };
    ProgressListener listener = SafeProgressListener.wrap(throwing);

    assertThatCode(() -> {
      listener.onProgress(new Progress(1, 2, 30));
      listener.onVerificationProgress("checksum of the target", new Progress(1, 2, 30));
      listener.onRetry(RANGE, 1, new RuntimeException());
      listener.onWriteRetry(20, 1, new RuntimeException());
      listener.onSplit(RANGE, 4);
      listener.onLimitChanged(new LimitChange(0, 8, LimitChange.Cause.START, "fixed at 8"));
      listener.onVerificationLimitChanged("checksum of the target",
          new LimitChange(0, 8, LimitChange.Cause.START, "fixed at 8"));
    }).doesNotThrowAnyException();
  }
}
