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
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The main job, run by {@code ringsweep} without a subcommand and by {@code ringsweep demo}: starts an embedded
 * single-node Cassandra (or, for {@code demo --external-cluster} only, connects to the user's cluster), loads the
 * sample table ({@link SampleData}), counts it with Ringsweep and with {@code SELECT count(*)}, exports it to an
 * Iceberg table, imports that into a second table, checks every figure against the rows written and the copy value
 * by value against the original rows, and prints a summary table.
 *
 * <p>On an external cluster it touches nothing it did not create: it refuses an existing keyspace
 * {@value #KEYSPACE} without the demo's marker table ({@value #MARKER}), names its tables per run and drops only
 * those, at the end of the run.
 */
final class DemoJob {

  static final String KEYSPACE = "ringsweep_demo";
  static final String TABLE = "events";
  static final String COPY = "events_copy";
  /** The table that marks a keyspace as created by the demo on an external cluster. */
  static final String MARKER = "demo_marker";

  /** Timed runs of each count, after an untimed one. */
  private static final int COUNT_RUNS = 3;

  /** The external cluster's connection, or null for the embedded node. */
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
      if (connection == null) {
        out.println("Starting an embedded Cassandra node (a child JVM; its files are under "
            + "target/ringsweep-cluster)…");
        out.flush();
        long started = System.nanoTime();
        cluster = LocalCluster.builder().clusterName("demo").build().start();
        out.printf("Cassandra is up at %s (%.0f s).%n", cluster.contactPoints().get(0),
            (System.nanoTime() - started) / 1e9);
        session = new ConnectionOptions().connect(cluster.contactPoints(), cluster.firstDataCenter(),
            operatorOptions.timeout());
      } else {
        session = connection.connect(operatorOptions.timeout());
      }
      try (session) {
        if (connection == null) {
          return steps(session, TABLE, COPY);
        }
        // On a cluster of the user's: only a keyspace the demo made, and tables of this run, dropped at the end.
        claimKeyspace(session);
        String run = Long.toString(System.currentTimeMillis(), 36);
        String table = TABLE + "_" + run;
        String copy = COPY + "_" + run;
        try {
          return steps(session, table, copy);
        } finally {
          for (String created : List.of(copy, table)) {
            session.execute(SimpleStatement.newInstance("DROP TABLE IF EXISTS " + KEYSPACE + "." + created)
                .setTimeout(Duration.ofMinutes(1)));
          }
          out.printf("Dropped the tables of this run (%s.%s, %s.%s); the keyspace %s stays, marked as the demo's.%n",
              KEYSPACE, table, KEYSPACE, copy, KEYSPACE);
          out.flush();
        }
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /**
   * Makes sure the demo's keyspace on an external cluster is the demo's: creates it with its marker table, or finds
   * the marker in an existing one.
   *
   * @throws IllegalStateException if the keyspace exists without the marker: the demo does not touch it
   */
  private void claimKeyspace(CqlSession session) {
    var existing = session.getMetadata().getKeyspace(KEYSPACE);
    if (existing.isPresent()) {
      if (existing.get().getTable(MARKER).isEmpty()) {
        throw new IllegalStateException(String.format("Keyspace %s exists on this cluster and was not created by the "
            + "demo (it has no table %s.%s); the demo does not touch it: drop or rename it yourself, or run the demo "
            + "on its embedded node ('ringsweep demo')", KEYSPACE, KEYSPACE, MARKER));
      }
      return;
    }
    execute(session, "CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    execute(session, "CREATE TABLE IF NOT EXISTS " + KEYSPACE + "." + MARKER + " (created_by text PRIMARY KEY)");
    execute(session, "INSERT INTO " + KEYSPACE + "." + MARKER + " (created_by) VALUES ('ringsweep demo')");
    session.refreshSchema();
  }

  private static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofMinutes(1)));
  }

  private int steps(CqlSession session, String sampleTable, String copyTable) {
    SummaryTable summary = new SummaryTable();
    List<String> failures = new ArrayList<>();
    String table = KEYSPACE + "." + sampleTable;

    out.printf("Loading %,d sample rows into %s…%n", rows, table);
    out.flush();
    SampleData.createTable(session, KEYSPACE, sampleTable,
        "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    long started = System.nanoTime();
    try (ProgressBars.Bar bar = bars.rows("load", rows)) {
      SampleData.load(session, KEYSPACE, sampleTable, rows, bar::rowsDone);
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
      count = operator.count(KEYSPACE, sampleTable);
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
          .export(KEYSPACE, sampleTable, ExportTargets.iceberg(warehouse, icebergTable).withWriteMode(WriteMode.OVERWRITE));
    }
    summary.add("Ringsweep export → Iceberg", exported.rows(), exported.duration(),
        check(exported.rows(), "Export", failures).replace("ok:", String.format(Locale.ROOT, "ok (%d files, %.1f MiB):",
            exported.files(), exported.bytes() / 1048576.0)));

    SampleData.createTable(session, KEYSPACE, copyTable, "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    ImportResult imported;
    try (ProgressBars.RangeBar bar = bars.parts("import ← Iceberg", "splits")) {
      imported = operatorOptions.applyTo(TokenAwareBulkOperator.builder(session))
          .progressListener(bar.listener()).build()
          .importFrom(ImportSources.iceberg(warehouse, icebergTable), KEYSPACE, copyTable);
    }
    summary.add("Ringsweep import ← Iceberg", imported.rows(), imported.duration(),
        check(imported.rows(), "Import", failures) + (imported.failed() > 0 ? ", " + imported.failed() + " failed"
            : ""));

    started = System.nanoTime();
    SampleData.Comparison comparison;
    try (ProgressBars.Bar bar = bars.rows("verify", rows)) {
      comparison = SampleData.compare(session, KEYSPACE, copyTable, rows, bar::rowsDone);
    }
    summary.add("verify the copy, value by value", comparison.rowsChecked(), elapsed(started),
        comparison.problem() == null ? "ok: every row and value equals the original"
            : "WRONG: " + comparison.problem());
    if (comparison.problem() != null) {
      failures.add("the imported copy differs: " + comparison.problem());
    }

    out.println();
    summary.print(out);
    out.printf("%nRingsweep counted %d token ranges, %s%d at a time; ", count.rangesTotal(),
        operator.options().concurrency() == dev.ringsweep.ConcurrencyMode.FIXED ? "" : "adaptively up to ",
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
