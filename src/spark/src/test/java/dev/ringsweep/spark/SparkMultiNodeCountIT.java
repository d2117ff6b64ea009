package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.Replica;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Count on Spark against the real three-node cluster (256 vnodes, two data centers): equal to the rows written at
 * replication factor 1 (each row on one node) and 3 (each row on every node), and every task's preferred hosts are
 * replicas of its pieces.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkMultiNodeCountIT {

  private static final int ROWS = 8_000;
  private static final String RF1 = "spark_multi_rf1";
  private static final String RF3 = "spark_multi_rf3";

  private TestCluster cluster;
  private CqlSession session;
  private RingsweepSpark ringsweep;

  @BeforeAll
  void setUp() {
    cluster = TestClusters.multi();
    cluster.requireNodeCount(3);
    session = cluster.newSession();
    cluster.createKeyspace(session, RF1, "{'class': 'NetworkTopologyStrategy', '" + cluster.localDc() + "': 1}");
    cluster.createKeyspace(session, RF3, "{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 1}");
    for (String ks : List.of(RF1, RF3)) {
      session.execute("CREATE TABLE IF NOT EXISTS " + ks + ".t (k bigint PRIMARY KEY, v text)");
      session.execute("TRUNCATE " + ks + ".t");
      TestData.insert(session, "INSERT INTO " + ks + ".t (k, v) VALUES (?, ?)", ROWS,
          i -> new Object[] {i * 104_729L, "v" + i});
    }
    List<String> points = cluster.contactPoints().stream()
        .map(a -> a.getHostString() + ":" + a.getPort()).toList();
    ringsweep = RingsweepSpark.on(SparkFixture.get().spark, CassandraConnection.of(points, cluster.localDc()));
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  @Test
  void should_count_exactly_at_replication_factor_1() {
    CountResult result = ringsweep.count(RF1, "t");

    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(result.isComplete()).isTrue();
    assertThat(result.hosts().values().stream().mapToLong(dev.ringsweep.HostStats::rows).sum()).isEqualTo(ROWS);
  }

  @Test
  void should_count_exactly_at_replication_factor_3() {
    assertThat(ringsweep.count(RF3, "t").rows()).isEqualTo(ROWS);
    assertThat(ringsweep.withOptions(SparkOptions.defaults().withTasks(50)).count(RF3, "t").rows())
        .isEqualTo(ROWS);
  }

  @Test
  void should_prefer_replicas_of_each_task_s_pieces() {
    RangePlan plan = TokenAwareBulkOperator.builder(session).build().plan(RF1, "t");
    List<TaskPieces> tasks = TaskPieces.cut(plan, 12);

    assertThat(tasks.stream().mapToInt(t -> t.pieces().size()).sum()).isEqualTo(plan.pieceCount());
    assertThat(tasks).allSatisfy(task -> {
      Set<String> replicaHosts = task.pieces().stream()
          .flatMap(piece -> piece.replicas().stream())
          .map(Replica::endpoint)
          .map(endpoint -> endpoint.substring(endpoint.startsWith("/") ? 1 : 0, endpoint.lastIndexOf(':')))
          .collect(Collectors.toSet());
      assertThat(task.hosts()).isNotEmpty();
      assertThat(replicaHosts).containsAll(task.hosts());
    });
  }
}
