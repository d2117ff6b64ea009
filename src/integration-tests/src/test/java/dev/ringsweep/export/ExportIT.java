package dev.ringsweep.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.iceberg.IcebergCatalogs;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/** Export against a real single-node cluster: every type, every format, edge cases, resume. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportIT {

  private static final String KS = "export_it";

  private TestCluster cluster;
  private CqlSession session;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS, TestCluster.simpleReplication(1));
    AllTypes.UDT_CQL.forEach(cql -> execute(String.format(cql, KS)));
    execute("CREATE TABLE " + KS + ".all_types (" + AllTypes.COLUMNS_CQL.stream()
        .map(c -> c[0] + " " + c[1]).collect(Collectors.joining(", ")) + ", PRIMARY KEY (k))");
    session.refreshSchema();
    var ks = session.getMetadata().getKeyspace(KS).orElseThrow();
    UserDefinedType address = ks.getUserDefinedType("address").orElseThrow();
    UserDefinedType person = ks.getUserDefinedType("person").orElseThrow();
    String names = AllTypes.COLUMNS_CQL.stream().map(c -> c[0]).collect(Collectors.joining(", "));
    String marks = AllTypes.COLUMNS_CQL.stream().map(c -> "?").collect(Collectors.joining(", "));
    PreparedStatement insert =
        session.prepare("INSERT INTO " + KS + ".all_types (" + names + ") VALUES (" + marks + ")");
    for (Object[] row : AllTypes.rows(address, person, AllTypes.tupleType())) {
      session.execute(insert.bind(row));
    }
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private void execute(String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  private TokenAwareBulkOperator operator() {
    return TokenAwareBulkOperator.builder(session).build();
  }

  /**
   * The table's rows as Cassandra returns them, columns in the table metadata's order (the export's), keyed by the
   * first column (and the second for {@code statics}).
   */
  private Map<Object, Object[]> source(String table) {
    Map<Object, Object[]> rows = new HashMap<>();
    String names = columns(table).stream().map(c -> "\"" + c.name() + "\"").collect(Collectors.joining(", "));
    for (Row row : session.execute("SELECT " + names + " FROM " + KS + "." + table)) {
      Object[] values = new Object[row.getColumnDefinitions().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.isNull(i) ? null : row.getObject(i);
      }
      rows.put(List.of(values[0], values.length > 1 && table.equals("statics") ? String.valueOf(values[1]) : ""),
          values);
    }
    return rows;
  }

  private List<CqlColumn> columns(String table) {
    TableMetadata t = session.getMetadata().getKeyspace(KS).orElseThrow().getTable(table).orElseThrow();
    List<CqlColumn> out = new ArrayList<>();
    t.getColumns().values().forEach(c -> out.add(new CqlColumn(c.getName().asInternal(), c.getType())));
    return out;
  }

  private void assertSameRows(String table, List<Object[]> exported) {
    Map<Object, Object[]> expected = source(table);
    List<CqlColumn> columns = columns(table);
    assertThat(exported).hasSize(expected.size());
    for (Object[] row : exported) {
      Object key = List.of(row[0], row.length > 1 && table.equals("statics") ? String.valueOf(row[1]) : "");
      Object[] source = expected.remove(key);
      assertThat(source).as("unexpected or duplicate row %s", key).isNotNull();
      for (int i = 0; i < columns.size(); i++) {
        assertThat(row[i]).as("row %s column %s", key, columns.get(i).name()).isEqualTo(source[i]);
      }
    }
    assertThat(expected).isEmpty();
  }

  @Test
  void should_export_every_type_value_by_value_to_every_format() {
    List<CqlColumn> columns = columns("all_types");
    Path wh = dir.resolve("types-wh");
    assertThat(operator().export(KS, "all_types", ExportTargets.iceberg(wh, "db.all_types")).rows())
        .isEqualTo(AllTypes.rows(AllTypes.detachedUdts()[0], AllTypes.detachedUdts()[1], AllTypes.tupleType()).size());
    assertSameRows("all_types", ExportReaders.iceberg(wh, "db.all_types", columns));

    operator().export(KS, "all_types", ExportTargets.parquet(dir.resolve("types-parquet")));
    assertSameRows("all_types", ExportReaders.parquet(dir.resolve("types-parquet"), columns));

    operator().export(KS, "all_types", ExportTarget.csv(dir.resolve("types-csv"))
        .withCompression(TextCompression.GZIP));
    assertSameRows("all_types", ExportReaders.csv(dir.resolve("types-csv"), columns));

    operator().export(KS, "all_types", ExportTarget.jsonLines(dir.resolve("types-json")));
    assertSameRows("all_types", ExportReaders.jsonLines(dir.resolve("types-json"), columns));
  }

  @Test
  void should_export_static_columns_and_counters() {
    execute("CREATE TABLE " + KS + ".statics (pk int, ck int, s text static, v int, PRIMARY KEY (pk, ck))");
    execute("INSERT INTO " + KS + ".statics (pk, ck, s, v) VALUES (1, 1, 'shared', 10)");
    execute("INSERT INTO " + KS + ".statics (pk, ck, v) VALUES (1, 2, 20)");
    execute("INSERT INTO " + KS + ".statics (pk, s) VALUES (2, 'static only')");
    operator().export(KS, "statics", ExportTarget.jsonLines(dir.resolve("statics")));
    List<Object[]> rows = ExportReaders.jsonLines(dir.resolve("statics"), columns("statics"));
    assertSameRows("statics", rows);
    int s = columns("statics").stream().map(CqlColumn::name).toList().indexOf("s");
    assertThat(rows).filteredOn(r -> r[0].equals(1)).hasSize(2).allMatch(r -> "shared".equals(r[s]));

    execute("CREATE TABLE " + KS + ".counters (k int PRIMARY KEY, n counter)");
    execute("UPDATE " + KS + ".counters SET n = n + 5 WHERE k = 1");
    execute("UPDATE " + KS + ".counters SET n = n - 9000000000 WHERE k = 2");
    operator().export(KS, "counters", ExportTargets.iceberg(dir.resolve("counters"), "db.counters"));
    assertSameRows("counters", ExportReaders.iceberg(dir.resolve("counters"), "db.counters", columns("counters")));
  }

  @Test
  void should_export_an_empty_table_to_every_format() {
    execute("CREATE TABLE " + KS + ".empty (id bigint PRIMARY KEY, v text)");
    List<CqlColumn> columns = columns("empty");
    Path wh = dir.resolve("empty-wh");
    assertThat(operator().export(KS, "empty", ExportTargets.iceberg(wh, "db.empty")).rows()).isZero();
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(ExportTargets.iceberg(wh, "db.empty"))) {
      Table table = opened.catalog().loadTable(TableIdentifier.parse("db.empty"));
      assertThat(ExportReaders.iceberg(table, columns)).isEmpty();
    }
    assertThat(operator().export(KS, "empty", ExportTargets.parquet(dir.resolve("empty-p"))).rows()).isZero();
    assertThat(ExportReaders.parquet(dir.resolve("empty-p"), columns)).isEmpty();
    assertThat(operator().export(KS, "empty", ExportTarget.csv(dir.resolve("empty-c"))).files()).isZero();
    assertThat(operator().export(KS, "empty", ExportTarget.jsonLines(dir.resolve("empty-j"))).rows()).isZero();
  }

  @Test
  void should_export_50k_rows_exactly_once() {
    execute("CREATE TABLE " + KS + ".fifty_k (id bigint PRIMARY KEY, v text)");
    TestData.insert(session, "INSERT INTO " + KS + ".fifty_k (id, v) VALUES (?, ?)", 50_000,
        i -> new Object[] {i, "value-" + i});
    ExportResult result = operator().export(KS, "fifty_k", ExportTargets.parquet(dir.resolve("fifty")),
        ExportOptions.defaults().withWriters(3));
    assertThat(result.rows()).isEqualTo(50_000);
    assertThat(result.files()).isEqualTo(ExportReaders.files(dir.resolve("fifty"), ".parquet").size());
    assertThat(result.bytes()).isPositive();
    assertSameRows("fifty_k", ExportReaders.parquet(dir.resolve("fifty"), columns("fifty_k")));
  }

  @Test
  void should_keep_to_the_read_rate_limit_and_still_export_every_row() {
    execute("CREATE TABLE " + KS + ".limited (id bigint PRIMARY KEY, v text)");
    TestData.insert(session, "INSERT INTO " + KS + ".limited (id, v) VALUES (?, ?)", 12_000,
        i -> new Object[] {i, "value-" + i});
    Path out = dir.resolve("limited");

    // Pages of 1000 rows, at most 5000 rows/s: the export cannot take less than about two seconds.
    ExportResult result = TokenAwareBulkOperator.builder(session).pageSize(1000).build().export(KS, "limited",
        ExportTarget.jsonLines(out), ExportOptions.defaults().withMaxRowsPerSecond(5000));

    assertThat(result.rows()).isEqualTo(12_000);
    assertThat(result.rowsPerSecond()).as("rows/s of a 5000 rows/s export").isLessThanOrEqualTo(5000 * 1.2);
    assertSameRows("limited", ExportReaders.jsonLines(out, columns("limited")));
  }

  @Test
  void should_export_keys_at_both_ends_of_the_ring() {
    execute("CREATE TABLE " + KS + ".ends (id bigint PRIMARY KEY, v text)");
    long width = Long.MAX_VALUE / 2000;
    List<Long> keys = new ArrayList<>();
    keys.addAll(TestData.bigintKeysWithTokensIn(session, Long.MIN_VALUE, Long.MIN_VALUE + width, 3, 0));
    keys.addAll(TestData.bigintKeysWithTokensIn(session, Long.MAX_VALUE - width, Long.MAX_VALUE, 3, 0));
    for (long key : keys) {
      session.execute(session.prepare("INSERT INTO " + KS + ".ends (id, v) VALUES (?, ?)").bind(key, "k" + key));
    }
    assertThat(operator().export(KS, "ends", ExportTarget.jsonLines(dir.resolve("ends"))).rows()).isEqualTo(6);
    assertSameRows("ends", ExportReaders.jsonLines(dir.resolve("ends"), columns("ends")));
  }

  @Test
  void should_export_a_column_subset_with_writetime_and_ttl() {
    execute("CREATE TABLE " + KS + ".wt (k int PRIMARY KEY, a text, b int)");
    execute("INSERT INTO " + KS + ".wt (k, a, b) VALUES (1, 'x', 7) USING TIMESTAMP 1234567 AND TTL 100000");
    execute("INSERT INTO " + KS + ".wt (k, a) VALUES (2, 'y') USING TIMESTAMP 42");
    operator().export(KS, "wt", ExportTarget.jsonLines(dir.resolve("wt")),
        ExportOptions.defaults().withColumns("k", "a").withWritetimeAndTtl("a"));
    List<CqlColumn> columns = List.of(
        new CqlColumn("k", com.datastax.oss.driver.api.core.type.DataTypes.INT),
        new CqlColumn("a", com.datastax.oss.driver.api.core.type.DataTypes.TEXT),
        new CqlColumn("a_writetime", com.datastax.oss.driver.api.core.type.DataTypes.BIGINT),
        new CqlColumn("a_ttl", com.datastax.oss.driver.api.core.type.DataTypes.INT));
    Map<Object, Object[]> rows = ExportReaders.jsonLines(dir.resolve("wt"), columns).stream()
        .collect(Collectors.toMap(r -> r[0], r -> r));
    assertThat(rows.get(1)).containsExactly(1, "x", 1234567L, rows.get(1)[3]);
    assertThat((Integer) rows.get(1)[3]).isBetween(1, 100000);
    assertThat(rows.get(2)).containsExactly(2, "y", 42L, null);
    assertThatThrownBy(() -> operator().export(KS, "wt", ExportTarget.csv(dir.resolve("wt2")),
        ExportOptions.defaults().withWritetimeAndTtl("k")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid writetime/TTL column: k (a primary key column has no writetime or TTL)");
  }

  /** Runs an export whose session is closed after a few ranges: it fails part-way. */
  private BulkOperationException interrupted(String table, ExportTarget target, ExportOptions options) {
    CqlSession doomed = cluster.newSession();
    AtomicBoolean closed = new AtomicBoolean();
    TokenAwareBulkOperator op = TokenAwareBulkOperator.builder(doomed).splitCount(64).parallelism(2)
        .maxRetries(0).progressListener(p -> {
          if (p.rangesDone() >= 8 && closed.compareAndSet(false, true)) {
            doomed.closeAsync();
          }
        }).build();
    try {
      return (BulkOperationException) org.assertj.core.api.Assertions.catchThrowable(
          () -> op.export(KS, table, target, options));
    } finally {
      doomed.close();
    }
  }

  private void resumeTest(String table, BiFunction<Path, String, ExportTarget> target,
      BiFunction<Path, List<CqlColumn>, List<Object[]>> reader) {
    execute("CREATE TABLE " + KS + "." + table + " (id bigint PRIMARY KEY, v text)");
    TestData.insert(session, "INSERT INTO " + KS + "." + table + " (id, v) VALUES (?, ?)", 20_000,
        i -> new Object[] {i, "value-" + i});
    Path out = dir.resolve(table);
    ExportOptions options = ExportOptions.defaults().withCheckpointInterval(Duration.ZERO).withWriters(2);
    BulkOperationException failure = interrupted(table, target.apply(out, table), options);
    assertThat(failure).isNotNull();
    ExportResult partial = failure.partialResult(ExportResult.class);
    assertThat(partial.rows()).isPositive().isLessThan(20_000);
    assertThat(failure.failedRanges()).isNotEmpty();

    ExportResult resumed = TokenAwareBulkOperator.builder(session).splitCount(40).build()
        .export(KS, table, target.apply(out, table), options.withResume(Resume.RESUME));
    assertThat(resumed.rows()).isLessThan(20_000);
    assertSameRows(table, reader.apply(out, columns(table)));
  }

  @Test
  void should_resume_an_interrupted_directory_export_to_exactly_the_source_rows() {
    resumeTest("resume_json", (out, t) -> ExportTarget.jsonLines(out), ExportReaders::jsonLines);
  }

  @Test
  void should_resume_an_interrupted_iceberg_export_with_one_commit_and_no_snapshot_before() {
    Path wh = dir.resolve("resume-wh");
    execute("CREATE TABLE " + KS + ".resume_ice (id bigint PRIMARY KEY, v text)");
    TestData.insert(session, "INSERT INTO " + KS + ".resume_ice (id, v) VALUES (?, ?)", 20_000,
        i -> new Object[] {i, "value-" + i});
    ExportOptions options = ExportOptions.defaults().withCheckpointInterval(Duration.ZERO);
    BulkOperationException failure = interrupted("resume_ice", ExportTargets.iceberg(wh, "db.resume_ice"), options);
    assertThat(failure).isNotNull();
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(ExportTargets.iceberg(wh, "db.resume_ice"))) {
      assertThat(opened.catalog().tableExists(TableIdentifier.parse("db.resume_ice"))).isFalse();
    }
    ExportResult resumed = TokenAwareBulkOperator.builder(session).splitCount(100).build()
        .export(KS, "resume_ice", ExportTargets.iceberg(wh, "db.resume_ice"), options.withResume(Resume.RESUME));
    assertThat(resumed.rows()).isLessThan(20_000);
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(ExportTargets.iceberg(wh, "db.resume_ice"))) {
      Table table = opened.catalog().loadTable(TableIdentifier.parse("db.resume_ice"));
      assertThat(table.snapshots()).hasSize(1);
      assertSameRows("resume_ice", ExportReaders.iceberg(table, columns("resume_ice")));
    }
  }

  @Test
  void should_leave_an_existing_iceberg_table_unchanged_when_an_export_fails() {
    Path wh = dir.resolve("fail-wh");
    execute("CREATE TABLE " + KS + ".fail_ice (id bigint PRIMARY KEY, v text)");
    TestData.insert(session, "INSERT INTO " + KS + ".fail_ice (id, v) VALUES (?, ?)", 5_000,
        i -> new Object[] {i, "value-" + i});
    IcebergTarget target = ExportTargets.iceberg(wh, "db.fail_ice");
    operator().export(KS, "fail_ice", target);
    BulkOperationException failure = interrupted("fail_ice", target.withWriteMode(WriteMode.OVERWRITE),
        ExportOptions.defaults().withCheckpointInterval(Duration.ZERO));
    assertThat(failure).isNotNull();
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(target)) {
      Table table = opened.catalog().loadTable(TableIdentifier.parse("db.fail_ice"));
      assertThat(table.snapshots()).hasSize(1);
      assertSameRows("fail_ice", ExportReaders.iceberg(table, columns("fail_ice")));
    }
  }
}
