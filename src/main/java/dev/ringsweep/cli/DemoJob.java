package dev.ringsweep.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.cluster.SstableTasks;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.WriteMode;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The main job, run by {@code ringsweep} without a subcommand: starts an embedded single-node Cassandra unless
 * contact points are given, loads the sample table ({@link SampleData}), counts it with Ringsweep and with
 * {@code SELECT count(*)}, exports it to an Iceberg table, imports that into a second table, checks every figure
 * against the rows written and the copy value by value against the original rows, and prints a summary table.
 */
final class DemoJob {

  static final String KEYSPACE = "ringsweep_demo";
  static final String TABLE = "events";
  static final String COPY = "events_copy";

  /** Timed runs of each count, after an untimed one. */
  private static final int COUNT_RUNS = 3;

  private final ConnectionOptions connection;
  private final OperatorOptions operatorOptions;
  private final ProgressBars bars;
  private final long rows;
  private final Path warehouse;
  private final PrintWriter out;

  DemoJob(ConnectionOptions connection, OperatorOptions operatorOptions, ProgressBars bars, long rows,
      Path warehouse, PrintWriter out) {
    this.connection = connection;
    this.operatorOptions = operatorOptions;
    this.bars = bars;
    this.rows = rows;
    this.warehouse = warehouse;
    this.out = out;
  }

  /** Runs every step; fails with a one-line message if a check fails. */
  int run() {
    LocalCluster cluster = null;
    try {
      CqlSession session;
      if (connection.contactPoints().isEmpty()) {
        out.println("Starting an embedded Cassandra node (a child JVM; its files are under "
            + "target/ringsweep-cluster)…");
        out.flush();
        long started = System.nanoTime();
        cluster = LocalCluster.builder().clusterName("demo").build().start();
        out.printf("Cassandra is up at %s (%.0f s).%n", cluster.contactPoints().get(0),
            (System.nanoTime() - started) / 1e9);
        session = connection.connect(cluster.contactPoints(), cluster.firstDataCenter(), operatorOptions.timeout());
      } else {
        session = connection.connect(operatorOptions.timeout());
      }
      try (session) {
        return steps(session);
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private int steps(CqlSession session) {
    SummaryTable summary = new SummaryTable();
    List<String> failures = new ArrayList<>();
    String table = KEYSPACE + "." + TABLE;

    out.printf("Loading %,d sample rows into %s…%n", rows, table);
    out.flush();
    SampleData.createTable(session, KEYSPACE, TABLE,
        "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    long started = System.nanoTime();
    try (ProgressBars.Bar bar = bars.rows("load", rows)) {
      SampleData.load(session, KEYSPACE, TABLE, rows, bar::rowsDone);
    }
    summary.add("load (INSERT, 256 in flight)", rows, elapsed(started), "ok");
    // The load leaves compactions of the sample table running; the counts below should not compete with them.
    Duration settled = SstableTasks.awaitIdle(session, KEYSPACE, Duration.ofMinutes(5));
    if (settled.toMillis() >= 1000) {
      out.printf("Waited %.0f s for the compactions the load started.%n", settled.toMillis() / 1e3);
      out.flush();
    }

    // The first scans of a table after a node and this JVM start are slow (code not compiled yet, caches cold):
    // measured here, a first count of the sample took 2 to 5 times as long as the third. On a table this small,
    // that would decide the comparison against whichever count ran first; so each count runs once untimed, then
    // COUNT_RUNS times in turn, and the medians are compared.
    out.printf("Counting %s with Ringsweep and with SELECT count(*): one untimed run each, then %d timed runs each, "
        + "in turn…%n", table, COUNT_RUNS);
    out.flush();
    TokenAwareBulkOperator operator = operatorOptions.applyTo(TokenAwareBulkOperator.builder(session)).build();
    SimpleStatement selectCount = SimpleStatement.newInstance("SELECT count(*) FROM " + table)
        .setTimeout(Duration.ofMinutes(2));
    List<Duration> ringsweepTimes = new ArrayList<>();
    List<Duration> serverTimes = new ArrayList<>();
    String ringsweepOutcome = null;
    String serverOutcome = null;
    boolean serverFailed = false;
    CountResult count = null;
    long serverRows = 0;
    for (int run = 0; run <= COUNT_RUNS; run++) {
      count = operator.count(KEYSPACE, TABLE);
      if (run > 0) {
        ringsweepTimes.add(count.duration());
      }
      if (ringsweepOutcome == null || count.rows() != rows) {
        ringsweepOutcome = check(count.rows(), "Ringsweep count", failures);
      }
      if (serverFailed) {
        continue; // SELECT count(*) failed once (a server timeout, typically): not again
      }
      long selectStarted = System.nanoTime();
      try {
        serverRows = session.execute(selectCount).one().getLong(0);
        if (serverOutcome == null || serverRows != rows) {
          serverOutcome = check(serverRows, "SELECT count(*)", failures);
        }
      } catch (DriverException e) {
        serverFailed = true;
        serverOutcome = "failed: " + e.getClass().getSimpleName() + " (not counted as a failure of the job)";
      }
      if (run > 0) {
        serverTimes.add(elapsed(selectStarted));
      }
    }
    Duration ringsweepTime = median(ringsweepTimes);
    Duration serverTime = serverFailed ? Duration.ZERO : median(serverTimes);
    summary.add("Ringsweep count (median)", count.rows(), ringsweepTime, ringsweepOutcome);
    summary.add("SELECT count(*) (median)", serverRows, serverTime, serverOutcome);

    String icebergTable = KEYSPACE + "." + TABLE;
    ExportResult exported;
    try (ProgressBars.RangeBar bar = bars.ranges("export → Iceberg")) {
      exported = operatorOptions.applyTo(TokenAwareBulkOperator.builder(session))
          .progressListener(bar.listener()).build()
          .export(KEYSPACE, TABLE, ExportTarget.iceberg(warehouse, icebergTable).withWriteMode(WriteMode.OVERWRITE));
    }
    summary.add("Ringsweep export → Iceberg", exported.rows(), exported.duration(),
        check(exported.rows(), "Export", failures).replace("ok:", String.format(Locale.ROOT, "ok (%d files, %.1f MiB):",
            exported.files(), exported.bytes() / 1048576.0)));

    SampleData.createTable(session, KEYSPACE, COPY, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    ImportResult imported;
    try (ProgressBars.RangeBar bar = bars.parts("import ← Iceberg", "splits")) {
      imported = operatorOptions.applyTo(TokenAwareBulkOperator.builder(session))
          .progressListener(bar.listener()).build()
          .importFrom(ImportSource.iceberg(warehouse, icebergTable), KEYSPACE, COPY);
    }
    summary.add("Ringsweep import ← Iceberg", imported.rows(), imported.duration(),
        check(imported.rows(), "Import", failures) + (imported.failed() > 0 ? ", " + imported.failed() + " failed"
            : ""));

    started = System.nanoTime();
    SampleData.Comparison comparison;
    try (ProgressBars.Bar bar = bars.rows("verify", rows)) {
      comparison = SampleData.compare(session, KEYSPACE, COPY, rows, bar::rowsDone);
    }
    summary.add("verify the copy, value by value", comparison.rowsChecked(), elapsed(started),
        comparison.problem() == null ? "ok: every row and value equals the original"
            : "WRONG: " + comparison.problem());
    if (comparison.problem() != null) {
      failures.add("the imported copy differs: " + comparison.problem());
    }

    out.println();
    summary.print(out);
    out.printf("%nRingsweep counted %d token ranges, %d at a time; ", count.rangesTotal(),
        operator.options().parallelism());
    if (serverFailed) {
      out.printf("SELECT count(*) failed (%s).%n", serverOutcome);
    } else {
      out.printf("SELECT count(*) took %.1f× as long (medians of %d runs each, after one untimed run each).%n",
          serverTime.toNanos() / (double) Math.max(1, ringsweepTime.toNanos()), COUNT_RUNS);
    }
    out.printf("Iceberg table %s (one snapshot per run, overwriting the last) in the warehouse %s; its catalog is "
        + "the SQLite file catalog.db there (PyIceberg's SQL catalog, also read by Spark and Trino).%n",
        icebergTable, warehouse.toAbsolutePath().normalize());
    out.flush();
    if (!failures.isEmpty()) {
      throw new IllegalStateException("Verification failed: " + String.join("; ", failures));
    }
    return 0;
  }

  private String check(long actual, String what, List<String> failures) {
    if (actual == rows) {
      return "ok: equals the rows written";
    }
    failures.add(what + " gave " + actual + " rows, but " + rows + " were written");
    return "WRONG: expected " + rows;
  }

  private static Duration median(List<Duration> times) {
    List<Duration> sorted = times.stream().sorted().toList();
    return sorted.get(sorted.size() / 2);
  }

  private static Duration elapsed(long startedNanos) {
    return Duration.ofNanos(System.nanoTime() - startedNanos);
  }
}
