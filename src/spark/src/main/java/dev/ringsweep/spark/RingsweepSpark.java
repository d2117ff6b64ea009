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
   * supported on Spark yet; the target must be a warehouse directory every executor reaches.
   *
   * @throws IllegalArgumentException if the keyspace, table or a column is unknown, the target is in a catalog
   *     object, or resume is asked for
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
   * Imports an Iceberg table into an existing Cassandra table: the driver pins the table's current snapshot and
   * plans its splits; each task reads its splits and writes through the {@link dev.ringsweep.batch.BatchWriter}
   * (the single-JVM import engine: conversions, partition-grouped batches, retries, bad records); the driver counts
   * the target before and after and checks that it grew by the rows written.
   *
   * <p>Shared across the job: the rate limit and the requests in flight are divided evenly among the tasks that run
   * at once. Per task: the error budget (the job's total is checked against it again at the end) and the bad-records
   * file ({@code <file>.<task attempt>} when a file is named). {@link Verification#COUNT_AND_CHECKSUM} runs as
   * {@link Verification#COUNT} on Spark; resume and checkpoints are not supported on Spark yet.
   *
   * @throws IllegalArgumentException if the keyspace, table or Iceberg table is unknown, the source's columns do not
   *     fit the table, the source is in a catalog object, or resume is asked for
   * @throws BulkOperationException if the job failed, the error budget was exceeded, or the verification found a
   *     mismatch
   */
  public ImportResult importFromIceberg(IcebergSource source, String keyspace, String table,
      ImportOptions importOptions) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(importOptions, "importOptions");
    if (importOptions.resume() == Resume.RESUME || importOptions.checkpointFile() != null) {
      throw new IllegalArgumentException(String.format(
          "Unsupported on Spark: resume %s, checkpoint file %s (an import on Spark keeps no checkpoint yet)",
          importOptions.resume(), importOptions.checkpointFile()));
    }
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
    boolean verify = importOptions.verification() != Verification.NONE;
    long before = verify ? count(keyspace, table).rows() : -1;
    int wanted = Math.max(1, options.tasks() > 0 ? options.tasks()
        : Math.min(splitCount, 3 * context().defaultParallelism()));
    List<List<Integer>> assignment = new ArrayList<>();
    for (int i = 0; i < Math.min(wanted, splitCount); i++) {
      assignment.add(new ArrayList<>());
    }
    for (int split = 0; split < splitCount; split++) {
      assignment.get(split % assignment.size()).add(split);
    }
    int concurrent = Math.max(1, Math.min(assignment.size(), context().defaultParallelism()));
    ImportJob.Settings settings = ImportJob.Settings.of(importOptions, concurrent);
    LOG.info("{}: snapshot {}, {} splits in {} tasks", what, pinned.snapshotId(), splitCount, assignment.size());
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    List<ImportJob.TaskImport> results = assignment.isEmpty() ? List.of()
        : run(what, "; the rows written so far stay in the table", () -> new ImportResult(0, 0, 0, 0, 0, null,
            elapsed(started), ImportJob.metrics(List.of()), VerificationResult.notRun()), () ->
        JavaSparkContext.fromSparkContext(context()).parallelize(assignment, assignment.size())
            .map(splits -> ImportJob.importTask(conn, opts, keyspace, table, pinned, settings, splits)).collect());
    long read = 0;
    long written = 0;
    long bad = 0;
    long writeFailures = 0;
    String badFile = null;
    for (ImportJob.TaskImport t : results) {
      read += t.rowsRead();
      written += t.rows();
      bad += t.badRecords();
      writeFailures += t.writeFailures();
      badFile = badFile != null ? badFile : t.badRecordsFile();
    }
    VerificationResult verification = VerificationResult.notRun();
    if (verify) {
      long after = count(keyspace, table).rows();
      verification = new VerificationResult(Verification.COUNT, sourceRows, read, written, before, after, null, null);
    }
    ImportResult result = new ImportResult(read, written, bad + writeFailures, bad, writeFailures,
        badFile == null ? null : java.nio.file.Path.of(badFile), elapsed(started), ImportJob.metrics(results),
        verification);
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
