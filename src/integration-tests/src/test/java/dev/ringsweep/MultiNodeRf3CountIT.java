package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;

import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Count on three nodes with 256 vnodes each in two data centers (dc1: 2 nodes, dc2: 1 node), RF 3 (2 + 1): every
 * node holds every row, so only the choice of coordinator keeps queries in the local data center.
 */
class MultiNodeRf3CountIT extends CountContract {

  @Override
  protected TestCluster cluster() {
    return TestClusters.multi();
  }

  @Override
  protected String keyspaceName() {
    return "count_multi_rf3";
  }

  @Override
  protected String replication() {
    return "{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 1}";
  }

  @Test
  void should_count_exactly_with_only_local_datacenter_hosts_serving_the_range_queries() {
    cluster().requireDataCenters(2);
    simpleTable("local_dc", 20_000);
    Set<String> local = hosts(true);
    Set<String> remote = hosts(false);
    assertThat(local).isNotEmpty();
    assertThat(remote).isNotEmpty();

    CountResult result =
        TokenAwareBulkOperator.builder(session).localDatacenter(cluster().localDc()).build().count(keyspace, "local_dc");

    assertThat(result.rows()).isEqualTo(20_000);
    assertThat(result.hosts().keySet()).isNotEmpty().isSubsetOf(local).doesNotContainAnyElementsOf(remote);
  }

  @Test
  void should_refuse_local_one_for_a_keyspace_without_local_replicas_and_count_it_exactly_at_one() {
    cluster().requireDataCenters(2);
    String remoteOnly = "count_remote_dc_only";
    cluster().createKeyspace(session, remoteOnly, "{'class': 'NetworkTopologyStrategy', 'dc2': 1}");
    execute("CREATE TABLE " + remoteOnly + ".t (id bigint PRIMARY KEY, v text)");
    TestData.insert(session, "INSERT INTO " + remoteOnly + ".t (id, v) VALUES (?, ?)", 3_000,
        i -> new Object[] {i, "value-" + i});
    TokenAwareBulkOperator localOne = TokenAwareBulkOperator.builder(session).build();

    assertThatThrownBy(() -> localOne.count(remoteOnly, "t"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Keyspace " + remoteOnly + " has no replica in the local data center "
            + cluster().localDc())
        .hasMessageContaining("replicas only in: dc2")
        .hasMessageContaining("consistency level LOCAL_ONE cannot be met");
    assertThatThrownBy(() -> localOne.plan(remoteOnly)).isInstanceOf(IllegalStateException.class);

    CountResult atOne = localOne.withConsistencyLevel(DefaultConsistencyLevel.ONE).count(remoteOnly, "t");
    assertThat(atOne.rows()).isEqualTo(3_000);
  }

  private Set<String> hosts(boolean inLocalDc) {
    return session.getMetadata().getNodes().values().stream()
        .filter(node -> cluster().localDc().equals(node.getDatacenter()) == inLocalDc)
        .map(HostStats::hostName)
        .collect(Collectors.toSet());
  }

}
