package dev.ringsweep.internal.imports;

import dev.ringsweep.internal.OperationContext;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.count.CountOperation;
import dev.ringsweep.imports.CounterTarget;
import dev.ringsweep.imports.CsvSource;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.imports.JsonLinesSource;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.imports.VerificationResult;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.batch.BatchMetrics;
import dev.ringsweep.batch.BatchMode;
import dev.ringsweep.LimitChange;
import dev.ringsweep.batch.BatchKind;
import dev.ringsweep.batch.BatchListener;
import dev.ringsweep.batch.BatchWriter;
import dev.ringsweep.batch.BatchWriterOptions;
import dev.ringsweep.export.Resume;
import dev.ringsweep.internal.imports.SourceReader;
import dev.ringsweep.internal.imports.SourceReaderProvider;
import dev.ringsweep.token.TokenRange;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one import: opens the source, checks its columns against the target table before writing anything
 * ({@link ImportPlan}), reads its splits in parallel and writes the rows through a {@link BatchWriter}
 * ({@link ImportWorkers}), records bad rows, stops when the error budget is exceeded, and verifies the target by
 * token-range count (and checksum) at the end. Use it through {@link TokenAwareBulkOperator#importFrom}.
 */
public final class ImportOperation {

  private static final Logger LOG = LoggerFactory.getLogger(ImportOperation.class);

  /** The verification read that counts the target before the import (see {@link VerificationListener}). */
  public static final String COUNT_BEFORE = "row count of the target before the import";
  /** The verification read that counts the target after the import. */
  public static final String COUNT_AFTER = "row count of the target";
  /** The verification read that reads the target back for its checksum. */
  public static final String CHECKSUM = "checksum of the target";

  private ImportOperation() {}

  /**
   * What the read-back of a target found: its rows in the pieces read, and their {@link Checksum} of the imported
   * columns.
   */
  public record TargetSum(long rows, long checksum) {}

  /**
   * Imports {@code source} into {@code table}; called by {@link TokenAwareBulkOperator#importFrom}.
   *
   * @throws IllegalArgumentException if the source does not exist, or its columns do not fit the table (the message
   *     names every column that is missing, unknown or of an incompatible type, with both types); nothing is written
   * @throws BulkOperationException if the error budget was exceeded, a split could not be read, or the verification
   *     found a mismatch; it carries the {@link ImportResult} so far
   */
  public static ImportResult run(OperationContext context, TableMetadata table, ImportSource source,
      ImportOptions options) {
    return execute(context, table, source, options, true).result();
  }

  /**
   * What one part of a distributed import (a Spark task's splits) did.
   *
   * @param result the part's figures, with no verification
   * @param sourceChecksum the {@link Checksum} of the rows the part wrote, 0 unless the options ask for
   *     {@link Verification#COUNT_AND_CHECKSUM}
   * @param columns the target's columns the import writes, in the order the checksum covers them
   * @param listWithWritetimes a list column (as CQL) the source gives write times for, or null: the rows of such an
   *     import are garbled when written twice, so a part that may have written some must not run again
   *     ({@link #listWrittenTwice})
   */
  public record Part(ImportResult result, long sourceChecksum, List<String> columns, String listWithWritetimes) {}

  /**
   * Why rows of an import must not be written twice when its source gives write times for {@code list} (a list
   * column as CQL, from {@link Part#listWithWritetimes}), for a message that goes on with ", so ...".
   */
  public static String listWrittenTwice(String list) {
    return String.format("list column %s is written with the source's write times (column %s_writetime), and a list "
        + "written twice with one write time holds its elements twice", list,
        CqlIdentifier.fromCql(list).asInternal());
  }

  /**
   * Imports {@code source}, one part of a larger import, into {@code table} without verifying it: no count before or
   * after and no read-back, since the caller verifies the whole import once. With
   * {@link Verification#COUNT_AND_CHECKSUM} it computes the checksum of the rows it writes, to be summed with the
   * other parts' and compared with {@link #targetChecksum}. Resume and checkpoints are not supported here, and a
   * counter table is not checked for rows ({@link #checkCounterTarget}: the caller checks once).
   *
   * @throws IllegalArgumentException as {@link #run}, or if the options name a checkpoint
   * @throws BulkOperationException as {@link #run}, except for the verification
   */
  public static Part runPart(OperationContext context, TableMetadata table, ImportSource source,
      ImportOptions options) {
    if (options.resume() == Resume.RESUME || options.checkpointFile() != null) {
      throw new IllegalArgumentException(String.format("Unsupported in a part of an import: resume %s, checkpoint "
          + "file %s", options.resume(), options.checkpointFile()));
    }
    return execute(context, table, source, options, false);
  }

  /**
   * The {@link Checksum} of the given columns of every row of {@code table} in {@code pieces}, read by token range
   * (as an import's verification reads the target back); summed over a partition of the ring it equals the
   * checksum of the whole table. Its progress (pieces done of {@code pieces}, rows so far), retries, splits and
   * limits go to the context's listener.
   *
   * @throws BulkOperationException if some pieces cannot be read; it names them
   */
  public static TargetSum targetChecksum(OperationContext context, TableMetadata table, List<String> columns,
      List<TokenRange> pieces) {
    String target = ImportPlan.qualified(table);
    List<com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata> metadata = columns.stream()
        .map(name -> table.getColumn(CqlIdentifier.fromInternal(name))
            .orElseThrow(() -> new IllegalArgumentException(String.format("Unknown column %s of %s", name, target))))
        .toList();
    return TargetChecksum.compute(context, table, metadata, pieces, range -> LimitChange.ALL,
        (message, ranges, cause) -> new BulkOperationException("Verification of the import into " + target
            + " failed: " + message, VerificationResult.notRun(), ranges, cause));
  }

  /**
   * {@code verifier} for the verification read named {@code read}: it reports to the caller's listener as the import's
   * writes do (its limit, each start naming the read, its retries and splits), but not its progress
   * ({@link VerificationListener}).
   */
  private static OperationContext verifying(OperationContext verifier, String read) {
    return verifier.withProgress(VerificationListener.of(verifier.progress(), read));
  }

  private static Part execute(OperationContext context, TableMetadata table, ImportSource source,
      ImportOptions options, boolean whole) {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(options, "options");
    long started = System.nanoTime();
    String target = ImportPlan.qualified(table);
    try (SourceReader reader = open(source, options.readers())) {
      ImportPlan plan = ImportPlan.of(table, reader.columns(), reader.format(), reader.describe());
      if (options.batchMode() == BatchMode.COUNTER && !plan.counterTable()) {
        throw new IllegalArgumentException(
            String.format("Invalid batch mode: COUNTER (%s has no counter column)", target));
      }
      BatchWriterOptions writerOptions = options.writerOptions(plan.counterTable());
      RowStatements statements = new RowStatements(context.session(), plan, options.consistencyLevel(),
          context.options());
      // The verification's reads report their limits, retries and splits to the caller's listener, but not their
      // progress: that follows the import's splits (see verifying).
      OperationContext verifier = context.withConsistencyLevel(options.consistencyLevel());
      ImportCheckpoint checkpoint = resumed(options, reader.describe(), target, plan);
      boolean resuming = checkpoint != null;
      if (plan.counterTable() && whole) {
        // A part's caller checks once for the whole import: each part checking would find the counts of the parts
        // written before it.
        checkCounterTarget(context, table, options);
      }
      long before;
      if (checkpoint != null) {
        before = checkpoint.targetRowsBefore();
      } else {
        before = !whole || options.verification() == Verification.NONE && options.checkpointFile() == null ? -1
            : CountOperation.count(verifying(verifier, COUNT_BEFORE), table).rows();
        if (options.checkpointFile() != null) {
          checkpoint = ImportCheckpoint.fresh(options.checkpointFile(), reader.describe(), target, before);
        }
      }
      if (checkpoint != null) {
        checkpoint.startRun(options.verification());
      }
      if (before > 0 && !resuming && plan.listWithWritetimes() != null) {
        LOG.warn("{} holds {} rows before the import, and {}: a row it holds already with the write time the source "
            + "gives is garbled", target, before, listWrittenTwice(plan.listWithWritetimes()));
      }
      // What earlier runs of a resumed import wrote, in the splits they finished.
      ImportCheckpoint.Done earlier = checkpoint == null ? new ImportCheckpoint.Done(0, 0, 0) : checkpoint.total();
      Path badFile = options.badRecordsFile() != null ? options.badRecordsFile()
          : Path.of(System.getProperty("java.io.tmpdir"), String.format("ringsweep-bad-records-%s.%s-%s.jsonl",
              table.getKeyspace().asInternal(), table.getName().asInternal(),
              UUID.randomUUID().toString().substring(0, 8)));
      LOG.info("Importing {} into {}: {} splits, {} readers, {} batches", reader.describe(), target,
          reader.splits().size(), options.readers(), writerOptions.mode());
      ImportWorkers.Outcome outcome;
      List<TokenRange> failedRanges;
      BatchMetrics metrics;
      Path written;
      try (BadRecords bad = new BadRecords(badFile)) {
        bad.checkWritable(); // before the first row is written, not at the first bad one
        ImportWorkers workers = new ImportWorkers(reader, plan, statements, bad, options, context.progress(),
            checkpoint, FailedRanges.locator(context.session(), table.getKeyspace(),
                context.options().localDatacenter()));
        // An adaptive ceiling per node grows with the data center written to (ImportOptions.maxInFlightFor).
        int maxInFlight = options.maxInFlightFor(
            Tables.nodeCount(context.session(), context.options().localDatacenter()));
        try (BatchWriter writer = BatchWriter.builder(context.session())
            .batchType(writerOptions.mode())
            .grouping(writerOptions.grouping())
            .maxInFlight(maxInFlight)
            .concurrency(writerOptions.concurrency())
            .listener(new BatchListener() {
              @Override
              public void onLimitChanged(LimitChange change) {
                context.progress().onLimitChanged(change);
              }

              @Override
              public void onRetry(BatchKind kind, int statements, int retry, Throwable cause) {
                context.progress().onWriteRetry(statements, retry, cause);
              }
            })
            .maxStatementsPerSecond(writerOptions.maxStatementsPerSecond())
            .maxRetries(writerOptions.maxRetries())
            .rememberLimits(context.limits().keeps()) // the operator's OperatorBuilder.rememberLimits
            .onFailure(workers::onWriteFailure)
            .build()) {
          outcome = workers.run(writer);
          writer.flush();
          failedRanges = workers.failedRanges();
          metrics = writer.metrics();
        }
        written = bad.fileIfWritten();
      }
      if (earlier.bad() > 0) {
        LOG.warn("Earlier runs of this import (checkpoint {}) sent {} rows of the splits they finished to their "
            + "bad-records file: they are counted among this result's bad records", checkpoint.file(), earlier.bad());
      }
      Results result = new Results(outcome, metrics, written != null || earlier.bad() == 0 ? written
          : options.badRecordsFile(), started, earlier.bad());
      String resume = plan.counterTable()
          ? "; the counts written so far stay added: do not run this import again on " + target
              + " (a second run adds them twice), truncate it and import into the empty table"
          : plan.listWithWritetimes() != null ? "; " + rewriteWarning(target, plan.listWithWritetimes())
          : checkpoint == null ? "" : "; resume it from checkpoint " + checkpoint.file();
      String notSent = outcome.notSent() == 0 ? ""
          : String.format(" (%s rows read were not sent: their writes were cancelled when it stopped)",
              outcome.notSent());
      if (outcome.fatal() != null) {
        ImportResult partial = result.build(VerificationResult.notRun());
        throw new BulkOperationException(String.format("Import of %s into %s failed after %s rows written%s%s: %s",
            reader.describe(), target, outcome.written(), notSent, resume, outcome.fatal().getMessage()), partial,
            failedRanges, outcome.fatal());
      }
      // The budget is the whole import's: earlier runs' bad records and rows read count too.
      long failed = outcome.badRecords() + outcome.writeFailures() + earlier.bad();
      if (outcome.budgetExceeded()
          || options.errorBudget().isExceededAtEnd(failed, outcome.read() + earlier.read())) {
        ImportResult partial = result.build(VerificationResult.notRun());
        throw new BulkOperationException(String.format(
            "Import of %s into %s %s: %s failed rows (%s bad records, %s write failures) out of %s read exceed "
                + "the error budget of %s; %s rows written%s; bad records in %s%s%s", reader.describe(), target,
            outcome.budgetExceeded() ? "stopped" : "finished, but failed", partial.failed(), partial.badRecords(),
            partial.writeFailures(), partial.rowsRead(), options.errorBudget(), partial.rows(), notSent,
            partial.badRecordsFile(), failedRanges.isEmpty() ? ""
                : "; the write failures lie in " + failedRanges.size() + " token ranges", resume),
            partial, failedRanges, null);
      }
      List<String> columns = plan.columns().stream().map(ImportPlan.Column::name).toList();
      if (!whole) {
        return new Part(result.build(VerificationResult.notRun()), outcome.checksum(), columns,
            plan.listWithWritetimes());
      }
      VerificationResult verification = VerificationResult.notRun();
      if (options.verification() != Verification.NONE) {
        String step = COUNT_AFTER;
        try {
          long after = CountOperation.count(verifying(verifier, COUNT_AFTER), table).rows();
          Long sourceSum = null;
          Long targetSum = null;
          if (options.verification() == Verification.COUNT_AND_CHECKSUM && before == 0) {
            step = CHECKSUM;
            sourceSum = outcome.checksum() + earlier.checksum();
            dev.ringsweep.token.RangePlan ring = verifier.plan(table.getKeyspace(), table.getName());
            targetSum = TargetChecksum.compute(verifying(verifier, CHECKSUM), table,
                plan.columns().stream().map(ImportPlan.Column::target).toList(),
                ring.interleaved(), dev.ringsweep.internal.RangeExecutor.replicaSets(ring), (message, ranges, cause) ->
                new BulkOperationException("Verification of the import into " + target + " failed: " + message,
                    result.build(VerificationResult.notRun()), ranges, cause)).checksum();
          }
          verification = new VerificationResult(options.verification(), reader.metadataRowCount(),
              outcome.read() + earlier.read(), outcome.written() + earlier.written(), before, after, sourceSum,
              targetSum);
        } catch (RuntimeException e) {
          if (e instanceof BulkOperationException b && b.partialResult() instanceof ImportResult) {
            throw e;
          }
          // Every row is written by now: say so, with the import's result, rather than let a count's failure (or a
          // driver error) stand for the import's.
          ImportResult partial = result.build(VerificationResult.notRun());
          // Every row was written: nothing to truncate or import again (rows with list write times must not be
          // written again, and their import is not resumed: it is said so).
          String after = plan.listWithWritetimes() == null ? resume : "; do not run this import again over them "
              + "(nor resume it): " + listWrittenTwice(plan.listWithWritetimes());
          throw new BulkOperationException(String.format("Import of %s into %s wrote %s rows, but could not verify "
                  + "them: reading the %s failed: %s%s", reader.describe(), target, partial.rows(), step,
              e.getMessage(), after), partial, List.of(), e);
        }
      }
      ImportResult done = result.build(verification);
      if (!verification.matches()) {
        throw new BulkOperationException(String.format("Verification of the import of %s into %s failed: %s",
            reader.describe(), target, verification.describe()), done, List.of(), null);
      }
      if (done.failed() > 0) {
        LOG.warn("Imported {} rows of {} into {}; {} rows failed (see {})", done.rows(), reader.describe(), target,
            done.failed(), done.badRecordsFile());
      } else {
        LOG.info("Imported {} rows of {} into {} in {} ({})", done.rows(), reader.describe(), target,
            done.duration(), verification.describe());
      }
      return new Part(done, outcome.checksum(), columns, plan.listWithWritetimes());
    }
  }

  /**
   * Refuses a counter table that already holds rows unless the caller chose to add to it: counter writes add up, so
   * the import would add the source's counts to the stored ones, and a second run of it would count every row twice.
   * {@link #run} checks this itself; the caller of {@link #runPart} checks it once, before any part is written.
   *
   * @throws IllegalStateException if the table holds rows and {@code options} do not add to existing counts
   */
  public static void checkCounterTarget(OperationContext context, TableMetadata table,
      ImportOptions options) {
    String target = ImportPlan.qualified(table);
    if (options.counterTarget() == CounterTarget.ADD_TO_EXISTING) {
      LOG.warn("Importing into counter table {}: the source's counts are added to those already there; running "
          + "this import again would add them again", target);
      return;
    }
    boolean holdsRows = dev.ringsweep.internal.Retrying.execute(context.session(),
        com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance("SELECT * FROM " + target + " LIMIT 1")
            .setConsistencyLevel(options.consistencyLevel())
            .setTimeout(context.options().requestTimeout())
            .setIdempotent(true), context.options()).one() != null;
    if (holdsRows) {
      throw new IllegalStateException(String.format("Counter table %s already holds rows: an import adds the "
          + "source's counts to them (and a second run of the same import adds them twice); import into an empty "
          + "table (truncate %s), or add to the existing counts on purpose with "
          + "CounterTarget.ADD_TO_EXISTING (command line: --add-to-counters)", target, target));
    }
  }

  /** The checkpoint to resume (checked against this source and target), or null when starting afresh. */
  private static ImportCheckpoint resumed(ImportOptions options, String source, String target, ImportPlan plan) {
    if (options.resume() != Resume.RESUME) {
      return null;
    }
    Path file = options.checkpointFile();
    if (file == null) {
      throw new IllegalArgumentException(
          "Invalid resume: RESUME needs a checkpoint file (ImportOptions.withCheckpointFile)");
    }
    if (!Files.isRegularFile(file)) {
      return null;
    }
    ImportCheckpoint checkpoint = ImportCheckpoint.load(file, source, target);
    if (plan.counterTable()) {
      throw new IllegalArgumentException(String.format("Cannot resume the import into counter table %s from %s: "
          + "counter updates add up, so the rows of an unfinished split would be counted twice; truncate %s and "
          + "import again with Resume.NEW", target, file, target));
    }
    String list = plan.listWithWritetimes();
    if (list != null) {
      throw new IllegalArgumentException(resumeRefused(target, file, list));
    }
    return checkpoint;
  }

  /**
   * The message refusing to resume an import into {@code target} from checkpoint {@code file} whose source gives write
   * times for the list column {@code list}.
   */
  public static String resumeRefused(String target, Path file, String list) {
    return String.format("Cannot resume the import into %s from %s: %s, so the rows of an unfinished split would be "
        + "garbled; truncate %s and import again with Resume.NEW, or import without the column %s_writetime",
        target, file, listWrittenTwice(list), target, CqlIdentifier.fromCql(list).asInternal());
  }

  /**
   * What the message of a failed import into {@code target} says when its source gives write times for the list
   * column {@code list}: the rows written stay, and running the import again over them garbles them.
   */
  public static String rewriteWarning(String target, String list) {
    return String.format("the rows written so far stay in the table, and %s: do not run this import again over them "
        + "(nor resume it), truncate %s and import into the empty table", listWrittenTwice(list), target);
  }

  private static SourceReader open(ImportSource source, int readers) {
    if (source instanceof CsvSource || source instanceof JsonLinesSource) {
      return TextReader.open(source);
    }
    for (SourceReaderProvider provider : ServiceLoader.load(SourceReaderProvider.class,
        ImportOperation.class.getClassLoader())) {
      SourceReader reader = provider.open(source, readers);
      if (reader != null) {
        return reader;
      }
    }
    throw new IllegalArgumentException(String.format(
        "Unsupported import source: %s (%s); Iceberg and Parquet sources need the module dev.ringsweep:"
            + "ringsweep-iceberg on the classpath", source.describe(), source.getClass().getName()));
  }

  /**
   * Makes the result of this run with a given verification. A resumed import's result also counts the bad records
   * of the splits earlier runs finished ({@code earlierBad}), among its rows read and its bad records: they were not
   * written, and a resume that reported none would let an import that dropped rows end as a success.
   */
  private record Results(ImportWorkers.Outcome outcome, BatchMetrics metrics, Path badFile, long started,
      long earlierBad) {
    ImportResult build(VerificationResult verification) {
      long bad = outcome.badRecords() + earlierBad;
      return new ImportResult(outcome.read() + earlierBad, outcome.written(), bad + outcome.writeFailures(), bad,
          outcome.writeFailures(), badFile, Duration.ofNanos(System.nanoTime() - started), metrics, verification);
    }
  }
}
