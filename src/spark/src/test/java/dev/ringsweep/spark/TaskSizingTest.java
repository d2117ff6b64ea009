package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The number of tasks chosen from size estimates, without a cluster. */
class TaskSizingTest {

  private static final long MB = 1L << 20;
  /** A quarter of the ring: (-2^63, -2^62]. */
  private static final long QUARTER_END = Long.MIN_VALUE / 2;

  @Test
  void should_scale_one_node_s_estimates_to_the_whole_ring() {
    // 1000 partitions of 1 MB in a quarter of the ring, 1000 more in another quarter: 2000 MB in half the ring.
    List<TaskSizing.Estimate> estimates = List.of(
        new TaskSizing.Estimate(Long.MIN_VALUE, QUARTER_END, 1000, MB),
        new TaskSizing.Estimate(0, Long.MAX_VALUE / 2 + 1, 1000, MB));

    assertThat(TaskSizing.tableBytes(estimates)).hasValue(4000 * MB);
  }

  @Test
  void should_have_no_estimate_without_rows() {
    assertThat(TaskSizing.tableBytes(List.of())).isEmpty();
  }

  @Test
  void should_have_no_estimate_when_every_range_says_zero_bytes() {
    // What Cassandra records for a table none of whose rows has been flushed yet.
    List<TaskSizing.Estimate> unflushed = List.of(new TaskSizing.Estimate(-100, 0, 0, 0),
        new TaskSizing.Estimate(0, 100, 0, 0));

    assertThat(TaskSizing.tableBytes(unflushed)).isEmpty();
  }

  @Test
  void should_count_a_wrapping_range_by_its_size() {
    // (2^62, -2^62] wraps around: half the ring.
    List<TaskSizing.Estimate> estimates =
        List.of(new TaskSizing.Estimate(Long.MAX_VALUE / 2 + 1, QUARTER_END, 512, MB));

    assertThat(TaskSizing.tableBytes(estimates)).hasValue(1024 * MB);
  }

  @Test
  void should_give_one_task_per_task_size_with_at_least_two_per_core() {
    SparkOptions defaults = SparkOptions.defaults();

    assertThat(TaskSizing.tasks(defaults, 10_000, 4, OptionalLong.of(100 * 512 * MB))).isEqualTo(100);
    assertThat(TaskSizing.tasks(defaults, 10_000, 4, OptionalLong.of(100 * 512 * MB + 1))).isEqualTo(101);
    assertThat(TaskSizing.tasks(defaults.withTaskSizeMb(64), 10_000, 4, OptionalLong.of(100 * 512 * MB)))
        .isEqualTo(800);
    assertThat(TaskSizing.tasks(defaults, 10_000, 4, OptionalLong.of(MB))).isEqualTo(8);
    assertThat(TaskSizing.tasks(defaults, 10_000, 4, OptionalLong.of(0))).isEqualTo(8);
  }

  @Test
  void should_never_ask_for_more_tasks_than_pieces() {
    assertThat(TaskSizing.tasks(SparkOptions.defaults(), 50, 4, OptionalLong.of(100 * 512 * MB))).isEqualTo(50);
    assertThat(TaskSizing.tasks(SparkOptions.defaults(), 5, 4, OptionalLong.of(0))).isEqualTo(5);
  }

  @Test
  void should_give_one_task_per_piece_without_an_estimate() {
    assertThat(TaskSizing.tasks(SparkOptions.defaults(), 768, 4, OptionalLong.empty())).isEqualTo(768);
  }

  @Test
  void should_take_a_fixed_number_of_tasks_as_given() {
    assertThat(TaskSizing.tasks(SparkOptions.defaults().withTasks(7), 768, 4, OptionalLong.of(1000 * 512 * MB)))
        .isEqualTo(7);
  }

  @Test
  void should_refuse_a_task_size_split_count_or_retry_count_out_of_range_naming_it() {
    assertThatThrownBy(() -> SparkOptions.defaults().withTaskSizeMb(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid task size: 0 MB (must be 1 to 1048576 MB)");
    // 2^44 MB would make the task size in bytes overflow to 0.
    assertThatThrownBy(() -> SparkOptions.defaults().withTaskSizeMb(1L << 44))
        .hasMessage("Invalid task size: 17592186044416 MB (must be 1 to 1048576 MB)");
    assertThat(SparkOptions.defaults().withTaskSizeMb(SparkOptions.MAX_TASK_SIZE_MB).taskSizeMb()).isEqualTo(1L << 20);
    assertThatThrownBy(() -> SparkOptions.defaults().withMaxRetries(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid max retries: -1 (must be 0 to 100)");
    assertThatThrownBy(() -> SparkOptions.defaults().withMaxRetries(101))
        .hasMessage("Invalid max retries: 101 (must be 0 to 100)");
    assertThatThrownBy(() -> SparkOptions.defaults().withSplitCount(Integer.MAX_VALUE))
        .hasMessage("Invalid split count: 2147483647 (must be in 1..1048576, or 0 to choose)");
  }

  @Test
  void should_refuse_export_options_a_spark_export_has_no_use_for_naming_them() {
    assertThatThrownBy(() -> RingsweepSpark.checkOnSpark(dev.ringsweep.export.ExportOptions.defaults()
        .withWriters(dev.ringsweep.export.ExportOptions.defaultWriters() + 3)))
        .hasMessage("Invalid export option on Spark: writers " + (dev.ringsweep.export.ExportOptions.defaultWriters()
            + 3) + " (a Spark export has writers per task: SparkOptions.withWritersPerTask)");
    assertThatThrownBy(() -> RingsweepSpark.checkOnSpark(dev.ringsweep.export.ExportOptions.defaults()
        .withCheckpointInterval(Duration.ofSeconds(5))))
        .hasMessage("Invalid export option on Spark: checkpoint interval PT5S (a Spark export records each task's "
            + "ranges and files as the task ends)");
    RingsweepSpark.checkOnSpark(dev.ringsweep.export.ExportOptions.defaults().withColumns("k")
        .withMaxRowsPerSecond(10));
  }

  @Test
  void should_refuse_a_negative_or_absurd_retry_backoff_naming_it() {
    assertThatThrownBy(() -> SparkOptions.defaults().withRetryBackoff(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid retry backoff: PT-0.005S (must be 0 to PT1M)");
    assertThatThrownBy(() -> SparkOptions.defaults().withRetryBackoff(Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid retry backoff: PT2H (must be 0 to PT1M)");
    assertThatThrownBy(() -> SparkOptions.defaults().withRetryBackoff(null))
        .isInstanceOf(NullPointerException.class).hasMessage("retryBackoff");
    assertThat(SparkOptions.defaults().retryBackoff()).isEqualTo(Duration.ofMillis(100));
    assertThat(SparkOptions.defaults().withRetryBackoff(Duration.ZERO).retryBackoff()).isZero();
    assertThat(SparkOptions.defaults().withRetryBackoff(SparkOptions.MAX_RETRY_BACKOFF).retryBackoff())
        .isEqualTo(Duration.ofMinutes(1));
  }
}
