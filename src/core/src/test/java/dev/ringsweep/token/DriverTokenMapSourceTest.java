package dev.ringsweep.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Unit tests of the pure parts of {@link DriverTokenMapSource}; reading a real token map is covered by the
 * integration tests against a cluster.
 */
class DriverTokenMapSourceTest {

  private static final Replica LOCAL_2 = new Replica(new UUID(0, 2), "127.0.0.2:9042", "dc1");
  private static final Replica LOCAL_10 = new Replica(new UUID(0, 10), "127.0.0.10:9042", "dc1");
  private static final Replica REMOTE_1 = new Replica(new UUID(0, 1), "127.0.0.1:9042", "dc2");
  private static final Replica UNKNOWN_DC = new Replica(new UUID(0, 3), "127.0.0.3:9042", null);

  @Test
  void should_list_local_datacenter_replicas_first_then_order_by_endpoint() {
    List<Replica> replicas = List.of(REMOTE_1, UNKNOWN_DC, LOCAL_2, LOCAL_10);

    assertThat(DriverTokenMapSource.orderReplicas(replicas, "dc1"))
        .containsExactly(LOCAL_10, LOCAL_2, REMOTE_1, UNKNOWN_DC);
    assertThat(DriverTokenMapSource.orderReplicas(replicas, "dc2"))
        .containsExactly(REMOTE_1, LOCAL_10, LOCAL_2, UNKNOWN_DC);
  }

  @Test
  void should_order_replicas_by_endpoint_when_no_local_datacenter_is_given() {
    assertThat(DriverTokenMapSource.orderReplicas(List.of(UNKNOWN_DC, LOCAL_2, REMOTE_1, LOCAL_10), null))
        .containsExactly(LOCAL_10, REMOTE_1, LOCAL_2, UNKNOWN_DC); // string order: "127.0.0.10:" < "127.0.0.1:"
  }

  @Test
  void should_reject_a_partitioner_other_than_murmur3_naming_it() {
    DriverTokenMapSource.requireMurmur3("org.apache.cassandra.dht.Murmur3Partitioner");

    assertThatThrownBy(() -> DriverTokenMapSource.requireMurmur3("org.apache.cassandra.dht.RandomPartitioner"))
        .isInstanceOf(UnsupportedOperationException.class)
        .hasMessage("Unsupported partitioner: org.apache.cassandra.dht.RandomPartitioner "
            + "(only org.apache.cassandra.dht.Murmur3Partitioner is supported)");
  }

  @Test
  void should_parse_formatted_tokens_and_name_a_bad_one() {
    assertThat(DriverTokenMapSource.parseToken("-9223372036854775808")).isEqualTo(Long.MIN_VALUE);
    assertThat(DriverTokenMapSource.parseToken("9223372036854775807")).isEqualTo(Long.MAX_VALUE);

    assertThatThrownBy(() -> DriverTokenMapSource.parseToken("0x1f"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Invalid Murmur3 token: '0x1f' (expected a 64-bit integer)");
  }

  @Test
  void should_format_endpoints_as_host_and_port() throws UnknownHostException {
    assertThat(DriverTokenMapSource.endpoint(new InetSocketAddress(InetAddress.getByName("127.0.4.2"), 9042)))
        .isEqualTo("127.0.4.2:9042");
    assertThat(DriverTokenMapSource.endpoint(new InetSocketAddress(InetAddress.getByName("::1"), 9042)))
        .isEqualTo("[0:0:0:0:0:0:0:1]:9042");
    assertThat(DriverTokenMapSource.endpoint(InetSocketAddress.createUnresolved("node1", 9043)))
        .isEqualTo("node1:9043");
  }

  @Test
  void should_name_a_range_without_replicas_with_the_keyspace_replication_and_the_data_centers_that_exist() {
    List<TokenRange> ranges = List.of(new TokenRange(-100, 100, List.of(LOCAL_2)), new TokenRange(100, -100, List.of()));

    assertThatThrownBy(() -> DriverTokenMapSource.requireReplicas(ranges, "gone",
            Map.of("class", "org.apache.cassandra.locator.NetworkTopologyStrategy", "dc9", "1"),
            new TreeSet<>(Set.of("dc2", "dc1"))))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Keyspace gone has no replica for token range (100, -100]: its replication "
            + "{class=org.apache.cassandra.locator.NetworkTopologyStrategy, dc9=1} places no replica on a node the "
            + "driver knows (data centers with nodes: dc1, dc2); replicate it to one of those data centers");
  }

  @Test
  void should_accept_ranges_that_all_have_replicas() {
    DriverTokenMapSource.requireReplicas(
        List.of(new TokenRange(5, 5, List.of(REMOTE_1))), "ks", Map.of("class", "SimpleStrategy"), Set.of("dc2"));
  }
}
