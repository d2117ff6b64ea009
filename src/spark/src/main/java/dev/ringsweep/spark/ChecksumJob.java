package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.imports.ImportOperation;
import dev.ringsweep.token.TokenRange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The read-back of an import's {@link dev.ringsweep.imports.Verification#COUNT_AND_CHECKSUM} on Spark: each task
 * computes the checksum of the imported columns over its pieces of the target (the single-JVM verification's
 * range reads, with their retries and splitting); the driver adds the tasks' sums, which equals the checksum of the
 * whole table since the tasks' pieces cover the ring once.
 */
final class ChecksumJob {

  private ChecksumJob() {}

  /**
   * What one task read back: its rows and their checksum, or the pieces it could not read (with why); what its limits
   * did.
   */
  record TaskChecksum(long rows, long checksum, List<TokenRange> failed, String failure, TaskLimits limits)
      implements Serializable {
    private static final long serialVersionUID = 2L;
  }

  /** Runs on an executor: the checksum of {@code columns} over the task's pieces. */
  static TaskChecksum checksumTask(CassandraConnection connection, SparkOptions options, String keyspace,
      String table, String consistencyLevel, List<String> columns, TaskPieces task) {
    TokenAwareBulkOperator operator = SparkJobs.operator(connection, options);
    TableMetadata metadata = Tables.table(operator.session(), Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    TaskLimits.Recorder limits = new TaskLimits.Recorder();
    String what = "checksum of " + keyspace + "." + table;
    try {
      ImportOperation.TargetSum sum = ImportOperation.targetChecksum(
          SparkJobs.context(connection, options, operator, limits).withConsistencyLevel(
              com.datastax.oss.driver.api.core.DefaultConsistencyLevel.valueOf(consistencyLevel)),
          metadata, columns, task.pieces());
      return new TaskChecksum(sum.rows(), sum.checksum(), List.of(), null, SparkJobs.taskLimits(what, limits));
    } catch (BulkOperationException e) {
      return new TaskChecksum(0, 0, e.failedRanges(), e.getMessage(), SparkJobs.taskLimits(what, limits));
    }
  }

  /**
   * The tasks' checksums added up.
   *
   * @throws BulkOperationException if some task could not read its pieces; it names them all
   */
  static long sum(String what, List<TaskChecksum> tasks) {
    long sum = 0;
    List<TokenRange> failed = new ArrayList<>();
    String first = null;
    for (TaskChecksum task : tasks) {
      sum += task.checksum();
      failed.addAll(task.failed());
      if (first == null) {
        first = task.failure();
      }
    }
    SparkJobs.logLimits(what + ": the verification's checksum", tasks.stream().map(TaskChecksum::limits).toList());
    if (!failed.isEmpty()) {
      throw new BulkOperationException(String.format("%s: the verification could not read %s token ranges of the "
          + "target back: %s", what, failed.size(), first), dev.ringsweep.imports.VerificationResult.notRun(), failed,
          null);
    }
    return sum;
  }
}
