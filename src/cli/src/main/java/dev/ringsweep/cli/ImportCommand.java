package dev.ringsweep.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.batch.BatchMode;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.CounterTarget;
import dev.ringsweep.imports.ErrorBudget;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.imports.Verification;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ringsweep import}: the rows of an Iceberg table, Parquet files, or an export's CSV / JSON lines files into an
 * existing table, then a verification (a count, optionally a checksum).
 *
 * <p>Standard output gets one line that starts with the number of rows written, e.g.
 * {@code 200000 rows imported into shop.orders_copy from /data/orders as parquet (0 failed, 9.80 s, …)}. Rows that
 * could not be written make the exit code 1.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Import an Iceberg table, Parquet files, or exported CSV / JSON lines files into a table.")
final class ImportCommand implements Callable<Integer> {

  /** The input formats. */
  enum Format {
    ICEBERG, PARQUET, CSV, JSON
  }

  /** What is checked after writing. */
  enum Verify {
    NONE, COUNT, CHECKSUM
  }

  @Spec
  private CommandSpec spec;

  @Mixin
  private TableOptions table;

  @Option(names = {"-f", "--format"}, required = true, paramLabel = "FORMAT",
      description = "Input format: ${COMPLETION-CANDIDATES}.")
  private Format format;

  @Option(names = "--source", required = true, paramLabel = "PATH",
      description = "A file or a directory of files; for iceberg, the warehouse directory.")
  private Path source;

  @Option(names = "--add-to-counters", description = "Counter tables: add the source's counts to a table that "
      + "already holds rows (refused by default: the counts would add up, and a second run would add them twice).")
  private boolean addToCounters;

  @Option(names = "--checkpoint", paramLabel = "FILE", description = "Record in FILE every split of the source "
      + "whose rows were all written, so that --resume can continue an import that failed (no row values, no "
      + "credentials in it).")
  private Path checkpoint;

  @Option(names = "--resume", description = "Continue the import recorded in --checkpoint FILE, skipping the splits "
      + "it records as done (not for counter tables: their counts would be added twice).")
  private boolean resume;

  @Option(names = "--iceberg-table", paramLabel = "NAMESPACE.TABLE",
      description = "Iceberg table identifier (default: KEYSPACE.TABLE).")
  private String icebergTable;

  @Option(names = "--snapshot", paramLabel = "ID", description = "Iceberg: read this snapshot (default: current).")
  private Long snapshot;

  @Option(names = "--batch", paramLabel = "MODE",
      description = "How rows are written: unlogged (default, batches per partition), logged, none (single rows).")
  private BatchMode batchMode;

  @Option(names = "--max-in-flight", paramLabel = "N",
      description = "Write requests in flight, fixed at N (default: an adaptive limit that follows the cluster's "
          + "write latency and errors, between 1 and 64 per node of the data center, at most 1024).")
  private Integer maxInFlight;

  @Option(names = "--max-rows-per-second", paramLabel = "N", description = "Rate limit (default: none).")
  private Double maxRowsPerSecond;

  @Option(names = "--readers", paramLabel = "N", description = "Reader threads (default: one per processor, 2 to 16).")
  private Integer readers;

  @Option(names = "--max-errors", paramLabel = "N",
      description = "Rows that may fail before the import stops (default 100).")
  private Long maxErrors;

  @Option(names = "--bad-records", paramLabel = "FILE", description = "Where failed rows go (JSON lines).")
  private Path badRecords;

  @Option(names = "--verify", paramLabel = "CHECK",
      description = "After writing: none, count (default: the table grew by the rows written), checksum (count and "
          + "a checksum of every value; needs an empty table).")
  private Verify verify;

  @Mixin
  private ConnectionOptions connection;

  @Mixin
  private OperatorOptions operatorOptions;

  @Mixin
  private DisplayOptions display;

  @Override
  public Integer call() {
    ImportSource importSource = source();
    ImportOptions options = options();
    PrintWriter out = spec.commandLine().getOut();
    ImportResult result;
    try (CqlSession session = connection.connect(operatorOptions.timeout());
        ProgressBars.RangeBar bar = display.bars().parts("import " + table.qualifiedName(), "splits")) {
      TokenAwareBulkOperator operator =
          operatorOptions.applyTo(TokenAwareBulkOperator.builder(session)).progressListener(bar.listener()).build();
      result = operator.importFrom(importSource, table.keyspace(), table.table(), options);
    }
    out.println(String.format(Locale.ROOT,
        "%d rows imported into %s from %s as %s (%d failed, %.2f s, %,.0f rows/s; %s)", result.rows(),
        table.qualifiedName(), source, format.name().toLowerCase(Locale.ROOT), result.failed(),
        result.duration().toNanos() / 1e9, result.rowsPerSecond(), result.verification().describe()));
    out.flush();
    if (result.failed() > 0) {
      spec.commandLine().getErr().println(String.format(Locale.ROOT,
          "ringsweep: %d rows were not written (%d bad records, %d write failures); they are in %s", result.failed(),
          result.badRecords(), result.writeFailures(), result.badRecordsFile() != null ? result.badRecordsFile()
              : "the bad-records file of the earlier run that read them"));
      return 1;
    }
    return 0;
  }

  private ImportSource source() {
    if (format != Format.ICEBERG && (icebergTable != null || snapshot != null)) {
      throw new ParameterException(spec.commandLine(), String.format(
          "Invalid option for format %s: --iceberg-table and --snapshot apply to iceberg only", format));
    }
    return switch (format) {
      case ICEBERG -> {
        var s = ImportSources.iceberg(source, IcebergTableOption.check(spec, icebergTable, table));
        yield snapshot == null ? s : s.atSnapshot(snapshot);
      }
      case PARQUET -> ImportSources.parquet(source);
      case CSV -> ImportSource.csv(source);
      case JSON -> ImportSource.jsonLines(source);
    };
  }

  private ImportOptions options() {
    ImportOptions options = ImportOptions.defaults();
    try {
      if (batchMode != null) {
        options = options.withBatchMode(batchMode);
      }
      if (maxInFlight != null) {
        options = options.withMaxInFlight(maxInFlight);
      }
      if (maxRowsPerSecond != null) {
        options = options.withMaxRowsPerSecond(maxRowsPerSecond);
      }
      if (readers != null) {
        options = options.withReaders(readers);
      }
      if (maxErrors != null) {
        options = options.withErrorBudget(ErrorBudget.count(maxErrors));
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (badRecords != null) {
      options = options.withBadRecordsFile(badRecords);
    }
    if (verify != null) {
      options = options.withVerification(switch (verify) {
        case NONE -> Verification.NONE;
        case COUNT -> Verification.COUNT;
        case CHECKSUM -> Verification.COUNT_AND_CHECKSUM;
      });
    }
    if (operatorOptions.consistency().isPresent()) {
      options = options.withConsistencyLevel(operatorOptions.consistency().get());
    }
    if (addToCounters) {
      options = options.withCounterTarget(CounterTarget.ADD_TO_EXISTING);
    }
    if (resume && checkpoint == null) {
      throw new ParameterException(spec.commandLine(),
          "Missing option: --resume needs --checkpoint FILE (the checkpoint of the import to continue)");
    }
    if (checkpoint != null) {
      options = options.withCheckpointFile(checkpoint);
    }
    if (resume) {
      options = options.withResume(Resume.RESUME);
    }
    return options;
  }
}
