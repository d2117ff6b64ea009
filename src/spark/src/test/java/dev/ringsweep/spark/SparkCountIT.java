package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.CountResult;
import dev.ringsweep.HostStats;
import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.testing.TestData;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Count on Spark against the real single-node cluster: equal to the rows written, whatever the task count. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkCountIT {

  private static final int ROWS = 20_000;

  private SparkFixture fx;

  @BeforeAll
  void setUp() {
    fx = SparkFixture.get();
    fx.execute("CREATE TABLE IF NOT EXISTS " + SparkFixture.KS + ".counted (k bigint PRIMARY KEY, v text)");
    fx.execute("TRUNCATE " + SparkFixture.KS + ".counted");
    TestData.insert(fx.session, "INSERT INTO " + SparkFixture.KS + ".counted (k, v) VALUES (?, ?)", ROWS,
        i -> new Object[] {i * 7919L, "v" + i});
  }

  @Test
  void should_count_every_row_exactly_once_over_spark_tasks() {
    RingsweepSpark ringsweep = RingsweepSpark.on(fx.spark, fx.connection);

    CountResult result = ringsweep.count(SparkFixture.KS, "counted");

    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(result.isComplete()).isTrue();
    assertThat(result.hosts().values().stream().mapToLong(HostStats::rows).sum()).isEqualTo(ROWS);
    assertThat(result.rangesDone()).isEqualTo(
        dev.ringsweep.TokenAwareBulkOperator.builder(fx.session).build().plan(SparkFixture.KS, "counted")
            .pieceCount());
  }

  @Test
  void should_report_each_task_to_the_progress_listener_on_the_driver() {
    List<Progress> progress = new CopyOnWriteArrayList<>();
    List<LimitChange> limits = new CopyOnWriteArrayList<>();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void onProgress(Progress p) {
        progress.add(p);
      }

      @Override
      public void onLimitChanged(LimitChange change) {
        limits.add(change);
      }
    };

    CountResult result = RingsweepSpark.on(fx.spark, fx.connection).withOptions(SparkOptions.defaults().withTasks(8))
        .withProgressListener(listener).count(SparkFixture.KS, "counted");

    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(progress).as("one call per task").hasSize(8);
    assertThat(progress).extracting(Progress::rangesDone).isSorted();
    assertThat(progress).extracting(Progress::rows).isSorted();
    assertThat(progress.get(7)).isEqualTo(new Progress(result.rangesDone(), result.rangesDone(), ROWS));
    assertThat(limits).extracting(LimitChange::scope).containsExactlyInAnyOrder("task 0", "task 1", "task 2",
        "task 3", "task 4", "task 5", "task 6", "task 7");
    assertThat(limits).allSatisfy(c -> assertThat(c.detail()).startsWith("limit " + c.previousLimit() + " -> "
        + c.limit()));
  }

  @Test
  void should_start_a_task_where_an_earlier_task_on_its_executor_left_its_limit() {
    // A connection of its own (another timeout makes it another connection): its limits have learned nothing yet.
    CassandraConnection own = fx.connection.withRequestTimeout(Duration.ofSeconds(29));
    int fresh = SparkJobs.operator(own, SparkOptions.defaults()).options().initialParallelism();
    List<LimitChange> tasks = new CopyOnWriteArrayList<>();
    ProgressListener listener = limits(tasks);

    // Six tasks of 50 pieces each, two at a time (local[2]): the first two start afresh, the later ones after some
    // have ended.
    CountResult result = RingsweepSpark.on(fx.spark, own)
        .withOptions(SparkOptions.defaults().withTasks(6).withSplitCount(300)).withProgressListener(listener)
        .count(SparkFixture.KS, "counted");

    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(tasks).hasSize(6);
    // Each task's change runs from the limit it started with to its last one.
    List<Integer> lasts = tasks.stream().map(LimitChange::limit).toList();
    assertThat(tasks).as("some task's limit moved, so there was something to learn")
        .anySatisfy(c -> assertThat(c.limit()).isNotEqualTo(fresh));
    assertThat(tasks).as("a later task started where an earlier one left its limit")
        .anySatisfy(c -> assertThat(c.previousLimit()).isNotEqualTo(fresh))
        .allSatisfy(c -> assertThat(c.previousLimit() == fresh || lasts.contains(c.previousLimit()))
            .as("task %s started at %s: afresh (%s) or at another task's last limit %s", c.scope(),
                c.previousLimit(), fresh, lasts)
            .isTrue());
  }

  @Test
  void should_start_every_task_afresh_when_told_not_to_remember_limits() {
    CassandraConnection own = fx.connection.withRequestTimeout(Duration.ofSeconds(28));
    int fresh = SparkJobs.operator(own, SparkOptions.defaults()).options().initialParallelism();
    SparkOptions sixTasks = SparkOptions.defaults().withTasks(6).withSplitCount(300);
    // A job that remembers first, so that this executor's memory of the connection holds its tasks' limits.
    List<LimitChange> remembering = new CopyOnWriteArrayList<>();
    RingsweepSpark.on(fx.spark, own).withOptions(sixTasks).withProgressListener(limits(remembering))
        .count(SparkFixture.KS, "counted");
    assertThat(remembering).as("the remembering job's tasks moved their limits: there was something to remember")
        .anySatisfy(c -> assertThat(c.limit()).isNotEqualTo(fresh));

    List<LimitChange> afresh = new CopyOnWriteArrayList<>();
    CountResult result = RingsweepSpark.on(fx.spark, own).withOptions(sixTasks.withRememberLimits(false))
        .withProgressListener(limits(afresh)).count(SparkFixture.KS, "counted");

    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(afresh).hasSize(6).allSatisfy(c -> assertThat(c.previousLimit())
        .as("task %s started afresh, not where the last job left it", c.scope()).isEqualTo(fresh));
  }

  /** A listener that keeps each task's summary of its limit ({@code onLimitChanged}) in {@code into}. */
  private static ProgressListener limits(List<LimitChange> into) {
    return new ProgressListener() {
      @Override
      public void onProgress(Progress p) {}

      @Override
      public void onLimitChanged(LimitChange change) {
        into.add(change);
      }
    };
  }

  @Test
  void should_count_exactly_with_many_small_tasks_and_with_one_task() {
    RingsweepSpark ringsweep = RingsweepSpark.on(fx.spark, fx.connection);

    assertThat(ringsweep.withOptions(SparkOptions.defaults().withSplitCount(200).withTasks(40))
        .count(SparkFixture.KS, "counted").rows()).isEqualTo(ROWS);
    assertThat(ringsweep.withOptions(SparkOptions.defaults().withTasks(1).withParallelismPerTask(2))
        .count(SparkFixture.KS, "counted").rows()).isEqualTo(ROWS);
  }

  @Test
  void should_read_under_an_adaptive_limit_per_task_unless_a_parallelism_is_fixed() {
    dev.ringsweep.OperatorOptions adaptive = SparkJobs.operator(fx.connection, SparkOptions.defaults()).options();
    assertThat(adaptive.concurrency()).isEqualTo(dev.ringsweep.ConcurrencyMode.ADAPTIVE);
    assertThat(adaptive.parallelism()).isEqualTo(SparkOptions.ADAPTIVE_MAX_PER_TASK);
    assertThat(adaptive.initialParallelism()).isLessThan(SparkOptions.ADAPTIVE_MAX_PER_TASK);

    dev.ringsweep.OperatorOptions fixed =
        SparkJobs.operator(fx.connection, SparkOptions.defaults().withParallelismPerTask(3)).options();
    assertThat(fixed.concurrency()).isEqualTo(dev.ringsweep.ConcurrencyMode.FIXED);
    assertThat(fixed.parallelism()).isEqualTo(3);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> SparkOptions.defaults().withParallelismPerTask(-1))
        .hasMessage("Invalid parallelism per task: -1 (must be in 1..32768, or 0 for the adaptive limit)");
  }

  @Test
  void should_retry_a_failing_range_as_often_and_as_late_as_the_options_say() {
    dev.ringsweep.OperatorOptions defaults = SparkJobs.operator(fx.connection, SparkOptions.defaults()).options();
    assertThat(defaults.maxRetries()).isEqualTo(3);
    assertThat(defaults.retryBackoff()).isEqualTo(java.time.Duration.ofMillis(100));

    dev.ringsweep.OperatorOptions set = SparkJobs.operator(fx.connection, SparkOptions.defaults().withMaxRetries(5)
        .withRetryBackoff(java.time.Duration.ofMillis(750))).options();
    assertThat(set.maxRetries()).isEqualTo(5);
    assertThat(set.retryBackoff()).isEqualTo(java.time.Duration.ofMillis(750));
  }

  @Test
  void should_count_exactly_and_no_faster_than_a_job_wide_rate_cap() {
    // Many small pieces, two in flight per task: the cap is paid after each piece (the single-JVM count's rule), so
    // it bites once the first pieces are in.
    RingsweepSpark ringsweep = RingsweepSpark.on(fx.spark, fx.connection)
        .withOptions(SparkOptions.defaults().withTasks(4).withSplitCount(200).withParallelismPerTask(2));
    double cap = ROWS / 4.0;

    CountResult result = ringsweep.count(SparkFixture.KS, "counted",
        dev.ringsweep.CountOptions.defaults().withMaxRowsPerSecond(cap));

    assertThat(result.rows()).isEqualTo(ROWS);
    // The cap is shared by the tasks that run at once (local[2]: 2 of the 4): the job cannot count ROWS rows in
    // less than about ROWS / cap = 4 s (the first pieces of each task are free, hence the margin).
    assertThat(result.duration()).isGreaterThan(java.time.Duration.ofMillis(2_500));
  }

  @Test
  void should_cut_a_plan_into_tasks_that_hold_every_piece_once() {
    var plan = dev.ringsweep.TokenAwareBulkOperator.builder(fx.session).splitCount(100).build()
        .plan(SparkFixture.KS, "counted");
    List<TaskPieces> tasks = TaskPieces.cut(plan, 7);

    assertThat(tasks.stream().flatMap(t -> t.pieces().stream()).toList())
        .containsExactlyInAnyOrderElementsOf(plan.pieces());
    assertThat(tasks).allSatisfy(t -> assertThat(t.hosts()).containsExactly(fx.contactPoint().getHostString()));
  }

  /** The tasks of a count with {@code options}: the progress listener hears once from each. */
  private int tasksOfCount(String table, SparkOptions options, long expectedRows) {
    List<Progress> progress = new CopyOnWriteArrayList<>();
    CountResult result = RingsweepSpark.on(fx.spark, fx.connection).withOptions(options)
        .withProgressListener(progress::add).count(SparkFixture.KS, table);
    assertThat(result.rows()).isEqualTo(expectedRows);
    return progress.size();
  }

  @Test
  void should_take_one_task_per_piece_while_cassandra_has_no_estimate_of_the_table() {
    fx.execute("CREATE TABLE IF NOT EXISTS " + SparkFixture.KS + ".unflushed (k bigint PRIMARY KEY, v text)");
    fx.execute("TRUNCATE " + SparkFixture.KS + ".unflushed");
    TestData.insert(fx.session, "INSERT INTO " + SparkFixture.KS + ".unflushed (k, v) VALUES (?, ?)", 2_000,
        i -> new Object[] {i, "v" + i});
    int pieces = dev.ringsweep.TokenAwareBulkOperator.builder(fx.session).splitCount(64).build()
        .plan(SparkFixture.KS, "unflushed").pieceCount();

    // Its rows are all in a memtable: Cassandra has no estimate, or (once its recorder ran) one of zero bytes.
    assertThat(TaskSizing.tableBytes(TaskSizing.read(fx.session, SparkFixture.KS, "unflushed", Duration.ofSeconds(10))))
        .isEmpty();
    assertThat(tasksOfCount("unflushed", SparkOptions.defaults().withSplitCount(64).withTaskSizeMb(1), 2_000))
        .isEqualTo(pieces);
  }

  @Test
  void should_take_the_task_count_from_cassandras_size_estimates_once_the_table_is_flushed()
      throws InterruptedException {
    fx.cluster.requireLocal("record size estimates every few seconds (cassandra.size_recorder_interval)");
    // Flushed every second: Cassandra estimates from SSTables only.
    fx.execute("CREATE TABLE IF NOT EXISTS " + SparkFixture.KS + ".estimated (k bigint PRIMARY KEY, v text) "
        + "WITH memtable_flush_period_in_ms = 1000");
    fx.execute("TRUNCATE " + SparkFixture.KS + ".estimated");
    int rows = 8_000;
    String filler = "x".repeat(1_000);
    TestData.insert(fx.session, "INSERT INTO " + SparkFixture.KS + ".estimated (k, v) VALUES (?, ?)", rows,
        i -> new Object[] {i, filler + i});
    long written = rows * 1_000L;
    int pieces = dev.ringsweep.TokenAwareBulkOperator.builder(fx.session).splitCount(64).build()
        .plan(SparkFixture.KS, "estimated").pieceCount();
    int cores = fx.spark.sparkContext().defaultParallelism();

    // The node's recorder runs every 5 s (TestClusters.single); wait for an estimate of most of what was written.
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    long before = estimatedBytes("estimated");
    while (before < written / 2 && System.nanoTime() < deadline) {
      Thread.sleep(1_000);
      before = estimatedBytes("estimated");
    }
    assertThat(before).as("Cassandra's estimate of ~%s bytes written", written).isBetween(written / 2, written * 4);

    int bySize = tasksOfCount("estimated", SparkOptions.defaults().withSplitCount(64).withTaskSizeMb(1), rows);
    long after = estimatedBytes("estimated");
    int atLeastTwoPerCore = tasksOfCount("estimated",
        SparkOptions.defaults().withSplitCount(64).withTaskSizeMb(1024), rows);

    // One task per estimated MB (the estimate may move a little while the recorder runs again): more than the
    // two per core a small table gets, fewer than the pieces a table without estimate gets.
    long mb = 1L << 20;
    assertThat(bySize).isBetween((int) Math.ceil((double) Math.min(before, after) / mb),
        (int) Math.ceil((double) Math.max(before, after) / mb));
    assertThat(bySize).isGreaterThan(2 * cores).isLessThan(pieces);
    assertThat(atLeastTwoPerCore).isEqualTo(2 * cores);
  }

  /** Cassandra's estimate of the table's bytes right now, -1 when it has none. */
  private long estimatedBytes(String table) {
    return TaskSizing.tableBytes(TaskSizing.read(fx.session, SparkFixture.KS, table, Duration.ofSeconds(10)))
        .orElse(-1);
  }

  @Test
  void should_name_an_unknown_keyspace_or_table() {
    RingsweepSpark ringsweep = RingsweepSpark.on(fx.spark, fx.connection);

    assertThatThrownBy(() -> ringsweep.count("no_such_ks", "counted"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_ks");
    assertThatThrownBy(() -> ringsweep.count(SparkFixture.KS, "no_such_table"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_table");
  }
}
