package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import dev.ringsweep.batch.RowsTable.TestRow;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The BatchWriter on three nodes in two data centers, a replica in every node (dc1: 2, dc2: 1), so LOGGED batches
 * pay for a real batch log; plus grouping by replica set, which needs partitions on different nodes (RF 1).
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
}
