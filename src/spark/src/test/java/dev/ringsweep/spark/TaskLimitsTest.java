package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.LimitChange;
import dev.ringsweep.LimitChange.Cause;
import dev.ringsweep.token.TokenRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summary of a task's limit changes that travels back to the Spark driver. No network, no Spark. */
class TaskLimitsTest {

  @Test
  void should_sum_up_the_changes_of_one_limit_by_cause() {
    TaskLimits.Recorder recorder = new TaskLimits.Recorder();
    recorder.onLimitChanged(new LimitChange(0, 4, Cause.START, "adaptive, up to 16"));
    recorder.onLimitChanged(new LimitChange(4, 8, Cause.LATENCY_HELD, "latency 2 ms"));
    recorder.onLimitChanged(new LimitChange(8, 16, Cause.LATENCY_HELD, "latency 2 ms"));
    recorder.onLimitChanged(new LimitChange(16, 8, Cause.ERRORS, "WriteTimeoutException: timed out"));
    recorder.onLimitChanged(new LimitChange(8, 6, Cause.LATENCY_ROSE, "latency 9 ms"));
    recorder.onLimitChanged(new LimitChange(6, 7, Cause.LATENCY_HELD, "latency 3 ms"));

    TaskLimits limits = recorder.summary();

    assertThat(limits)
        .isEqualTo(new TaskLimits(1, 4, 4, 16, 7, 5, 1, 1, "WriteTimeoutException: timed out", 0, 0));
    assertThat(limits.describe()).isEqualTo("limit 4 -> 7 (lowest 4, highest 16), 5 changes, 1 decreases on "
        + "latency, 1 backoffs on errors (last: WriteTimeoutException: timed out)");
  }

  @Test
  void should_summarize_the_replica_sets_limits_not_the_cap_on_their_sum() {
    TaskLimits.Recorder recorder = new TaskLimits.Recorder();
    recorder.onLimitChanged(new LimitChange(0, 48, Cause.START, "fixed at 48"));
    recorder.onLimitChanged(new LimitChange(0, 4, Cause.START, "adaptive, up to 16", "127.0.0.1:9042@dc1"));
    recorder.onLimitChanged(new LimitChange(0, 4, Cause.START, "adaptive, up to 16", "127.0.0.2:9042@dc1"));
    recorder.onLimitChanged(new LimitChange(4, 2, Cause.ERRORS, "OverloadedException", "127.0.0.2:9042@dc1"));
    recorder.onLimitChanged(new LimitChange(4, 12, Cause.LATENCY_HELD, "latency 1 ms", "127.0.0.1:9042@dc1"));

    TaskLimits limits = recorder.summary();

    assertThat(limits).isEqualTo(new TaskLimits(2, 4, 2, 12, 12, 2, 1, 0, "OverloadedException", 0, 0));
    assertThat(limits.describe()).startsWith("limits of 2 replica sets 4 -> 12 (lowest 2, highest 12)");
  }

  @Test
  void should_count_a_shared_limit_of_pooled_replica_sets_but_neither_its_start_nor_its_end_as_a_back_off() {
    TaskLimits.Recorder recorder = new TaskLimits.Recorder();
    recorder.onLimitChanged(new LimitChange(0, 64, Cause.START, "adaptive per replica set, at most 64 in all"));
    recorder.onLimitChanged(new LimitChange(0, 4, Cause.START, "adaptive, up to 64", "127.0.0.1:9042@dc1"));
    recorder.onLimitChanged(new LimitChange(0, 4, Cause.START, "adaptive, up to 64", "127.0.0.2:9042@dc1"));
    recorder.onLimitChanged(new LimitChange(64, 8, Cause.POOLED, "they met trouble together"));
    recorder.onLimitChanged(new LimitChange(8, 9, Cause.LATENCY_HELD, "latency 1 ms"));
    recorder.onLimitChanged(new LimitChange(9, 64, Cause.UNPOOLED, "a limit per replica set again"));

    TaskLimits limits = recorder.summary();

    assertThat(limits).as("the ceiling of the end is no limit requests met")
        .isEqualTo(new TaskLimits(2, 4, 4, 9, 9, 3, 0, 0, null, 0, 0));
    assertThat(recorder.summary().asChange("task 0").cause()).isEqualTo(Cause.LATENCY_HELD);
  }

  @Test
  void should_count_the_retries_of_range_queries_and_writes_and_the_splits() {
    TaskLimits.Recorder recorder = new TaskLimits.Recorder();
    recorder.onLimitChanged(new LimitChange(0, 16, Cause.START, "adaptive, up to 64"));
    recorder.onWriteRetry(20, 1, new RuntimeException("WriteTimeoutException"));
    recorder.onWriteRetry(20, 2, new RuntimeException("WriteTimeoutException"));
    recorder.onRetry(new TokenRange(0, 10, List.of()), 1, new RuntimeException("ReadTimeoutException"));
    recorder.onSplit(new TokenRange(0, 10, List.of()), 4);

    TaskLimits limits = recorder.summary();

    assertThat(limits.retries()).isEqualTo(3);
    assertThat(limits.splits()).isEqualTo(1);
    assertThat(limits.describe()).isEqualTo("limit 16 -> 16 (lowest 16, highest 16), 0 changes, 0 decreases on "
        + "latency, 0 backoffs on errors, 3 retries, 1 split");
    assertThat(limits.asChange("task 2").detail()).isEqualTo(limits.describe());
    TaskLimits one = new TaskLimits(1, 4, 4, 4, 4, 0, 0, 0, null, 1, 0);
    assertThat(TaskLimits.describe(List.of(limits, one, TaskLimits.NONE))).isEqualTo("3 tasks: limits from 4 to 16, "
        + "between 4 and 16, last 4 to 16; 0 changes, 0 decreases on latency, 0 backoffs on errors, 4 retries, "
        + "1 split");
  }

  @Test
  void should_say_so_when_a_task_started_no_limit() {
    assertThat(new TaskLimits.Recorder().summary()).isEqualTo(TaskLimits.NONE);
    assertThat(TaskLimits.NONE.describe()).isEqualTo("no limit started");
    assertThat(TaskLimits.describe(List.of(TaskLimits.NONE))).isEqualTo("1 tasks: no limit started");
  }

  @Test
  void should_describe_all_the_tasks_of_a_job_in_one_line() {
    List<TaskLimits> tasks = List.of(
        new TaskLimits(1, 4, 2, 16, 12, 20, 3, 5, "WriteTimeoutException: timed out", 0, 0),
        new TaskLimits(1, 4, 1, 9, 9, 10, 0, 2, null, 0, 0),
        TaskLimits.NONE);

    assertThat(TaskLimits.describe(tasks)).isEqualTo("3 tasks: limits from 4, between 1 and 16, last 9 to 12; 30 "
        + "changes, 7 decreases on latency, 3 backoffs on errors (one of them: WriteTimeoutException: timed out)");
  }

  @Test
  void should_become_one_limit_change_of_the_task_with_its_strongest_cause() {
    TaskLimits errors = new TaskLimits(1, 4, 2, 16, 12, 20, 3, 5, "WriteTimeoutException: timed out", 0, 0);
    TaskLimits latency = new TaskLimits(1, 4, 1, 9, 9, 10, 0, 2, null, 0, 0);
    TaskLimits grew = new TaskLimits(1, 4, 4, 9, 9, 5, 0, 0, null, 0, 0);
    TaskLimits still = new TaskLimits(1, 8, 8, 8, 8, 0, 0, 0, null, 0, 0);

    assertThat(errors.asChange("task 3")).isEqualTo(new LimitChange(4, 12, Cause.ERRORS, errors.describe(),
        "task 3"));
    assertThat(latency.asChange("task 0").cause()).isEqualTo(Cause.LATENCY_ROSE);
    assertThat(grew.asChange("task 0").cause()).isEqualTo(Cause.LATENCY_HELD);
    assertThat(still.asChange("task 0")).isEqualTo(new LimitChange(8, 8, Cause.START, still.describe(), "task 0"));
    assertThat(TaskLimits.NONE.asChange("task 0")).isNull();
  }
}
