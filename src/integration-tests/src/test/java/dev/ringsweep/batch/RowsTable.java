package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A test table {@code (k int, c int, v text, b blob, PRIMARY KEY (k, c))} for the BatchWriter's integration tests:
 * generates rows, makes bound statements of a prepared INSERT, and reads the table back. Writes and reads use
 * QUORUM, so that what was acknowledged is what is read on any topology.
 */
final class RowsTable {

  /** One row; equal rows have equal keys and values, the blob compared byte by byte. */
  record TestRow(int k, int c, String v, ByteBuffer b) {
    List<Integer> key() {
      return List.of(k, c);
    }
  }

  private final CqlSession session;
  private final String name;
  private final PreparedStatement insert;

  private RowsTable(CqlSession session, String name, PreparedStatement insert) {
    this.session = session;
    this.name = name;
    this.insert = insert;
  }

  /** Creates the table {@code keyspace.table} afresh, with an INSERT whose TTL and timestamp are bound values. */
  static RowsTable create(CqlSession session, String keyspace, String table) {
    String name = keyspace + "." + table;
    execute(session, "DROP TABLE IF EXISTS " + name);
    execute(session, "CREATE TABLE " + name + " (k int, c int, v text, b blob, PRIMARY KEY (k, c))");
    PreparedStatement insert = session.prepare(SimpleStatement.newInstance(
        "INSERT INTO " + name + " (k, c, v, b) VALUES (?, ?, ?, ?) USING TTL ? AND TIMESTAMP ?")
        .setConsistencyLevel(DefaultConsistencyLevel.QUORUM).setIdempotent(true));
    return new RowsTable(session, name, insert);
  }

  static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  /** {@code partitions * perPartition} rows with values drawn from {@code seed}, blobs of {@code blobBytes}. */
  static List<TestRow> rows(int partitions, int perPartition, int blobBytes, long seed) {
    Random random = new Random(seed);
    List<TestRow> rows = new ArrayList<>();
    for (int c = 0; c < perPartition; c++) {
      for (int k = 0; k < partitions; k++) {
        byte[] blob = new byte[blobBytes];
        random.nextBytes(blob);
        rows.add(new TestRow(k, c, "v" + k + "-" + c + "-" + random.nextInt(), ByteBuffer.wrap(blob)));
      }
    }
    return rows;
  }

  String name() {
    return name;
  }

  /** The INSERT of {@code row}, without TTL, at the server's time. */
  BoundStatement insert(TestRow row) {
    return insert(row, 0);
  }

  /** The INSERT of {@code row} with {@code ttlSeconds} (0: none). */
  BoundStatement insert(TestRow row, int ttlSeconds) {
    return insert.bind(row.k(), row.c(), row.v(), row.b(), ttlSeconds); // timestamp left unset: the server's
  }

  /** The INSERT of {@code row} with {@code USING TIMESTAMP writeTime}. */
  BoundStatement insertAt(TestRow row, long writeTime) {
    return insert.bind(row.k(), row.c(), row.v(), row.b(), 0, writeTime);
  }

  List<BoundStatement> inserts(List<TestRow> rows) {
    List<BoundStatement> statements = new ArrayList<>();
    for (TestRow row : rows) {
      statements.add(insert(row));
    }
    return statements;
  }

  /** Every row of the table, by key. */
  Map<List<Integer>, TestRow> readAll() {
    Map<List<Integer>, TestRow> rows = new HashMap<>();
    for (Row row : session.execute(SimpleStatement.newInstance("SELECT k, c, v, b FROM " + name)
        .setConsistencyLevel(DefaultConsistencyLevel.QUORUM).setTimeout(Duration.ofSeconds(60)))) {
      TestRow read = new TestRow(row.getInt("k"), row.getInt("c"), row.getString("v"), row.getByteBuffer("b"));
      rows.put(read.key(), read);
    }
    return rows;
  }

  /** {@code rows} by key, to compare with {@link #readAll()}. */
  static Map<List<Integer>, TestRow> byKey(List<TestRow> rows) {
    Map<List<Integer>, TestRow> map = new HashMap<>();
    for (TestRow row : rows) {
      map.put(row.key(), row);
    }
    return map;
  }

  /** Reads one cell's {@code TTL(v)} and {@code WRITETIME(v)}; null when the row is absent. */
  long[] ttlAndWriteTime(int k, int c) {
    Row row = session.execute(SimpleStatement.newInstance(
        "SELECT TTL(v), WRITETIME(v) FROM " + name + " WHERE k = ? AND c = ?", k, c)
        .setConsistencyLevel(DefaultConsistencyLevel.QUORUM)).one();
    return row == null ? null : new long[] {row.isNull(0) ? 0 : row.getInt(0), row.getLong(1)};
  }
}
