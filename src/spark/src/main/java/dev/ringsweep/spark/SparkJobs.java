package dev.ringsweep.spark;

import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.LimitMemory;
import dev.ringsweep.internal.OperationContext;
import dev.ringsweep.internal.RangePlanner;
import dev.ringsweep.token.TokenRangeSource;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;
import scala.collection.JavaConverters;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;
import scala.runtime.BoxedUnit;

/** What the jobs share: one RDD partition per task with its preferred hosts, and the operator a task runs. */
final class SparkJobs {

  private static final Logger LOG = LoggerFactory.getLogger(SparkJobs.class);

  private SparkJobs() {}

  /**
   * One partition per task, each preferring the hosts of its replicas.
   *
   * <p>Written against both Scala lines: {@code makeRDD}'s argument is a {@code scala.collection.Seq} of
   * {@code (T, scala.collection.Seq[String])} on Scala 2.12 (Spark 3.5) and the same with {@code immutable.Seq} on
   * Scala 2.13 (Spark 4); an immutable {@code List} is both, so it is passed as a raw {@code List}.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static JavaRDD<TaskPieces> partitions(SparkContext context, List<TaskPieces> tasks) {
    List<Tuple2<TaskPieces, Object>> located = new ArrayList<>();
    for (TaskPieces task : tasks) {
      located.add(new Tuple2<>(task, JavaConverters.asScalaBuffer(task.hosts()).toList()));
    }
    ClassTag<TaskPieces> tag = ClassTag$.MODULE$.apply(TaskPieces.class);
    scala.collection.immutable.List pairs = JavaConverters.asScalaBuffer(located).toList();
    RDD<TaskPieces> rdd = context.makeRDD(pairs, tag);
    return JavaRDD.fromRDD(rdd, tag);
  }

  /** A function run on executors; serializable, as Spark ships it in the task. */
  interface TaskFunction<T, U> extends Serializable {
    U apply(T input);
  }

  /**
   * Runs {@code function} on every element of {@code rdd} (one per partition here) and hands each partition's
   * result to {@code onResult} on the driver as soon as that task has succeeded, once per partition whatever the
   * attempts: Spark calls it for the first successful attempt only, and not at all for tasks that end after the job
   * failed. {@code onResult} runs on Spark's scheduler thread, one call at a time; if it throws, the job fails.
   */
  static <T, U> void runEach(SparkContext context, JavaRDD<T> rdd, TaskFunction<T, U> function,
      BiConsumer<Integer, U> onResult) {
    scala.Function2<TaskContext, scala.collection.Iterator<T>, List<U>> perPartition =
        (scala.Function2<TaskContext, scala.collection.Iterator<T>, List<U>> & Serializable) (task, elements) -> {
          List<U> results = new ArrayList<>();
          while (elements.hasNext()) {
            results.add(function.apply(elements.next()));
          }
          return results;
        };
    scala.Function2<Object, List<U>, BoxedUnit> handler = (partition, results) -> {
      results.forEach(r -> onResult.accept((Integer) partition, r));
      return BoxedUnit.UNIT;
    };
    ClassTag<List<U>> tag = ClassTag$.MODULE$.apply(List.class);
    context.runJob(rdd.rdd(), perPartition, handler, tag);
  }

  /** The operator of one task: this JVM's shared session, the task's share of parallelism. */
  static TokenAwareBulkOperator operator(CassandraConnection connection, SparkOptions options) {
    dev.ringsweep.OperatorBuilder builder = TokenAwareBulkOperator.builder(connection.session());
    if (options.parallelismPerTask() > 0) {
      builder.parallelism(options.parallelismPerTask());
    } else {
      builder.maxParallelism(SparkOptions.ADAPTIVE_MAX_PER_TASK);
    }
    return builder
        .maxRetries(options.maxRetries())
        .retryBackoff(options.retryBackoff())
        .consistencyLevel(options.consistencyLevel())
        .localDatacenter(connection.localDatacenter())
        .requestTimeout(connection.requestTimeout())
        .build();
  }

  /** What the engines take on the driver: the operator's session and options, no progress listener. */
  static OperationContext context(TokenAwareBulkOperator operator) {
    return context(operator, ProgressListener.NONE);
  }

  /** What the engines take on the driver: the operator's session and options, the listener, the planner. */
  static OperationContext context(TokenAwareBulkOperator operator, ProgressListener listener) {
    return new OperationContext(operator.session(), operator.options(), listener, planner(operator));
  }

  /**
   * What the engines take in a task: the operator's session and options, the task's listener, the planner, and what
   * the adaptive limits of this executor's earlier tasks on {@code connection} learned
   * ({@link SharedSessions#limits}), unless {@code options} say not to remember limits
   * ({@link SparkOptions#withRememberLimits}): then a memory that keeps nothing, which an import's writer follows too.
   */
  static OperationContext context(CassandraConnection connection, SparkOptions options,
      TokenAwareBulkOperator operator, ProgressListener listener) {
    return new OperationContext(operator.session(), operator.options(), listener, planner(operator),
        options.rememberLimits() ? SharedSessions.limits(connection) : LimitMemory.none());
  }

  /** The planner of {@code operator}'s session and options, its token ranges from the cluster's own source. */
  private static RangePlanner planner(TokenAwareBulkOperator operator) {
    return new RangePlanner(operator.session(), TokenRangeSource.automatic(), operator.options());
  }

  /**
   * Logs on the executor, as a task ends, what its limits of requests in flight did ({@code what}: the job), and
   * returns the summary for the task's result.
   */
  static TaskLimits taskLimits(String what, TaskLimits.Recorder recorder) {
    TaskLimits limits = recorder.summary();
    LOG.info("Task {} of {}: {}", attemptName(), what, limits.describe());
    return limits;
  }

  /** Logs on the driver, as a job ends, what the limits of requests in flight of its tasks did. */
  static void logLimits(String what, java.util.Collection<TaskLimits> tasks) {
    LOG.info("{}: limits of requests in flight in {}", what, TaskLimits.describe(tasks));
  }

  /** How long {@link #awaitNoRunningTask} waits at most. */
  static final Duration QUIET_TIMEOUT = Duration.ofSeconds(60);

  /**
   * Waits until no task of the job group {@code group} runs: after a failed job, attempts of other tasks may still be
   * running (Spark does not wait for them), and after a successful one, speculative duplicates are being killed.
   * Spark's status store is updated asynchronously, so a task counts as ended a little after it ended.
   */
  static void awaitNoRunningTask(SparkContext context, String group) {
    long deadline = System.nanoTime() + QUIET_TIMEOUT.toNanos();
    SparkStatusTracker tracker = context.statusTracker();
    while (true) {
      int active = 0;
      for (int job : tracker.getJobIdsForGroup(group)) {
        scala.Option<SparkJobInfo> info = tracker.getJobInfo(job);
        if (info.isDefined()) {
          for (int stage : info.get().stageIds()) {
            scala.Option<SparkStageInfo> stageInfo = tracker.getStageInfo(stage);
            active += stageInfo.isDefined() ? stageInfo.get().numActiveTasks() : 0;
          }
        }
      }
      if (active == 0) {
        return;
      }
      if (System.nanoTime() > deadline) {
        LOG.warn("{} task(s) of {} still running after {}; files they write are left behind", active, group,
            QUIET_TIMEOUT);
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** A name for one attempt of one task, unique in the job: partition, stage attempt and task attempt. */
  static String attemptName() {
    org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
    return "p" + context.partitionId() + "s" + context.stageAttemptNumber() + "a" + context.attemptNumber();
  }
}
