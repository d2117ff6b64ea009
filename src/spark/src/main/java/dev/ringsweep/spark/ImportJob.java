package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.batch.BatchKind;
import dev.ringsweep.batch.BatchMetrics;
import dev.ringsweep.batch.BatchMode;
import dev.ringsweep.batch.Grouping;
import dev.ringsweep.iceberg.CatalogKind;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.imports.ErrorBudget;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.imports.ImportOperation;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.iceberg.IcebergCatalogs;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * The executor side of an import from Iceberg: a task runs the single-JVM import engine (conversions, the
 * BatchWriter with its batches, retries and rate limit, bad records, error budget) over its splits of the pinned
 * snapshot, without verification (but with the checksum of the rows it wrote when the import verifies checksums);
 * the driver counts before and after and reads the target back.
 */
final class ImportJob {

  private ImportJob() {}

  /** A test hook called after a task attempt imported its part and before it returns; null in production. */
  static volatile ExportJob.AttemptHook attemptHook;

  /**
   * The import options that travel to executors (rate limit and in-flight requests already divided among
   * concurrent tasks: the job's ceiling is {@link ImportOptions#maxInFlightFor} the data center's nodes, 64 per node
   * by default, as in one JVM).
   *
   * @param badRecordParts the directory where each task attempt writes its bad records (see
   *     {@link BadRecordParts}), or null when no bad-records file is named
   */
  record Settings(BatchMode batchMode, Grouping grouping, int maxInFlight, ConcurrencyMode concurrency,
      double maxRowsPerSecond, String consistencyLevel, int readers, long budgetMaxFailed, double budgetMaxPercent,
      String badRecordParts,
      int maxRetries, boolean checksum, String listWithWritetimes) implements Serializable {
    private static final long serialVersionUID = 4L;

    /**
     * The settings of each of {@code concurrent} tasks running at once, writing to a data center of {@code nodes}
     * nodes.
     */
    static Settings of(ImportOptions options, int concurrent, int nodes, Path badRecordParts,
        String listWithWritetimes) {
      return new Settings(options.batchMode(), options.grouping(),
          Math.max(1, options.maxInFlightFor(nodes) / concurrent),
          options.concurrency(), options.maxRowsPerSecond() / concurrent, options.consistencyLevel().name(),
          options.readers(),
          options.errorBudget().maxFailed(), options.errorBudget().maxPercent(),
          badRecordParts == null ? null : badRecordParts.toString(), options.maxRetries(),
          options.verification() == Verification.COUNT_AND_CHECKSUM, listWithWritetimes);
    }

    ImportOptions toOptions(String attempt) {
      ImportOptions options = ImportOptions.defaults().withBatchMode(batchMode).withGrouping(grouping)
          .withMaxInFlight(maxInFlight).withConcurrency(concurrency).withMaxRowsPerSecond(maxRowsPerSecond)
          .withConsistencyLevel(DefaultConsistencyLevel.valueOf(consistencyLevel)).withReaders(readers)
          .withErrorBudget(new ErrorBudget(budgetMaxFailed, budgetMaxPercent)).withMaxRetries(maxRetries)
          .withVerification(checksum ? Verification.COUNT_AND_CHECKSUM : Verification.NONE);
      return badRecordParts == null ? options
          : options.withBadRecordsFile(BadRecordParts.partFile(Path.of(badRecordParts), attempt));
    }
  }

  /**
   * What one task attempt imported; {@code badRecordsFile} is its part file, null when it had no bad record;
   * {@code checksum} the checksum of the rows it wrote (0 unless the import verifies checksums); {@code limits} what
   * its limits of writes in flight did.
   */
  record TaskImport(long rowsRead, long rows, long badRecords, long writeFailures, String badRecordsFile,
      long batches, long statements, Map<BatchKind, Long> batchesByKind, long failedRequests, long failedStatements,
      long retries, long fallbacks, Duration latencyP99, long checksum, TaskLimits limits) implements Serializable {
    private static final long serialVersionUID = 3L;
  }

  /**
   * Refuses to run an attempt of a counter import's task that is not its task's first (Spark runs a failed task
   * again, and a whole stage again when an executor is lost): counter writes add up, and the attempt before may have
   * added some of the task's counts already, which running the task again would add twice. The import then fails,
   * saying that the counts added so far stay added.
   */
  static void refuseRetriedCounterAttempt(TableMetadata metadata) {
    org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
    if (context != null && Tables.isCounterTable(metadata)
        && (context.attemptNumber() > 0 || context.stageAttemptNumber() > 0)) {
      throw new IllegalStateException(String.format("Not running attempt %s (stage attempt %s) of task %s of the "
              + "import into counter table %s: an earlier attempt of it failed (its error is in the log of its "
              + "executor) and may have added some of its counts, which running it again would add twice",
          context.attemptNumber(), context.stageAttemptNumber(),
          context.partitionId(), RangeQuery.qualified(metadata.getKeyspace(), metadata.getName())));
    }
  }

  /**
   * Refuses to run an attempt that is not its task's first of an import whose source gives write times for the list
   * column {@code list} (non-null): the attempt before may have written some of the task's rows, and writing them
   * again garbles their lists ({@link ImportOperation#listWrittenTwice}).
   */
  static void refuseRetriedListAttempt(TableMetadata metadata, String list) {
    org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
    if (context != null && list != null && (context.attemptNumber() > 0 || context.stageAttemptNumber() > 0)) {
      throw new IllegalStateException(String.format("Not running attempt %s (stage attempt %s) of task %s of the "
              + "import into %s: an earlier attempt of it failed (its error is in the log of its executor) and may "
              + "have written some of its rows, and %s", context.attemptNumber(), context.stageAttemptNumber(),
          context.partitionId(), RangeQuery.qualified(metadata.getKeyspace(), metadata.getName()),
          ImportOperation.listWrittenTwice(list)));
    }
  }

  /** Runs on an executor: imports the task's part of the source (its splits of a table, its row groups). */
  static TaskImport importTask(CassandraConnection connection, SparkOptions options, String keyspace, String table,
      ImportSource source, Settings settings) {
    TokenAwareBulkOperator operator = SparkJobs.operator(connection, options);
    TableMetadata metadata = Tables.table(operator.session(), Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    refuseRetriedCounterAttempt(metadata);
    refuseRetriedListAttempt(metadata, settings.listWithWritetimes());
    TaskLimits.Recorder limits = new TaskLimits.Recorder();
    ImportOperation.Part part = ImportOperation.runPart(SparkJobs.context(connection, options, operator, limits),
        metadata, source, settings.toOptions(SparkJobs.attemptName()));
    ImportResult r = part.result();
    ExportJob.AttemptHook hook = attemptHook;
    if (hook != null) {
      org.apache.spark.TaskContext context = org.apache.spark.TaskContext.get();
      hook.afterWrite(context.partitionId(), context.attemptNumber());
    }
    BatchMetrics m = r.batchMetrics();
    return new TaskImport(r.rowsRead(), r.rows(), r.badRecords(), r.writeFailures(),
        r.badRecordsFile() == null ? null : r.badRecordsFile().toString(), m.batches(), m.statements(),
        new EnumMap<>(m.batchesByKind()), m.failedRequests(), m.failedStatements(), m.retries(), m.fallbacks(),
        m.latencyP99(), part.sourceChecksum(),
        SparkJobs.taskLimits("import into " + keyspace + "." + table, limits));
  }

  /** The current snapshot of the source's table, or null when it has none (an empty table). */
  static Long currentSnapshot(SplitSource source) {
    if (source.readTable() != null) {
      Snapshot current = source.readTable().currentSnapshot();
      return current == null ? null : current.snapshotId();
    }
    if (source.catalog() != null) {
      Snapshot current = source.catalog().catalog().loadTable(TableIdentifier.parse(source.table())).currentSnapshot();
      return current == null ? null : current.snapshotId();
    }
    CatalogKind kind = source.catalogKind() != null ? source.catalogKind()
        : Files.isRegularFile(Path.of(source.warehouse()).resolve(IcebergCatalogs.SQLITE_FILE))
            ? CatalogKind.JDBC_SQLITE : CatalogKind.HADOOP;
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(
        ExportTargets.iceberg(Path.of(source.warehouse()), source.table()).withCatalogKind(kind))) {
      Snapshot current = opened.catalog().loadTable(TableIdentifier.parse(source.table())).currentSnapshot();
      return current == null ? null : current.snapshotId();
    }
  }

  /** The tasks' batch figures summed; the latency percentiles are the worst task's 99th percentile. */
  static BatchMetrics metrics(List<TaskImport> tasks) {
    long batches = 0;
    long statements = 0;
    long failedRequests = 0;
    long failedStatements = 0;
    long retries = 0;
    long fallbacks = 0;
    Duration p99 = Duration.ZERO;
    Map<BatchKind, Long> byKind = new EnumMap<>(BatchKind.class);
    for (TaskImport t : tasks) {
      batches += t.batches();
      statements += t.statements();
      failedRequests += t.failedRequests();
      failedStatements += t.failedStatements();
      retries += t.retries();
      fallbacks += t.fallbacks();
      t.batchesByKind().forEach((kind, n) -> byKind.merge(kind, n, Long::sum));
      p99 = t.latencyP99().compareTo(p99) > 0 ? t.latencyP99() : p99;
    }
    return new BatchMetrics(batches, statements, byKind, 0, 0, 0, p99, p99, p99, failedRequests, failedStatements,
        retries, fallbacks);
  }
}
