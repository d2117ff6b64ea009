package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.CountOptions;
import dev.ringsweep.CountResult;
import dev.ringsweep.HostStats;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.Futures;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.count.CountOperation;
import dev.ringsweep.token.TokenRange;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A count on Spark: each task counts its pieces with the single-JVM count engine (server-side {@code count(*)} per
 * piece, retries, splitting, page-by-page fallback) on its executor's shared session; the driver sums.
 */
final class CountJob {

  private CountJob() {}

  /** What one task counted: its result, the pieces it could not count (with why) and what its limits did. */
  record TaskCount(CountResult result, List<TokenRange> failed, String failure, TaskLimits limits)
      implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** Runs on an executor: counts the task's pieces, at most {@code maxRowsPerSecond} rows per second. */
  static TaskCount countTask(CassandraConnection connection, SparkOptions options, String keyspace, String table,
      double maxRowsPerSecond, TaskPieces task) {
    TaskLimits.Recorder limits = new TaskLimits.Recorder();
    String what = "count of " + keyspace + "." + table;
    try {
      TokenAwareBulkOperator operator = SparkJobs.operator(connection, options);
      TableMetadata metadata = Tables.table(operator.session(), Tables.identifier("keyspace", keyspace),
          Tables.identifier("table", table));
      CountOptions countOptions = CountOptions.defaults().withMaxRowsPerSecond(maxRowsPerSecond);
      CountResult result = Futures.await(new CountOperation(SparkJobs.context(connection, options, operator, limits),
          metadata, task.pieces(), countOptions).run());
      return new TaskCount(result, List.of(), null, SparkJobs.taskLimits(what, limits));
    } catch (BulkOperationException e) {
      CountResult partial = e.partialResult(CountResult.class);
      if (partial == null) {
        throw e;
      }
      return new TaskCount(partial, e.failedRanges(), String.valueOf(e.getCause() != null ? e.getCause()
          : e.getMessage()), SparkJobs.taskLimits(what, limits));
    }
  }

  /** Sums the tasks' results on the driver; throws, as the single-JVM count does, if some ranges failed. */
  static CountResult sum(String qualifiedTable, List<TaskCount> counts, Duration duration) {
    long rows = 0;
    int done = 0;
    int failed = 0;
    Map<String, HostStats> hosts = new HashMap<>();
    List<TokenRange> failedRanges = new ArrayList<>();
    String firstFailure = null;
    for (TaskCount count : counts) {
      CountResult r = count.result();
      rows += r.rows();
      done += r.rangesDone();
      failed += r.rangesFailed();
      r.hosts().forEach((host, stats) -> hosts.merge(host, stats, HostStats::plus));
      failedRanges.addAll(count.failed());
      if (firstFailure == null) {
        firstFailure = count.failure();
      }
    }
    CountResult result = new CountResult(rows, done, failed, duration, hosts);
    SparkJobs.logLimits("Count of " + qualifiedTable + " on Spark",
        counts.stream().map(TaskCount::limits).toList());
    if (failed > 0) {
      throw new BulkOperationException(String.format(
          "Count of %s on Spark failed for %s of %s token ranges (%s intervals failed; rows counted so far: %s): %s",
          qualifiedTable, failed, result.rangesTotal(), failedRanges.size(), rows, firstFailure), result,
          failedRanges, null);
    }
    return result;
  }
}
