package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
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

  private Set<String> hosts(boolean inLocalDc) {
    return session.getMetadata().getNodes().values().stream()
        .filter(node -> cluster().localDc().equals(node.getDatacenter()) == inLocalDc)
        .map(CountOperation::hostName)
        .collect(Collectors.toSet());
  }

}
