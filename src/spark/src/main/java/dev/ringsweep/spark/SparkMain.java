package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import dev.ringsweep.CountOptions;
import dev.ringsweep.CountResult;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.iceberg.ParquetCompression;
import dev.ringsweep.iceberg.ParquetSource;
import dev.ringsweep.iceberg.ParquetTarget;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.imports.ErrorBudget;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.Verification;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * The {@code spark-submit} entry point: {@code spark-submit --class dev.ringsweep.spark.SparkMain
 * ringsweep-spark-<version>-all.jar export -k shop -t orders -c 10.0.0.1 --local-dc dc1 -f iceberg --target
 * /shared/warehouse}, or {@code --catalog lake} for an Iceberg catalog the Spark session configures
 * ({@code --conf spark.sql.catalog.lake=org.apache.iceberg.spark.SparkCatalog --conf spark.sql.catalog.lake.type=...}).
 * Takes the command line's option names ({@link SparkArguments}); prints one result line.
 */
public final class SparkMain {

  private SparkMain() {}

  /**
   * Runs one command on the Spark session of {@code spark-submit}, stops the session and exits: 0 on success (in
   * client deploy mode; in cluster mode it returns), 2 on a usage error (an unknown or missing option, or a bad
   * option value: {@link #check}), before any Spark session starts, 1 on a failure.
   */
  public static void main(String[] args) {
    SparkArguments arguments;
    try {
      arguments = SparkArguments.parse(List.of(args), System::getenv);
      check(arguments, System::getenv);
    } catch (IllegalArgumentException e) {
      System.err.println("ringsweep: " + e.getMessage());
      System.err.println(SparkArguments.USAGE);
      System.exit(2);
      return;
    }
    SparkSession spark = SparkSession.builder().appName("ringsweep " + arguments.command()).getOrCreate();
    boolean clusterMode = "cluster".equals(spark.sparkContext().deployMode());
    int status = 0;
    try {
      System.out.println(run(spark, arguments, System::getenv));
    } catch (NotWritten e) {
      System.out.println(e.line);
      System.err.println("ringsweep: " + e.getMessage());
      status = 1;
    } catch (RuntimeException e) {
      System.err.println("ringsweep: " + e.getMessage());
      status = 1;
    } finally {
      // The driver's session keeps non-daemon threads: without this the JVM would not end.
      SharedSessions.closeAll();
      spark.stop();
    }
    // Exit now, as the command line does: the driver's Netty keeps a non-daemon thread (its GlobalEventExecutor) for
    // a second after its last task, which a JVM left to end by itself waits out after every job. Not on success in
    // cluster deploy mode, where main runs inside Spark's application master (YARN's counts an exit before main
    // returns as a failed application).
    if (status != 0 || !clusterMode) {
      System.exit(status);
    }
  }

  /** The Spark options of the arguments. */
  static SparkOptions sparkOptions(SparkArguments a) {
    SparkOptions options = SparkOptions.defaults();
    if (a.has("--tasks")) {
      options = options.withTasks(a.intValue("--tasks"));
    }
    if (a.has("--task-size-mb")) {
      options = options.withTaskSizeMb(a.intValue("--task-size-mb"));
    }
    if (a.has("--consistency")) {
      options = options.withConsistencyLevel(consistencyLevel(a.get("--consistency")));
    }
    if (a.has("--max-retries")) {
      options = options.withMaxRetries(a.intValue("--max-retries"));
    }
    if (a.has("--retry-backoff")) {
      options = options.withRetryBackoff(a.durationValue("--retry-backoff"));
    }
    if (a.has("--writers")) {
      options = options.withWritersPerTask(a.intValue("--writers"));
    }
    if (a.has("--no-remember-limits")) {
      options = options.withRememberLimits(false);
    }
    return options;
  }

  private static DefaultConsistencyLevel consistencyLevel(String text) {
    try {
      return DefaultConsistencyLevel.valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(String.format("Invalid --consistency: '%s' (must be one of %s)", text,
          java.util.Arrays.toString(DefaultConsistencyLevel.values())));
    }
  }

  /** The export options of the arguments. */
  static ExportOptions exportOptions(SparkArguments a) {
    ExportOptions exportOptions = ExportOptions.defaults();
    if (a.has("--columns")) {
      exportOptions = exportOptions.withColumns(a.get("--columns").split(","));
    }
    if (a.has("--max-rows-per-second")) {
      exportOptions = exportOptions.withMaxRowsPerSecond(a.doubleValue("--max-rows-per-second"));
    }
    if (a.has("--max-bytes-per-second")) {
      exportOptions = exportOptions.withMaxBytesPerSecond(a.doubleValue("--max-bytes-per-second"));
    }
    if (a.has("--resume")) {
      exportOptions = exportOptions.withResume(Resume.RESUME);
    }
    return exportOptions;
  }

  /**
   * The connection of the arguments: contact points, local data center, the user (password from
   * {@code RINGSWEEP_PASSWORD}) and TLS ({@code --truststore}, {@code --keystore}, their passwords from
   * {@code RINGSWEEP_TRUSTSTORE_PASSWORD} and {@code RINGSWEEP_KEYSTORE_PASSWORD}).
   *
   * @throws IllegalArgumentException naming what is missing: a user's password, a store's password, a store for
   *     {@code --no-hostname-validation}
   */
  static CassandraConnection connection(SparkArguments a, java.util.function.UnaryOperator<String> environment) {
    CassandraConnection connection = CassandraConnection.of(a.contactPoints(), a.get("--local-dc"));
    if (a.has("--username")) {
      String password = environment.apply("RINGSWEEP_PASSWORD");
      if (password == null) {
        throw new IllegalArgumentException("Missing password of user " + a.get("--username")
            + " (set the environment variable RINGSWEEP_PASSWORD)");
      }
      connection = connection.withCredentials(a.get("--username"), password);
    }
    if (a.has("--truststore") || a.has("--keystore")) {
      connection = connection.withTls(new CassandraConnection.Tls(a.get("--truststore"),
          storePassword(a, "--truststore", "RINGSWEEP_TRUSTSTORE_PASSWORD", environment), a.get("--keystore"),
          storePassword(a, "--keystore", "RINGSWEEP_KEYSTORE_PASSWORD", environment),
          !a.has("--no-hostname-validation")));
    } else if (a.has("--no-hostname-validation")) {
      throw new IllegalArgumentException("Invalid option --no-hostname-validation without --truststore or "
          + "--keystore (it applies to TLS connections only)");
    }
    return connection;
  }

  private static String storePassword(SparkArguments a, String option, String variable,
      java.util.function.UnaryOperator<String> environment) {
    if (!a.has(option)) {
      return null;
    }
    String password = environment.apply(variable);
    if (password == null) {
      throw new IllegalArgumentException(String.format("Missing password of %s %s (set the environment variable %s)",
          option, a.get(option), variable));
    }
    return password;
  }

  /**
   * Reads every option value of the arguments as the command will (the connection, with its passwords from
   * {@code environment}; the Spark, count, export or import options), so that a bad value is refused before any
   * Spark session or connection starts.
   *
   * @throws IllegalArgumentException naming the bad value and what would be valid
   */
  static void check(SparkArguments a, java.util.function.UnaryOperator<String> environment) {
    connection(a, environment);
    sparkOptions(a);
    switch (a.command()) {
      case "count" -> countOptions(a);
      case "export" -> {
        exportOptions(a);
        compression(a);
      }
      default -> {
        importOptions(a);
        snapshot(a);
      }
    }
  }

  /** The count options of the arguments. */
  static CountOptions countOptions(SparkArguments a) {
    return a.has("--max-rows-per-second")
        ? CountOptions.defaults().withMaxRowsPerSecond(a.doubleValue("--max-rows-per-second"))
        : CountOptions.defaults();
  }

  /** The Parquet compression of {@code --compression}, or null when not given. */
  static ParquetCompression compression(SparkArguments a) {
    if (!a.has("--compression")) {
      return null;
    }
    String codec = a.get("--compression");
    for (ParquetCompression c : ParquetCompression.values()) {
      if (c.name().equalsIgnoreCase(codec.trim())) {
        return c;
      }
    }
    throw new IllegalArgumentException(String.format("Invalid --compression: '%s' (must be one of %s)", codec,
        java.util.Arrays.stream(ParquetCompression.values()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()));
  }

  /** The Iceberg snapshot id of {@code --snapshot}, or null when not given. */
  static Long snapshot(SparkArguments a) {
    if (!a.has("--snapshot")) {
      return null;
    }
    try {
      return Long.parseLong(a.get("--snapshot").trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(String.format("Invalid --snapshot: '%s' (must be an Iceberg snapshot id, a "
          + "whole number)", a.get("--snapshot")));
    }
  }

  /** Runs the command and describes its result in one line; passwords come from {@code environment}. */
  static String run(SparkSession spark, SparkArguments a, java.util.function.UnaryOperator<String> environment) {
    CassandraConnection connection = connection(a, environment);
    SparkOptions options = sparkOptions(a);
    RingsweepSpark ringsweep = RingsweepSpark.on(spark, connection).withOptions(options)
        .withProgressListener(new ProgressLines(a.command().equals("import") ? "source splits" : "token ranges",
            PROGRESS_EVERY_NANOS, System::nanoTime, System.err::println));
    String keyspace = a.get("--keyspace");
    String table = a.get("--table");
    switch (a.command()) {
      case "count": {
        CountResult r = ringsweep.count(keyspace, table, countOptions(a));
        return String.format("%s rows in %s.%s (%s token ranges, %.1f s)", r.rows(), keyspace, table,
            r.rangesTotal(), r.duration().toMillis() / 1000.0);
      }
      case "export": {
        if (a.get("--format").equals("parquet")) {
          ParquetTarget target = ExportTargets.parquet(Path.of(a.get("--target")));
          if (a.has("--compression")) {
            target = target.withCompression(compression(a));
          }
          ExportResult r = ringsweep.exportToParquet(keyspace, table, target, exportOptions(a));
          return String.format("%s rows of %s.%s exported to %s in %s files (%.1f s)", r.rows(), keyspace, table,
              target.describe(), r.files(), r.duration().toMillis() / 1000.0);
        }
        IcebergTarget target = a.has("--catalog")
            ? IcebergCatalogConnection.fromSparkCatalog(spark, a.get("--catalog")).target(a.icebergTable())
            : ExportTargets.iceberg(Path.of(a.get("--target")), a.icebergTable());
        if (a.has("--overwrite")) {
          target = target.withWriteMode(WriteMode.OVERWRITE);
        }
        if (a.has("--compression")) {
          target = target.withCompression(compression(a));
        }
        ExportOptions exportOptions = exportOptions(a);
        ExportResult r = ringsweep.exportToIceberg(keyspace, table, target, exportOptions);
        return String.format("%s rows of %s.%s exported to %s in %s files, one commit (%s of %s token ranges done "
                + "before; %.1f s)", r.rows(), keyspace, table, target.describe(), r.files(), r.rangesSkipped(),
            r.rangesTotal(), r.duration().toMillis() / 1000.0);
      }
      default: {
        if (a.get("--format").equals("parquet")) {
          return importParquet(ringsweep, a, keyspace, table);
        }
        IcebergSource source = a.has("--catalog")
            ? IcebergCatalogConnection.fromSparkCatalog(spark, a.get("--catalog")).source(a.icebergTable())
            : ImportSources.iceberg(Path.of(a.get("--source")), a.icebergTable());
        if (a.has("--snapshot")) {
          source = source.atSnapshot(snapshot(a));
        }
        ImportOptions importOptions = importOptions(a);
        ImportResult r = ringsweep.importFromIceberg(source, keyspace, table, importOptions);
        return unlessFailed(r, String.format("%s rows imported into %s.%s from %s (%s failed; %s; %.1f s)", r.rows(),
            keyspace, table, source.describe(), r.failed(), r.verification().describe(),
            r.duration().toMillis() / 1000.0));
      }
    }
  }

  /** An import of Parquet files ({@code -f parquet --source FILE_OR_DIRECTORY}). */
  private static String importParquet(RingsweepSpark ringsweep, SparkArguments a, String keyspace, String table) {
    ParquetSource source = ImportSources.parquet(Path.of(a.get("--source")));
    ImportResult r = ringsweep.importFromParquet(source, keyspace, table, importOptions(a));
    return unlessFailed(r, String.format("%s rows imported into %s.%s from %s (%s failed%s; %s; %.1f s)", r.rows(),
        keyspace, table, source.describe(), r.failed(),
        r.badRecordsFile() == null ? "" : ", bad records in " + r.badRecordsFile(), r.verification().describe(),
        r.duration().toMillis() / 1000.0));
  }

  /**
   * {@code line}, the result line of import {@code r}, unless some of its rows were not written: then a
   * {@link NotWritten} that carries the line and says where those rows are, so that the command exits 1 as the
   * command line's import does.
   */
  static String unlessFailed(ImportResult r, String line) {
    if (r.failed() == 0) {
      return line;
    }
    throw new NotWritten(line, String.format(Locale.ROOT, "%d rows were not written (%d bad records, %d write "
        + "failures); %s", r.failed(), r.badRecords(), r.writeFailures(), r.badRecordsFile() != null
        ? "they are in " + r.badRecordsFile() : "the bad records are in temporary files of the executors' hosts, which "
        + "the driver's log names (name a file with --bad-records FILE to have them in one file)"));
  }

  /** An import that ended with rows not written: its result line, and what was not written. */
  static final class NotWritten extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final String line;

    NotWritten(String line, String message) {
      super(message);
      this.line = line;
    }
  }

  /** How often {@link ProgressLines} prints at most: every 10 s. */
  static final long PROGRESS_EVERY_NANOS = 10_000_000_000L;

  /**
   * Prints a job's progress, one line at a time ({@code "ringsweep: 12 of 32 token ranges done (37%), 450000
   * rows"}), at most once every {@code everyNanos} and always when the last unit is done; an import's verification
   * reads the same way, named ({@code "ringsweep: import verification, checksum of the target: 3 of 8 token ranges
   * done (38%), 90000 rows"}).
   */
  static final class ProgressLines implements dev.ringsweep.ProgressListener {
    private final String unit;
    private final long everyNanos;
    private final java.util.function.LongSupplier clock;
    private final java.util.function.Consumer<String> out;
    private long lastPrinted;
    /** What the last line printed was the progress of ("" for the job's own); null before the first. */
    private String lastWhat;

    ProgressLines(String unit, long everyNanos, java.util.function.LongSupplier clock,
        java.util.function.Consumer<String> out) {
      this.unit = unit;
      this.everyNanos = everyNanos;
      this.clock = clock;
      this.out = out;
    }

    @Override
    public synchronized void onProgress(dev.ringsweep.Progress progress) {
      print("", unit, progress);
    }

    @Override
    public synchronized void onVerificationProgress(String read, dev.ringsweep.Progress progress) {
      print("import verification, " + read + ": ", "token ranges", progress);
    }

    private void print(String what, String units, dev.ringsweep.Progress progress) {
      long now = clock.getAsLong();
      boolean last = progress.rangesDone() == progress.rangesTotal();
      if (last || !what.equals(lastWhat) || now - lastPrinted >= everyNanos) {
        lastWhat = what;
        lastPrinted = now;
        out.accept(String.format(Locale.ROOT, "ringsweep: %s%d of %d %s done (%.0f%%), %d rows", what,
            progress.rangesDone(), progress.rangesTotal(), units, 100 * progress.fraction(), progress.rows()));
      }
    }
  }

  /** The import options of the arguments. */
  static ImportOptions importOptions(SparkArguments a) {
    ImportOptions importOptions = ImportOptions.defaults();
    if (a.has("--readers")) {
      importOptions = importOptions.withReaders(a.intValue("--readers"));
    }
    if (a.has("--max-in-flight")) {
      importOptions = importOptions.withMaxInFlight(a.intValue("--max-in-flight"));
    }
    if (a.has("--max-rows-per-second")) {
      importOptions = importOptions.withMaxRowsPerSecond(a.doubleValue("--max-rows-per-second"));
    }
    if (a.has("--max-errors")) {
      long maxErrors = a.longValue("--max-errors");
      if (maxErrors < 0) {
        throw new IllegalArgumentException(String.format("Invalid --max-errors: %s (must be >= 0)", maxErrors));
      }
      importOptions = importOptions.withErrorBudget(ErrorBudget.count(maxErrors));
    }
    if (a.has("--bad-records")) {
      importOptions = importOptions.withBadRecordsFile(Path.of(a.get("--bad-records")));
    }
    if (a.has("--checkpoint")) {
      importOptions = importOptions.withCheckpointFile(Path.of(a.get("--checkpoint")));
    }
    if (a.has("--resume")) {
      if (!a.has("--checkpoint")) {
        throw new IllegalArgumentException(
            "Missing option: --resume needs --checkpoint FILE (the checkpoint of the import to continue)");
      }
      importOptions = importOptions.withResume(Resume.RESUME);
    }
    if (a.has("--add-to-counters")) {
      importOptions = importOptions.withCounterTarget(dev.ringsweep.imports.CounterTarget.ADD_TO_EXISTING);
    }
    if (a.has("--consistency")) {
      // As on the command line: the level of the writes and of their verification too, not only of range reads.
      importOptions = importOptions.withConsistencyLevel(consistencyLevel(a.get("--consistency")));
    }
    if (a.has("--verify")) {
      String verify = a.get("--verify");
      importOptions = importOptions.withVerification(switch (verify.toLowerCase(java.util.Locale.ROOT)) {
        case "none" -> Verification.NONE;
        case "count" -> Verification.COUNT;
        case "checksum" -> Verification.COUNT_AND_CHECKSUM;
        default -> throw new IllegalArgumentException(
            "Invalid --verify: " + verify + " (expected none, count or checksum)");
      });
    }
    return importOptions;
  }
}
