package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.cluster.LocalNode;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import dev.ringsweep.token.Replica;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Count while a node dies (kill -9) on the three-node cluster: with RF 3 the count still completes exactly; with
 * RF 1 it fails with the unreachable ranges and a partial result, and counting just those ranges after the node is
 * back gives exactly the rows that were written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CountFaultIT {

  private static final int ROWS = 10_000;

  private TestCluster cluster;
  private LocalNode victim;
  private CqlSession session;

  @BeforeAll
  void setUp() {
    cluster = TestClusters.multi();
    LocalCluster local = cluster.requireLocal("kill a node");
    // The second node of the local DC: neither the seed nor the only replica of anything in dc1 at RF 3.
    victim = local.nodes().stream().filter(n -> n.dataCenter().equals(cluster.localDc())).skip(1).findFirst()
        .orElseThrow();
    session = cluster.newSession();
  }

  @AfterEach
  void restartVictim() {
    if (!victim.isRunning()) {
      victim.start();
    }
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private void load(String keyspace, String replication) {
    cluster.createKeyspace(session, keyspace, replication);
    session.execute(SimpleStatement.newInstance("CREATE TABLE " + keyspace + ".t (id bigint PRIMARY KEY, v text)")
        .setTimeout(Duration.ofSeconds(60)));
    PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".t (id, v) VALUES (?, ?)");
    // ALL: every replica holds every row before a node dies, so ground truth does not depend on hints.
    TestData.write(session, ROWS,
        i -> insert.bind(i, "v" + i).setConsistencyLevel(DefaultConsistencyLevel.ALL));
  }

  /**
   * Kills the victim once a third of the planned ranges are done. It kills on the listener's thread, so no
   * further range starts until the node is gone.
   */
  private ProgressListener killAtAThird() {
    AtomicBoolean killed = new AtomicBoolean();
    return progress -> {
      if (progress.rangesDone() * 3 >= progress.rangesTotal() && killed.compareAndSet(false, true)) {
        victim.kill();
      }
    };
  }

  @Test
  void should_count_exactly_when_a_node_is_killed_mid_count_with_rf3() {
    load("fault_rf3", "{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 1}");

    CountResult result = TokenAwareBulkOperator.builder(session)
        .consistencyLevel(DefaultConsistencyLevel.LOCAL_ONE)
        .parallelism(4)
        .progressListener(killAtAThird())
        .build()
        .count("fault_rf3", "t");

    assertThat(victim.isRunning()).isFalse();
    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(result.isComplete()).isTrue();
  }

  @Test
  void should_fail_with_the_unreachable_ranges_at_rf1_and_resume_exactly_after_restart() {
    load("fault_rf1", "{'class': 'NetworkTopologyStrategy', 'dc1': 1}");
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session)
        .parallelism(4)
        .maxRetries(2)
        .retryBackoff(Duration.ofMillis(50))
        .progressListener(killAtAThird())
        .build();

    BulkOperationException failure =
        catchThrowableOfType(BulkOperationException.class, () -> operator.count("fault_rf1", "t"));

    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("fault_rf1", "failed for");
    assertThat(failure.getCause()).isNotNull();
    CountResult partial = failure.partialResult(CountResult.class);
    assertThat(partial.rangesFailed()).isPositive();
    assertThat(partial.rows()).isLessThan(ROWS);
    String victimAddress = victim.address().getHostAddress();
    assertThat(failure.failedRanges()).isNotEmpty().allSatisfy(range ->
        assertThat(range.replicas()).extracting(Replica::endpoint).anyMatch(e -> e.contains(victimAddress)));

    victim.start();
    awaitUp(victimAddress);
    CountResult resumed = TokenAwareBulkOperator.builder(session).build()
        .count("fault_rf1", "t", failure.failedRanges());

    assertThat(resumed.isComplete()).isTrue();
    assertThat(partial.rows() + resumed.rows()).isEqualTo(ROWS);
  }

  private void awaitUp(String address) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      boolean up = session.getMetadata().getNodes().values().stream()
          .anyMatch(n -> HostStats.hostName(n).startsWith(address + ":")
              && n.getState() == com.datastax.oss.driver.api.core.metadata.NodeState.UP);
      if (up) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("Node " + address + " did not come back up in the driver's view");
  }
}
