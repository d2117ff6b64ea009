package dev.ringsweep.imports;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.UserDefinedType;
import dev.ringsweep.internal.format.AllTypes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Tables of the import integration tests: the all-types table, and row-by-row comparison of two tables. */
final class ImportTables {

  private ImportTables() {}

  static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  /** Creates the two UDTs of {@link AllTypes} in {@code keyspace}. */
  static void createUdts(CqlSession session, String keyspace) {
    AllTypes.UDT_CQL.forEach(cql -> execute(session, String.format(cql, keyspace)));
  }

  /** Creates a table with every column of {@link AllTypes}, {@code k} the partition key. */
  static void createAllTypes(CqlSession session, String keyspace, String table) {
    execute(session, "CREATE TABLE " + keyspace + "." + table + " (" + AllTypes.COLUMNS_CQL.stream()
        .map(c -> c[0] + " " + c[1]).collect(Collectors.joining(", ")) + ", PRIMARY KEY (k))");
    session.refreshSchema();
  }

  /** Inserts {@link AllTypes#rows} into an all-types table (keys 1 to 5). */
  static int insertAllTypes(CqlSession session, String keyspace, String table) {
    var ks = session.getMetadata().getKeyspace(keyspace).orElseThrow();
    UserDefinedType address = ks.getUserDefinedType("address").orElseThrow();
    UserDefinedType person = ks.getUserDefinedType("person").orElseThrow();
    String names = AllTypes.COLUMNS_CQL.stream().map(c -> c[0]).collect(Collectors.joining(", "));
    String marks = AllTypes.COLUMNS_CQL.stream().map(c -> "?").collect(Collectors.joining(", "));
    PreparedStatement insert =
        session.prepare("INSERT INTO " + keyspace + "." + table + " (" + names + ") VALUES (" + marks + ")");
    List<Object[]> rows = AllTypes.rows(address, person, AllTypes.tupleType());
    for (Object[] row : rows) {
      session.execute(insert.bind(row));
    }
    return rows.size();
  }

  /**
   * The rows of a table keyed by their primary key values, columns in the table's order, read at LOCAL_QUORUM; a null
   * cell is null (not the empty collection the driver's {@code getObject} makes of it).
   */
  static Map<List<Object>, List<Object>> rows(CqlSession session, String keyspace, String table) {
    TableMetadata t = session.getMetadata().getKeyspace(keyspace).orElseThrow().getTable(table).orElseThrow();
    List<ColumnMetadata> columns = new ArrayList<>(t.getColumns().values());
    int keys = t.getPrimaryKey().size();
    String names = columns.stream().map(c -> c.getName().asCql(true)).collect(Collectors.joining(", "));
    Map<List<Object>, List<Object>> out = new HashMap<>();
    ConsistencyLevel cl = DefaultConsistencyLevel.LOCAL_QUORUM;
    for (Row row : session.execute(SimpleStatement.newInstance("SELECT " + names + " FROM " + keyspace + "." + table)
        .setConsistencyLevel(cl).setTimeout(Duration.ofSeconds(120)))) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < columns.size(); i++) {
        values.add(row.isNull(i) ? null : row.getObject(i));
      }
      List<Object> key = new ArrayList<>(values.subList(0, keys));
      assertThat(out.put(key, values)).as("duplicate key %s", key).isNull();
    }
    return out;
  }

  /**
   * Asserts that two tables with the same columns hold the same rows, value by value (UDT values compared by their
   * fields, as the two tables live in the same keyspace and share the UDTs).
   */
  static void assertSameRows(CqlSession session, String keyspace, String source, String target) {
    Map<List<Object>, List<Object>> expected = rows(session, keyspace, source);
    Map<List<Object>, List<Object>> actual = rows(session, keyspace, target);
    assertThat(actual.keySet()).as("keys of %s", target).isEqualTo(expected.keySet());
    List<String> names = session.getMetadata().getKeyspace(keyspace).orElseThrow().getTable(source).orElseThrow()
        .getColumns().keySet().stream().map(id -> id.asInternal()).toList();
    for (Map.Entry<List<Object>, List<Object>> e : expected.entrySet()) {
      List<Object> got = actual.get(e.getKey());
      for (int i = 0; i < names.size(); i++) {
        assertThat(got.get(i)).as("row %s column %s", e.getKey(), names.get(i)).isEqualTo(e.getValue().get(i));
      }
    }
  }
}
