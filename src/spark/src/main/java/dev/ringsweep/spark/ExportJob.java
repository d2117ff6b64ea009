package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.export.ExportOperation;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.ReplicaGroup;
import dev.ringsweep.token.TokenRange;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The executor side of an export to Iceberg: a task runs the single-JVM export engine over its pieces (its own
 * writer threads, range reader with retries and page shrinking, the Iceberg module's Parquet writers) into data files
 * under the table's location, commits nothing, and returns its files to the driver.
 */
final class ExportJob {

  private ExportJob() {}

  /** A test hook called after a task attempt wrote its files and before it returns them; null in production. */
  static volatile AttemptHook attemptHook;

  /** Called with the partition and the attempt number of a task that has written its files. */
  interface AttemptHook {
    void afterWrite(int partition, int attempt);
  }

  /**
   * The export options that travel to executors (the rate limits already divided among concurrent tasks).
   *
   * @param columns the exported columns, empty for all
   * @param writetimeAndTtl columns that get writetime and TTL columns
   * @param writers writer threads per task
   * @param maxRowsPerSecond a task's read cap in rows per second (infinity for none)
   * @param maxBytesPerSecond a task's read cap in bytes per second (infinity for none)
   */
  record Settings(List<String> columns, List<String> writetimeAndTtl, int writers, double maxRowsPerSecond,
      double maxBytesPerSecond) implements Serializable {
    private static final long serialVersionUID = 1L;

    Settings {
      columns = List.copyOf(columns);
      writetimeAndTtl = List.copyOf(writetimeAndTtl);
    }

    ExportOptions toOptions() {
      return ExportOptions.defaults().withColumns(columns.toArray(String[]::new))
          .withWritetimeAndTtl(writetimeAndTtl.toArray(String[]::new)).withWriters(writers)
          .withMaxRowsPerSecond(maxRowsPerSecond).withMaxBytesPerSecond(maxBytesPerSecond);
    }
  }

  /** A finished data file, as a task returns it (the Iceberg {@code DataFile} serialized). */
  record FileOut(String path, long rows, long bytes, String dataFile) implements Serializable {
    private static final long serialVersionUID = 1L;

    WrittenFile toWritten() {
      return new WrittenFile(path, rows, bytes, dataFile);
    }

    static FileOut of(WrittenFile file) {
      return new FileOut(file.path(), file.rows(), file.bytes(), file.icebergDataFile());
    }
  }

  /**
   * What one task attempt wrote: its finished files, or, when some of its ranges could not be read after the
   * engine's retries (e.g. no replica reachable), the ranges that failed and why, with no file (the attempt deleted
   * what it had written).
   *
   * @param task the task's index
   * @param rows rows in the files
   * @param bytes bytes of the files
   * @param files the finished data files; empty when {@code failed} is not
   * @param failed the pieces (or parts of them) that could not be exported; empty on success
   * @param failure why they failed (the first error), or null
   * @param limits what the task's limits of requests in flight did
   */
  record TaskExport(int task, long rows, long bytes, List<FileOut> files, List<TokenRange> failed, String failure,
      TaskLimits limits) implements Serializable {
    private static final long serialVersionUID = 1L;

    TaskExport {
      files = List.copyOf(files);
      failed = List.copyOf(failed);
    }

    boolean succeeded() {
      return failed.isEmpty();
    }
  }

  /**
   * Runs on an executor: exports the task's pieces into data files named with {@code runId} and this attempt. Ranges
   * that still fail after the engine's retries and splitting do not fail the Spark task (another attempt would meet
   * the same unreachable replicas and hide which ranges failed): the attempt deletes its files and returns the failed
   * ranges, and the driver fails the export naming them. Any other error fails the attempt, and Spark retries it.
   */
  static TaskExport exportTask(CassandraConnection connection, SparkOptions options, String keyspace, String table,
      IcebergTableSpec spec, Settings settings, String runId, TaskPieces task) {
    return export(connection, options, keyspace, table, spec.toTarget(), runId + "-" + SparkJobs.attemptName(),
        settings, task);
  }

  /**
   * Runs on an executor: exports the task's pieces into Parquet files in this attempt's own staging directory
   * ({@link ParquetTargetSpec#attemptTarget}), named with {@code runId} and this attempt.
   */
  static TaskExport exportTask(CassandraConnection connection, SparkOptions options, String keyspace, String table,
      ParquetTargetSpec spec, Settings settings, String runId, TaskPieces task) {
    String attempt = SparkJobs.attemptName();
    return export(connection, options, keyspace, table, spec.attemptTarget(runId, attempt), runId + "-" + attempt,
        settings, task);
  }

  private static TaskExport export(CassandraConnection connection, SparkOptions options, String keyspace,
      String table, dev.ringsweep.export.ExportTarget real, String fileRunId, Settings settings, TaskPieces task) {
    CqlSession session = connection.session();
    TokenAwareBulkOperator operator = SparkJobs.operator(connection, options);
    TableMetadata metadata = Tables.table(session, Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    List<WrittenFile> written = new ArrayList<>();
    CollectingTarget target = new CollectingTarget(real, fileRunId, (files, output) -> written.addAll(files), null,
        false);
    RangePlan plan = new RangePlan(task.pieces(), List.of(new ReplicaGroup(List.of(), task.pieces())));
    ExportResult result;
    List<TokenRange> failed = List.of();
    String failure = null;
    TaskLimits.Recorder limits = new TaskLimits.Recorder();
    try {
      result = ExportOperation.run(SparkJobs.context(connection, options, operator, limits), metadata, plan, target,
          settings.toOptions());
    } catch (BulkOperationException e) {
      if (e.failedRanges().isEmpty() || Thread.currentThread().isInterrupted()) {
        throw e;
      }
      // The engine deleted the files of this attempt (it keeps no checkpoint in a task).
      written.clear();
      result = new ExportResult(0, 0, 0, plan.pieceCount(), 0, Duration.ZERO);
      failed = e.failedRanges();
      failure = String.valueOf(e.getCause() != null ? e.getCause() : e.getMessage());
    }
    AttemptHook hook = attemptHook;
    if (hook != null) {
      org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
      hook.afterWrite(context.partitionId(), context.attemptNumber());
    }
    List<FileOut> files = new ArrayList<>();
    written.forEach(f -> files.add(FileOut.of(f)));
    return new TaskExport(task.index(), result.rows(), result.bytes(), files, failed, failure,
        SparkJobs.taskLimits("export of " + keyspace + "." + table, limits));
  }

  /** The driver's result: the tasks' figures summed. */
  static ExportResult sum(List<TaskExport> tasks, int rangesTotal, int rangesSkipped, Duration duration) {
    long rows = 0;
    long bytes = 0;
    int files = 0;
    for (TaskExport task : tasks) {
      rows += task.rows();
      bytes += task.bytes();
      files += task.files().size();
    }
    return new ExportResult(rows, bytes, files, rangesTotal, rangesSkipped, duration);
  }
}
