package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import dev.ringsweep.batch.RowsTable.TestRow;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The BatchWriter on one node, RF 1: the contract, plus metrics, TTL, timestamps and retries. */
class BatchWriterSingleNodeIT extends BatchWriterContract {

  @Override
  protected TestCluster cluster() {
    return TestClusters.single();
  }

  @Override
  protected String keyspaceName() {
    return "batch_single";
  }

  @Override
  protected String replication() {
    return TestCluster.simpleReplication(1);
  }

  @Test
  void should_report_metrics_equal_to_what_was_done() {
    RowsTable table = RowsTable.create(session, keyspace, "metrics");
    List<TestRow> rows = new ArrayList<>(RowsTable.rows(10, 7, 16, 20)); // 10 partitions of 7 rows
    rows.addAll(RowsTable.rows(13, 1, 16, 21).subList(10, 13)); // 3 partitions of 1 row
    List<Long> latencies = new CopyOnWriteArrayList<>();
    BatchListener recorder = new BatchListener() {
      @Override
      public void onBatchWritten(BatchKind kind, int statements, long latencyNanos) {
        latencies.add(TimeUnit.NANOSECONDS.toMicros(latencyNanos));
      }
    };
    try (BatchWriter writer = BatchWriter.builder(session).maxStatementsPerBatch(5).listener(recorder).build()) {
      assertThat(writer.write(table.inserts(rows)).written()).isEqualTo(73);
      BatchMetrics metrics = writer.metrics();
      // each partition of 7: a batch of 5 and one of 2; each partition of 1: a single statement
      assertThat(metrics.batches()).isEqualTo(23);
      assertThat(metrics.batches(BatchKind.UNLOGGED)).isEqualTo(20);
      assertThat(metrics.batches(BatchKind.CONCURRENT)).isEqualTo(3);
      assertThat(metrics.batches(BatchKind.LOGGED)).isZero();
      assertThat(metrics.statements()).isEqualTo(73);
      assertThat(metrics.averageBatchSize()).isEqualTo(73.0 / 23);
      // sizes sorted: 3 ones, 10 twos, 10 fives; percentile p takes the value at rank ceil(p% of 23)
      assertThat(metrics.batchSizeP50()).isEqualTo(2);
      assertThat(metrics.batchSizeP95()).isEqualTo(5);
      assertThat(metrics.batchSizeP99()).isEqualTo(5);
      assertThat(metrics.failedRequests()).isZero();
      assertThat(metrics.failedStatements()).isZero();
      assertThat(metrics.retries()).isZero();
      assertThat(metrics.fallbacks()).isZero();

      List<Long> sorted = latencies.stream().sorted().toList();
      assertThat(sorted).hasSize(23);
      assertWithinPrecision(metrics.latencyP50(), sorted.get(12 - 1));
      assertWithinPrecision(metrics.latencyP95(), sorted.get(22 - 1));
      assertWithinPrecision(metrics.latencyP99(), sorted.get(23 - 1));

      writer.resetMetrics();
      BatchMetrics reset = writer.metrics();
      assertThat(reset.batches()).isZero();
      assertThat(reset.batches(BatchKind.UNLOGGED)).isZero();
      assertThat(reset.latencyP99()).isEqualTo(Duration.ZERO);
      assertThat(metrics.batches()).isEqualTo(23); // an earlier snapshot does not change
    }
  }

  /** HdrHistogram with 3 significant digits reports the top of the value's bucket: at most 0.1% above. */
  private static void assertWithinPrecision(Duration reported, long expectedMicros) {
    long micros = TimeUnit.NANOSECONDS.toMicros(reported.toNanos());
    assertThat(micros).isBetween(expectedMicros, expectedMicros + Math.max(1, expectedMicros / 1000));
  }

  @Test
  void should_wait_on_close_for_the_writes_of_a_call_whose_caller_was_interrupted() throws Exception {
    RowsTable table = RowsTable.create(session, keyspace, "interrupted");
    List<TestRow> rows = RowsTable.rows(2000, 1, 16, 22);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    // 2000 rows, one partition each, at 1000 statements per second: about 2 s of writes.
    BatchWriter writer = BatchWriter.builder(session).maxStatementsPerSecond(1000).build();
    Thread caller = new Thread(() -> {
      try {
        writer.write(table.inserts(rows));
      } catch (Throwable e) {
        thrown.set(e);
      }
    });
    caller.start();
    Thread.sleep(300);
    caller.interrupt();
    caller.join(10_000);
    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class)
        .hasMessage("Interrupted while waiting for the operation");

    // The interrupted call's writes go on; close waits for every one of them (until 2026-11-30 it returned at once,
    // the call's requests still queued).
    writer.close();

    Map<List<Integer>, TestRow> written = table.readAll();
    assertThat(written).as("rows in the table once close returned").hasSize(rows.size());
    assertThat(written).isEqualTo(RowsTable.byKey(rows));
  }

  @Test
  void should_pass_ttl_through_and_let_those_rows_expire() throws InterruptedException {
    RowsTable table = RowsTable.create(session, keyspace, "ttl");
    List<TestRow> rows = RowsTable.rows(4, 6, 8, 22);
    List<BoundStatement> inserts = new ArrayList<>();
    List<TestRow> lasting = new ArrayList<>();
    for (TestRow row : rows) {
      boolean expires = row.c() % 2 == 0;
      inserts.add(table.insert(row, expires ? 3 : 0));
      if (!expires) {
        lasting.add(row);
      }
    }
    try (BatchWriter writer = BatchWriter.builder(session).build()) {
      assertThat(writer.write(inserts).written()).isEqualTo(24);
      assertThat(writer.metrics().batches(BatchKind.UNLOGGED)).isEqualTo(4);
    }
    for (TestRow row : rows) {
      long ttl = table.ttlAndWriteTime(row.k(), row.c())[0];
      if (row.c() % 2 == 0) {
        assertThat(ttl).isBetween(1L, 3L);
      } else {
        assertThat(ttl).isZero();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (table.readAll().size() > lasting.size() && System.nanoTime() < deadline) {
      Thread.sleep(250);
    }
    assertThat(table.readAll()).isEqualTo(RowsTable.byKey(lasting));
  }

  @Test
  void should_pass_write_timestamps_through() {
    RowsTable table = RowsTable.create(session, keyspace, "timestamps");
    List<TestRow> rows = RowsTable.rows(3, 6, 8, 23);
    List<BoundStatement> inserts = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      TestRow row = rows.get(i);
      inserts.add(row.c() < 3
          ? table.insertAt(row, 1_000_000L + i) // USING TIMESTAMP
          : table.insert(row).setQueryTimestamp(2_000_000L + row.k())); // the protocol's timestamp, per partition
    }
    try (BatchWriter writer = BatchWriter.builder(session).build()) {
      assertThat(writer.write(inserts).written()).isEqualTo(18);
    }
    for (int i = 0; i < rows.size(); i++) {
      TestRow row = rows.get(i);
      long expected = row.c() < 3 ? 1_000_000L + i : 2_000_000L + row.k();
      assertThat(table.ttlAndWriteTime(row.k(), row.c())[1]).as("write time of %s", row.key()).isEqualTo(expected);
    }
    assertThat(table.readAll()).isEqualTo(RowsTable.byKey(rows));
  }

  @Test
  void should_retry_idempotent_writes_while_replicas_are_unavailable_then_report_them() {
    cluster().requireNodeCount(1);
    String unavailable = "batch_unavailable";
    // RF 3 on one node: QUORUM needs 2 live replicas and there is 1, so every write is refused as unavailable.
    cluster().createKeyspace(session, unavailable, TestCluster.simpleReplication(3));
    try {
      RowsTable table = RowsTable.create(session, unavailable, "t");
      List<BoundStatement> inserts = table.inserts(RowsTable.rows(3, 2, 8, 24));
      Map<BatchableStatement<?>, Throwable> failures = new ConcurrentHashMap<>();
      try (BatchWriter writer = BatchWriter.builder(session).maxRetries(2)
          .backoff(Duration.ofMillis(10), Duration.ofMillis(20)).onFailure(failures::put).build()) {
        WriteResult result = writer.write(inserts);
        assertThat(result.written()).isZero();
        assertThat(result.failed()).isEqualTo(6);
        assertThat(result.retries()).isEqualTo(6); // 3 partitions, one batch each, retried twice
        assertThat(writer.metrics().retries()).isEqualTo(6);
        assertThat(writer.metrics().failedRequests()).isEqualTo(3);
        assertThat(failures).containsOnlyKeys(inserts);
        assertThat(failures.values()).allSatisfy(cause -> assertThat(cause)
            .isInstanceOfAny(UnavailableException.class, AllNodesFailedException.class));

        writer.resetMetrics();
        List<BoundStatement> notIdempotent = inserts.stream().map(s -> s.setIdempotent(false)).toList();
        WriteResult once = writer.write(notIdempotent);
        assertThat(once.failed()).isEqualTo(6);
        assertThat(once.retries()).isZero();
        assertThat(writer.metrics().failedRequests()).isEqualTo(3);
      }
      // read at ONE (the session's default): QUORUM is what is unavailable here
      assertThat(session.execute("SELECT * FROM " + table.name()).all()).isEmpty();
    } finally {
      RowsTable.execute(session, "DROP KEYSPACE IF EXISTS " + unavailable);
    }
  }
}
