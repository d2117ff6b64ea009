package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportReaders;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Export to Iceberg on Spark against the real single-node cluster, read back with Spark SQL through
 * iceberg-spark-runtime (not Ringsweep's reader) and compared with what Cassandra returns.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkExportIT {

  private static final String KS = SparkFixture.KS;
  private static final int WIDE_ROWS = 3_000;

  private SparkFixture fx;

  @BeforeAll
  void setUp() {
    fx = SparkFixture.get();
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".wide (k bigint PRIMARY KEY, t text, i int, d double, "
        + "b boolean, ts timestamp, u uuid, l list<int>)");
    fx.execute("TRUNCATE " + KS + ".wide");
    TestData.insert(fx.session, "INSERT INTO " + KS + ".wide (k, t, i, d, b, ts, u, l) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        WIDE_ROWS, n -> n % 10 == 0
            ? new Object[] {n, null, null, null, null, null, null, null}
            : new Object[] {n, "text " + n + " \u00e9", (int) (n * 31), n / 7.0, n % 2 == 0,
                Instant.ofEpochMilli(1_700_000_000_000L + n * 1001), new UUID(n, -n), List.of((int) n, -1, 0)});
    AllTypes.UDT_CQL.forEach(cql -> fx.execute(String.format(cql.replace("CREATE TYPE", "CREATE TYPE IF NOT EXISTS"),
        KS)));
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".all_types (" + AllTypes.COLUMNS_CQL.stream()
        .map(c -> c[0] + " " + c[1]).collect(Collectors.joining(", ")) + ", PRIMARY KEY (k))");
    fx.session.refreshSchema();
    var ks = fx.session.getMetadata().getKeyspace(KS).orElseThrow();
    UserDefinedType address = ks.getUserDefinedType("address").orElseThrow();
    UserDefinedType person = ks.getUserDefinedType("person").orElseThrow();
    String names = AllTypes.COLUMNS_CQL.stream().map(c -> c[0]).collect(Collectors.joining(", "));
    String marks = AllTypes.COLUMNS_CQL.stream().map(c -> "?").collect(Collectors.joining(", "));
    PreparedStatement insert =
        fx.session.prepare("INSERT INTO " + KS + ".all_types (" + names + ") VALUES (" + marks + ")");
    for (Object[] row : AllTypes.rows(address, person, AllTypes.tupleType())) {
      fx.session.execute(insert.bind(row));
    }
  }

  @AfterEach
  void clearHook() {
    ExportJob.attemptHook = null;
  }

  private RingsweepSpark ringsweep() {
    return RingsweepSpark.on(fx.spark, fx.connection);
  }

  private IcebergTarget target(String table) {
    return ExportTargets.iceberg(fx.warehouse, "db." + table);
  }

  /** Cassandra's rows of {@code wide}, by key. */
  private Map<Long, Row> wideSource() {
    Map<Long, Row> rows = new HashMap<>();
    for (Row row : fx.session.execute("SELECT k, t, i, d, b, ts, u, l FROM " + KS + ".wide")) {
      rows.put(row.getLong("k"), row);
    }
    return rows;
  }

  /** Spark SQL's rows of an exported copy of {@code wide}: every one matches Cassandra's, value by value. */
  private void assertWideCopy(String icebergTable) {
    Map<Long, Row> expected = wideSource();
    List<org.apache.spark.sql.Row> rows =
        fx.spark.sql("SELECT k, t, i, d, b, ts, u, l FROM ringsweep.db." + icebergTable).collectAsList();
    assertThat(rows).hasSize(expected.size());
    Set<Long> seen = new HashSet<>();
    for (org.apache.spark.sql.Row row : rows) {
      long k = row.getLong(0);
      assertThat(seen.add(k)).as("row %s appears once", k).isTrue();
      Row source = expected.get(k);
      assertThat(source).as("row %s exists in Cassandra", k).isNotNull();
      assertThat(row.isNullAt(1) ? null : row.getString(1)).as("t of %s", k).isEqualTo(source.getString("t"));
      assertThat(row.isNullAt(2) ? null : row.getInt(2)).as("i of %s", k)
          .isEqualTo(source.isNull("i") ? null : source.getInt("i"));
      assertThat(row.isNullAt(3) ? null : row.getDouble(3)).as("d of %s", k)
          .isEqualTo(source.isNull("d") ? null : source.getDouble("d"));
      assertThat(row.isNullAt(4) ? null : row.getBoolean(4)).as("b of %s", k)
          .isEqualTo(source.isNull("b") ? null : source.getBoolean("b"));
      assertThat(row.isNullAt(5) ? null : (Instant) row.get(5)).as("ts of %s", k)
          .isEqualTo(source.getInstant("ts"));
      assertThat(row.isNullAt(6) ? null : row.getString(6)).as("u of %s", k)
          .isEqualTo(source.isNull("u") ? null : source.getUuid("u").toString());
      List<Integer> list = row.isNullAt(7) ? List.of() : row.getList(7);
      assertThat(list).as("l of %s", k).isEqualTo(source.getList("l", Integer.class));
    }
  }

  /** Parquet files under the Iceberg table's directory that its current snapshot does not reference. */
  private boolean icebergTableExists(String icebergTable) {
    return checks().tableExists(icebergTable);
  }

  /** Parquet files under the table's directory that its current snapshot does not reference. */
  private Set<String> orphans(String icebergTable) {
    return checks().unreferencedFiles(icebergTable);
  }

  private ExportChecks checks() {
    return new ExportChecks(fx.spark, fx.warehouse);
  }

  private long snapshots(String icebergTable) {
    return fx.spark.sql("SELECT * FROM ringsweep.db." + icebergTable + ".snapshots").count();
  }

  @Test
  void should_export_in_one_commit_that_spark_sql_reads_value_by_value() {
    ExportResult result = ringsweep().exportToIceberg(KS, "wide", target("wide"), ExportOptions.defaults());

    assertThat(result.rows()).isEqualTo(WIDE_ROWS);
    assertThat(result.files()).isGreaterThan(1); // several tasks wrote, one commit holds them all
    assertThat(snapshots("wide")).isEqualTo(1);
    assertWideCopy("wide");
    assertThat(orphans("wide")).isEmpty();
  }

  @Test
  void should_export_every_cql_type_that_spark_sql_and_the_source_agree_on() {
    ExportResult result = ringsweep().exportToIceberg(KS, "all_types", target("all_types"), ExportOptions.defaults());

    TableMetadata table = fx.session.getMetadata().getKeyspace(KS).orElseThrow().getTable("all_types").orElseThrow();
    List<CqlColumn> columns = new ArrayList<>();
    table.getColumns().values().forEach(c -> columns.add(new CqlColumn(c.getName().asInternal(), c.getType())));
    Map<Integer, Object[]> expected = new HashMap<>();
    for (Row row : fx.session.execute("SELECT " + columns.stream().map(CqlColumn::name)
        .collect(Collectors.joining(", ")) + " FROM " + KS + ".all_types")) {
      Object[] values = new Object[columns.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.isNull(i) ? null : row.getObject(i);
      }
      expected.put((Integer) values[0], values);
    }
    assertThat(result.rows()).isEqualTo(expected.size());
    // Spark SQL decodes every column of every row, and sees each key once.
    List<org.apache.spark.sql.Row> sparkRows =
        fx.spark.sql("SELECT * FROM ringsweep.db.all_types").collectAsList();
    assertThat(sparkRows.stream().map(r -> r.getInt(r.fieldIndex("k"))).toList())
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    // Value by value, decoded back to CQL values as an import would.
    List<Object[]> exported = ExportReaders.iceberg(fx.warehouse, "db.all_types", columns);
    assertThat(exported).hasSize(expected.size());
    for (Object[] row : exported) {
      Object[] source = expected.get((Integer) row[0]);
      for (int i = 0; i < columns.size(); i++) {
        assertThat(row[i]).as("row %s column %s", row[0], columns.get(i).name()).isEqualTo(source[i]);
      }
    }
  }

  @Test
  void should_commit_each_row_once_and_leave_no_orphan_when_a_task_fails_its_first_attempt() {
    List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExportJob.attemptHook = (partition, attempt) -> {
      if (partition == 1 && attempt == 0) {
        failed.add(partition + "/" + attempt);
        throw new IllegalStateException("injected failure of the first attempt of partition 1");
      }
    };

    ExportResult result = ringsweep().exportToIceberg(KS, "wide", target("wide_retried"), ExportOptions.defaults());

    assertThat(failed).containsExactly("1/0"); // the failure happened, after the attempt had written its files
    assertThat(result.rows()).isEqualTo(WIDE_ROWS);
    assertThat(snapshots("wide_retried")).isEqualTo(1);
    assertWideCopy("wide_retried");
    assertThat(orphans("wide_retried")).isEmpty();
  }

  @Test
  void should_commit_nothing_and_keep_only_the_recorded_files_when_the_job_fails() {
    ringsweep().exportToIceberg(KS, "wide", target("wide_kept"), ExportOptions.defaults());
    long snapshotsBefore = snapshots("wide_kept");
    // Partition 0 fails every attempt at once; the other tasks are still busy (their files written) when the job
    // is aborted, so their files appear after the failure: being unrecorded, they must be deleted all the same.
    ExportJob.attemptHook = (partition, attempt) -> {
      if (partition == 0) {
        throw new IllegalStateException("injected failure of every attempt of partition 0");
      }
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    };

    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "wide", target("wide_kept"), ExportOptions.defaults()))
        .isInstanceOf(BulkOperationException.class)
        .hasMessageContaining("nothing was committed")
        .hasMessageContaining("injected failure of every attempt of partition 0")
        .hasMessageContaining("rerun with Resume.RESUME");
    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "wide", target("wide_never"), ExportOptions.defaults()))
        .isInstanceOf(BulkOperationException.class);

    ExportChecks checks = new ExportChecks(fx.spark, fx.warehouse);
    assertThat(snapshots("wide_kept")).isEqualTo(snapshotsBefore);
    assertWideCopy("wide_kept");
    // Outside the table's metadata only the files of tasks that succeeded, recorded for a resume.
    assertThat(orphans("wide_kept")).isEqualTo(checks.recordedFiles("wide_kept"));
    assertThat(icebergTableExists("wide_never")).isFalse();
    assertThat(orphans("wide_never")).isEqualTo(checks.recordedFiles("wide_never"));

    // Without resume, a rerun deletes them and starts afresh.
    ExportJob.attemptHook = null;
    ringsweep().exportToIceberg(KS, "wide", target("wide_never"), ExportOptions.defaults());
    assertThat(snapshots("wide_never")).isEqualTo(1);
    assertWideCopy("wide_never");
    assertThat(orphans("wide_never")).isEmpty();
  }

  @Test
  void should_name_an_unknown_table_or_column_and_create_nothing() {
    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "no_such_table", target("unknown"),
        ExportOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_table");
    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "wide", target("unknown"),
        ExportOptions.defaults().withColumns("k", "no_such_column")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_column");

    assertThat(icebergTableExists("unknown")).isFalse();
  }

  @Test
  void should_refuse_an_iceberg_table_of_other_columns_and_commit_nothing() {
    fx.spark.sql("CREATE TABLE ringsweep.db.other_columns (k bigint, x string) USING iceberg");
    fx.spark.sql("INSERT INTO ringsweep.db.other_columns VALUES (1, 'one')");

    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "wide", target("other_columns"),
        ExportOptions.defaults()))
        .hasMessageContaining("other_columns");

    assertThat(snapshots("other_columns")).isEqualTo(1);
    assertThat(fx.spark.sql("SELECT * FROM ringsweep.db.other_columns").count()).isEqualTo(1);
  }

  @Test
  void should_name_a_warehouse_that_cannot_be_reached_and_run_no_task() throws IOException {
    Path notADirectory = Files.createTempFile(fx.warehouse.getParent(), "not-a-warehouse", ".txt");
    java.util.concurrent.atomic.AtomicInteger attempts = new java.util.concurrent.atomic.AtomicInteger();
    ExportJob.attemptHook = (partition, attempt) -> attempts.incrementAndGet();

    assertThatThrownBy(() -> ringsweep().exportToIceberg(KS, "wide", ExportTargets.iceberg(notADirectory, "db.wide"),
        ExportOptions.defaults()))
        .hasMessageContaining("Cannot create Iceberg warehouse directory " + notADirectory);

    assertThat(attempts.get()).isZero();
    assertThat(Files.size(notADirectory)).isZero();
  }

  @Test
  void should_append_by_default_and_replace_every_row_when_overwriting() {
    ringsweep().exportToIceberg(KS, "wide", target("wide_twice"), ExportOptions.defaults());
    ringsweep().exportToIceberg(KS, "wide", target("wide_twice"), ExportOptions.defaults());
    assertThat(fx.spark.sql("SELECT * FROM ringsweep.db.wide_twice").count()).isEqualTo(2L * WIDE_ROWS);

    ringsweep().exportToIceberg(KS, "wide", target("wide_twice").withWriteMode(WriteMode.OVERWRITE),
        ExportOptions.defaults());

    assertThat(snapshots("wide_twice")).isEqualTo(3);
    assertWideCopy("wide_twice");
  }
}
