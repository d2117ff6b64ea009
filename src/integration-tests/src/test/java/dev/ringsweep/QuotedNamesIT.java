package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.batch.BatchMode;
import dev.ringsweep.batch.BatchWriter;
import dev.ringsweep.batch.WriteResult;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportReaders;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import dev.ringsweep.token.RangePlan;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * Names that need quoting in every operation: a mixed-case keyspace, a mixed-case table and a table named by a
 * reserved word, and columns with mixed case, spaces, reserved words, an embedded double quote and non-ASCII
 * letters, in a composite partition key, a clustering key and regular columns: count, export, batch writes and
 * import.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuotedNamesIT {

  /** CQL forms (as a caller passes them). */
  static final String KS = "\"QuotedKs\"";
  static final String ORDER = "\"Order\"";
  static final String SELECT = "\"select\"";
  static final int ROWS = 3_000;

  /** Columns as CQL identifiers, with their types; the first three form the primary key. */
  static final List<String[]> COLUMNS = List.of(
      new String[] {"\"Customer Id\"", "bigint"},
      new String[] {"\"from\"", "int"},
      new String[] {"\"Line No\"", "int"},
      new String[] {"\"select\"", "text"},
      new String[] {"\"He said \"\"hi\"\"\"", "text"},
      new String[] {"\"Größe ünïcode\"", "double"});

  private CqlSession session;
  private TokenAwareBulkOperator operator;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    TestCluster cluster = TestClusters.single();
    session = cluster.newSession();
    execute("DROP KEYSPACE IF EXISTS " + KS);
    execute("CREATE KEYSPACE " + KS + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    String columns = COLUMNS.stream().map(c -> c[0] + " " + c[1]).collect(Collectors.joining(", "));
    for (String table : List.of(ORDER, SELECT)) {
      execute("CREATE TABLE " + KS + "." + table + " (" + columns + ", PRIMARY KEY ((" + COLUMNS.get(0)[0] + ", "
          + COLUMNS.get(1)[0] + "), " + COLUMNS.get(2)[0] + "))");
      String names = COLUMNS.stream().map(c -> c[0]).collect(Collectors.joining(", "));
      TestData.insert(session, "INSERT INTO " + KS + "." + table + " (" + names + ") VALUES (?, ?, ?, ?, ?, ?)",
          ROWS, i -> new Object[] {i / 3, (int) (i % 2), (int) (i % 3), "s" + i, "say \"" + i + "\"", i * 0.5});
    }
    operator = TokenAwareBulkOperator.builder(session).build();
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

  @Test
  void should_count_and_plan_quoted_keyspaces_tables_and_columns() {
    RangePlan plan = operator.plan(KS);

    assertThat(operator.count(KS, ORDER).rows()).isEqualTo(ROWS);
    assertThat(operator.count(KS, SELECT).rows()).isEqualTo(ROWS);
    assertThat(operator.count(CqlIdentifier.fromInternal("QuotedKs"), CqlIdentifier.fromInternal("select")).rows())
        .isEqualTo(ROWS);
    assertThat(operator.count(KS, ORDER, plan.pieces()).rows()).isEqualTo(ROWS);
  }

  @Test
  void should_export_quoted_names_to_every_format_value_by_value() {
    List<CqlColumn> columns = columns(ORDER);
    assertThat(columns).extracting(CqlColumn::name)
        .containsExactlyInAnyOrder("Customer Id", "from", "Line No", "He said \"hi\"", "Größe ünïcode", "select")
        .startsWith("Customer Id", "from", "Line No");
    Map<String, BiFunction<Path, List<CqlColumn>, List<Object[]>>> readers = Map.of(
        "parquet", ExportReaders::parquet, "csv", ExportReaders::csv, "json", ExportReaders::jsonLines);

    ExportResult iceberg = operator.export(KS, ORDER, ExportTargets.iceberg(dir.resolve("wh"), "db.order"));
    assertThat(iceberg.rows()).isEqualTo(ROWS);
    assertSameAsSource(ORDER, columns, ExportReaders.iceberg(dir.resolve("wh"), "db.order", columns));
    for (var reader : readers.entrySet()) {
      Path out = dir.resolve(reader.getKey());
      ExportTarget target = switch (reader.getKey()) {
        case "parquet" -> ExportTargets.parquet(out);
        case "csv" -> ExportTarget.csv(out);
        default -> ExportTarget.jsonLines(out);
      };
      assertThat(operator.export(KS, SELECT, target).rows()).as(reader.getKey()).isEqualTo(ROWS);
      assertSameAsSource(SELECT, columns, reader.getValue().apply(out, columns));
    }
  }

  @Test
  void should_export_a_selection_of_quoted_columns_with_writetime_and_ttl() {
    ExportOptions options = ExportOptions.defaults()
        .withColumns("\"Customer Id\"", "\"from\"", "\"Line No\"", "\"He said \"\"hi\"\"\"")
        .withWritetimeAndTtl("\"select\"");
    Path out = dir.resolve("selection");

    ExportResult result = operator.export(KS, ORDER, ExportTarget.jsonLines(out), options);

    assertThat(result.rows()).isEqualTo(ROWS);
    List<CqlColumn> all = columns(ORDER);
    List<CqlColumn> selected = new ArrayList<>(all.subList(0, 3));
    selected.add(all.stream().filter(c -> c.name().equals("He said \"hi\"")).findFirst().orElseThrow());
    var bigint = com.datastax.oss.driver.api.core.type.DataTypes.BIGINT;
    var integer = com.datastax.oss.driver.api.core.type.DataTypes.INT;
    selected.add(new CqlColumn("select_writetime", bigint));
    selected.add(new CqlColumn("select_ttl", integer));
    List<Object[]> rows = ExportReaders.jsonLines(out, selected);
    assertThat(rows).hasSize(ROWS);
    Map<List<Object>, Object> quoted = new HashMap<>();
    for (Row r : session.execute(SimpleStatement.newInstance("SELECT \"Customer Id\", \"from\", \"Line No\","
        + " \"He said \"\"hi\"\"\" FROM " + KS + "." + ORDER).setTimeout(Duration.ofSeconds(60)))) {
      quoted.put(List.of(r.getLong(0), r.getInt(1), r.getInt(2)), r.getString(3));
    }
    for (Object[] row : rows) {
      assertThat(row[3]).isEqualTo(quoted.remove(List.of(row[0], row[1], row[2])));
      assertThat((Long) row[4]).isPositive();
      assertThat(row[5]).isNull();
    }
    assertThat(quoted).isEmpty();
  }

  @Test
  void should_batch_write_quoted_names_in_every_batch_mode() {
    String names = COLUMNS.stream().map(c -> c[0]).collect(Collectors.joining(", "));
    String copy = "\"OrderCopy\"";
    execute("CREATE TABLE IF NOT EXISTS " + KS + "." + copy + " (" + COLUMNS.stream().map(c -> c[0] + " " + c[1])
        .collect(Collectors.joining(", ")) + ", PRIMARY KEY ((" + COLUMNS.get(0)[0] + ", " + COLUMNS.get(1)[0]
        + "), " + COLUMNS.get(2)[0] + "))");
    PreparedStatement insert = session.prepare(
        "INSERT INTO " + KS + "." + copy + " (" + names + ") VALUES (?, ?, ?, ?, ?, ?)");
    List<Row> source = session.execute(SimpleStatement.newInstance("SELECT " + names + " FROM " + KS + "." + ORDER)
        .setTimeout(Duration.ofSeconds(60))).all();
    for (BatchMode mode : List.of(BatchMode.LOGGED, BatchMode.UNLOGGED, BatchMode.NONE)) {
      execute("TRUNCATE " + KS + "." + copy);
      List<BoundStatement> statements = new ArrayList<>();
      for (Row r : source) {
        statements.add(insert.bind(r.getObject(0), r.getObject(1), r.getObject(2), r.getObject(3), r.getObject(4),
            r.getObject(5)));
      }
      try (BatchWriter writer = BatchWriter.builder(session).batchType(mode).build()) {
        WriteResult result = writer.write(statements);
        assertThat(result.written()).as("%s", mode).isEqualTo(ROWS);
        assertThat(result.allWritten()).isTrue();
      }
      assertThat(operator.count(KS, copy).rows()).as("%s", mode).isEqualTo(ROWS);
      assertThat(columns(copy)).isEqualTo(columns(ORDER));
      assertSameAsSource(ORDER, columns(ORDER), rowsOf(copy));
    }
  }

  @Test
  void should_batch_counter_updates_of_quoted_names_and_refuse_them_in_a_non_counter_writer() {
    execute("CREATE TABLE IF NOT EXISTS " + KS + ".\"Counts\" (\"Key Id\" bigint PRIMARY KEY, \"Hit Count\" counter)");
    execute("TRUNCATE " + KS + ".\"Counts\"");
    List<SimpleStatement> updates = new ArrayList<>();
    for (long i = 0; i < 500; i++) {
      updates.add(SimpleStatement.newInstance("UPDATE " + KS + ".\"Counts\" SET \"Hit Count\" = \"Hit Count\" + 1"
          + " WHERE \"Key Id\" = ?", i % 50));
    }

    try (BatchWriter unlogged = BatchWriter.builder(session).batchType(BatchMode.UNLOGGED).build()) {
      assertThatThrownBy(() -> unlogged.write(updates))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot mix counter and non-counter statements: statement 0 is a counter update")
          .hasMessageContaining("UPDATE " + KS + ".\"Counts\" SET \"Hit Count\"");
    }
    assertThat(session.execute("SELECT * FROM " + KS + ".\"Counts\"").all()).isEmpty();
    try (BatchWriter counter = BatchWriter.builder(session).batchType(BatchMode.COUNTER).build()) {
      assertThat(counter.write(updates).written()).isEqualTo(500);
    }
    List<Row> counts = session.execute("SELECT \"Key Id\", \"Hit Count\" FROM " + KS + ".\"Counts\"").all();
    assertThat(counts).hasSize(50).allSatisfy(r -> assertThat(r.getLong(1)).as("key %s", r.getLong(0)).isEqualTo(10));
  }

  @Test
  void should_import_quoted_names_from_every_format_value_by_value() {
    String copy = "\"OrderImport\"";
    execute("CREATE TABLE IF NOT EXISTS " + KS + "." + copy + " (" + COLUMNS.stream().map(c -> c[0] + " " + c[1])
        .collect(Collectors.joining(", ")) + ", PRIMARY KEY ((" + COLUMNS.get(0)[0] + ", " + COLUMNS.get(1)[0]
        + "), " + COLUMNS.get(2)[0] + "))");
    Path base = dir.resolve("import");
    Map<String, ImportSource> sources = new LinkedHashMap<>();
    operator.export(KS, ORDER, ExportTargets.iceberg(base.resolve("wh"), "db.quoted"));
    sources.put("iceberg", ImportSources.iceberg(base.resolve("wh"), "db.quoted"));
    operator.export(KS, ORDER, ExportTargets.parquet(base.resolve("parquet")));
    sources.put("parquet", ImportSources.parquet(base.resolve("parquet")));
    operator.export(KS, ORDER, ExportTarget.csv(base.resolve("csv")));
    sources.put("csv", ImportSource.csv(base.resolve("csv")));
    operator.export(KS, ORDER, ExportTarget.jsonLines(base.resolve("json")));
    sources.put("json", ImportSource.jsonLines(base.resolve("json")));

    for (var source : sources.entrySet()) {
      execute("TRUNCATE " + KS + "." + copy);
      ImportResult result = operator.importFrom(source.getValue(), KS, copy,
          ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));
      assertThat(result.rows()).as(source.getKey()).isEqualTo(ROWS);
      assertThat(result.verification().matches()).as(source.getKey()).isTrue();
      assertSameAsSource(ORDER, columns(ORDER), rowsOf(copy));
    }
  }

  /** All rows of a table, in the table metadata's column order. */
  private List<Object[]> rowsOf(String table) {
    List<CqlColumn> columns = columns(table);
    String names = columns.stream().map(c -> CqlIdentifier.fromInternal(c.name()).asCql(true))
        .collect(Collectors.joining(", "));
    List<Object[]> out = new ArrayList<>();
    for (Row r : session.execute(SimpleStatement.newInstance("SELECT " + names + " FROM " + KS + "." + table)
        .setTimeout(Duration.ofSeconds(60)))) {
      Object[] values = new Object[columns.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = r.getObject(i);
      }
      out.add(values);
    }
    return out;
  }

  /** The table's columns in export order (the table metadata's), with their internal (unquoted) names. */
  private List<CqlColumn> columns(String table) {
    TableMetadata t = session.getMetadata().getKeyspace(KS).orElseThrow().getTable(table).orElseThrow();
    return t.getColumns().values().stream().map(c -> new CqlColumn(c.getName().asInternal(), c.getType())).toList();
  }

  private void assertSameAsSource(String table, List<CqlColumn> columns, List<Object[]> exported) {
    String names = columns.stream().map(c -> CqlIdentifier.fromInternal(c.name()).asCql(true))
        .collect(Collectors.joining(", "));
    Map<List<Object>, List<Object>> source = new HashMap<>();
    for (Row r : session.execute(SimpleStatement.newInstance("SELECT " + names + " FROM " + KS + "." + table)
        .setTimeout(Duration.ofSeconds(60)))) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        values.add(r.getObject(i));
      }
      source.put(values.subList(0, 3), values);
    }
    assertThat(source).hasSize(ROWS);
    assertThat(exported).hasSize(ROWS);
    for (Object[] row : exported) {
      List<Object> expected = source.remove(Arrays.asList(row).subList(0, 3));
      assertThat(expected).as("unexpected or duplicate row %s", List.of(row)).isNotNull();
      assertThat(List.of(row)).isEqualTo(expected);
    }
    assertThat(source).isEmpty();
  }
}
