package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import dev.ringsweep.batch.RowsTable.TestRow;
import dev.ringsweep.testing.TestCluster;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a BatchWriter must do on any topology; subclasses pick the cluster and the keyspace's replication. Every
 * check reads the table back and compares it, row by row and value by value, with the rows the test generated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BatchWriterContract {

  /** A TTL above the server's maximum (20 years): the server refuses any statement carrying it. */
  static final int INVALID_TTL = 700_000_000;

  protected CqlSession session;
  protected String keyspace;

  protected abstract TestCluster cluster();

  protected abstract String keyspaceName();

  protected abstract String replication();

  @BeforeAll
  void createKeyspace() {
    session = cluster().newSession();
    keyspace = keyspaceName();
    cluster().createKeyspace(session, keyspace, replication());
  }

  @AfterAll
  void closeSession() {
    if (session != null) {
      session.close();
    }
  }

  static Stream<Arguments> modes() {
    return Stream.of(Arguments.of(BatchMode.UNLOGGED, Grouping.PARTITION_KEY),
        Arguments.of(BatchMode.UNLOGGED, Grouping.REPLICA_SET), Arguments.of(BatchMode.LOGGED, Grouping.PARTITION_KEY),
        Arguments.of(BatchMode.NONE, Grouping.PARTITION_KEY));
  }

  @ParameterizedTest
  @MethodSource("modes")
  void should_write_exactly_the_rows_it_was_given(BatchMode mode, Grouping grouping) {
    RowsTable table = RowsTable.create(session, keyspace, ("exact_" + mode + "_" + grouping).toLowerCase(Locale.ROOT));
    List<TestRow> rows = RowsTable.rows(20, 15, 64, mode.ordinal() * 10 + grouping.ordinal());
    List<BoundStatement> inserts = table.inserts(rows);
    try (BatchWriter writer = BatchWriter.builder(session).batchType(mode).grouping(grouping)
        .maxStatementsPerBatch(10).build()) {
      WriteResult result = writer.write(inserts);
      assertThat(result.written()).isEqualTo(300);
      assertThat(result.failed()).isZero();
      assertThat(table.readAll()).isEqualTo(RowsTable.byKey(rows));

      BatchMetrics metrics = writer.metrics();
      assertThat(metrics.statements()).isEqualTo(300);
      switch (mode) {
        case NONE:
          assertThat(metrics.batches(BatchKind.CONCURRENT)).isEqualTo(300);
          break;
        case LOGGED:
          assertThat(metrics.batches(BatchKind.LOGGED)).isEqualTo(30);
          break;
        default:
          // 20 partitions of 15 rows, cut at 10: 10 + 5 each; by replica set: ceil(rows / 10) per replica set
          long expected = grouping == Grouping.PARTITION_KEY ? 40 : replicaSetSizes(inserts).values().stream()
              .mapToLong(n -> (n + 9) / 10).sum();
          assertThat(metrics.batches(BatchKind.UNLOGGED)).isEqualTo(expected);
      }
    }
  }

  /** How many of {@code statements} each replica set holds, per the driver's token map. */
  protected Map<Set<Node>, Integer> replicaSetSizes(List<? extends BatchableStatement<?>> statements) {
    TokenMap tokenMap = session.getMetadata().getTokenMap().orElseThrow();
    Map<Set<Node>, Integer> sizes = new HashMap<>();
    for (BatchableStatement<?> statement : statements) {
      sizes.merge(tokenMap.getReplicas(statement.getRoutingKeyspace(), statement.getRoutingKey()), 1, Integer::sum);
    }
    return sizes;
  }

  @Test
  void should_apply_logged_units_spanning_partitions_entirely() {
    RowsTable table = RowsTable.create(session, keyspace, "logged_units");
    List<TestRow> rows = RowsTable.rows(40, 1, 32, 7);
    try (BatchWriter writer = BatchWriter.builder(session).batchType(DefaultBatchType.LOGGED).build()) {
      for (int i = 0; i < rows.size(); i += 4) {
        WriteResult result = writer.writeUnit(table.inserts(rows.subList(i, i + 4)));
        assertThat(result.written()).isEqualTo(4);
      }
      assertThat(writer.metrics().batches(BatchKind.LOGGED)).isEqualTo(10);
    }
    assertThat(table.readAll()).isEqualTo(RowsTable.byKey(rows));
  }

  @Test
  void should_write_none_of_a_logged_unit_the_server_rejects() {
    RowsTable table = RowsTable.create(session, keyspace, "logged_rejected");
    List<TestRow> rows = RowsTable.rows(5, 1, 32, 8);
    List<BoundStatement> unit = table.inserts(rows);
    unit.set(3, table.insert(rows.get(3), INVALID_TTL));
    Map<BatchableStatement<?>, Throwable> failures = new ConcurrentHashMap<>();
    try (BatchWriter writer = BatchWriter.builder(session).batchType(BatchMode.LOGGED).onFailure(failures::put)
        .build()) {
      WriteResult result = writer.writeUnit(unit);
      assertThat(result.written()).isZero();
      assertThat(result.failed()).isEqualTo(5);
      assertThat(failures).containsOnlyKeys(unit);
      assertThat(failures.values()).allSatisfy(cause -> assertThat(cause)
          .isInstanceOf(InvalidQueryException.class).hasMessageContaining("ttl is too large"));
      assertThat(table.readAll()).isEmpty();

      assertThat(writer.writeUnit(table.inserts(rows)).written()).isEqualTo(5);
    }
    assertThat(table.readAll()).isEqualTo(RowsTable.byKey(rows));
  }

  @Test
  void should_split_an_oversize_group_and_land_every_row() {
    RowsTable table = RowsTable.create(session, keyspace, "oversize");
    List<TestRow> rows = RowsTable.rows(30, 1, 4096, 9); // 30 partitions, ~120 KiB
    List<BatchableStatement<?>> inserts = new ArrayList<>(table.inserts(rows));
    // Ground truth: as one batch, the server refuses these rows (batch_size_fail_threshold, 50 KiB by default).
    assertThatThrownBy(() -> session.execute(BatchStatement.newInstance(DefaultBatchType.LOGGED, inserts)))
        .isInstanceOf(InvalidQueryException.class).hasMessageContaining("Batch too large");
    assertThat(table.readAll()).isEmpty();

    List<Integer> sizes = new CopyOnWriteArrayList<>();
    try (BatchWriter writer = BatchWriter.builder(session).batchType(BatchMode.LOGGED)
        .listener(new BatchListener() {
          @Override
          public void onBatchWritten(BatchKind kind, int statements, long latencyNanos) {
            sizes.add(statements);
          }
        }).build()) {
      WriteResult result = writer.write(inserts);
      assertThat(result.written()).isEqualTo(30);
      assertThat(writer.metrics().failedRequests()).isZero();
    }
    assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    assertThat(sizes).hasSizeGreaterThanOrEqualTo(3).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(10));
    assertThat(table.readAll()).isEqualTo(RowsTable.byKey(rows));
  }

  @Test
  void should_cut_one_large_partition_at_the_byte_cap() {
    RowsTable table = RowsTable.create(session, keyspace, "large_partition");
    List<TestRow> rows = RowsTable.rows(1, 30, 4096, 10);
    try (BatchWriter writer = BatchWriter.builder(session).build()) {
      assertThat(writer.write(table.inserts(rows)).written()).isEqualTo(30);
      BatchMetrics metrics = writer.metrics();
      assertThat(metrics.batches()).isGreaterThanOrEqualTo(3);
      assertThat(metrics.batchSizeP99()).isLessThanOrEqualTo(10);
    }
    assertThat(table.readAll()).isEqualTo(RowsTable.byKey(rows));
  }

  @Test
  void should_isolate_a_statement_that_can_never_succeed_and_write_the_rest_of_its_batch() {
    RowsTable table = RowsTable.create(session, keyspace, "isolation");
    List<TestRow> rows = RowsTable.rows(1, 20, 16, 11);
    List<BoundStatement> inserts = table.inserts(rows);
    BoundStatement bad = table.insert(rows.get(7), INVALID_TTL);
    inserts.set(7, bad);
    Map<BatchableStatement<?>, Throwable> failures = new ConcurrentHashMap<>();
    try (BatchWriter writer = BatchWriter.builder(session).onFailure(failures::put).build()) {
      WriteResult result = writer.write(inserts);
      assertThat(result.written()).isEqualTo(19);
      assertThat(result.failed()).isEqualTo(1);
      assertThat(failures).containsOnlyKeys(bad);
      assertThat(failures.get(bad)).isInstanceOf(InvalidQueryException.class)
          .hasMessageContaining("ttl is too large");
      assertThat(writer.metrics().failedStatements()).isEqualTo(1);
      assertThat(writer.metrics().statements()).isEqualTo(19);
    }
    List<TestRow> expected = new ArrayList<>(rows);
    expected.remove(7);
    assertThat(table.readAll()).isEqualTo(RowsTable.byKey(expected));
  }

  @Test
  void should_increment_counters_exactly() {
    String name = keyspace + ".counts";
    RowsTable.execute(session, "CREATE TABLE " + name + " (k int, c int, n counter, PRIMARY KEY (k, c))");
    PreparedStatement update = session.prepare(SimpleStatement.newInstance(
        "UPDATE " + name + " SET n = n + ? WHERE k = ? AND c = ?").setConsistencyLevel(DefaultConsistencyLevel.QUORUM));
    Map<List<Integer>, Long> expected = new HashMap<>();
    Random random = new Random(12);
    try (BatchWriter writer = BatchWriter.builder(session).batchType(BatchMode.COUNTER).build()) {
      for (int round = 0; round < 3; round++) {
        List<BoundStatement> updates = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
          for (int c = 0; c < 5; c++) {
            long delta = random.nextInt(151) - 50;
            updates.add(update.bind(delta, k, c));
            expected.merge(List.of(k, c), delta, Long::sum);
          }
        }
        assertThat(writer.write(updates).written()).isEqualTo(50);
      }
      assertThat(writer.metrics().batches(BatchKind.COUNTER)).isEqualTo(30); // 10 partitions x 3 rounds
    }
    Map<List<Integer>, Long> actual = new HashMap<>();
    for (Row row : session.execute(SimpleStatement.newInstance("SELECT k, c, n FROM " + name)
        .setConsistencyLevel(DefaultConsistencyLevel.QUORUM))) {
      actual.put(List.of(row.getInt("k"), row.getInt("c")), row.getLong("n"));
    }
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void should_reject_counter_updates_mixed_with_other_writes_before_sending_anything() {
    String counts = keyspace + ".mixed_counts";
    RowsTable.execute(session, "CREATE TABLE " + counts + " (k int PRIMARY KEY, n counter)");
    PreparedStatement update = session.prepare("UPDATE " + counts + " SET n = n + 1 WHERE k = ?");
    RowsTable table = RowsTable.create(session, keyspace, "mixed_rows");
    TestRow row = RowsTable.rows(1, 1, 8, 13).get(0);
    List<BoundStatement> mixed = List.of(update.bind(1), table.insert(row));
    try (BatchWriter counter = BatchWriter.builder(session).batchType(BatchMode.COUNTER).build();
        BatchWriter unlogged = BatchWriter.builder(session).batchType(BatchMode.UNLOGGED).build()) {
      assertThatThrownBy(() -> counter.write(mixed)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot mix counter and non-counter statements: statement 1 is not a counter "
              + "update but the writer's mode is COUNTER: INSERT INTO " + table.name());
      assertThatThrownBy(() -> unlogged.write(mixed)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Cannot mix counter and non-counter statements: statement 0 is a counter update, "
              + "which needs BatchMode.COUNTER (the writer's mode is UNLOGGED)");
    }
    assertThat(table.readAll()).isEmpty();
    assertThat(session.execute("SELECT * FROM " + counts).all()).isEmpty();
  }

  @Test
  void should_run_writes_mixed_with_reads_concurrently_and_say_so() {
    RowsTable table = RowsTable.create(session, keyspace, "with_reads");
    PreparedStatement select = session.prepare("SELECT v FROM " + table.name() + " WHERE k = ? AND c = ?");
    List<TestRow> rows = RowsTable.rows(5, 4, 8, 14);
    List<BatchableStatement<?>> input = new ArrayList<>(table.inserts(rows));
    input.add(3, select.bind(0, 0));
    input.add(10, select.bind(1, 1));
    try (BatchWriter writer = BatchWriter.builder(session).build()) {
      WriteResult result = writer.write(input);
      assertThat(result.written()).isEqualTo(22);
      BatchMetrics metrics = writer.metrics();
      assertThat(metrics.fallbacks()).isEqualTo(1);
      assertThat(metrics.batchesByKind()).contains(entry(BatchKind.CONCURRENT, 22L), entry(BatchKind.UNLOGGED, 0L));
    }
    assertThat(table.readAll()).isEqualTo(RowsTable.byKey(rows));
  }
}
