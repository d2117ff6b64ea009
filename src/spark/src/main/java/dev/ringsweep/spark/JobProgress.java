package dev.ringsweep.spark;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;

/**
 * The driver's side of one job's progress: adds up the tasks as they end (on Spark's scheduler thread, see
 * {@link SparkJobs#runEach}) and tells the caller's listener: {@link ProgressListener#onProgress} with the units
 * (token ranges of a count or export, splits of an import) done so far of the job's total and the rows so far, then
 * {@link ProgressListener#onLimitChanged} with the task's limits as one change of scope {@code "task <index>"}
 * ({@link TaskLimits#asChange}). Thread-safe.
 */
final class JobProgress {

  private final ProgressListener listener;
  private final int total;
  private int done;
  private long rows;

  /**
   * The progress of a job of {@code total} units, {@code doneBefore} of them done by an earlier run (a resumed
   * export), reported to {@code listener} (already guarded against its exceptions).
   */
  JobProgress(ProgressListener listener, int total, int doneBefore) {
    this.listener = listener;
    this.total = total;
    this.done = doneBefore;
  }

  /** Task {@code task} ended, with {@code units} of the job's units and {@code taskRows} rows. */
  synchronized void taskEnded(int task, int units, long taskRows, TaskLimits limits) {
    done = Math.min(total, done + units);
    rows += taskRows;
    listener.onProgress(new Progress(done, total, rows));
    LimitChange change = limits == null ? null : limits.asChange("task " + task);
    if (change != null) {
      listener.onLimitChanged(change);
    }
  }
}
