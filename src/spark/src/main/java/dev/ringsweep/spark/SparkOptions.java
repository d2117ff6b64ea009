package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How a Ringsweep job is cut into Spark tasks and how each task queries; immutable, each {@code with...} method
 * returns a new instance.
 *
 * <p>Defaults ({@link #defaults()}): tasks chosen from the table's size (see {@link #taskSizeMb}); the planner's
 * own split count (2 × its parallelism, at least one piece per vnode range); range queries in flight per task under
 * an adaptive limit (as in a single JVM: it starts at {@value #ADAPTIVE_MAX_PER_TASK} / 4, grows while latency holds
 * and shrinks on timeouts and overload, up to {@value #ADAPTIVE_MAX_PER_TASK}); 2 writer threads per export task;
 * {@code LOCAL_ONE}; 3 retries of a failing range, the first after 100 ms; 512 MB of table data per task; each task's
 * adaptive limits starting where the executor's last task of the same kind on the same connection left them.
 *
 * <p>How many tasks, unless {@link #withTasks} fixes the number: the table's size estimated from
 * {@code system.size_estimates} (the connected node's primary ranges, scaled to the whole ring, as the Spark
 * Cassandra Connector does with {@code spark.cassandra.input.split.sizeInMB}) divided by {@code taskSizeMb}, and at
 * least 2 per Spark core; without estimates for the table (a new table, or one whose data is all in memtables until
 * Cassandra's next estimate, every 5 minutes) one task per planned piece. Never more tasks than pieces, never fewer
 * than the plan has replica groups (a task's pieces share their replicas).
 *
 * @param tasks the number of Spark tasks, or 0 to choose from the table's size
 * @param splitCount the number of token-range pieces to plan, or 0 for the planner's default
 * @param parallelismPerTask range queries a task keeps in flight, fixed; or 0 for the adaptive limit (the default)
 * @param writersPerTask writer threads of one export task, each rolling its own data files; positive
 * @param consistencyLevel consistency level of the range queries
 * @param maxRetries retries of a failing range query in a task before the range is split (timeouts) or given up
 * @param retryBackoff how long a task waits before the first retry of a failing range query; each further retry of
 *     the same range waits twice as long as the one before, up to 32 times this, each wait drawn between half and
 *     all of that so that ranges that failed together do not retry together (as in a single JVM:
 *     {@link dev.ringsweep.OperatorBuilder#retryBackoff}); 0 to {@link #MAX_RETRY_BACKOFF}
 * @param taskSizeMb megabytes of table data (as Cassandra estimates them) per task when the number of tasks is
 *     chosen; positive
 * @param rememberLimits whether a task's adaptive limits start where the executor's last task of the same kind on
 *     the same connection left them (true, the default; see {@link #withRememberLimits})
 */
public record SparkOptions(int tasks, int splitCount, int parallelismPerTask, int writersPerTask,
    DefaultConsistencyLevel consistencyLevel, int maxRetries, Duration retryBackoff, long taskSizeMb,
    boolean rememberLimits) implements Serializable {

  private static final long serialVersionUID = 3L;

  /** The default {@link #retryBackoff}: 100 ms, as a single JVM's operator waits. */
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(100);

  /**
   * The longest {@link #retryBackoff} taken: 1 minute, as in a single JVM
   * ({@link dev.ringsweep.OperatorOptions#MAX_RETRY_BACKOFF}; a range retried 3 times then waits up to 7 minutes).
   */
  public static final Duration MAX_RETRY_BACKOFF = dev.ringsweep.OperatorOptions.MAX_RETRY_BACKOFF;

  /**
   * The ceiling of a task's adaptive limit of range queries in flight: several tasks run at once on an executor, and
   * each adapts on its own, so each stays well below a single JVM's ceiling.
   */
  public static final int ADAPTIVE_MAX_PER_TASK = 32;

  /** The most table data a task aims at: 1 TiB ({@link #withTaskSizeMb}). */
  public static final long MAX_TASK_SIZE_MB = 1L << 20;

  /** Validates every option, naming the bad value. */
  public SparkOptions {
    if (tasks < 0) {
      throw new IllegalArgumentException("Invalid task count: " + tasks + " (must be >= 0; 0 chooses)");
    }
    if (splitCount < 0 || splitCount > dev.ringsweep.OperatorOptions.MAX_SPLIT_COUNT) {
      throw new IllegalArgumentException("Invalid split count: " + splitCount + " (must be in 1.."
          + dev.ringsweep.OperatorOptions.MAX_SPLIT_COUNT + ", or 0 to choose)");
    }
    if (parallelismPerTask < 0 || parallelismPerTask > dev.ringsweep.OperatorOptions.MAX_PARALLELISM) {
      throw new IllegalArgumentException("Invalid parallelism per task: " + parallelismPerTask + " (must be in 1.."
          + dev.ringsweep.OperatorOptions.MAX_PARALLELISM + ", or 0 for the adaptive limit)");
    }
    if (writersPerTask <= 0 || writersPerTask > dev.ringsweep.export.ExportOptions.MAX_WRITERS) {
      throw new IllegalArgumentException("Invalid writers per task: " + writersPerTask + " (must be 1 to "
          + dev.ringsweep.export.ExportOptions.MAX_WRITERS + ")");
    }
    Objects.requireNonNull(consistencyLevel, "consistencyLevel");
    dev.ringsweep.OperatorOptions.requireRangeReadable(consistencyLevel);
    if (maxRetries < 0 || maxRetries > dev.ringsweep.OperatorOptions.MAX_RETRIES) {
      throw new IllegalArgumentException("Invalid max retries: " + maxRetries + " (must be 0 to "
          + dev.ringsweep.OperatorOptions.MAX_RETRIES + ")");
    }
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    if (retryBackoff.isNegative() || retryBackoff.compareTo(MAX_RETRY_BACKOFF) > 0) {
      throw new IllegalArgumentException(
          "Invalid retry backoff: " + retryBackoff + " (must be 0 to " + MAX_RETRY_BACKOFF + ")");
    }
    if (taskSizeMb <= 0 || taskSizeMb > MAX_TASK_SIZE_MB) {
      throw new IllegalArgumentException("Invalid task size: " + taskSizeMb + " MB (must be 1 to " + MAX_TASK_SIZE_MB
          + " MB)");
    }
  }

  /** The default options. */
  public static SparkOptions defaults() {
    return new SparkOptions(0, 0, 0, 2, DefaultConsistencyLevel.LOCAL_ONE, 3, DEFAULT_RETRY_BACKOFF, 512, true);
  }

  /** These options with a fixed number of Spark tasks (0 to choose). */
  public SparkOptions withTasks(int count) {
    return new SparkOptions(count, splitCount, parallelismPerTask, writersPerTask, consistencyLevel,
        maxRetries, retryBackoff, taskSizeMb, rememberLimits);
  }

  /** These options planning {@code count} token-range pieces (0 for the planner's default). */
  public SparkOptions withSplitCount(int count) {
    return new SparkOptions(tasks, count, parallelismPerTask, writersPerTask, consistencyLevel,
        maxRetries, retryBackoff, taskSizeMb, rememberLimits);
  }

  /**
   * These options with {@code count} range queries in flight per task, fixed (a fixed number wins over the adaptive
   * limit, as {@link dev.ringsweep.OperatorBuilder#parallelism} does in a single JVM); 0 for the adaptive limit.
   */
  public SparkOptions withParallelismPerTask(int count) {
    return new SparkOptions(tasks, splitCount, count, writersPerTask, consistencyLevel, maxRetries, retryBackoff,
        taskSizeMb, rememberLimits);
  }

  /** These options with {@code count} writer threads per export task. */
  public SparkOptions withWritersPerTask(int count) {
    return new SparkOptions(tasks, splitCount, parallelismPerTask, count, consistencyLevel, maxRetries, retryBackoff,
        taskSizeMb, rememberLimits);
  }

  /** These options querying at {@code level}. */
  public SparkOptions withConsistencyLevel(DefaultConsistencyLevel level) {
    return new SparkOptions(tasks, splitCount, parallelismPerTask, writersPerTask, level, maxRetries, retryBackoff,
        taskSizeMb, rememberLimits);
  }

  /** These options retrying a failing range query {@code count} times in a task. */
  public SparkOptions withMaxRetries(int count) {
    return new SparkOptions(tasks, splitCount, parallelismPerTask, writersPerTask, consistencyLevel, count,
        retryBackoff, taskSizeMb, rememberLimits);
  }

  /**
   * These options waiting about {@code backoff} before a task's first retry of a failing range query (each further
   * retry of the same range waits twice as long, up to 32 times {@code backoff}; see {@link #retryBackoff}); 0 to
   * {@link #MAX_RETRY_BACKOFF}. A longer
   * backoff gives a node that times out or restarts more time before the range is split or given up; a shorter one
   * gives up sooner on a node that is down (at replication factor 1 its ranges cannot be read elsewhere).
   */
  public SparkOptions withRetryBackoff(Duration backoff) {
    return new SparkOptions(tasks, splitCount, parallelismPerTask, writersPerTask, consistencyLevel, maxRetries,
        backoff, taskSizeMb, rememberLimits);
  }

  /** These options choosing about one task per {@code megabytes} of table data (see the class comment). */
  public SparkOptions withTaskSizeMb(long megabytes) {
    return new SparkOptions(tasks, splitCount, parallelismPerTask, writersPerTask, consistencyLevel, maxRetries,
        retryBackoff, megabytes, rememberLimits);
  }

  /**
   * These options with tasks whose adaptive limits start where the executor's last task of the same kind left them
   * ({@code true}, the default) or afresh ({@code false}). A task's range queries (a count's, an export's pages, an
   * import's verification) and its writes (an import's) then start each replica set's limit at its share of the
   * task's initial limit and climb, as the executor's first task does, and leave nothing behind for the next task.
   * The same as {@link dev.ringsweep.OperatorBuilder#rememberLimits} in a single JVM: turn it off where the cluster's
   * load changes faster than the executors' tasks follow one another (what a task learned is forgotten after 60 s
   * anyway). A fixed {@link #withParallelismPerTask parallelism} learns nothing either way.
   */
  public SparkOptions withRememberLimits(boolean remember) {
    return new SparkOptions(tasks, splitCount, parallelismPerTask, writersPerTask, consistencyLevel, maxRetries,
        retryBackoff, taskSizeMb, remember);
  }
}
