package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Iceberg catalogs named on Spark, against the real single-node cluster: the catalog the Spark session configures
 * (read back by Spark SQL), a Hadoop catalog given by its properties (round trip value by value), a catalog object
 * the caller made (its table sent to executors), and catalogs that cannot be loaded or do not exist (named, nothing
 * run).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkCatalogIT {

  private static final String KS = SparkFixture.KS;
  private static final int ROWS = 500;

  private SparkFixture fx;
  private Path dir;

  @BeforeAll
  void setUp() throws IOException {
    fx = SparkFixture.get();
    dir = Files.createDirectories(fx.warehouse.getParent().resolve("spark-catalog-" + ProcessHandle.current().pid()));
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".cat_rows (k bigint PRIMARY KEY, t text, ts timestamp, "
        + "l list<int>)");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".cat_rows_session (k bigint PRIMARY KEY, t text, "
        + "ts timestamp, l list<int>)");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".cat_rows_hadoop (k bigint PRIMARY KEY, t text, "
        + "ts timestamp, l list<int>)");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".cat_rows_by_name (k bigint PRIMARY KEY, t text, "
        + "ts timestamp, l list<int>)");
    fx.execute("TRUNCATE " + KS + ".cat_rows_session");
    fx.execute("TRUNCATE " + KS + ".cat_rows_by_name");
    fx.execute("TRUNCATE " + KS + ".cat_rows_hadoop");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".cat_rows_object (k bigint PRIMARY KEY, t text, "
        + "ts timestamp, l list<int>)");
    fx.execute("TRUNCATE " + KS + ".cat_rows_object");
    TestData.insert(fx.session, "INSERT INTO " + KS + ".cat_rows (k, t, ts, l) VALUES (?, ?, ?, ?)", ROWS,
        n -> new Object[] {n, n % 7 == 0 ? null : "row " + n, Instant.ofEpochMilli(1_700_000_000_000L + n),
            List.of((int) n, 1)});
  }

  @AfterEach
  void clearHooks() {
    ExportJob.attemptHook = null;
    ImportJob.attemptHook = null;
  }

  private RingsweepSpark ringsweep() {
    return RingsweepSpark.on(fx.spark, fx.connection);
  }

  @Test
  void should_export_into_the_catalog_the_spark_session_names_and_import_it_back_value_by_value() {
    IcebergCatalogConnection session = IcebergCatalogConnection.fromSparkCatalog(fx.spark, "ringsweep");

    ExportResult exported = ringsweep().exportToIceberg(KS, "cat_rows", session.target("db.cat_by_session"),
        ExportOptions.defaults());
    ImportResult imported = ringsweep().importFromIceberg(session.source("db.cat_by_session"), KS,
        "cat_rows_session", ImportOptions.defaults());

    assertThat(session.properties()).containsEntry("type", "jdbc");
    assertThat(exported.rows()).isEqualTo(ROWS);
    // Spark SQL reads the table through the same catalog: one snapshot, every row.
    assertThat(fx.spark.sql("SELECT * FROM ringsweep.db.cat_by_session.snapshots").count()).isEqualTo(1);
    assertThat(fx.spark.sql("SELECT k FROM ringsweep.db.cat_by_session").count()).isEqualTo(ROWS);
    assertThat(imported.rows()).isEqualTo(ROWS);
    assertThat(fx.rows(KS, "cat_rows_session")).isEqualTo(fx.rows(KS, "cat_rows"));
  }

  @Test
  void should_export_and_import_through_a_spark_catalog_named_on_the_spark_submit_line() {
    String point = fx.contactPoint().getHostString() + ":" + fx.contactPoint().getPort();
    List<String> common = List.of("-c", point, "--local-dc", fx.cluster.localDc(), "-f", "iceberg",
        "--catalog", "ringsweep", "--iceberg-table", "db.cat_by_name");

    String exported = SparkMain.run(fx.spark, SparkArguments.parse(concat(List.of("export", "-k", KS, "-t",
        "cat_rows"), common), name -> null), name -> null);
    String imported = SparkMain.run(fx.spark, SparkArguments.parse(concat(List.of("import", "-k", KS, "-t",
        "cat_rows_by_name"), common), name -> null), name -> null);

    assertThat(exported).startsWith(ROWS + " rows of " + KS + ".cat_rows exported to ");
    assertThat(fx.spark.sql("SELECT * FROM ringsweep.db.cat_by_name.snapshots").count()).isEqualTo(1);
    assertThat(fx.spark.sql("SELECT k FROM ringsweep.db.cat_by_name").count()).isEqualTo(ROWS);
    assertThat(imported).startsWith(ROWS + " rows imported into " + KS + ".cat_rows_by_name");
    assertThat(fx.rows(KS, "cat_rows_by_name")).isEqualTo(fx.rows(KS, "cat_rows"));
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new java.util.ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  @Test
  void should_round_trip_through_a_hadoop_catalog_given_by_its_properties() {
    IcebergCatalogConnection lake = IcebergCatalogConnection.of("lake",
        Map.of("type", "hadoop", "warehouse", dir.resolve("hadoop-lake").toUri().toString()));

    ExportResult exported = ringsweep().exportToIceberg(KS, "cat_rows", lake.target("db.cat_rows"),
        ExportOptions.defaults());
    ImportResult imported = ringsweep().importFromIceberg(lake.source("db.cat_rows"), KS, "cat_rows_hadoop",
        ImportOptions.defaults());

    assertThat(exported.rows()).isEqualTo(ROWS);
    assertThat(lake.catalog().loadTable(org.apache.iceberg.catalog.TableIdentifier.parse("db.cat_rows"))
        .snapshots()).hasSize(1);
    assertThat(imported.rows()).isEqualTo(ROWS);
    assertThat(imported.verification().matches()).isTrue();
    assertThat(fx.rows(KS, "cat_rows_hadoop")).isEqualTo(fx.rows(KS, "cat_rows"));
  }

  @Test
  void should_export_into_and_import_from_a_catalog_object_the_caller_made() {
    // A catalog made in the caller's code, not by IcebergCatalogConnection: it cannot be rebuilt on executors, so the
    // driver sends them the table (for the export's first run, the table its commit creates).
    org.apache.iceberg.hadoop.HadoopCatalog lake = new org.apache.iceberg.hadoop.HadoopCatalog(
        new org.apache.hadoop.conf.Configuration(), dir.resolve("object-lake").toUri().toString());
    var id = org.apache.iceberg.catalog.TableIdentifier.parse("db.cat_rows");
    AtomicInteger retries = new AtomicInteger();
    // The first task of each export fails its first attempt after writing its files: they must not reach the table.
    ExportJob.attemptHook = (partition, attempt) -> {
      if (partition == 0 && attempt > 0) {
        retries.incrementAndGet();
      }
      if (partition == 0 && attempt == 0) {
        throw new IllegalStateException("test: first attempt of task 0 fails after writing");
      }
    };

    ExportResult created = ringsweep().exportToIceberg(KS, "cat_rows",
        dev.ringsweep.iceberg.ExportTargets.iceberg(lake, id), ExportOptions.defaults());
    ExportResult appended = ringsweep().exportToIceberg(KS, "cat_rows",
        dev.ringsweep.iceberg.ExportTargets.iceberg(lake, id), ExportOptions.defaults());
    ExportJob.attemptHook = null;
    ImportResult imported = ringsweep().importFromIceberg(
        dev.ringsweep.iceberg.ImportSources.iceberg(lake, id).atSnapshot(
            lake.loadTable(id).snapshots().iterator().next().snapshotId()),
        KS, "cat_rows_object", ImportOptions.defaults().withVerification(
            dev.ringsweep.imports.Verification.COUNT_AND_CHECKSUM));

    assertThat(created.rows()).isEqualTo(ROWS);
    assertThat(appended.rows()).isEqualTo(ROWS);
    assertThat(retries.get()).as("the failed attempts were retried, one per export").isEqualTo(2);
    var table = lake.loadTable(id);
    assertThat(table.snapshots()).as("one commit per export").hasSize(2);
    // Spark's own Iceberg reader: each key once per export, no file of the failed attempt in the table.
    fx.spark.conf().set("spark.sql.catalog.object_lake", "org.apache.iceberg.spark.SparkCatalog");
    fx.spark.conf().set("spark.sql.catalog.object_lake.type", "hadoop");
    fx.spark.conf().set("spark.sql.catalog.object_lake.warehouse", dir.resolve("object-lake").toUri().toString());
    var rows = fx.spark.sql("SELECT k FROM object_lake.db.cat_rows");
    assertThat(rows.count()).isEqualTo(2L * ROWS);
    assertThat(rows.select("k").distinct().count()).isEqualTo(ROWS);
    try (var files = Files.walk(Path.of(java.net.URI.create(table.location())).resolve("data"))) {
      long onDisk = files.filter(p -> p.toString().endsWith(".parquet")).count();
      long committed = 0;
      try (var tasks = table.newScan().planFiles()) {
        for (var ignored : tasks) {
          committed++;
        }
      }
      assertThat(onDisk).as("no orphan data file in the table's location").isEqualTo(committed);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(imported.rows()).as("the first export's snapshot").isEqualTo(ROWS);
    assertThat(imported.verification().matches()).isTrue();
    assertThat(fx.rows(KS, "cat_rows_object")).isEqualTo(fx.rows(KS, "cat_rows"));
  }

  @Test
  void should_name_a_catalog_that_cannot_be_reached_and_run_no_task() {
    AtomicInteger attempts = new AtomicInteger();
    ExportJob.attemptHook = (partition, attempt) -> attempts.incrementAndGet();
    IcebergCatalogConnection down = IcebergCatalogConnection.of("down", Map.of("type", "jdbc",
        "uri", "jdbc:sqlite:" + dir.resolve("no-such-dir").resolve("catalog.db"), "jdbc.password", "s3cret-pass"));

    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "cat_rows", down.target("db.cat_rows"),
        ExportOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot load Iceberg catalog 'down' (")
        .hasMessageNotContaining("s3cret-pass");

    assertThat(attempts.get()).isZero();
    assertThat(dir.resolve("no-such-dir")).doesNotExist();
  }

  @Test
  void should_name_a_spark_catalog_the_session_does_not_have() {
    assertThatThrownBy(() -> IcebergCatalogConnection.fromSparkCatalog(fx.spark, "no_such_catalog"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown Spark catalog: 'no_such_catalog' (no spark.sql.catalog.no_such_catalog in the "
            + "session's configuration; its catalogs: [ringsweep])");
  }
}
