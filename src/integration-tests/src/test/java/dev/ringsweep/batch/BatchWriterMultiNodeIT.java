package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import dev.ringsweep.batch.RowsTable.TestRow;
import dev.ringsweep.cluster.LocalNode;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The BatchWriter on three nodes in two data centers, a replica in every node (dc1: 2, dc2: 1), so LOGGED batches
 * pay for a real batch log; plus grouping by replica set, which needs partitions on different nodes (RF 1), and
 * the adaptive limit per replica set when a node stops answering.
 */
class BatchWriterMultiNodeIT extends BatchWriterContract {

  @Override
  protected TestCluster cluster() {
    return TestClusters.multi();
  }

  @Override
  protected String keyspaceName() {
    return "batch_multi";
  }

  @Override
  protected String replication() {
    return "{'class':'NetworkTopologyStrategy','dc1':2,'dc2':1}";
  }

  @Test
  void should_batch_partitions_that_share_a_replica_set() {
    String rf1 = "batch_multi_rf1";
    cluster().createKeyspace(session, rf1, TestCluster.simpleReplication(1));
    try {
      RowsTable table = RowsTable.create(session, rf1, "by_replica");
      List<TestRow> rows = RowsTable.rows(60, 1, 16, 30); // 60 partitions of one row
      List<BoundStatement> inserts = table.inserts(rows);
      Map<Set<Node>, Integer> replicaSets = replicaSetSizes(inserts);
      assertThat(replicaSets).hasSizeGreaterThan(1); // partitions live on different nodes
      long batches = replicaSets.values().stream().filter(n -> n > 1).count();
      long singles = replicaSets.values().stream().filter(n -> n == 1).count();

      try (BatchWriter byReplicas = BatchWriter.builder(session).grouping(Grouping.REPLICA_SET).build()) {
        assertThat(byReplicas.write(inserts).written()).isEqualTo(60);
        assertThat(byReplicas.metrics().batches(BatchKind.UNLOGGED)).isEqualTo(batches);
        assertThat(byReplicas.metrics().batches(BatchKind.CONCURRENT)).isEqualTo(singles);
      }
      assertThat(table.readAll()).isEqualTo(RowsTable.byKey(rows));

      try (BatchWriter byPartition = BatchWriter.builder(session).build()) {
        assertThat(byPartition.write(inserts).written()).isEqualTo(60);
        assertThat(byPartition.metrics().batches(BatchKind.CONCURRENT)).isEqualTo(60);
      }
    } finally {
      RowsTable.execute(session, "DROP KEYSPACE IF EXISTS " + rf1);
    }
  }

  /**
   * At RF 1 on the two local nodes, an adaptive writer has a limit per replica set. One node is frozen
   * ({@code kill -STOP}) as the writes start and thawed 2.5 s later: its writes time out (1 s) and are retried until
   * it answers. Only its replica set's limit is lowered on errors, and every row is written.
   */
  @Test
  void should_lower_only_the_limit_of_the_replica_set_of_a_node_that_stops_answering() throws Exception {
    List<LocalNode> nodes = cluster().requireLocal("freeze a node with kill -STOP").nodes().stream()
        .filter(n -> n.dataCenter().equals(cluster().localDc())).toList();
    assertThat(nodes).hasSize(2);
    LocalNode frozen = nodes.get(1);
    String frozenSet = frozen.address().getHostAddress() + ":" + frozen.nativeAddress().getPort() + "@"
        + frozen.dataCenter();
    String rf1 = "batch_multi_frozen";
    cluster().createKeyspace(session, rf1, "{'class':'NetworkTopologyStrategy','" + cluster().localDc() + "':1}");
    try {
      RowsTable table = RowsTable.create(session, rf1, "frozen"); // prepared before the node is frozen
      List<TestRow> rows = RowsTable.rows(2_000, 1, 16, 31);
      List<BoundStatement> inserts = table.inserts(rows).stream().map(i -> i.setTimeout(Duration.ofSeconds(1)))
          .toList();
      List<LimitChange> changes = new CopyOnWriteArrayList<>();
      BatchListener listener = new BatchListener() {
        @Override
        public void onLimitChanged(LimitChange change) {
          changes.add(change);
        }
      };
      WriteResult result;
      try (BatchWriter writer = BatchWriter.builder(session).concurrency(ConcurrencyMode.ADAPTIVE).maxRetries(20)
          .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).listener(listener).build()) {
        frozen.pause();
        try {
          CompletableFuture<WriteResult> written = CompletableFuture.supplyAsync(() -> writer.write(inserts));
          Thread.sleep(2_500);
          frozen.resume();
          result = written.get(120, TimeUnit.SECONDS);
        } finally {
          frozen.resume(); // harmless when it already runs
        }
      }

      assertThat(result.written()).isEqualTo(rows.size());
      assertThat(table.readAll()).isEqualTo(RowsTable.byKey(rows));
      assertThat(changes).as("a limit per replica set: %s", changes).anyMatch(c -> c.scope().equals(frozenSet))
          .anyMatch(c -> c.isPerReplicaSet() && !c.scope().equals(frozenSet));
      List<LimitChange> onErrors = changes.stream().filter(c -> c.cause() == LimitChange.Cause.ERRORS).toList();
      assertThat(onErrors).as("decreases on errors: %s", changes).isNotEmpty()
          .allMatch(c -> c.isDecrease() && c.scope().equals(frozenSet));
    } finally {
      RowsTable.execute(session, "DROP KEYSPACE IF EXISTS " + rf1);
    }
  }
}
