package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.CountOptions;
import dev.ringsweep.CountResult;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.export.ExportOperation;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ParquetSource;
import dev.ringsweep.iceberg.ParquetTarget;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.imports.ImportCheckpoint;
import dev.ringsweep.internal.imports.ImportOperation;
import dev.ringsweep.internal.imports.VerificationListener;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.imports.VerificationResult;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.internal.SafeProgressListener;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.export.Checkpoint;
import dev.ringsweep.internal.export.ExportColumns;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.TargetFormat;
import dev.ringsweep.internal.export.TargetFormats;
import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.token.TokenRange;
import java.nio.file.Path;
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
  private final ProgressListener progress;

  private RingsweepSpark(SparkSession spark, CassandraConnection connection, SparkOptions options,
      ProgressListener progress) {
    this.spark = spark;
    this.connection = connection;
    this.options = options;
    this.progress = progress;
  }

  /** Jobs on {@code spark}'s cluster against the Cassandra cluster of {@code connection}, default options. */
  public static RingsweepSpark on(SparkSession spark, CassandraConnection connection) {
    Objects.requireNonNull(spark, "spark");
    Objects.requireNonNull(connection, "connection");
    return new RingsweepSpark(spark, connection, SparkOptions.defaults(), ProgressListener.NONE);
  }

  /** These jobs with other options. */
  public RingsweepSpark withOptions(SparkOptions sparkOptions) {
    return new RingsweepSpark(spark, connection, Objects.requireNonNull(sparkOptions, "options"), progress);
  }

  /**
   * These jobs reporting their progress to {@code listener}, on the Spark driver, as each task ends (Spark's
   * scheduler thread calls it, one call at a time; keep it short): {@link ProgressListener#onProgress} with the token
   * ranges (a count, an export) or source splits (an import) done so far of the job's total and the rows so far;
   * then {@link ProgressListener#onLimitChanged} once per task, summing up what the task's limits of requests in
   * flight did as one change of scope {@code "task <index>"}: from the limit it started with to its last, with the
   * strongest cause it met ({@code ERRORS} if it backed off on errors) and a detail that counts its changes by cause
   * (the executor logs the same line; every single change stays on the executor), and the task's retries of range
   * queries and writes and its splits, when it had some ({@code "…, 40 retries, 1 split"}). Single retries and splits
   * are not reported from executors. An import's verification (its count jobs before and after, its checksum job)
   * reports its tasks' summaries too, each detail ending with the read, as a single JVM's verification names its
   * limits' starts ({@code "… (import verification: checksum of the target)"}), but not its progress: that follows
   * the import's splits. An exception thrown by the listener is logged and ignored.
   */
  public RingsweepSpark withProgressListener(ProgressListener listener) {
    return new RingsweepSpark(spark, connection, options,
        SafeProgressListener.wrap(Objects.requireNonNull(listener, "listener")));
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
    return count(keyspace, table, CountOptions.defaults());
  }

  /**
   * As {@link #count(String, String)}, with a count's own options: a rows-per-second cap for the whole job, shared
   * evenly among the tasks that run at once (each task counts at most its share).
   *
   * @throws NullPointerException if {@code countOptions} is null
   */
  public CountResult count(String keyspace, String table, CountOptions countOptions) {
    Objects.requireNonNull(countOptions, "countOptions");
    long started = System.nanoTime();
    RangePlan plan = planner().plan(keyspace, table);
    List<TaskPieces> tasks = tasks(plan, plan, keyspace, table);
    LOG.info("Counting {}.{} on Spark: {} token ranges in {} tasks", keyspace, table, plan.pieceCount(),
        tasks.size());
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    double share = countOptions.maxRowsPerSecond()
        / Math.max(1, Math.min(tasks.size(), context().defaultParallelism()));
    JobProgress job = new JobProgress(progress, plan.pieceCount(), 0);
    List<CountJob.TaskCount> counts = java.util.Collections.synchronizedList(new ArrayList<>());
    run("Count of " + keyspace + "." + table, "",
        () -> new CountResult(0, 0, plan.pieceCount(), elapsed(started), java.util.Map.of()), () -> {
          SparkJobs.runEach(context(), SparkJobs.partitions(context(), tasks),
              t -> CountJob.countTask(conn, opts, keyspace, table, share, t), (partition, r) -> {
                counts.add(r);
                job.taskEnded(partition, tasks.get(partition).pieces().size(), r.result().rows(), r.limits());
              });
          return null;
        });
    return CountJob.sum(keyspace + "." + table, counts, elapsed(started));
  }

  /**
   * Exports a table into an Iceberg table in ONE commit: each task streams its pieces into Parquet data files under
   * the table's location (the single-JVM export engine and the Iceberg module's writers) and returns them; the
   * driver commits exactly the files of the successful task attempts (append, or overwrite with
   * {@link dev.ringsweep.iceberg.WriteMode#OVERWRITE}) and deletes the files of failed or duplicate attempts. The
   * table is created in that commit if it did not exist.
   *
   * <p>Checkpoint and resume: as each task succeeds, the driver records its token intervals and data files in the
   * export's checkpoint ({@code <warehouse>/_ringsweep_checkpoints/<table>.json}, or
   * {@link ExportOptions#withCheckpointFile}), in the single-JVM export's format; it never holds credentials. A job
   * that fails (a task failing every attempt, or ranges no replica could serve) commits nothing, so the table is as
   * it was; the files of its successful tasks stay, outside the table's metadata, recorded in the checkpoint, and
   * the exception names the ranges that failed. Rerun with {@link Resume#RESUME} to skip exactly the recorded
   * intervals (whatever the split count now) and make ONE commit of the kept files and the new ones; a rerun without
   * resume deletes the kept files and starts afresh. Resuming a checkpoint of another table, other columns, format
   * or target is refused naming both; resuming an export that was committed does nothing.
   *
   * <p>Read rate limits are shared evenly among the tasks that run at once. The target is in a warehouse directory
   * every executor reaches, in a catalog an {@link IcebergCatalogConnection} names (rebuilt on each executor,
   * {@link IcebergCatalogConnection#target}), or in any other {@code Catalog} object, which stays on the driver:
   * executors then get a serializable copy of the table (Iceberg's {@code SerializableTable}) to write through, and
   * the driver commits through the catalog.
   *
   * @throws IllegalArgumentException if the keyspace, table or a column is unknown
   * @throws IllegalStateException if an existing Iceberg table's columns differ from the exported ones, or a resume
   *     is refused
   * @throws BulkOperationException if the Spark job failed or some ranges could not be read; nothing was committed,
   *     and its failed ranges and partial {@link ExportResult} (this run's kept rows and files) tell what is left
   */
  public ExportResult exportToIceberg(String keyspace, String table, IcebergTarget target,
      ExportOptions exportOptions) {
    Objects.requireNonNull(target, "target");
    checkOnSpark(exportOptions);
    IcebergTableSpec spec = IcebergTableSpec.of(target);
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    return runExport(keyspace, table, target, exportOptions, output -> {
      // A catalog object stays here: executors get the table the driver's output writes into.
      IcebergTableSpec ready = spec.withTable(output);
      return (settings, id, task) -> ExportJob.exportTask(conn, opts, keyspace, table, ready, settings, id, task);
    }, output -> output, ICEBERG_WORDS, false);
  }

  /**
   * Refuses the export options a Spark export has no use for, rather than ignoring them: the single JVM's writer
   * threads (a Spark export's writers are per task: {@link SparkOptions#withWritersPerTask}) and its checkpoint
   * interval (a Spark export records each task as it ends).
   *
   * @throws IllegalArgumentException naming the option and what to use instead
   */
  static void checkOnSpark(ExportOptions exportOptions) {
    Objects.requireNonNull(exportOptions, "exportOptions");
    ExportOptions defaults = ExportOptions.defaults();
    if (exportOptions.writers() != defaults.writers()) {
      throw new IllegalArgumentException(String.format("Invalid export option on Spark: writers %s (a Spark export "
          + "has writers per task: SparkOptions.withWritersPerTask)", exportOptions.writers()));
    }
    if (!exportOptions.checkpointInterval().equals(defaults.checkpointInterval())) {
      throw new IllegalArgumentException(String.format("Invalid export option on Spark: checkpoint interval %s (a "
          + "Spark export records each task's ranges and files as the task ends)", exportOptions.checkpointInterval()));
    }
  }

  /**
   * The driver's side of an export to {@code target}: plans it, then has the single-JVM export engine check the
   * table, columns and target, take the target's lock and open its output, over no token range; the engine's commit
   * step runs the Spark job and publishes what it wrote ({@link ExportRun#publish}).
   *
   * @param exporter what each task runs, made of the target's open output
   * @param driverOutput the output the driver keeps the checkpoint with and publishes to, made of the target's open
   *     output
   * @param words how messages name the publishing
   * @param resumeAtOpen whether the engine opens the target as for a resume (kept files in it are expected)
   */
  private ExportResult runExport(String keyspace, String table, ExportTarget target, ExportOptions exportOptions,
      java.util.function.Function<OutputFormat, TaskExporter> exporter,
      java.util.function.UnaryOperator<OutputFormat> driverOutput, PublishWords words, boolean resumeAtOpen) {
    long started = System.nanoTime();
    CqlSession session = connection.session();
    TokenAwareBulkOperator planner = planner();
    RangePlan plan = planner.plan(keyspace, table);
    TableMetadata metadata = Tables.table(session, Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    List<String> columns = ExportColumns.of(metadata, exportOptions).names();
    TargetFormat format = TargetFormats.of(target);
    Path checkpointFile = exportOptions.checkpointFile() != null
        ? exportOptions.checkpointFile().toAbsolutePath().normalize() : format.defaultCheckpointFile();
    String runId = "spark" + UUID.randomUUID().toString().substring(0, 8);
    String source = RangeQuery.qualified(metadata.getKeyspace(), metadata.getName());
    String what = "Export of " + source + " to " + target.describe() + " on Spark";
    ExportRun run = new ExportRun(keyspace, table, exportOptions, plan, source, target.describe(), columns, format,
        checkpointFile, runId, what, started, exporter, driverOutput, words);
    CollectingTarget driverTarget = new CollectingTarget(target, runId, run::publish, checkpointFile, resumeAtOpen);
    ExportOperation.run(SparkJobs.context(planner), metadata, new RangePlan(List.of(), List.of()), driverTarget,
        ExportOptions.defaults().withColumns(exportOptions.columns().toArray(String[]::new))
            .withWritetimeAndTtl(exportOptions.writetimeAndTtl().toArray(String[]::new)).withWriters(1));
    ExportResult result = run.result;
    LOG.info("{}: {} rows in {} files {} in {} ({} token ranges done before)", what, result.rows(), result.files(),
        words.published(), result.duration(), result.rangesSkipped());
    return result;
  }

  /** Runs on an executor: exports one task's pieces with these settings, its files named with the run id. */
  private interface TaskExporter extends java.io.Serializable {
    ExportJob.TaskExport export(ExportJob.Settings settings, String runId, TaskPieces task);
  }

  /**
   * How an export's messages name its commit: what it did to the files, what is as it was when there was none, where
   * kept files wait, and how to start afresh instead of resuming.
   */
  private record PublishWords(String published, String nothingPublished, String keptOutside, String startAfresh) {}

  private static final PublishWords ICEBERG_WORDS = new PublishWords("committed",
      "nothing was committed (the table is as it was)", "outside the table until committed",
      "without resume to delete them and start afresh");

  /** One export's driver side: the checkpoint, the Spark job, the commit. */
  private final class ExportRun {
    private final String keyspace;
    private final String table;
    private final ExportOptions exportOptions;
    private final RangePlan plan;
    private final String source;
    private final String target;
    private final List<String> columns;
    private final TargetFormat format;
    private final Path checkpointFile;
    private final String runId;
    private final String what;
    private final long started;
    private final java.util.function.Function<OutputFormat, TaskExporter> exporter;
    private final java.util.function.UnaryOperator<OutputFormat> driverOutput;
    private final PublishWords words;
    private ExportResult result;

    /**
     * @param exporter what each task runs, made of the real target's open output
     * @param driverOutput the output the driver keeps the checkpoint with and commits to, made of the real target's
     *     open output
     * @param words how messages name the commit
     */
    ExportRun(String keyspace, String table, ExportOptions exportOptions, RangePlan plan, String source,
        String target, List<String> columns, TargetFormat format, Path checkpointFile, String runId, String what,
        long started, java.util.function.Function<OutputFormat, TaskExporter> exporter,
        java.util.function.UnaryOperator<OutputFormat> driverOutput,
        PublishWords words) {
      this.keyspace = keyspace;
      this.table = table;
      this.exporter = exporter;
      this.driverOutput = driverOutput;
      this.words = words;
      this.exportOptions = exportOptions;
      this.plan = plan;
      this.source = source;
      this.target = target;
      this.columns = columns;
      this.format = format;
      this.checkpointFile = checkpointFile;
      this.runId = runId;
      this.what = what;
      this.started = started;
    }

    /** Runs the job and commits, under the target's lock with its output open (the engine's commit step). */
    void publish(List<WrittenFile> none, OutputFormat realOutput) {
      OutputFormat output = driverOutput.apply(realOutput);
      boolean resume = exportOptions.resume() == Resume.RESUME;
      Checkpoint checkpoint = ExportCheckpoints.open(checkpointFile, format, output, resume, source, target, columns,
          runId);
      if (checkpoint.isComplete()) {
        LOG.info("{} was already complete (checkpoint {}); nothing to do, nothing committed", what, checkpointFile);
        result = new ExportResult(0, 0, 0, plan.pieceCount(), plan.pieceCount(), elapsed(started));
        return;
      }
      // This run is on record before its first data file exists: a resume deletes whatever it leaves unrecorded.
      checkpoint.save();
      RangePlan todo = ExportCheckpoints.remaining(plan, checkpoint.done());
      int skipped = ExportCheckpoints.piecesDone(plan, checkpoint.done());
      List<TaskPieces> tasks = todo.pieceCount() == 0 ? List.of() : tasks(plan, todo, keyspace, table);
      int concurrent = Math.max(1, Math.min(tasks.size(), context().defaultParallelism()));
      ExportJob.Settings settings = new ExportJob.Settings(exportOptions.columns(), exportOptions.writetimeAndTtl(),
          options.writersPerTask(), exportOptions.maxRowsPerSecond() / concurrent,
          exportOptions.maxBytesPerSecond() / concurrent);
      LOG.info("{}: {} token ranges, {} already done, {} left in {} tasks, run {}, checkpoint {}", what,
          plan.pieceCount(), skipped, todo.pieceCount(), tasks.size(), runId, checkpointFile);
      // Filled on Spark's scheduler thread as tasks succeed, read here once the job has ended.
      List<ExportJob.TaskExport> succeeded = java.util.Collections.synchronizedList(new ArrayList<>());
      List<TokenRange> failed = java.util.Collections.synchronizedList(new ArrayList<>());
      List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      BulkOperationException jobFailure = null;
      if (!tasks.isEmpty()) {
        TaskExporter export = exporter.apply(realOutput);
        String id = runId;
        JobProgress job = new JobProgress(progress, plan.pieceCount(), skipped);
        try {
          run(what, "", () -> ExportJob.sum(List.copyOf(succeeded), plan.pieceCount(), skipped, elapsed(started)),
              () -> {
                SparkJobs.runEach(context(), SparkJobs.partitions(context(), tasks),
                    task -> export.export(settings, id, task), (partition, r) -> {
                      if (r.succeeded()) {
                        List<WrittenFile> files = new ArrayList<>();
                        r.files().forEach(f -> files.add(f.toWritten()));
                        checkpoint.record(tasks.get(r.task()).pieces(), files);
                        succeeded.add(r);
                      } else {
                        failed.addAll(r.failed());
                        failures.add(r.failure());
                      }
                      job.taskEnded(r.task(), tasks.get(r.task()).pieces().size(), r.rows(), r.limits());
                    });
                return null;
              });
        } catch (BulkOperationException e) {
          jobFailure = e;
        }
      }
      // Files of failed, speculative, re-run or late attempts carry this run's id but are not recorded.
      // Without a checkpoint file (a table in a catalog and no withCheckpointFile) nothing can be resumed: a failed
      // job keeps no file.
      boolean keep = checkpoint.file() != null || (jobFailure == null && failed.isEmpty());
      output.deleteStrays(List.of(runId), keep ? checkpoint.files() : List.of());
      ExportResult thisRun = ExportJob.sum(succeeded, plan.pieceCount(), skipped, elapsed(started));
      SparkJobs.logLimits(what, succeeded.stream().map(ExportJob.TaskExport::limits).toList());
      if (jobFailure != null || !failed.isEmpty()) {
        List<TokenRange> left = failed;
        if (jobFailure != null) {
          left = ExportCheckpoints.remaining(plan, checkpoint.done()).pieces();
        }
        throw new BulkOperationException(String.format("%s failed for %s: %s; %s. %s", what,
            ExportCheckpoints.describe(left), jobFailure != null ? firstLine(jobFailure.getCause()) : failures.get(0),
            words.nothingPublished(), resumeHint(plan, checkpoint)),
            thisRun, left, jobFailure != null ? jobFailure.getCause() : null);
      }
      if (output.committed(checkpoint.runs())) {
        // An earlier run committed these files and stopped before its checkpoint said so: committing them again
        // would publish their rows twice.
        LOG.warn("{}: the target already holds the commit of an earlier run of this export (runs {}), made before "
            + "checkpoint {} could record it: marking the checkpoint complete, committing nothing again", what,
            checkpoint.runs(), checkpoint.file());
      } else {
        try {
          output.commit(checkpoint.files());
        } catch (org.apache.iceberg.exceptions.CommitStateUnknownException e) {
          throw new BulkOperationException(String.format("%s: the commit's outcome is unknown (%s): the catalog may "
                  + "or may not have taken it. %s (a resume commits only if this commit did not go through)", what,
              e.getMessage(), resumeHint(plan, checkpoint)), thisRun, List.of(), e);
        } catch (RuntimeException e) {
          throw new BulkOperationException(String.format("%s: the commit failed (%s); %s. %s",
              what, e.getMessage(), words.nothingPublished(), resumeHint(plan, checkpoint)), thisRun, List.of(), e);
        }
      }
      checkpoint.markComplete();
      result = thisRun;
    }

    private String resumeHint(RangePlan plan, Checkpoint checkpoint) {
      if (checkpoint.file() == null) {
        return "No data file was kept: the target has no directory for a checkpoint (a table in a catalog); give one "
            + "with ExportOptions.withCheckpointFile to make a failed export resumable";
      }
      return String.format("The rows of %s of %s token ranges are kept in %s data files recorded in checkpoint %s "
              + "(%s): rerun with Resume.RESUME (--resume) to export only the rest and commit everything in one "
              + "commit, or %s",
          ExportCheckpoints.piecesDone(plan, checkpoint.done()), plan.pieceCount(), checkpoint.files().size(),
          checkpoint.file(), words.keptOutside(), words.startAfresh());
    }
  }

  /**
   * Exports a table into a directory of Parquet files (the single-JVM Parquet export's files, schema file and
   * names): each task streams its pieces into Parquet files in its own staging directory
   * {@code <directory>/_ringsweep_spark-<run>/<attempt>/}; once every token range is done, the driver moves the files
   * of the successful task attempts into the directory and deletes the staging directories with the files of
   * failed, cancelled or speculative attempts. So the directory shows only complete files of successful attempts,
   * all of them once this returns, and none while the export is unfinished (readers skip names starting with
   * {@code _}). The directory must be empty, unless resuming, and reachable from every executor (a shared file
   * system).
   *
   * <p>Checkpoint and resume, as for {@link #exportToIceberg}: the driver keeps the single-JVM export's checkpoint
   * ({@code <directory>/_ringsweep_checkpoint.json}, or {@link ExportOptions#withCheckpointFile}) and records each
   * successful task's token intervals and staged files as Spark reports it. A job that fails (a task failing every
   * attempt, or ranges no replica could serve) moves no file into the directory and keeps the recorded ones staged;
   * the exception names the ranges that failed. Rerun with {@link Resume#RESUME} to export only the rest and publish
   * everything at once; a rerun without resume is refused while the directory holds the kept files (start afresh in
   * an empty directory). A Spark export can resume a single-JVM export's checkpoint into the same directory; the
   * other way round is refused (only Spark moves the staged files in). Resuming a checkpoint of another table, other
   * columns, format or directory is refused naming both; resuming a completed export does nothing.
   *
   * <p>Read rate limits are shared evenly among the tasks that run at once.
   *
   * @throws IllegalArgumentException if the keyspace, table or a column is unknown
   * @throws IllegalStateException if the directory is not empty and the export does not resume, or a resume is
   *     refused
   * @throws BulkOperationException if the Spark job failed or some ranges could not be read; no file was moved into
   *     the directory, and the failed ranges and partial {@link ExportResult} (this run's kept rows and files) tell
   *     what is left
   */
  public ExportResult exportToParquet(String keyspace, String table, ParquetTarget target,
      ExportOptions exportOptions) {
    Objects.requireNonNull(target, "target");
    checkOnSpark(exportOptions);
    ParquetTargetSpec spec = ParquetTargetSpec.of(target);
    Path directory = Path.of(spec.directory());
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    PublishWords words = new PublishWords("moved into " + directory,
        "no data file was moved into " + directory + " (it holds only Ringsweep's own files, which readers skip)",
        "in staging directories " + ParquetStaging.PREFIX + "* of the directory until the export completes",
        "delete the directory's contents (or choose an empty directory) and export without resume");
    // As for Iceberg; the engine opens the directory empty unless resuming (then with the kept staged files).
    return runExport(keyspace, table, target, exportOptions,
        output -> (settings, id, task) -> ExportJob.exportTask(conn, opts, keyspace, table, spec, settings, id, task),
        output -> new ParquetStaging(directory, output), words, exportOptions.resume() == Resume.RESUME);
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
   * {@link ImportResult#badRecordsFile()} names when it received any. Verification: {@link Verification#COUNT} counts
   * the target before and after (two count jobs); {@link Verification#COUNT_AND_CHECKSUM} also has each import task
   * compute the checksum of the rows it wrote and, when the target was empty before, reads the target back in a job
   * of range tasks and compares the sums.
   *
   * <p>Checkpoint and resume ({@link ImportOptions#withCheckpointFile}, {@link ImportOptions#withResume}): the driver
   * keeps the single-JVM import's checkpoint file, with the target's row count before the first run, and records the
   * splits of each task as soon as Spark reports that the task succeeded without a write failure. A rerun with
   * {@code Resume.RESUME} and the same checkpoint plans the same snapshot (the checkpoint names it: pin it with
   * {@link IcebergSource#atSnapshot} if the table has had commits since), skips the recorded splits, and verifies the
   * whole import (rows and checksums of the earlier runs included). A task that failed part-way is run again whole:
   * its rows are written again, the same values (a counter table cannot be resumed, as in a single JVM). The
   * checkpoint of a single-JVM import of the same table resumes here too (one that did not pin a snapshot names the
   * table only, and is resumed on the current snapshot, as the single JVM would); a single JVM resumes a Spark
   * import's checkpoint when its source is pinned to the snapshot the checkpoint names.
   *
   * @throws IllegalArgumentException if the keyspace, table or Iceberg table is unknown, the source's columns do not
   *     fit the table, resume is asked for without a checkpoint file or into a counter table
   * @throws IllegalStateException if the checkpoint to resume belongs to another source (or snapshot) or target
   * @throws BulkOperationException if the job failed, the error budget was exceeded, or the verification found a
   *     mismatch
   */
  public ImportResult importFromIceberg(IcebergSource source, String keyspace, String table,
      ImportOptions importOptions) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(importOptions, "importOptions");
    checkResume(importOptions);
    long started = System.nanoTime();
    CqlSession session = connection.session();
    TableMetadata metadata = Tables.table(session, Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    SplitSource unpinned = SplitSource.of(source, importOptions.readers());
    TokenAwareBulkOperator checker = planner();
    // The engine on the driver over no split: the Iceberg table exists and its columns fit the target, before any
    // task starts.
    ImportOperation.Part checked = ImportOperation.runPart(SparkJobs.context(checker), metadata,
        unpinned.only(List.of()),
        ImportOptions.defaults().withVerification(Verification.NONE).withReaders(importOptions.readers()));
    SplitSource pinned = unpinned.snapshotId() != null ? unpinned : unpinned.at(ImportJob.currentSnapshot(unpinned));
    List<String> splitNames = new ArrayList<>();
    long sourceRows;
    try (var reader = new SplitSource.Provider().open(pinned, importOptions.readers())) {
      if (pinned.snapshotId() != null) {
        reader.splits().forEach(split -> splitNames.add(split.checkpointName()));
      }
      sourceRows = reader.metadataRowCount();
    }
    String what = "Import of " + source.describe() + " into " + RangeQuery.qualified(metadata.getKeyspace(),
        metadata.getName()) + " on Spark";
    refuseSpeculativeRewrites(what, checked.listWithWritetimes());
    ImportRun run = ImportRun.open(this, importOptions,
        ImportRun.checkpointSource(importOptions, unpinned.describe(), pinned.describe()), metadata, splitNames,
        checked.listWithWritetimes());
    List<Integer> todo = run.todo();
    int wanted = Math.max(1, options.tasks() > 0 ? options.tasks()
        : Math.min(todo.size(), 3 * context().defaultParallelism()));
    List<List<Integer>> assignment = new ArrayList<>();
    for (int i = 0; i < Math.min(wanted, todo.size()); i++) {
      assignment.add(new ArrayList<>());
    }
    for (int i = 0; i < todo.size(); i++) {
      assignment.get(i % assignment.size()).add(todo.get(i));
    }
    List<ImportSource> taskSources = new ArrayList<>();
    assignment.forEach(splits -> taskSources.add(pinned.only(splits)));
    LOG.info("{}: snapshot {}, {} splits ({} done before) in {} tasks", what, pinned.snapshotId(), splitNames.size(),
        splitNames.size() - todo.size(), taskSources.size());
    return runImport(what, metadata, checked, importOptions, taskSources, assignment, run, sourceRows, started);
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
   * <p>Files Ringsweep or Iceberg wrote are read by the Iceberg schema they record; a Parquet file from elsewhere (no
   * Iceberg schema in its metadata, e.g. written by Spark) by its natural types, as in a single JVM.
   *
   * @throws IllegalArgumentException if the keyspace or table is unknown, there is no Parquet file, the files'
   *     columns differ or do not fit the table, or resume is asked for without a checkpoint file or into a counter
   *     table (checkpoint and resume as {@link #importFromIceberg}, by row group)
   * @throws IllegalStateException if the checkpoint to resume belongs to another source or target
   * @throws BulkOperationException if the job failed, the error budget was exceeded, or the verification found a
   *     mismatch
   */
  public ImportResult importFromParquet(ParquetSource source, String keyspace, String table,
      ImportOptions importOptions) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(importOptions, "importOptions");
    checkResume(importOptions);
    long started = System.nanoTime();
    CqlSession session = connection.session();
    TableMetadata metadata = Tables.table(session, Tables.identifier("keyspace", keyspace),
        Tables.identifier("table", table));
    ParquetParts.Plan plan = ParquetParts.plan(source);
    ImportOperation.Part checked = ImportOperation.runPart(SparkJobs.context(planner()), metadata,
        plan.all().only(List.of()), ImportOptions.defaults().withVerification(Verification.NONE));
    String what = "Import of " + source.describe() + " into " + RangeQuery.qualified(metadata.getKeyspace(),
        metadata.getName()) + " on Spark";
    refuseSpeculativeRewrites(what, checked.listWithWritetimes());
    ImportRun run = ImportRun.open(this, importOptions, source.describe(), metadata,
        plan.parts().stream().map(ParquetParts.Part::checkpointName).toList(), checked.listWithWritetimes());
    List<Integer> todo = run.todo();
    int count = todo.size();
    int wanted = Math.max(1, Math.min(count,
        options.tasks() > 0 ? options.tasks() : 3 * context().defaultParallelism()));
    List<ImportSource> taskSources = new ArrayList<>();
    List<List<Integer>> assignment = new ArrayList<>();
    for (int i = 0; i < Math.min(wanted, count); i++) {
      List<Integer> groups = todo.subList(i * count / wanted, (i + 1) * count / wanted);
      taskSources.add(plan.all().only(groups.stream().map(plan.parts()::get).toList()));
      assignment.add(groups);
    }
    LOG.info("{}: {} row groups ({} done before) in {} tasks", what, plan.parts().size(),
        plan.parts().size() - count, taskSources.size());
    return runImport(what, metadata, checked, importOptions, taskSources, assignment, run, plan.rows(), started);
  }

  /**
   * The job of an import: counts the target before, runs one task per source part, merges the bad records, counts
   * after (and reads the target back for a checksum when asked and the target was empty), and checks the error
   * budget and the verification.
   *
   * @param columns the target's columns the import writes
   * @param splitsOfTask the splits (indices into {@code run}'s) each task reads
   * @param run the checkpoint, if any, and the target's rows before
   */
  private ImportResult runImport(String what, TableMetadata metadata, ImportOperation.Part checked,
      ImportOptions importOptions, List<ImportSource> taskSources, List<List<Integer>> splitsOfTask, ImportRun run,
      long sourceRows, long started) {
    String keyspace = metadata.getKeyspace().asInternal();
    String table = metadata.getName().asInternal();
    boolean counter = Tables.isCounterTable(metadata);
    if (counter) {
      checkCounterImport(what, metadata, importOptions);
    }
    boolean verify = importOptions.verification() != Verification.NONE;
    long before = run.before();
    List<Integer> splitsPerTask = splitsOfTask.stream().map(List::size).toList();
    int concurrent = Math.max(1, Math.min(taskSources.size(), context().defaultParallelism()));
    java.nio.file.Path named = importOptions.badRecordsFile();
    java.nio.file.Path parts = named == null ? null
        : BadRecordParts.directory(named, UUID.randomUUID().toString().substring(0, 8));
    if (parts != null) {
      BadRecordParts.create(named, parts);
    }
    // The job's ceiling of writes in flight grows with the data center written to, as a single JVM's import does.
    int nodes = Tables.nodeCount(connection.session(), connection.localDatacenter());
    String list = checked.listWithWritetimes();
    List<String> columns = checked.columns();
    ImportJob.Settings settings = ImportJob.Settings.of(importOptions, concurrent, nodes, parts, list);
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    JobProgress job = new JobProgress(progress, run.splits().size(), run.splits().size() - run.todo().size());
    // By task, in task order (the bad records are appended in that order), filled as tasks succeed.
    java.util.concurrent.atomic.AtomicReferenceArray<ImportJob.TaskImport> byTask =
        new java.util.concurrent.atomic.AtomicReferenceArray<>(taskSources.size());
    if (!taskSources.isEmpty()) {
      try {
      run(what, (counter ? "; the counts added so far stay added: truncate " + RangeQuery.qualified(
              metadata.getKeyspace(), metadata.getName()) + " and import into the empty table (running this import "
              + "again would add them twice)" : list != null ? "; " + ImportOperation.rewriteWarning(
                  RangeQuery.qualified(metadata.getKeyspace(), metadata.getName()), list)
              : "; the rows written so far stay in the table")
              + (run.checkpoint() == null || list != null ? "" : "; resume it from checkpoint "
                  + run.checkpoint().file())
              + (parts == null ? "" : "; the bad records of the tasks that succeeded are in " + named
                  + ", those of the failed attempts in " + parts),
          () -> new ImportResult(0, 0, 0, 0, 0, null, elapsed(started), ImportJob.metrics(List.of()),
              VerificationResult.notRun()), () -> {
            SparkJobs.runEach(context(), JavaSparkContext.fromSparkContext(context())
                    .parallelize(taskSources, taskSources.size()),
                source -> ImportJob.importTask(conn, opts, keyspace, table, source, settings), (partition, r) -> {
                  byTask.set(partition, r);
                  run.taskSucceeded(splitsOfTask.get(partition), r);
                  job.taskEnded(partition, splitsPerTask.get(partition), r.rows(), r.limits());
                });
            return null;
          });
      } catch (RuntimeException e) {
        if (parts != null) {
          // The succeeded tasks' splits are done (recorded in the checkpoint, if any): their bad records go to the
          // named file now, as a single JVM's do, so that a resume's are appended to them.
          List<String> succeeded = new ArrayList<>();
          for (int i = 0; i < byTask.length(); i++) {
            if (byTask.get(i) != null) {
              succeeded.add(byTask.get(i).badRecordsFile());
            }
          }
          try {
            BadRecordParts.mergeSucceeded(named, parts, succeeded);
          } catch (RuntimeException merge) {
            e.addSuppressed(merge);
          }
        }
        throw e;
      }
    }
    List<ImportJob.TaskImport> results = new ArrayList<>();
    for (int i = 0; i < byTask.length(); i++) {
      results.add(byTask.get(i));
    }
    long read = 0;
    long written = 0;
    long bad = 0;
    long writeFailures = 0;
    long sourceSum = 0;
    List<String> badParts = new ArrayList<>();
    for (ImportJob.TaskImport t : results) {
      sourceSum += t.checksum();
      read += t.rowsRead();
      written += t.rows();
      bad += t.badRecords();
      writeFailures += t.writeFailures();
      badParts.add(t.badRecordsFile());
    }
    SparkJobs.logLimits(what, results.stream().map(ImportJob.TaskImport::limits).toList());
    java.nio.file.Path badFile = parts == null ? null : BadRecordParts.merge(named, parts, badParts);
    if (parts == null && bad > 0) {
      // Without a named file each task kept its bad records in a temporary file of its executor's host: say where.
      LOG.warn("{}: {} rows were bad records, kept in temporary files of the executors' hosts: {} (name a file with "
          + "ImportOptions.withBadRecordsFile, --bad-records FILE, to have them in one file)", what, bad,
          badParts.stream().filter(java.util.Objects::nonNull).toList());
    }
    // Bad records of the splits earlier runs finished were not written either: counted here (see ImportOperation).
    long earlierBad = run.earlier().bad();
    VerificationResult verification = VerificationResult.notRun();
    if (verify) {
      String step = ImportOperation.COUNT_AFTER;
      try {
        long after = verifier(ImportOperation.COUNT_AFTER, importOptions.consistencyLevel()).count(keyspace, table)
            .rows();
        Long targetSum = null;
        boolean checksum = importOptions.verification() == Verification.COUNT_AND_CHECKSUM && before == 0;
        if (checksum) {
          step = ImportOperation.CHECKSUM;
          targetSum = targetChecksum(what, keyspace, table, columns, importOptions);
        }
        ImportCheckpoint.Done earlier = run.earlier();
        verification = new VerificationResult(importOptions.verification(), sourceRows, read + earlier.read(),
            written + earlier.written(), before, after, checksum ? sourceSum + earlier.checksum() : null, targetSum);
      } catch (RuntimeException e) {
        if (e instanceof BulkOperationException b && b.partialResult() instanceof ImportResult) {
          throw e;
        }
        // Every row is written by now: say so, with the import's result, rather than let the count's failure stand
        // for the import's (as ImportOperation does).
        ImportResult partial = new ImportResult(read + earlierBad, written, bad + earlierBad + writeFailures,
            bad + earlierBad, writeFailures, badFile, elapsed(started), ImportJob.metrics(results),
            VerificationResult.notRun());
        throw new BulkOperationException(String.format("%s wrote %s rows, but could not verify them: reading the %s "
            + "failed: %s", what, written, step, e.getMessage()), partial, List.of(), e);
      }
    }
    if (earlierBad > 0) {
      LOG.warn("{}: earlier runs sent {} rows of the splits they finished to their bad-records file: they are counted "
          + "among this result's bad records", what, earlierBad);
    }
    ImportResult result = new ImportResult(read + earlierBad, written, bad + earlierBad + writeFailures,
        bad + earlierBad, writeFailures, badFile, elapsed(started), ImportJob.metrics(results), verification);
    // The whole import's budget, as in a single JVM: earlier runs' rows read count too.
    if (importOptions.errorBudget().isExceededAtEnd(result.failed(), read + run.earlier().read())) {
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

  /**
   * Before anything of an import whose source gives write times for the list column {@code list} (non-null) is done
   * (a count, a checkpoint, a bad-records directory): refuses {@code spark.speculation}, since a speculative copy of a
   * task would write its rows a second time and garble their lists.
   */
  private void refuseSpeculativeRewrites(String what, String list) {
    if (list != null && context().conf().getBoolean("spark.speculation", false)) {
      throw new IllegalArgumentException(String.format("%s: invalid spark.speculation: true (a speculative copy of a "
          + "task would write its rows a second time, and %s; set spark.speculation=false for this import)", what,
          ImportOperation.listWrittenTwice(list)));
    }
  }

  /**
   * Before any task of an import into a counter table: the table is empty, or the caller chose to add to its counts
   * ({@link ImportOptions#withCounterTarget}), checked once here rather than by each task (which would find the
   * counts of the tasks before it); and Spark does not run speculative copies of tasks, each of which would add
   * its counts again. A task attempt that is not its task's first refuses to run ({@link ImportJob#importTask}).
   *
   * @throws IllegalArgumentException if {@code spark.speculation} is on
   * @throws IllegalStateException if the table holds rows and the options do not add to them
   */
  private void checkCounterImport(String what, TableMetadata metadata, ImportOptions importOptions) {
    if (context().conf().getBoolean("spark.speculation", false)) {
      throw new IllegalArgumentException(String.format("%s: invalid spark.speculation: true (a speculative copy of a "
          + "task would add its counts to the counter table a second time; set spark.speculation=false for this "
          + "import)", what));
    }
    ImportOperation.checkCounterTarget(SparkJobs.context(planner()), metadata, importOptions);
  }

  /**
   * The checksum of the imported columns of the whole target, read back by a job whose tasks each read their pieces
   * of the ring (tasks and locality as a count's).
   */
  private long targetChecksum(String what, String keyspace, String table, List<String> columns,
      ImportOptions importOptions) {
    RangePlan plan = planner().plan(keyspace, table);
    List<TaskPieces> tasks = tasks(plan, plan, keyspace, table);
    CassandraConnection conn = connection;
    SparkOptions opts = options;
    String consistency = importOptions.consistencyLevel().name();
    List<String> names = List.copyOf(columns);
    JobProgress job = new JobProgress(VerificationListener.ofTaskSummaries(progress, ImportOperation.CHECKSUM),
        plan.pieceCount(), 0);
    List<ChecksumJob.TaskChecksum> sums = java.util.Collections.synchronizedList(new ArrayList<>());
    run(what + ": verification", "", () -> VerificationResult.notRun(), () -> {
      SparkJobs.runEach(context(), SparkJobs.partitions(context(), tasks),
          t -> ChecksumJob.checksumTask(conn, opts, keyspace, table, consistency, names, t), (partition, r) -> {
            sums.add(r);
            job.taskEnded(partition, tasks.get(partition).pieces().size(), r.rows(), r.limits());
          });
      return null;
    });
    return ChecksumJob.sum(what, sums);
  }

  private static void checkResume(ImportOptions importOptions) {
    if (importOptions.resume() == Resume.RESUME && importOptions.checkpointFile() == null) {
      throw new IllegalArgumentException(
          "Invalid resume: RESUME needs a checkpoint file (ImportOptions.withCheckpointFile)");
    }
  }

  /**
   * These jobs for the import verification's read named {@code read}: they tell the caller's listener their tasks'
   * limits, each summary's detail naming the read, but not their progress, which follows the import's splits
   * ({@link VerificationListener#ofTaskSummaries}). They read at {@code level}, the import's (as a single JVM's
   * verification does): a count at the jobs' own read level (LOCAL_ONE by default) could miss rows a lagging replica
   * has not yet, and fail a correct import, or take a stale count before it.
   */
  RingsweepSpark verifier(String read, com.datastax.oss.driver.api.core.ConsistencyLevel level) {
    return new RingsweepSpark(spark, connection,
        options.withConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.valueOf(level.name())),
        VerificationListener.ofTaskSummaries(progress, read));
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

  /**
   * The tasks of {@code todo}, the part of {@code plan} left to do (all of it but on a resume): as many as
   * {@link TaskSizing} chooses for the whole plan, in proportion to the part left.
   */
  private List<TaskPieces> tasks(RangePlan plan, RangePlan todo, String keyspace, String table) {
    java.util.OptionalLong bytes = java.util.OptionalLong.empty();
    if (options.tasks() == 0) {
      bytes = TaskSizing.tableBytes(TaskSizing.read(connection.session(),
          Tables.identifier("keyspace", keyspace).asInternal(), Tables.identifier("table", table).asInternal(),
          connection.requestTimeout()));
    }
    int wanted = TaskSizing.tasks(options, plan.pieceCount(), context().defaultParallelism(), bytes);
    if (options.tasks() == 0 && todo.pieceCount() < plan.pieceCount()) {
      wanted = (int) Math.ceil(wanted * (double) todo.pieceCount() / plan.pieceCount());
    }
    LOG.debug("{}.{}: estimated size {} bytes, {} tasks wanted", keyspace, table, bytes, wanted);
    return TaskPieces.cut(todo, Math.min(Math.max(1, wanted), todo.pieceCount()));
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

  private static String firstLine(Throwable e) {
    String message = e == null ? "unknown error" : String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline > 0 ? message.substring(0, newline) : message;
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
