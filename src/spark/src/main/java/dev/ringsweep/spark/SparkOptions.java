package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.io.Serializable;
import java.util.Objects;

/**
 * How a Ringsweep job is cut into Spark tasks and how each task queries; immutable, each {@code with...} method
 * returns a new instance.
 *
 * <p>Defaults ({@link #defaults()}): tasks chosen from the plan (about three per Spark core, never fewer than the
 * plan has replica groups, never more than it has pieces); the planner's own split count (2 × its parallelism, at
 * least one piece per vnode range); 8 range queries in flight per task; 2 writer threads per export task;
 * {@code LOCAL_ONE}.
 *
 * @param tasks the number of Spark tasks, or 0 to choose from the plan and the cluster's cores
 * @param splitCount the number of token-range pieces to plan, or 0 for the planner's default
 * @param parallelismPerTask range queries a task keeps in flight; positive
 * @param writersPerTask writer threads of one export task, each rolling its own data files; positive
 * @param consistencyLevel consistency level of the range queries
 */
public record SparkOptions(int tasks, int splitCount, int parallelismPerTask, int writersPerTask,
    DefaultConsistencyLevel consistencyLevel) implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Validates every option, naming the bad value. */
  public SparkOptions {
    if (tasks < 0) {
      throw new IllegalArgumentException("Invalid task count: " + tasks + " (must be >= 0; 0 chooses)");
    }
    if (splitCount < 0) {
      throw new IllegalArgumentException("Invalid split count: " + splitCount + " (must be >= 0; 0 chooses)");
    }
    if (parallelismPerTask <= 0) {
      throw new IllegalArgumentException("Invalid parallelism per task: " + parallelismPerTask + " (must be > 0)");
    }
    if (writersPerTask <= 0) {
      throw new IllegalArgumentException("Invalid writers per task: " + writersPerTask + " (must be > 0)");
    }
    Objects.requireNonNull(consistencyLevel, "consistencyLevel");
  }

  /** The default options. */
  public static SparkOptions defaults() {
    return new SparkOptions(0, 0, 8, 2, DefaultConsistencyLevel.LOCAL_ONE);
  }

  /** These options with a fixed number of Spark tasks (0 to choose). */
  public SparkOptions withTasks(int count) {
    return new SparkOptions(count, splitCount, parallelismPerTask, writersPerTask, consistencyLevel);
  }

  /** These options planning {@code count} token-range pieces (0 for the planner's default). */
  public SparkOptions withSplitCount(int count) {
    return new SparkOptions(tasks, count, parallelismPerTask, writersPerTask, consistencyLevel);
  }

  /** These options with {@code count} range queries in flight per task. */
  public SparkOptions withParallelismPerTask(int count) {
    return new SparkOptions(tasks, splitCount, count, writersPerTask, consistencyLevel);
  }

  /** These options with {@code count} writer threads per export task. */
  public SparkOptions withWritersPerTask(int count) {
    return new SparkOptions(tasks, splitCount, parallelismPerTask, count, consistencyLevel);
  }

  /** These options querying at {@code level}. */
  public SparkOptions withConsistencyLevel(DefaultConsistencyLevel level) {
    return new SparkOptions(tasks, splitCount, parallelismPerTask, writersPerTask, level);
  }
}
