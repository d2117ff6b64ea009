package dev.ringsweep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class TestClustersTest {

  @Test
  void should_parse_external_contact_points() {
    assertThat(TestClusters.parseContactPoints("127.0.0.1:9042, 127.0.0.2:9043"))
        .containsExactly(new InetSocketAddress("127.0.0.1", 9042), new InetSocketAddress("127.0.0.2", 9043));
  }

  @Test
  void should_reject_a_contact_point_without_port() {
    assertThatThrownBy(() -> TestClusters.parseContactPoints("127.0.0.1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid contact point: '127.0.0.1' (expected host:port) in RINGSWEEP_CONTACT_POINTS");
  }

  @Test
  void should_describe_replication_for_simple_strategy() {
    assertThat(TestCluster.simpleReplication(3)).isEqualTo("{'class':'SimpleStrategy','replication_factor':3}");
  }

  @Test
  void should_map_a_container_to_its_contact_point_and_data_center() {
    InetSocketAddress mapped = new InetSocketAddress("localhost", 32768);
    TestCluster cluster = TestCluster.inContainer("the single-node test cluster in container cassandra:5.0.9", mapped,
        "dc1");

    assertThat(cluster.contactPoints()).containsExactly(mapped);
    assertThat(cluster.localDc()).isEqualTo("dc1");
    assertThat(cluster.local()).isEmpty();
    assertThat(cluster.isContainer()).isTrue();
    assertThat(cluster.isExternal()).isFalse();
    assertThat(cluster).hasToString("the single-node test cluster in container cassandra:5.0.9");
  }

  @Test
  void should_skip_a_test_that_needs_child_jvms_on_a_container_saying_why() {
    TestCluster cluster = TestCluster.inContainer("c", new InetSocketAddress("localhost", 32768), "dc1");

    assertThatThrownBy(() -> NodeFaults.victim(cluster, "kill a node"))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage("Assumption failed: Skipped on the testcontainers backend: needs Cassandra nodes in child JVMs "
            + "(the local backend) to kill a node");
  }

  @Test
  void should_still_skip_on_an_external_cluster_as_external() {
    TestCluster cluster = new TestCluster("e", List.of(new InetSocketAddress("127.0.0.1", 9042)), "dc1",
        Optional.empty(), Optional.empty());

    assertThat(cluster.isExternal()).isTrue();
    assertThat(cluster.isContainer()).isFalse();
    assertThatThrownBy(() -> cluster.requireLocal("kill a node"))
        .isInstanceOf(TestAbortedException.class)
        .hasMessage("Assumption failed: Skipped on an external cluster: needs a local cluster to kill a node");
  }

  @Test
  void should_skip_tests_that_need_child_jvms_only_when_testcontainers_is_chosen() {
    String before = System.getProperty(TestBackend.PROPERTY);
    try {
      System.setProperty(TestBackend.PROPERTY, "testcontainers");
      assertThatThrownBy(() -> TestClusters.assumeChildJvms("configure TLS on a node"))
          .isInstanceOf(TestAbortedException.class)
          .hasMessage("Assumption failed: Skipped on the testcontainers backend: needs Cassandra nodes in child JVMs "
              + "(the local backend) to configure TLS on a node");

      System.setProperty(TestBackend.PROPERTY, "local");
      TestClusters.assumeChildJvms("configure TLS on a node");

      System.setProperty(TestBackend.PROPERTY, "podman");
      assertThatThrownBy(() -> TestClusters.assumeChildJvms("configure TLS on a node"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Invalid test backend: 'podman'");
    } finally {
      if (before == null) {
        System.clearProperty(TestBackend.PROPERTY);
      } else {
        System.setProperty(TestBackend.PROPERTY, before);
      }
    }
  }
}
