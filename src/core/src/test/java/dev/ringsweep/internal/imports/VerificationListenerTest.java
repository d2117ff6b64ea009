package dev.ringsweep.internal.imports;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.internal.HeardListener;
import dev.ringsweep.token.TokenRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an import's verification reads tell the caller's listener ({@link VerificationListener}). */
class VerificationListenerTest {

  private static final TokenRange RANGE = new TokenRange(0, 10, List.of());

  @Test
  void should_pass_on_every_callback_its_progress_and_limits_as_the_reads_naming_the_read_at_its_limits_start() {
    // A callback it does not override would fall to the interface's default, which does nothing: the caller's
    // listener would never hear of it.
    assertThat(HeardListener.notOverriddenBy(VerificationListener.class)).isEmpty();
    HeardListener heard = new HeardListener(true);
    ProgressListener listener = VerificationListener.of(heard, "checksum of the target");

    listener.onLimitChanged(new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 16"));
    listener.onProgress(new Progress(1, 2, 30));
    listener.onRetry(RANGE, 1, new RuntimeException());
    listener.onWriteRetry(20, 2, new RuntimeException());
    listener.onSplit(RANGE, 4);
    listener.onLimitChanged(new LimitChange(4, 2, LimitChange.Cause.ERRORS, "a timeout", "127.0.0.1:9042"));

    assertThat(heard.heard).containsExactly(
        "verification limit checksum of the target 4 adaptive, up to 16 (import verification: checksum of the target)"
            + " all",
        "verification progress checksum of the target 1/2 30",
        "retry 1", "write retry 20 2", "split 4",
        "verification limit checksum of the target 2 a timeout 127.0.0.1:9042");
  }

  @Test
  void should_tell_a_listener_that_only_hears_limit_changes_of_the_verifications_limits_its_start_naming_the_read() {
    java.util.List<LimitChange> heard = new java.util.ArrayList<>();
    ProgressListener onlyLimits = new ProgressListener() {
      @Override
      public void onProgress(Progress progress) {}

      @Override
      public void onLimitChanged(LimitChange change) {
        heard.add(change);
      }
    };
    ProgressListener listener = VerificationListener.of(onlyLimits, "row count of the target");

    listener.onLimitChanged(new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 16"));
    listener.onLimitChanged(new LimitChange(4, 2, LimitChange.Cause.ERRORS, "a timeout"));

    assertThat(heard).extracting(LimitChange::detail)
        .containsExactly("adaptive, up to 16 (import verification: row count of the target)", "a timeout");
  }

  @Test
  void should_name_the_read_in_every_task_summary_of_a_spark_job() {
    HeardListener heard = new HeardListener(true);
    ProgressListener listener = VerificationListener.ofTaskSummaries(heard, "row count of the target");

    listener.onProgress(new Progress(3, 8, 1_000));
    listener.onLimitChanged(new LimitChange(8, 12, LimitChange.Cause.LATENCY_HELD, "limit 8 -> 12", "task 3"));

    assertThat(heard.heard).containsExactly("verification progress row count of the target 3/8 1000",
        "verification limit row count of the target 12 limit 8 -> 12 (import verification: row count of the target)"
            + " task 3");
  }
}
