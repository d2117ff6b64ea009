package dev.ringsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import org.junit.jupiter.api.Test;

class LocalClusterIT {

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
}
