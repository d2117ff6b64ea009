package dev.ringsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalClusterTest {

  @Test
  void should_default_to_one_node_in_dc1_at_host_index_1() {
    LocalCluster cluster = LocalCluster.builder().subnet(9).workDir(Path.of("/tmp/w")).build();

    assertThat(cluster.nodes()).hasSize(1);
    assertThat(cluster.firstDataCenter()).isEqualTo("dc1");
    assertThat(cluster.contactPoints()).containsExactly(new InetSocketAddress("127.0.9.1", 9042));
    assertThat(cluster.directory()).isEqualTo(Path.of("/tmp/w/ringsweep"));
  }

  @Test
  void should_place_data_centers_on_consecutive_addresses_after_the_first_host_index() {
    LocalCluster cluster = LocalCluster.builder().clusterName("multi").subnet(3).firstHostIndex(2)
        .workDir(Path.of("/tmp/w")).dataCenter("dc1", 2).dataCenter("dc2", 1).build();

    assertThat(cluster.nodes()).extracting(n -> n.address().getHostAddress())
        .containsExactly("127.0.3.2", "127.0.3.3", "127.0.3.4");
    assertThat(cluster.nodes()).extracting(LocalNode::dataCenter).containsExactly("dc1", "dc1", "dc2");
    assertThat(cluster.nodes().get(2).directory()).isEqualTo(Path.of("/tmp/w/multi/127.0.3.4"));
    assertThat(cluster.nodes().get(2).logFile()).isEqualTo(Path.of("/tmp/w/multi/127.0.3.4/logs/system.log"));
  }

  @Test
  void should_give_every_node_the_one_cpu_list_or_each_its_own() {
    LocalCluster shared = LocalCluster.builder().subnet(3).dataCenter("dc1", 3)
        .nodeCpus(java.util.List.of(CpuList.parse("1"))).build();
    LocalCluster own = LocalCluster.builder().subnet(3).dataCenter("dc1", 3)
        .nodeCpus(java.util.List.of(CpuList.parse("4-7"), CpuList.parse("8-11"), CpuList.parse("12-15"))).build();

    assertThat(shared.nodes()).extracting(n -> String.valueOf(n.config().cpus())).containsExactly("1", "1", "1");
    assertThat(own.nodes()).extracting(n -> String.valueOf(n.config().cpus()))
        .containsExactly("4-7", "8-11", "12-15");
    assertThat(LocalCluster.builder().subnet(3).build().nodes().get(0).config().cpus()).isNull();
  }

  @Test
  void should_refuse_cpu_lists_that_do_not_match_the_nodes_or_overlap() {
    assertThatThrownBy(() -> LocalCluster.builder().subnet(3).dataCenter("dc1", 3)
        .nodeCpus(java.util.List.of(CpuList.parse("0"), CpuList.parse("1"))).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid node CPUs: 2 CPU lists for 3 nodes (give one list, for all nodes, or one per node)");
    assertThatThrownBy(() -> LocalCluster.builder().nodeCpus(
        java.util.List.of(CpuList.parse("0-2"), CpuList.parse("2-3"))))
        .hasMessage("Invalid node CPUs: 0-2 and 2-3 overlap (give nodes CPUs of their own, or one list for all of "
            + "them)");
  }

  @Test
  void should_use_the_first_node_as_seed_of_every_node() {
    LocalCluster cluster = LocalCluster.builder().subnet(3).firstHostIndex(10).dataCenter("dc1", 3).build();

    assertThat(cluster.nodes()).allSatisfy(n -> assertThat(n.config().seed().getHostAddress()).isEqualTo("127.0.3.10"));
  }

  @Test
  void should_reject_a_node_count_below_one() {
    assertThatThrownBy(() -> LocalCluster.builder().dataCenter("dc1", 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid node count: 0 (must be > 0)");
  }

  @Test
  void should_reject_addresses_beyond_the_subnet() {
    assertThatThrownBy(() -> LocalCluster.builder().firstHostIndex(253).dataCenter("dc1", 3).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid first host index: 253 (with 3 nodes the last would be > 254)");
  }

  @Test
  void should_reject_a_subnet_outside_a_byte() {
    assertThatThrownBy(() -> LocalCluster.builder().subnet(256))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid subnet: 256 (must be in 0..255)");
  }

  @Test
  void should_reject_a_gc_pause_goal_under_a_millisecond_or_over_ten_seconds() {
    assertThatThrownBy(() -> LocalCluster.builder().gcPauseGoal(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid GC pause goal: 0 ms (must be from 1 ms to 10 s)");
    assertThatThrownBy(() -> LocalCluster.builder().gcPauseGoal(Duration.ofSeconds(11)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid GC pause goal: 11000 ms (must be from 1 ms to 10 s)");
    assertThatThrownBy(() -> LocalCluster.builder().gcPauseGoal(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid GC pause goal: null (must be from 1 ms to 10 s)");
  }

  @Test
  void should_reject_a_cluster_name_unfit_for_a_directory() {
    assertThatThrownBy(() -> LocalCluster.builder().clusterName("../x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid cluster name: ../x (letters, digits, '_' and '-' only)");
  }

  @Test
  void should_refuse_to_start_a_node_of_a_cluster_never_started(@TempDir Path workDir) {
    LocalCluster cluster = LocalCluster.builder().subnet(9).workDir(workDir).build();

    assertThatThrownBy(() -> cluster.nodes().get(0).start())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Node 127.0.9.1 has no configuration yet: start its cluster first (LocalCluster.start())");
  }

  @Test
  void should_reject_a_server_system_property_that_is_not_cassandras_or_has_no_value() {
    assertThatThrownBy(() -> LocalCluster.builder().systemProperty("java.io.tmpdir", "/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.io.tmpdir").hasMessageContaining("cassandra.<name>");
    assertThatThrownBy(() -> LocalCluster.builder().systemProperty("cassandra.size_recorder_interval", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cassandra.size_recorder_interval");
  }

  @Test
  void should_give_every_node_a_jmx_port_of_its_own_only_when_asked() {
    LocalCluster plain = LocalCluster.builder().subnet(3).dataCenter("dc1", 3).build();
    LocalCluster jmx = LocalCluster.builder().subnet(3).dataCenter("dc1", 3).localJmx().build();

    assertThat(plain.nodes()).allSatisfy(n -> assertThat(n.jmxPort()).isEmpty());
    assertThat(jmx.nodes()).allSatisfy(n -> assertThat(n.jmxPort()).isPresent());
    assertThat(jmx.nodes()).extracting(n -> n.jmxPort().getAsInt()).doesNotHaveDuplicates();
    assertThat(jmx.nodes()).allSatisfy(n -> assertThat(n.config().command(Path.of("/java"), Path.of("/launcher"),
        List.of(), 1L)).contains("-Dcassandra.jmx.local.port=" + n.jmxPort().getAsInt()));
  }

  @Test
  void should_refuse_one_jmx_port_for_every_node() {
    assertThatThrownBy(() -> LocalCluster.builder().systemProperty("cassandra.jmx.local.port", "7199"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cassandra.jmx.local.port").hasMessageContaining("localJmx()");
  }
}
