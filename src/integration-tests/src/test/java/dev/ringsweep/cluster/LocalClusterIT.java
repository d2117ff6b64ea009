package dev.ringsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LocalClusterIT {

  private static final Duration NODE_STATE_TIMEOUT = Duration.ofMinutes(3);

  @Test
  void should_serve_cql_on_the_single_node_cluster() {
    TestCluster cluster = TestClusters.single();
    try (CqlSession session = cluster.newSession()) {
      cluster.createKeyspace(session, "it_single", "{'class':'NetworkTopologyStrategy','dc1':1}");
      session.execute("CREATE TABLE it_single.kv (k int PRIMARY KEY, v text)");
      for (int k = 0; k < 10; k++) {
        session.execute("INSERT INTO it_single.kv (k, v) VALUES (?, ?)", k, "value-" + k);
      }
      for (int k = 0; k < 10; k++) {
        Row row = session.execute("SELECT v FROM it_single.kv WHERE k = ?", k).one();
        assertThat(row).isNotNull();
        assertThat(row.getString("v")).isEqualTo("value-" + k);
      }
    }
  }

  @Test
  void should_show_three_nodes_in_two_data_centers_with_256_tokens_each() {
    TestCluster cluster = TestClusters.multi();
    LocalCluster local = cluster.requireLocal("know which node is in which data center");
    try (CqlSession session = cluster.newSession()) {
      Map<InetSocketAddress, Node> nodes = session.getMetadata().getNodes().values().stream()
          .collect(Collectors.toMap(n -> (InetSocketAddress) n.getEndPoint().resolve(), n -> n));
      assertThat(nodes).hasSize(3);
      for (LocalNode expected : local.nodes()) {
        Node node = nodes.get(expected.nativeAddress());
        assertThat(node).as("driver metadata of %s", expected).isNotNull();
        assertThat(node.getDatacenter()).isEqualTo(expected.dataCenter());
        assertThat(node.getRack()).isEqualTo(expected.rack());
      }
      assertThat(local.nodes()).extracting(LocalNode::dataCenter).containsExactly("dc1", "dc1", "dc2");
      TokenMap tokenMap = session.getMetadata().getTokenMap().orElseThrow();
      for (Node node : nodes.values()) {
        assertThat(tokenMap.getTokens(node)).as("tokens of %s", node).hasSize(256);
      }
    }
  }

  @Test
  void should_see_a_killed_node_down_and_serve_again_after_restart() {
    TestCluster cluster = TestClusters.multi();
    LocalCluster local = cluster.requireLocal("kill and restart a node");
    LocalNode victim = local.nodes().get(1);
    try (CqlSession session = cluster.newSession()) {
      cluster.createKeyspace(session, "it_restart", "{'class':'NetworkTopologyStrategy','dc1':2,'dc2':1}");
      session.execute("CREATE TABLE it_restart.kv (k int PRIMARY KEY, v int)");
      session.execute(SimpleStatement.newInstance("INSERT INTO it_restart.kv (k, v) VALUES (1, 10)")
          .setConsistencyLevel(ConsistencyLevel.ALL));
      Node driverNode = session.getMetadata().findNode(victim.nativeAddress()).orElseThrow();

      victim.kill();

      assertThat(victim.isRunning()).isFalse();
      await(() -> driverNode.getState() == NodeState.DOWN, "the driver to see " + victim + " down");

      victim.start();

      assertThat(victim.isRunning()).isTrue();
      await(() -> driverNode.getState() == NodeState.UP, "the driver to see " + victim + " up again");
      ResultSet local1 = session.execute(
          SimpleStatement.newInstance("SELECT release_version FROM system.local").setNode(driverNode));
      assertThat(local1.getExecutionInfo().getCoordinator()).isEqualTo(driverNode);
      await(() -> readsAtAll(session), "a read at consistency ALL to succeed");
      Row row = session.execute(SimpleStatement.newInstance("SELECT v FROM it_restart.kv WHERE k = 1")
          .setConsistencyLevel(ConsistencyLevel.ALL)).one();
      assertThat(row).isNotNull();
      assertThat(row.getInt("v")).isEqualTo(10);
    } finally {
      victim.start();
    }
  }

  private static boolean readsAtAll(CqlSession session) {
    try {
      session.execute(SimpleStatement.newInstance("SELECT v FROM it_restart.kv WHERE k = 1")
          .setConsistencyLevel(ConsistencyLevel.ALL));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + NODE_STATE_TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out after " + NODE_STATE_TIMEOUT.toSeconds() + " s waiting for " + what);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("Interrupted while waiting for " + what, e);
      }
    }
  }
}
