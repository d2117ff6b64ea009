package dev.ringsweep;

import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;

/** Count on one node with 16 vnodes, RF 1. */
class SingleNodeCountIT extends CountContract {

  @Override
  protected TestCluster cluster() {
    return TestClusters.single();
  }

  @Override
  protected String keyspaceName() {
    return "count_single_rf1";
  }

  @Override
  protected String replication() {
    return "{'class': 'SimpleStrategy', 'replication_factor': 1}";
  }
}
