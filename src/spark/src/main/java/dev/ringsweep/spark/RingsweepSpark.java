package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.export.ExportOperation;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ParquetSource;
import dev.ringsweep.iceberg.ParquetTarget;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.imports.ImportOperation;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.imports.VerificationResult;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.token.RangePlan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ringsweep's count, export and import run as Spark jobs: the entry point of the {@code ringsweep-spark} module.
 *
 * <p>The Spark driver plans once (a {@link RangePlan}: token-range pieces grouped by replica set) and cuts the plan
 * into tasks, each a run of pieces of one replica group whose hosts are the task's preferred locations. Each task
 * runs the single-JVM engine on its executor's shared session ({@link CassandraConnection#session()}), and the
 * driver puts the tasks' results together into the same result types as {@link TokenAwareBulkOperator}.
 *
 * <pre>{@code
 * RingsweepSpark ringsweep = RingsweepSpark.on(spark, CassandraConnection.of(List.of("10.0.0.1:9042"), "dc1"));
 * CountResult count = ringsweep.count("shop", "orders");
 * ExportResult export = ringsweep.exportToIceberg("shop", "orders",
 *     ExportTargets.iceberg(Path.of("/shared/warehouse"), "lake.orders"), ExportOptions.defaults());
 * ExportResult files = ringsweep.exportToParquet("shop", "orders", ExportTargets.parquet(Path.of("/shared/orders")),
 *     ExportOptions.defaults());
 * ImportResult imported = ringsweep.importFromIceberg(
 *     IcebergCatalogConnection.fromSparkCatalog(spark, "lake").source("db.orders"), "shop", "orders_copy",
 *     ImportOptions.defaults());
 * }</pre>
 *
 * <p>Immutable and thread-safe; {@link #withOptions} returns a new instance.
 */
public final class RingsweepSpark {

  private static final Logger LOG = LoggerFactory.getLogger(RingsweepSpark.class);

  private final SparkSession spark;
  private final CassandraConnection connection;
  private final SparkOptions options;

  private RingsweepSpark(SparkSession spark, CassandraConnection connection, SparkOptions options) {
    this.spark = spark;
    this.connection = connection;
    this.options = options;
  }

  /** Jobs on {@code spark}'s cluster against the Cassandra cluster of {@code connection}, default options. */
  public static RingsweepSpark on(SparkSession spark, CassandraConnection connection) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(connection, "connection");
    return new RingsweepSpark(spark, connection, SparkOptions.defaults());
  }

  /** These jobs with other options. */
  public RingsweepSpark withOptions(SparkOptions sparkOptions) {
    return new RingsweepSpark(spark, connection, Objects.requireNonNull(sparkOptions, "options"));
  }

  /** The options in force. */
  public SparkOptions options() {
    return options;
  }

  /**
   * Counts the rows of a table exactly: each task counts its pieces server-side with the single-JVM count engine
   * (retries, splitting, page-by-page fallback), the driver sums.
   *
   * @throws IllegalArgumentException if the keyspace or table is unknown (naming it)
   * @throws BulkOperationException if some ranges could not be counted; it carries the partial {@link CountResult}
   *     and the failed ranges
   */
  public CountResult count(String keyspace, String table) {
    long started = System.nanoTime();
    RangePlan plan = planner().plan(keyspace, table);
    List<TaskPieces> tasks = tasks(plan);
    LOG.info("Counting {}.{} on Spark: {} token ranges in {} tasks", keyspace, table, plan.pieceCount(),
        tasks.size());
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    List<CountJob.TaskCount> counts = run("Count of " + keyspace + "." + table, "",
        () -> new CountResult(0, 0, plan.pieceCount(), elapsed(started), java.util.Map.of()), () ->
        SparkJobs.partitions(context(), tasks).map(t -> CountJob.countTask(conn, opts, keyspace, table, t))
            .collect());
    return CountJob.sum(keyspace + "." + table, counts, elapsed(started));
  }

  /**
   * Exports a table into an Iceberg table in ONE commit: each task streams its pieces into Parquet data files under
   * the table's location (the single-JVM export engine and the Iceberg module's writers) and returns them; the
   * driver commits exactly the files of the successful task attempts (append, or overwrite with
   * {@link dev.ringsweep.iceberg.WriteMode#OVERWRITE}) and deletes the files of failed or duplicate attempts. A
   * failed job commits nothing. The table is created in that commit if it did not exist.
   *
   * <p>Read rate limits are shared evenly among the tasks that run at once. Resume and checkpoints are not
   * supported on Spark yet; the target must be in a warehouse directory every executor reaches, or in a catalog
   * an {@link IcebergCatalogConnection} names ({@link IcebergCatalogConnection#target}).
   *
   * @throws IllegalArgumentException if the keyspace, table or a column is unknown, the target is in a catalog
   *     object no {@link IcebergCatalogConnection} made, or resume is asked for
   * @throws IllegalStateException if an existing Iceberg table's columns differ from the exported ones
   * @throws BulkOperationException if the Spark job failed; nothing was committed
   */
  public ExportResult exportToIceberg(String keyspace, String table, IcebergTarget target,
      ExportOptions exportOptions) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(exportOptions, "exportOptions");
    if (exportOptions.resume() == Resume.RESUME || exportOptions.checkpointFile() != null) {
      throw new IllegalArgumentException(String.format(
          "Unsupported on Spark: resume %s, checkpoint file %s (an export on Spark keeps no checkpoint yet; it "
              + "commits all or nothing)", exportOptions.resume(), exportOptions.checkpointFile()));
    }
    IcebergTableSpec spec = IcebergTableSpec.of(target);
    long started = System.nanoTime();
    CqlSession session = connection.session();
    TokenAwareBulkOperator planner = planner();
    RangePlan plan = planner.plan(keyspace, table);
    TableMetadata metadata = Tables.table(session, Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    List<TaskPieces> tasks = tasks(plan);
    int concurrent = Math.max(1, Math.min(tasks.size(), context().defaultParallelism()));
    ExportJob.Settings settings = new ExportJob.Settings(exportOptions.columns(), exportOptions.writetimeAndTtl(),
        options.writersPerTask(), exportOptions.maxRowsPerSecond() / concurrent,
        exportOptions.maxBytesPerSecond() / concurrent);
    String runId = "spark" + UUID.randomUUID().toString().substring(0, 8);
    String what = "Export of " + RangeQuery.qualified(metadata.getKeyspace(), metadata.getName()) + " to "
        + target.describe() + " on Spark";
    LOG.info("{}: {} token ranges in {} tasks, run {}", what, plan.pieceCount(), tasks.size(), runId);
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    List<ExportJob.TaskExport> results = new ArrayList<>();
    CollectingTarget driverTarget = new CollectingTarget(target, runId, (none, output) -> {
      List<ExportJob.TaskExport> collected;
      try {
        collected = run(what, "; nothing was committed",
            () -> new ExportResult(0, 0, 0, plan.pieceCount(), 0, elapsed(started)),
            () -> SparkJobs.partitions(context(), tasks)
                .map(t -> ExportJob.exportTask(conn, opts, keyspace, table, spec, settings, runId, t)).collect());
      } catch (RuntimeException e) {
        output.deleteStrays(List.of(runId), List.of());
        throw e;
      }
      List<WrittenFile> files = new ArrayList<>();
      collected.forEach(t -> t.files().forEach(f -> files.add(f.toWritten())));
      // Files of failed, speculative or re-run attempts carry this run's id but are not among the collected ones.
      output.deleteStrays(List.of(runId), files);
      try {
        output.commit(files);
      } catch (RuntimeException e) {
        output.discard(files);
        throw e;
      }
      results.addAll(collected);
    }, true);
    // The engine on the driver checks the table, columns and target and opens the output, over no token range;
    // its commit step runs the Spark job (see CollectingTarget).
    ExportOperation.run(SparkJobs.context(planner), metadata,
        new RangePlan(List.of(), List.of()), driverTarget,
        ExportOptions.defaults().withColumns(exportOptions.columns().toArray(String[]::new))
            .withWritetimeAndTtl(exportOptions.writetimeAndTtl().toArray(String[]::new)).withWriters(1));
    ExportResult result = ExportJob.sum(results, plan.pieceCount(), elapsed(started));
    LOG.info("{}: {} rows in {} files committed in {}", what, result.rows(), result.files(), result.duration());
    return result;
  }

  /**
   * Exports a table into a directory of Parquet files (the single-JVM Parquet export's files, schema file and
   * names): each task streams its pieces into Parquet files in its own staging directory
   * {@code <directory>/_ringsweep_spark-<run>/<attempt>/}; once the job has succeeded, the driver moves the files of
   * the successful task attempts into the directory and deletes the staging directory with the files of failed,
   * cancelled or speculative attempts. So the directory holds only complete files of successful attempts, and all of
   * them once this returns; a failed job leaves the directory as it was (empty). The directory must be empty and
   * reachable from every executor (a shared file system).
   *
   * <p>Read rate limits are shared evenly among the tasks that run at once. Resume and checkpoints are not
   * supported on Spark yet.
   *
   * @throws IllegalArgumentException if the keyspace, table or a column is unknown, or resume is asked for
   * @throws IllegalStateException if the directory is not empty
   * @throws BulkOperationException if the Spark job failed; nothing was written
   */
  public ExportResult exportToParquet(String keyspace, String table, ParquetTarget target,
      ExportOptions exportOptions) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(exportOptions, "exportOptions");
    if (exportOptions.resume() == Resume.RESUME || exportOptions.checkpointFile() != null) {
      throw new IllegalArgumentException(String.format(
          "Unsupported on Spark: resume %s, checkpoint file %s (an export on Spark keeps no checkpoint yet)",
          exportOptions.resume(), exportOptions.checkpointFile()));
    }
    ParquetTargetSpec spec = ParquetTargetSpec.of(target);
    long started = System.nanoTime();
    CqlSession session = connection.session();
    TokenAwareBulkOperator planner = planner();
    RangePlan plan = planner.plan(keyspace, table);
    TableMetadata metadata = Tables.table(session, Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    List<TaskPieces> tasks = tasks(plan);
    int concurrent = Math.max(1, Math.min(tasks.size(), context().defaultParallelism()));
    ExportJob.Settings settings = new ExportJob.Settings(exportOptions.columns(), exportOptions.writetimeAndTtl(),
        options.writersPerTask(), exportOptions.maxRowsPerSecond() / concurrent,
        exportOptions.maxBytesPerSecond() / concurrent);
    String runId = "spark" + UUID.randomUUID().toString().substring(0, 8);
    java.nio.file.Path directory = java.nio.file.Path.of(spec.directory());
    java.nio.file.Path staging = spec.staging(runId);
    String what = "Export of " + RangeQuery.qualified(metadata.getKeyspace(), metadata.getName()) + " to "
        + target.describe() + " on Spark";
    LOG.info("{}: {} token ranges in {} tasks, run {}", what, plan.pieceCount(), tasks.size(), runId);
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    List<ExportJob.TaskExport> results = new ArrayList<>();
    CollectingTarget driverTarget = new CollectingTarget(target, runId, (none, output) -> {
      List<ExportJob.TaskExport> collected;
      try {
        collected = run(what, "; nothing was written",
            () -> new ExportResult(0, 0, 0, plan.pieceCount(), 0, elapsed(started)),
            () -> SparkJobs.partitions(context(), tasks)
                .map(t -> ExportJob.exportTask(conn, opts, keyspace, table, spec, settings, runId, t)).collect());
      } catch (RuntimeException e) {
        ParquetStaging.abort(directory, staging);
        throw e;
      }
      List<WrittenFile> files = new ArrayList<>();
      collected.forEach(t -> t.files().forEach(f -> files.add(f.toWritten())));
      ParquetStaging.publish(directory, staging, files);
      results.addAll(collected);
    }, true);
    // As for Iceberg: the engine on the driver checks the table and columns, and opens the directory (empty? the
    // schema file); its commit step runs the Spark job.
    ExportOperation.run(SparkJobs.context(planner), metadata, new RangePlan(List.of(), List.of()), driverTarget,
        ExportOptions.defaults().withColumns(exportOptions.columns().toArray(String[]::new))
            .withWritetimeAndTtl(exportOptions.writetimeAndTtl().toArray(String[]::new)).withWriters(1));
    ExportResult result = ExportJob.sum(results, plan.pieceCount(), elapsed(started));
    LOG.info("{}: {} rows in {} files in {}", what, result.rows(), result.files(), result.duration());
    return result;
  }

  /**
   * Imports an Iceberg table into an existing Cassandra table: the driver pins the table's current snapshot and
   * plans its splits; each task reads its splits and writes through the {@link dev.ringsweep.batch.BatchWriter}
   * (the single-JVM import engine: conversions, partition-grouped batches, retries, bad records); the driver counts
   * the target before and after and checks that it grew by the rows written.
   *
   * <p>Shared across the job: the rate limit and the requests in flight are divided evenly among the tasks that run
   * at once. Per task: the error budget (the job's total is checked against it again at the end). Bad records: all
   * in the file named by {@link ImportOptions#withBadRecordsFile} (see {@link #importFromParquet} for how), which
   * {@link ImportResult#badRecordsFile()} names when it received any. {@link Verification#COUNT_AND_CHECKSUM} runs
   * as {@link Verification#COUNT} on Spark; resume and checkpoints are not supported on Spark yet.
   *
   * @throws IllegalArgumentException if the keyspace, table or Iceberg table is unknown, the source's columns do not
   *     fit the table, the source is in a catalog object no {@link IcebergCatalogConnection} made, or resume is
   *     asked for
   * @throws BulkOperationException if the job failed, the error budget was exceeded, or the verification found a
   *     mismatch
   */
  public ImportResult importFromIceberg(IcebergSource source, String keyspace, String table,
      ImportOptions importOptions) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(importOptions, "importOptions");
    checkNoResume(importOptions);
    long started = System.nanoTime();
    CqlSession session = connection.session();
    TableMetadata metadata = Tables.table(session, Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    SplitSource unpinned = SplitSource.of(source, importOptions.readers());
    TokenAwareBulkOperator checker = planner();
    // The engine on the driver over no split: the Iceberg table exists and its columns fit the target, before any
    // task starts.
    ImportOperation.run(SparkJobs.context(checker), metadata, unpinned.only(List.of()),
        ImportOptions.defaults().withVerification(Verification.NONE).withReaders(importOptions.readers()));
    SplitSource pinned = unpinned.snapshotId() != null ? unpinned : unpinned.at(ImportJob.currentSnapshot(unpinned));
    int splitCount;
    long sourceRows;
    try (var reader = new SplitSource.Provider().open(pinned, importOptions.readers())) {
      splitCount = pinned.snapshotId() == null ? 0 : reader.splits().size();
      sourceRows = reader.metadataRowCount();
    }
    String what = "Import of " + source.describe() + " into " + RangeQuery.qualified(metadata.getKeyspace(),
        metadata.getName()) + " on Spark";
    int wanted = Math.max(1, options.tasks() > 0 ? options.tasks()
        : Math.min(splitCount, 3 * context().defaultParallelism()));
    List<List<Integer>> assignment = new ArrayList<>();
    for (int i = 0; i < Math.min(wanted, splitCount); i++) {
      assignment.add(new ArrayList<>());
    }
    for (int split = 0; split < splitCount; split++) {
      assignment.get(split % assignment.size()).add(split);
    }
    List<ImportSource> taskSources = new ArrayList<>();
    assignment.forEach(splits -> taskSources.add(pinned.only(splits)));
    LOG.info("{}: snapshot {}, {} splits in {} tasks", what, pinned.snapshotId(), splitCount, taskSources.size());
    return runImport(what, keyspace, table, importOptions, taskSources, sourceRows, started);
  }

  /**
   * Imports Parquet files (one file, or a directory of them, as {@link dev.ringsweep.iceberg.ImportSources#parquet})
   * into an existing Cassandra table: the driver reads every file's footer once, checks that all files have the same
   * columns and that they fit the table, and deals the row groups (the single-JVM reader's splits) out to tasks in
   * runs of consecutive row groups; each task reads its row groups and writes through the
   * {@link dev.ringsweep.batch.BatchWriter} (the single-JVM import engine); the driver counts the target before and
   * after. The files must be reachable from every executor (a shared file system).
   *
   * <p>Rate limit, in-flight requests and error budget as {@link #importFromIceberg}. Bad records: each task attempt
   * writes its own part file {@code <file>.parts-<run>/<attempt>.jsonl}; when the job has succeeded, the driver
   * appends the parts of the successful attempts to the named file (each bad record once) and deletes the parts
   * with those of failed or duplicate attempts; {@link ImportResult#badRecordsFile()} names the file when it
   * received any. When the job fails, the parts are left and the error names their directory.
   *
   * <p>Files Ringsweep or Iceberg wrote are read; a Parquet file from elsewhere (no Iceberg schema in its metadata)
   * is refused on Spark, naming it, since iceberg-spark-runtime relocates Parquet (import it in a single JVM).
   *
   * @throws IllegalArgumentException if the keyspace or table is unknown, there is no Parquet file, the files'
   *     columns differ or do not fit the table, or resume is asked for
   * @throws BulkOperationException if the job failed, the error budget was exceeded, or the verification found a
   *     mismatch
   */
  public ImportResult importFromParquet(ParquetSource source, String keyspace, String table,
      ImportOptions importOptions) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(importOptions, "importOptions");
    checkNoResume(importOptions);
    long started = System.nanoTime();
    CqlSession session = connection.session();
    TableMetadata metadata = Tables.table(session, Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    ParquetParts.Plan plan = ParquetParts.plan(source);
    ImportOperation.run(SparkJobs.context(planner()), metadata, plan.all().only(List.of()),
        ImportOptions.defaults().withVerification(Verification.NONE));
    String what = "Import of " + source.describe() + " into " + RangeQuery.qualified(metadata.getKeyspace(),
        metadata.getName()) + " on Spark";
    int count = plan.parts().size();
    int wanted = Math.max(1, Math.min(count,
        options.tasks() > 0 ? options.tasks() : 3 * context().defaultParallelism()));
    List<ImportSource> taskSources = new ArrayList<>();
    for (int i = 0; i < wanted; i++) {
      taskSources.add(plan.all().only(plan.parts().subList(i * count / wanted, (i + 1) * count / wanted)));
    }
    LOG.info("{}: {} row groups in {} tasks", what, count, taskSources.size());
    return runImport(what, keyspace, table, importOptions, taskSources, plan.rows(), started);
  }

  /**
   * The job of an import: counts the target before, runs one task per source part, merges the bad records, counts
   * after, and checks the error budget and the verification.
   */
  private ImportResult runImport(String what, String keyspace, String table, ImportOptions importOptions,
      List<ImportSource> taskSources, long sourceRows, long started) {
    boolean verify = importOptions.verification() != Verification.NONE;
    long before = verify ? count(keyspace, table).rows() : -1;
    int concurrent = Math.max(1, Math.min(taskSources.size(), context().defaultParallelism()));
    java.nio.file.Path named = importOptions.badRecordsFile();
    java.nio.file.Path parts = named == null ? null
        : BadRecordParts.directory(named, UUID.randomUUID().toString().substring(0, 8));
    if (parts != null) {
      BadRecordParts.create(named, parts);
    }
    ImportJob.Settings settings = ImportJob.Settings.of(importOptions, concurrent, parts);
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    List<ImportJob.TaskImport> results = taskSources.isEmpty() ? List.of()
        : run(what, "; the rows written so far stay in the table"
                + (parts == null ? "" : "; the task attempts' bad records are in " + parts),
            () -> new ImportResult(0, 0, 0, 0, 0, null, elapsed(started), ImportJob.metrics(List.of()),
                VerificationResult.notRun()),
            () -> JavaSparkContext.fromSparkContext(context()).parallelize(taskSources, taskSources.size())
                .map(source -> ImportJob.importTask(conn, opts, keyspace, table, source, settings)).collect());
    long read = 0;
    long written = 0;
    long bad = 0;
    long writeFailures = 0;
    List<String> badParts = new ArrayList<>();
    for (ImportJob.TaskImport t : results) {
      read += t.rowsRead();
      written += t.rows();
      bad += t.badRecords();
      writeFailures += t.writeFailures();
      badParts.add(t.badRecordsFile());
    }
    java.nio.file.Path badFile = parts == null ? null : BadRecordParts.merge(named, parts, badParts);
    VerificationResult verification = VerificationResult.notRun();
    if (verify) {
      long after = count(keyspace, table).rows();
      verification = new VerificationResult(Verification.COUNT, sourceRows, read, written, before, after, null, null);
    }
    ImportResult result = new ImportResult(read, written, bad + writeFailures, bad, writeFailures, badFile,
        elapsed(started), ImportJob.metrics(results), verification);
    if (importOptions.errorBudget().isExceededAtEnd(result.failed(), read)) {
      throw new BulkOperationException(String.format("%s finished, but failed: %s failed rows (%s bad records, %s "
              + "write failures) out of %s read exceed the error budget of %s; bad records in %s", what,
          result.failed(), bad, writeFailures, read, importOptions.errorBudget(), badFile), result, List.of(), null);
    }
    if (!verification.matches()) {
      throw new BulkOperationException(what + ": verification failed: " + verification.describe(), result, List.of(),
          null);
    }
    LOG.info("{}: {} rows in {} ({})", what, written, result.duration(), verification.describe());
    return result;
  }

  private static void checkNoResume(ImportOptions importOptions) {
    if (importOptions.resume() == Resume.RESUME || importOptions.checkpointFile() != null) {
      throw new IllegalArgumentException(String.format(
          "Unsupported on Spark: resume %s, checkpoint file %s (an import on Spark keeps no checkpoint yet)",
          importOptions.resume(), importOptions.checkpointFile()));
    }
  }

  /** The planner on the driver: this JVM's shared session, the options' split count and consistency. */
  private TokenAwareBulkOperator planner() {
    dev.ringsweep.OperatorBuilder builder = TokenAwareBulkOperator.builder(connection.session())
        .localDatacenter(connection.localDatacenter())
        .consistencyLevel(options.consistencyLevel())
        .requestTimeout(connection.requestTimeout());
    if (options.splitCount() > 0) {
      builder.splitCount(options.splitCount());
    }
    return builder.build();
  }

  private List<TaskPieces> tasks(RangePlan plan) {
    int wanted = options.tasks() > 0 ? options.tasks()
        : Math.min(plan.pieceCount(), Math.max(plan.groups().size(), 3 * context().defaultParallelism()));
    return TaskPieces.cut(plan, wanted);
  }

  private SparkContext context() {
    return spark.sparkContext();
  }

  /**
   * Runs a Spark action as its own job group, described in Spark's UI as {@code what} (e.g. "Import of ... on
   * Spark"). When it fails, the group is cancelled with task threads interrupted; either way this returns only once
   * no task of the group runs any more (or after {@link SparkJobs#QUIET_TIMEOUT}), so that no attempt still writes
   * when the caller cleans up. A failure (a checked SparkException in disguise) becomes a
   * {@link BulkOperationException} whose message says what failed, then {@code afterFailure}, and whose partial
   * result is {@code partial}'s (nothing is known of the tasks of a failed job).
   */
  private <T> T run(String what, String afterFailure, java.util.function.Supplier<Object> partial,
      SparkAction<T> action) {
    SparkContext sc = context();
    String group = "ringsweep-" + UUID.randomUUID();
    sc.setJobGroup(group, what, true);
    boolean failed = true;
    try {
      T result = action.run();
      failed = false;
      return result;
    } catch (BulkOperationException | IllegalArgumentException e) {
      throw e;
    } catch (Exception e) {
      String message = String.valueOf(e.getMessage());
      int newline = message.indexOf('\n');
      throw new BulkOperationException(what + " failed" + afterFailure + ": "
          + (newline > 0 ? message.substring(0, newline) : message), partial.get(), List.of(), e);
    } finally {
      if (failed) {
        sc.cancelJobGroup(group);
      }
      SparkJobs.awaitNoRunningTask(sc, group);
      sc.clearJobGroup();
    }
  }

  /** A Spark action, which may throw the checked SparkException that Scala does not declare. */
  private interface SparkAction<T> {
    T run() throws Exception;
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
