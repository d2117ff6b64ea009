package dev.ringsweep;

import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;

/** Count on three nodes with 256 vnodes each (two data centers), RF 1 in the local data center. */
class MultiNodeRf1CountIT extends CountContract {

  @Override
  protected TestCluster cluster() {
    return TestClusters.multi();
  }

  @Override
  protected String keyspaceName() {
    return "count_multi_rf1";
  }

  @Override
  protected String replication() {
    return "{'class': 'NetworkTopologyStrategy', '" + cluster().localDc() + "': 1}";
  }
}
