package dev.ringsweep.spark;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.TokenRange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * What the limits of requests in flight of one Spark task did, and how many of its requests were retried, as a
 * serializable summary that travels back with the task's result: the single-JVM operations report every change and
 * retry to a {@link ProgressListener} (thousands in one import), which on an executor has no one to show them to. The
 * task's {@link Recorder} takes them, the executor logs the summary when the task ends, and the driver logs the
 * summary of all tasks ({@link #describe(Collection)}).
 *
 * @param limits the number of limits the task had: one, or one per replica set (then the figures are theirs, not
 *     those of the cap on their sum); 0 if it started none
 * @param start the first limit it started with
 * @param lowest the lowest limit any of them reached
 * @param highest the highest limit any of them reached
 * @param last the limit of the last change
 * @param changes changes after the start
 * @param errorBackoffs decreases on timeouts, overloaded or unavailable replicas
 * @param latencyDecreases decreases on rising latency
 * @param lastError the detail of the last decrease on errors (the exception's class and message), or null
 * @param retries requests retried after a retryable error: range queries ({@link ProgressListener#onRetry}) and
 *     write requests ({@link ProgressListener#onWriteRetry})
 * @param splits ranges split after they kept timing out ({@link ProgressListener#onSplit})
 */
record TaskLimits(int limits, int start, int lowest, int highest, int last, long changes, long errorBackoffs,
    long latencyDecreases, String lastError, long retries, long splits) implements Serializable {

  private static final long serialVersionUID = 2L;

  /** No limit was started (e.g. a task with nothing to do). */
  static final TaskLimits NONE = new TaskLimits(0, 0, 0, 0, 0, 0, 0, 0, null, 0, 0);

  /**
   * One line for humans, e.g. {@code "limit 4 -> 16 (lowest 2, highest 16), 37 changes, 0 decreases on latency, 3
   * backoffs on errors, 40 retries"} (retries and splits only when there were some).
   */
  String describe() {
    if (limits == 0) {
      return "no limit started" + retriesAndSplits(retries, splits);
    }
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "limit%s %d -> %d (lowest %d, highest %d), "
        + "%d changes, %d decreases on latency, %d backoffs on errors", limits > 1 ? "s of " + limits
        + " replica sets" : "", start, last, lowest, highest, changes, latencyDecreases, errorBackoffs));
    line.append(retriesAndSplits(retries, splits));
    if (lastError != null) {
      line.append(" (last: ").append(lastError).append(')');
    }
    return line.toString();
  }

  /**
   * One line for all the tasks of a job, e.g. {@code "8 tasks: limits from 4, between 1 and 16, last 12 to 16; 37
   * changes, 12 decreases on latency, 3 backoffs on errors"}.
   */
  static String describe(Collection<TaskLimits> tasks) {
    List<TaskLimits> started = new ArrayList<>();
    tasks.stream().filter(t -> t != null && t.limits() > 0).forEach(started::add);
    String retried = retriesAndSplits(tasks.stream().filter(t -> t != null).mapToLong(TaskLimits::retries).sum(),
        tasks.stream().filter(t -> t != null).mapToLong(TaskLimits::splits).sum());
    if (started.isEmpty()) {
      return tasks.size() + " tasks: no limit started" + retried;
    }
    int lowest = started.stream().mapToInt(TaskLimits::lowest).min().getAsInt();
    int highest = started.stream().mapToInt(TaskLimits::highest).max().getAsInt();
    int lastLow = started.stream().mapToInt(TaskLimits::last).min().getAsInt();
    int lastHigh = started.stream().mapToInt(TaskLimits::last).max().getAsInt();
    int startLow = started.stream().mapToInt(TaskLimits::start).min().getAsInt();
    int startHigh = started.stream().mapToInt(TaskLimits::start).max().getAsInt();
    String lastError = null;
    for (TaskLimits t : started) {
      lastError = t.lastError() != null ? t.lastError() : lastError;
    }
    return String.format(Locale.ROOT, "%d tasks: limits from %s, between %d and %d, last %s; %d changes, %d "
            + "decreases on latency, %d backoffs on errors%s%s", tasks.size(), range(startLow, startHigh), lowest,
        highest, range(lastLow, lastHigh), started.stream().mapToLong(TaskLimits::changes).sum(),
        started.stream().mapToLong(TaskLimits::latencyDecreases).sum(),
        started.stream().mapToLong(TaskLimits::errorBackoffs).sum(), retried,
        lastError == null ? "" : " (one of them: " + lastError + ")");
  }

  /** {@code ", 40 retries, 2 splits"}, each part only when it is not 0; empty when both are. */
  private static String retriesAndSplits(long retries, long splits) {
    return (retries == 0 ? "" : String.format(Locale.ROOT, ", %d %s", retries, retries == 1 ? "retry" : "retries"))
        + (splits == 0 ? "" : String.format(Locale.ROOT, ", %d %s", splits, splits == 1 ? "split" : "splits"));
  }

  /**
   * This summary as one {@link LimitChange} of {@code scope} (e.g. {@code "task 3"}), for a driver's progress
   * listener: from the limit the task started with to its last one; its cause the strongest the task met
   * ({@code ERRORS} if it backed off on errors, else {@code LATENCY_ROSE} if latency lowered it, else
   * {@code LATENCY_HELD} if it changed, else {@code START}); its detail {@link #describe()}. Null when the task
   * started no limit.
   */
  LimitChange asChange(String scope) {
    if (limits == 0) {
      return null;
    }
    LimitChange.Cause cause = errorBackoffs > 0 ? LimitChange.Cause.ERRORS
        : latencyDecreases > 0 ? LimitChange.Cause.LATENCY_ROSE
        : changes > 0 ? LimitChange.Cause.LATENCY_HELD : LimitChange.Cause.START;
    return new LimitChange(start, last, cause, describe(), scope);
  }

  private static String range(int low, int high) {
    return low == high ? Integer.toString(low) : low + " to " + high;
  }

  /**
   * The progress listener of one task: keeps the summary of the limit changes it is shown and counts the retries and
   * splits, ignores progress. Thread safe (the operations call it from their own threads).
   */
  static final class Recorder implements ProgressListener {
    private boolean perReplicaSet;
    private int limits;
    private int start;
    private int lowest = Integer.MAX_VALUE;
    private int highest;
    private int last;
    private long changes;
    private long errorBackoffs;
    private long latencyDecreases;
    private String lastError;
    private long retries;
    private long splits;

    @Override
    public void onProgress(Progress progress) {}

    @Override
    public synchronized void onRetry(TokenRange range, int attempt, Throwable error) {
      retries++;
    }

    @Override
    public synchronized void onWriteRetry(int statements, int attempt, Throwable error) {
      retries++;
    }

    @Override
    public synchronized void onSplit(TokenRange range, int pieces) {
      splits++;
    }

    @Override
    public synchronized void onLimitChanged(LimitChange change) {
      if (change.cause() == LimitChange.Cause.START) {
        // With a limit per replica set, the one of all requests only caps their sum: the sets' limits are the ones
        // that move, so the summary is theirs.
        if (change.isPerReplicaSet() && !perReplicaSet) {
          perReplicaSet = true;
          limits = 0;
          lowest = Integer.MAX_VALUE;
          highest = 0;
        }
        if (change.isPerReplicaSet() != perReplicaSet) {
          return;
        }
        if (limits++ == 0) {
          start = change.limit();
        }
      } else {
        changes++;
        if (change.cause() == LimitChange.Cause.ERRORS && change.isDecrease()) {
          errorBackoffs++;
          lastError = change.detail();
        } else if (change.isDecrease() && change.cause() != LimitChange.Cause.POOLED) {
          // Pooling goes from the ceiling to one shared limit: not a back-off (the shared limit's own changes are).
          latencyDecreases++;
        }
        if (change.cause() == LimitChange.Cause.UNPOOLED) {
          // Its limit is the ceiling on the replica sets' sum again, not a limit the requests met.
          return;
        }
      }
      lowest = Math.min(lowest, change.limit());
      highest = Math.max(highest, change.limit());
      last = change.limit();
    }

    /** The summary so far. */
    synchronized TaskLimits summary() {
      return limits == 0 && retries == 0 && splits == 0 ? TaskLimits.NONE
          : limits == 0 ? new TaskLimits(0, 0, 0, 0, 0, 0, 0, 0, null, retries, splits)
          : new TaskLimits(limits, start, lowest, highest, last, changes, errorBackoffs, latencyDecreases, lastError,
              retries, splits);
    }
  }
}
