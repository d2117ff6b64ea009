package dev.ringsweep.internal.export;

import dev.ringsweep.OperatorOptions;
import dev.ringsweep.internal.LimitMemory;
import dev.ringsweep.internal.OperationContext;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.Resume;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinitions;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.Retrying;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.TargetFormat;
import dev.ringsweep.internal.export.TargetFormats;
import dev.ringsweep.internal.export.TargetLock;
import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.internal.format.OnDisk;
import dev.ringsweep.internal.Preflight;
import dev.ringsweep.internal.RangeExecutor;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.TokenCoverage;
import dev.ringsweep.token.TokenRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one export: plans the work left (all planned token ranges, less what a resumed checkpoint has done), lets
 * {@link ExportOptions#writers()} worker threads each take ranges, query them page by page and write the rows into
 * their own files, records finished intervals and files in the checkpoint, and publishes the output at the end
 * (for Iceberg: one commit). Use it through {@link TokenAwareBulkOperator#export}.
 */
public final class ExportOperation {

  private static final Logger LOG = LoggerFactory.getLogger(ExportOperation.class);

  private ExportOperation() {}

  /**
   * Exports {@code table} over the token ranges of {@code plan}; called by {@link TokenAwareBulkOperator#export}.
   *
   * @throws BulkOperationException if some ranges could not be exported; its partial result is an
   *     {@link ExportResult}, and the checkpoint (if any) lets a run with {@link Resume#RESUME} continue
   */
  public static ExportResult run(OperationContext context, TableMetadata table, RangePlan plan,
      ExportTarget target, ExportOptions exportOptions) {
    CqlSession session = context.session();
    OperatorOptions options = context.options();
    ProgressListener progress = context.progress();
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(exportOptions, "exportOptions");
    long started = System.nanoTime();
    ExportColumns selection = ExportColumns.of(table, exportOptions);
    RangeQuery query = RangeQuery.of(table, selection.selection());
    PreparedStatement exclusive = Retrying.prepare(session, RangeQuery.toPrepare(query.exclusiveCql(), options), options);
    PreparedStatement inclusive = Retrying.prepare(session, RangeQuery.toPrepare(query.inclusiveCql(), options), options);
    // Errors every range would hit (no SELECT permission...) surface here, before the output is touched.
    Preflight.run(session, exclusive, options.consistencyLevel(), options.requestTimeout());
    List<CqlColumn> columns = new ArrayList<>();
    ColumnDefinitions definitions = exclusive.getResultSetDefinitions();
    for (int i = 0; i < definitions.size(); i++) {
      columns.add(new CqlColumn(selection.names().get(i), definitions.get(i).getType()));
    }
    TargetFormat targetFormat = TargetFormats.of(target);
    targetFormat.checkColumns(columns);
    String source = RangeQuery.qualified(table.getKeyspace(), table.getName());
    Map<String, String> properties = new LinkedHashMap<>(OnDisk.typeProperties(columns));
    properties.put(OnDisk.SOURCE_PROPERTY, source);
    properties.put(OnDisk.TABLE_PROPERTY, table.describe(false));
    String runId = UUID.randomUUID().toString().substring(0, 8);

    Path checkpointFile = exportOptions.checkpointFile() != null ? exportOptions.checkpointFile()
        : targetFormat.defaultCheckpointFile();
    String format = targetFormat.describeFormat();
    Path lockFile = targetFormat.lockFile(checkpointFile);
    boolean resume = exportOptions.resume() == Resume.RESUME;
    boolean resumable = resume && Checkpoint.exists(checkpointFile);
    if (resumable) {
      // A checkpoint to resume is checked (same table, columns, format) before anything is written...
      loadCheckpoint(checkpointFile, targetFormat, source, selection.names(), format, runId);
    }
    targetFormat.createLocation();
    // One run at a time per target: a second one would write every row again beside the first's.
    try (TargetLock lock = lockFile == null ? null : TargetLock.acquire(lockFile, target.describe())) {
      // ... and read again under the lock: a run that ended meanwhile may have recorded more.
      Checkpoint resumed = resumable
          ? loadCheckpoint(checkpointFile, targetFormat, source, selection.names(), format, runId) : null;
      try (OutputFormat output = targetFormat.open(columns, properties, runId, resume)) {
        Checkpoint checkpoint = null;
        if (resumed != null) {
          checkpoint = resumed;
          output.checkFinished(checkpointFile, checkpoint.files());
          output.deleteStrays(checkpoint.runs(), checkpoint.files());
          if (checkpoint.isComplete()) {
            LOG.info("Export of {} to {} was already complete; nothing to do", source, target.describe());
            return new ExportResult(0, 0, 0, plan.pieceCount(), plan.pieceCount(), elapsed(started));
          }
        } else {
          if (resume && output.holdsOutput()) {
            throw new IllegalStateException(String.format(
                "Cannot resume the export of %s to %s: it already holds output but no checkpoint%s records which "
                    + "of it is finished; %s", source, target.describe(),
                checkpointFile == null ? "" : " (" + checkpointFile + ")", targetFormat.startAfresh()));
          }
          if (checkpointFile != null) {
            Checkpoint.discardUnfinished(checkpointFile, output);
            checkpoint = Checkpoint.fresh(checkpointFile, targetFormat.fileBase(), source,
                target.describe(), format, selection.names(), runId);
          }
        }
        if (checkpoint != null) {
          // This run is on record before its first data file exists: whatever it leaves behind if it is killed is
          // known as its own, and a resume deletes it.
          checkpoint.save();
        }
        return write(session, options, progress, context.limits(), plan, target, targetFormat.commits(),
            exportOptions, exclusive, inclusive, source, checkpointFile, output, checkpoint, started);
      }
    }
  }

  private static Checkpoint loadCheckpoint(Path file, TargetFormat target, String source, List<String> columns,
      String format, String runId) {
    return Checkpoint.load(file, target.fileBase(), source, columns, format, runId, target.startAfresh());
  }

  /**
   * The planned ranges still to export, each with its parts not yet {@code done} (a resume skips what a checkpoint
   * holds), in the order the writers take them: round-robin across the plan's replica sets
   * ({@link RangePlan#interleaved()}), as a count queries them. In the plan's own order, group by group, every writer
   * would read from the same replica set at once: one node serving the whole export while the others idle, and under
   * an adaptive limit per replica set that set's limit holding every writer back.
   */
  static List<ExportWorkers.Item> toExport(RangePlan plan, TokenCoverage done) {
    List<ExportWorkers.Item> items = new ArrayList<>();
    for (TokenRange piece : plan.interleaved()) {
      List<TokenRange> left = done.remaining(piece);
      if (!left.isEmpty()) {
        items.add(new ExportWorkers.Item(piece, left));
      }
    }
    return items;
  }

  private static ExportResult write(CqlSession session, OperatorOptions options,
      ProgressListener progress, LimitMemory limits, RangePlan plan, ExportTarget target, boolean commits,
      ExportOptions exportOptions, PreparedStatement exclusive, PreparedStatement inclusive, String source,
      Path checkpointFile, OutputFormat output, Checkpoint checkpoint, long started) {
    TokenCoverage done = checkpoint == null ? new TokenCoverage() : checkpoint.done();
    ConcurrentLinkedQueue<ExportWorkers.Item> queue = new ConcurrentLinkedQueue<>(toExport(plan, done));
    int skipped = plan.pieceCount() - queue.size();
    LOG.info("Exporting {} to {}: {} token ranges, {} already done, {} writers", source, target.describe(),
        plan.pieceCount(), skipped, exportOptions.writers());
    ExportWorkers workers = new ExportWorkers(session, options, progress, limits, exclusive, inclusive, output,
        checkpoint, queue, plan.pieceCount(), skipped, exportOptions, RangeExecutor.replicaSets(plan));
    ExportWorkers.Outcome outcome = workers.run();
    if (outcome.failure() != null) {
      if (checkpoint == null) {
        output.discard(outcome.files());
      }
      ExportResult partial = new ExportResult(outcome.rows(), outcome.bytes(), outcome.files().size(),
          plan.pieceCount(), skipped, elapsed(started));
      String what = outcome.failure() instanceof InterruptedException ? "was interrupted with %s of %s token ranges left"
          : "failed for %s of %s token ranges";
      throw new BulkOperationException(
          String.format("Export of %s to %s " + what + " (%s rows in finished files; %s): %s",
              source, target.describe(), outcome.unfinished().size(), plan.pieceCount(), outcome.rows(),
              checkpoint == null ? "nothing was published" : "resume it from checkpoint " + checkpointFile
                  + (commits ? ", nothing was committed" : ""),
              outcome.failure()),
          partial, outcome.unfinished(), outcome.failure());
    }
    List<WrittenFile> all = checkpoint == null ? outcome.files() : checkpoint.files();
    if (checkpoint != null && output.committed(checkpoint.runs())) {
      // An earlier run committed these files and stopped before its checkpoint said so: committing them again would
      // publish their rows twice.
      LOG.warn("{} already holds the commit of an earlier run of this export (runs {}), made before checkpoint {} "
          + "could record it: marking the checkpoint complete, committing nothing again", target.describe(),
          checkpoint.runs(), checkpointFile);
    } else {
      output.commit(all);
    }
    if (checkpoint != null) {
      checkpoint.markComplete();
    }
    ExportResult result = new ExportResult(outcome.rows(), outcome.bytes(), outcome.files().size(),
        plan.pieceCount(), skipped, elapsed(started));
    LOG.info("Exported {} rows of {} to {} in {} ({} files)", result.rows(), source, target.describe(),
        result.duration(), result.files());
    return result;
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
