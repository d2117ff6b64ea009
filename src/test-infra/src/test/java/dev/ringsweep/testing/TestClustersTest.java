package dev.ringsweep.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

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
}
