package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
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

  /** What an adaptive writer did while some nodes were frozen. */
  private record FrozenWrite(List<TestRow> rows, RowsTable table, WriteResult result, List<LimitChange> changes) {}

  /**
   * Writes 2,000 rows (of {@code seed}) into a new table of keyspace {@code keyspace} (RF 1 in the local data center)
   * with an adaptive writer, {@code frozen} frozen ({@code kill -STOP}) as the writes start and thawed 2.5 s later:
   * their writes time out (1 s) and are retried until they answer.
   */
  private FrozenWrite writeWhileFrozen(CqlSession own, String keyspace, List<LocalNode> frozen, int seed)
      throws Exception {
    cluster().createKeyspace(own, keyspace, "{'class':'NetworkTopologyStrategy','" + cluster().localDc()
        + "':1}");
    RowsTable table = RowsTable.create(own, keyspace, "frozen"); // prepared before the nodes are frozen
    List<TestRow> rows = RowsTable.rows(2_000, 1, 16, seed);
    List<LimitChange> changes = new CopyOnWriteArrayList<>();
    try (BatchWriter writer = adaptiveWriter(own, changes)) {
      List<BoundStatement> inserts = table.inserts(rows).stream().map(i -> i.setTimeout(Duration.ofSeconds(1)))
          .toList();
      frozen.forEach(LocalNode::pause);
      try {
        CompletableFuture<WriteResult> written = CompletableFuture.supplyAsync(() -> writer.write(inserts));
        Thread.sleep(2_500);
        frozen.forEach(LocalNode::resume);
        return new FrozenWrite(rows, table, written.get(120, TimeUnit.SECONDS), changes);
      } finally {
        frozen.forEach(LocalNode::resume); // harmless when they already run
      }
    }
  }

  /** An adaptive writer on {@code own} whose limits' changes go to {@code changes}. */
  private static BatchWriter adaptiveWriter(CqlSession own, List<LimitChange> changes) {
    return adaptiveWriter(own, changes, true);
  }

  /** As above, remembering its limits on the session ({@code BatchWriterBuilder.rememberLimits}) or not. */
  private static BatchWriter adaptiveWriter(CqlSession own, List<LimitChange> changes, boolean rememberLimits) {
    return BatchWriter.builder(own).concurrency(ConcurrencyMode.ADAPTIVE).maxRetries(20)
        .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).rememberLimits(rememberLimits)
        .listener(new BatchListener() {
          @Override
          public void onLimitChanged(LimitChange change) {
            changes.add(change);
          }
        }).build();
  }

  /** The two nodes of the local data center. */
  private List<LocalNode> localNodes() {
    List<LocalNode> nodes = cluster().requireLocal("freeze nodes with kill -STOP").nodes().stream()
        .filter(n -> n.dataCenter().equals(cluster().localDc())).toList();
    assertThat(nodes).hasSize(2);
    return nodes;
  }

  /**
   * At RF 1 on the two local nodes, an adaptive writer has a limit per replica set. One node is frozen as the writes
   * start and thawed 2.5 s later: only its replica set's limit is lowered on errors, and every row is written.
   */
  @Test
  void should_lower_only_the_limit_of_the_replica_set_of_a_node_that_stops_answering() throws Exception {
    LocalNode frozen = localNodes().get(1);
    String frozenSet = frozen.address().getHostAddress() + ":" + frozen.nativeAddress().getPort() + "@"
        + frozen.dataCenter();
    String keyspace = "batch_multi_frozen";
    // A session of its own: its writers start afresh, whatever writers on the class's session learned before.
    try (CqlSession own = cluster().newSession()) {
      FrozenWrite write = writeWhileFrozen(own, keyspace, List.of(frozen), 31);

      assertThat(write.result().written()).isEqualTo(write.rows().size());
      assertThat(write.table().readAll()).isEqualTo(RowsTable.byKey(write.rows()));
      List<LimitChange> changes = write.changes();
      assertThat(changes).as("a limit per replica set: %s", changes).anyMatch(c -> c.scope().equals(frozenSet))
          .anyMatch(c -> c.isPerReplicaSet() && !c.scope().equals(frozenSet));
      List<LimitChange> onErrors = changes.stream().filter(c -> c.cause() == LimitChange.Cause.ERRORS).toList();
      assertThat(onErrors).as("decreases on errors: %s", changes).isNotEmpty()
          .allMatch(c -> c.isDecrease() && c.scope().equals(frozenSet));
      assertThat(changes).as("never one limit for both: %s", changes)
          .noneMatch(c -> c.detail().contains("met trouble together"));
    } finally {
      RowsTable.execute(session, "DROP KEYSPACE IF EXISTS " + keyspace);
    }
  }

  /**
   * At RF 1 on the two local nodes, both are frozen together as the writes start and thawed 2.5 s later: the writes
   * of both replica sets time out together, and their retries again a second later, the evidence that their nodes
   * share one bottleneck, so the writer's replica sets share one adaptive limit from then on (scope "all", see
   * {@code ReplicaSetLimits.pooled}), and every row is written. The next writer on the same session starts with that
   * one limit, where the first left it (the session's writers' memory); a writer on another session does not.
   */
  @Test
  void should_share_one_limit_once_the_replica_sets_of_nodes_that_stall_together_time_out_together()
      throws Exception {
    String keyspace = "batch_multi_stall";
    try (CqlSession own = cluster().newSession()) {
      FrozenWrite write = writeWhileFrozen(own, keyspace, localNodes(), 32);

      assertThat(write.result().written()).isEqualTo(write.rows().size());
      assertThat(write.table().readAll()).isEqualTo(RowsTable.byKey(write.rows()));
      List<LimitChange> changes = write.changes();
      assertThat(changes).as("a limit per replica set first: %s", changes)
          .anyMatch(c -> c.isPerReplicaSet() && c.cause() == LimitChange.Cause.START);
      assertThat(changes).as("then one for all: %s", changes).anyMatch(c -> !c.isPerReplicaSet()
          && c.cause() == LimitChange.Cause.POOLED && c.detail().contains("met trouble together"));
      int left = write.changes().stream().filter(c -> !c.isPerReplicaSet()).reduce((a, b) -> b).orElseThrow()
          .limit();

      // A writer told not to remember starts afresh, a limit per replica set, and leaves nothing: had it left where
      // its own limits ended (not shared), the next writer would not start with one limit for both.
      RowsTable after = RowsTable.create(own, keyspace, "after");
      List<TestRow> rows = RowsTable.rows(500, 1, 16, 33);
      List<LimitChange> afresh = new CopyOnWriteArrayList<>();
      try (BatchWriter writer = adaptiveWriter(own, afresh, false)) {
        assertThat(writer.write(after.inserts(rows)).written()).isEqualTo(rows.size());
      }
      assertThat(afresh).as("a writer that does not remember: %s", afresh)
          .anyMatch(c -> c.isPerReplicaSet() && c.cause() == LimitChange.Cause.START)
          .noneMatch(c -> c.detail().contains("where the last writer left it"));
      assertThat(after.readAll()).isEqualTo(RowsTable.byKey(rows));

      // The next writer on this session, the nodes running (the same rows again): one limit for both from its start,
      // where the first left it.
      List<LimitChange> next = new CopyOnWriteArrayList<>();
      try (BatchWriter writer = adaptiveWriter(own, next)) {
        assertThat(writer.write(after.inserts(rows)).written()).isEqualTo(rows.size());
      }
      assertThat(after.readAll()).isEqualTo(RowsTable.byKey(rows));
      assertThat(next).as("the next writer's changes: %s", next).filteredOn(c -> c.cause() == LimitChange.Cause.POOLED
          && !c.isPerReplicaSet() && c.detail().contains("where the last writer left it")).singleElement()
          .satisfies(c -> assertThat(c.limit()).as("at most where the first writer's shared limit ended (its last "
              + "backoff's level, if that came in the last 10 s)").isBetween(1, left))
          .satisfies(c -> assertThat(c.detail()).contains("met trouble together"));

      // A writer on another session learned nothing yet: a limit per replica set.
      List<LimitChange> elsewhere = new CopyOnWriteArrayList<>();
      try (CqlSession other = cluster().newSession(); BatchWriter writer = adaptiveWriter(other, elsewhere)) {
        RowsTable again = RowsTable.create(other, keyspace, "elsewhere");
        assertThat(writer.write(again.inserts(rows)).written()).isEqualTo(rows.size());
      }
      assertThat(elsewhere).as("another session's writer: %s", elsewhere)
          .anyMatch(c -> c.isPerReplicaSet() && c.cause() == LimitChange.Cause.START)
          .noneMatch(c -> c.detail().contains("where the last writer left it"));
    } finally {
      RowsTable.execute(session, "DROP KEYSPACE IF EXISTS " + keyspace);
    }
  }
}
