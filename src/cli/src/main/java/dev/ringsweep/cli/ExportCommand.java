package dev.ringsweep.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.Resume;
import dev.ringsweep.export.TextCompression;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.iceberg.WriteMode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ringsweep export}: every row of a table into an Iceberg table or a directory of Parquet, CSV or JSON lines
 * files, token range by token range.
 *
 * <p>Standard output gets one line that starts with the number of rows exported, e.g.
 * {@code 200000 rows exported from shop.orders to /data/orders as parquet (4 files, 12.3 MiB, 3.10 s, …)}.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Export a table to Iceberg, Parquet, CSV or JSON lines files.")
final class ExportCommand implements Callable<Integer> {

  /**
   * The exit code of an export whose thread was interrupted. When a signal stopped it, the JVM exits with the
   * signal's own code instead: 130 after SIGINT (Ctrl-C), 143 after SIGTERM.
   */
  static final int INTERRUPTED_EXIT_CODE = 130;
  private static final long STOP_TIMEOUT_SECONDS = 45;

  /** The output formats. */
  enum Format {
    ICEBERG, PARQUET, CSV, JSON
  }

  @Spec
  private CommandSpec spec;

  @Mixin
  private TableOptions table;

  @Option(names = {"-f", "--format"}, required = true, paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES}.")
  private Format format;

  @Option(names = "--target", required = true, paramLabel = "DIR",
      description = "Directory of the files (must be empty or absent unless resuming); for iceberg, the warehouse "
          + "directory (its catalog is the SQLite file catalog.db in it).")
  private Path target;

  @Option(names = "--iceberg-table", paramLabel = "NAMESPACE.TABLE",
      description = "Iceberg table identifier (default: KEYSPACE.TABLE).")
  private String icebergTable;

  @Option(names = "--overwrite", description = "Iceberg: replace the rows already in the table (default: append).")
  private boolean overwrite;

  @Option(names = "--compression", paramLabel = "CODEC",
      description = "parquet/iceberg: zstd (default), snappy, gzip, none; csv/json: none (default), gzip.")
  private String compression;

  @Option(names = "--columns", split = ",", paramLabel = "COLUMN",
      description = "Columns to export, in this order (default: all).")
  private List<String> columns;

  @Option(names = "--writers", paramLabel = "N", description = "Writer threads (default: one per processor, 2 to 16; at most 1024).")
  private Integer writers;

  @Option(names = "--max-rows-per-second", paramLabel = "N",
      description = "Read at most N rows per second over all writers (default: no limit).")
  private Double maxRowsPerSecond;

  @Option(names = "--max-bytes-per-second", paramLabel = "N",
      description = "Read at most N bytes of query results per second over all writers (default: no limit).")
  private Double maxBytesPerSecond;

  @Option(names = "--resume", description = "Continue an interrupted export from its checkpoint: skip the token "
      + "ranges it records as done, keep their files, delete the rest. Refused if the checkpoint is for another "
      + "table, columns or format, and if the target holds output but no checkpoint.")
  private boolean resume;

  @Mixin
  private ConnectionOptions connection;

  @Mixin
  private OperatorOptions operatorOptions;

  @Mixin
  private DisplayOptions display;

  @Override
  public Integer call() {
    ExportTarget exportTarget = target();
    ExportOptions options = options();
    PrintWriter out = spec.commandLine().getOut();
    // Ctrl-C or a SIGTERM stops the export cleanly: the writers delete their unfinished files and the checkpoint
    // keeps the finished ones, before the JVM exits (the hook waits for that).
    CountDownLatch ended = new CountDownLatch(1);
    Thread exporting = Thread.currentThread();
    Thread stop = new Thread(() -> {
      exporting.interrupt();
      try {
        ended.await(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "ringsweep-export-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    try (CqlSession session = connection.connect(operatorOptions.timeout());
        ProgressBars.RangeBar bar = display.bars().ranges("export " + table.qualifiedName())) {
      TokenAwareBulkOperator operator =
          operatorOptions.applyTo(TokenAwareBulkOperator.builder(session)).progressListener(bar.listener()).build();
      ExportResult result;
      try {
        result = operator.export(table.keyspace(), table.table(), exportTarget, options);
      } catch (IllegalArgumentException e) {
        if (columns != null && isColumnError(e.getMessage())) {
          // A --columns value that names no column of the table is a usage error, like any bad option value.
          throw new ParameterException(spec.commandLine(), "Invalid value for option '--columns': " + e.getMessage());
        }
        throw e;
      }
      bar.close();
      out.println(summary(result, table.qualifiedName(), target, format.name().toLowerCase(Locale.ROOT)));
      out.flush();
    } catch (BulkOperationException e) {
      if (!(e.getCause() instanceof InterruptedException)) {
        throw e;
      }
      PrintWriter err = spec.commandLine().getErr();
      err.println(String.format(Locale.ROOT,
          "ringsweep: export of %s to %s interrupted; %d rows are in finished files, recorded in its checkpoint, "
              + "and unfinished files were deleted. To resume, run the same command with --resume.",
          table.qualifiedName(), target, e.partialResult(ExportResult.class).rows()));
      err.flush();
      return INTERRUPTED_EXIT_CODE;
    } finally {
      ended.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(stop);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running: it returns as soon as it sees `ended`
      }
    }
    return 0;
  }

  /**
   * The line an export prints when done: this run's figures, and for a resumed export the token ranges earlier runs
   * had exported (their rows are in the target but not in this run's count).
   */
  static String summary(ExportResult result, String table, Object target, String format) {
    String line = String.format(Locale.ROOT,
        "%d rows exported from %s to %s as %s (%d files, %.1f MiB, %.2f s, %,.0f rows/s)", result.rows(), table,
        target, format, result.files(), result.bytes() / 1048576.0, result.duration().toNanos() / 1e9,
        result.rowsPerSecond());
    return result.rangesSkipped() == 0 ? line : line + String.format(Locale.ROOT, "; resumed: %d of %d token "
        + "ranges were exported by earlier runs, their rows not counted here", result.rangesSkipped(),
        result.rangesTotal());
  }

  private static boolean isColumnError(String message) {
    return message != null && (message.startsWith("Unknown column: ") || message.startsWith("Duplicate export column: ")
        || message.startsWith("Invalid column name: ") || message.startsWith("Invalid writetime/TTL column: "));
  }

  private ExportTarget target() {
    return switch (format) {
      case ICEBERG -> {
        var t = ExportTargets.iceberg(target, IcebergTableOption.check(spec, icebergTable, table))
            .withWriteMode(overwrite ? WriteMode.OVERWRITE : WriteMode.APPEND);
        yield compression == null ? t : t.withCompression(parquetCompression());
      }
      case PARQUET -> compression == null ? ExportTargets.parquet(target)
          : ExportTargets.parquet(target).withCompression(parquetCompression());
      case CSV -> compression == null ? ExportTarget.csv(target)
          : ExportTarget.csv(target).withCompression(textCompression());
      case JSON -> compression == null ? ExportTarget.jsonLines(target)
          : ExportTarget.jsonLines(target).withCompression(textCompression());
    };
  }

  private ExportOptions options() {
    if (format != Format.ICEBERG && (icebergTable != null || overwrite)) {
      throw new ParameterException(spec.commandLine(), String.format(
          "Invalid option for format %s: --iceberg-table and --overwrite apply to iceberg only", format));
    }
    ExportOptions options = ExportOptions.defaults();
    if (columns != null) {
      try {
        options = options.withColumns(columns.toArray(String[]::new));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "Invalid value for option '--columns': " + e.getMessage());
      }
    }
    if (writers != null) {
      if (writers <= 0 || writers > ExportOptions.MAX_WRITERS) {
        throw new ParameterException(spec.commandLine(),
            String.format("Invalid value for option '--writers': %s (must be 1 to %s)", writers,
                ExportOptions.MAX_WRITERS));
      }
      options = options.withWriters(writers);
    }
    try {
      if (maxRowsPerSecond != null) {
        options = options.withMaxRowsPerSecond(maxRowsPerSecond);
      }
      if (maxBytesPerSecond != null) {
        options = options.withMaxBytesPerSecond(maxBytesPerSecond);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), String.format("Invalid value for option '%s': %s",
          e.getMessage().contains("bytes") ? "--max-bytes-per-second" : "--max-rows-per-second", e.getMessage()));
    }
    return resume ? options.withResume(Resume.RESUME) : options;
  }

  private ParquetCompression parquetCompression() {
    return parseCompression(ParquetCompression.class, List.of("zstd", "snappy", "gzip", "none"));
  }

  private TextCompression textCompression() {
    return parseCompression(TextCompression.class, List.of("none", "gzip"));
  }

  private <E extends Enum<E>> E parseCompression(Class<E> type, List<String> allowed) {
    String value = compression.trim().toLowerCase(Locale.ROOT);
    if (!allowed.contains(value)) {
      throw new ParameterException(spec.commandLine(), String.format(
          "Invalid value for option '--compression': '%s' (for %s: one of %s)", compression,
          format.name().toLowerCase(Locale.ROOT), String.join(", ", allowed)));
    }
    return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
  }
}
