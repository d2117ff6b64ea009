package dev.ringsweep.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeConfigTest {

  private static final Path DIR = Path.of("/tmp/work/multi/127.0.7.3");

  private static NodeConfig config(Authentication authentication, Map<String, String> overrides) {
    return config(authentication, overrides, Map.of());
  }

  private static NodeConfig config(Authentication authentication, Map<String, String> overrides,
      Map<String, String> systemProperties) {
    return new NodeConfig("multi", LocalCluster.address(7, 3), LocalCluster.address(7, 2), "dc2", "rack1", 256,
        authentication, 768, 300, 7, DIR, overrides, systemProperties, null);
  }

  @Test
  void should_write_addresses_seed_tokens_and_directories_into_the_yaml() {
    String yaml = config(Authentication.NONE, Map.of()).yaml();

    assertThat(yaml.lines()).contains(
        "cluster_name: 'multi'",
        "num_tokens: 256",
        "allocate_tokens_for_local_replication_factor: 3",
        "listen_address: 127.0.7.3",
        "rpc_address: 127.0.7.3",
        "native_transport_port: 9042",
        "endpoint_snitch: GossipingPropertyFileSnitch",
        "      - seeds: \"127.0.7.2:7000\"",
        "commitlog_directory: '/tmp/work/multi/127.0.7.3/data/commitlog'",
        "  - '/tmp/work/multi/127.0.7.3/data/data'",
        "authenticator: AllowAllAuthenticator",
        "auto_snapshot: false");
  }

  @Test
  void should_configure_password_authentication() {
    String yaml = config(Authentication.PASSWORD, Map.of()).yaml();

    assertThat(yaml.lines()).contains("authenticator: PasswordAuthenticator", "authorizer: CassandraAuthorizer");
  }

  @Test
  void should_replace_and_add_yaml_keys_from_overrides() {
    String yaml = config(Authentication.NONE, Map.of("auto_snapshot", "true", "read_request_timeout", "200ms")).yaml();

    assertThat(yaml.lines()).contains("auto_snapshot: true", "read_request_timeout: 200ms")
        .doesNotContain("auto_snapshot: false");
  }

  @Test
  void should_drop_the_periodic_sync_period_when_another_commitlog_sync_is_chosen() {
    String group = config(Authentication.NONE, Map.of("commitlog_sync", "group", "commitlog_sync_group_window",
        "15ms")).yaml();
    String periodic = config(Authentication.NONE, Map.of()).yaml();

    assertThat(group.lines()).contains("commitlog_sync: group", "commitlog_sync_group_window: 15ms")
        .noneMatch(line -> line.startsWith("commitlog_sync_period"));
    assertThat(periodic.lines()).contains("commitlog_sync: periodic", "commitlog_sync_period: 10000ms");
  }

  @Test
  void should_name_data_center_and_rack_in_rackdc_properties() {
    assertThat(config(Authentication.NONE, Map.of()).rackDcProperties()).isEqualTo("dc=dc2\nrack=rack1\n");
  }

  @Test
  void should_log_to_the_node_system_log() {
    assertThat(config(Authentication.NONE, Map.of()).logbackXml())
        .contains("<file>/tmp/work/multi/127.0.7.3/logs/system.log</file>");
  }

  @Test
  void should_start_node_main_with_conf_first_on_the_classpath_and_the_parent_pid() {
    List<String> command = config(Authentication.NONE, Map.of())
        .command(Path.of("/jdk/bin/java"), Path.of("/launcher"), List.of(Path.of("/m2/cassandra-all.jar")), 42);

    assertThat(command.get(0)).isEqualTo("/jdk/bin/java");
    assertThat(command).contains("-Xms768m", "-Xmx768m", "-Dringsweep.parent.pid=42",
        "-Dringsweep.cluster.subnet=7", "-Dringsweep.cluster.node=multi/127.0.7.3", "-Dcassandra.ring_delay_ms=1000",
        "-Dcassandra.superuser_setup_delay_ms=0", "--add-opens", "java.base/java.lang=ALL-UNNAMED");
    assertThat(command.get(command.indexOf("-cp") + 1))
        .isEqualTo(String.join(java.io.File.pathSeparator,
            "/tmp/work/multi/127.0.7.3/conf", "/launcher", "/m2/cassandra-all.jar"));
    assertThat(command.get(command.size() - 1)).isEqualTo("dev.ringsweep.cluster.NodeMain");
  }

  @Test
  void should_run_g1_with_the_pause_goal_and_log_collections_to_the_logs_directory() {
    NodeConfig base = config(Authentication.NONE, Map.of());
    NodeConfig shortPauses = new NodeConfig(base.clusterName(), base.address(), base.seed(), base.dataCenter(),
        base.rack(), base.numTokens(), base.authentication(), base.heapMegabytes(), 10, base.subnet(),
        base.directory(), base.yamlOverrides(), base.systemProperties(), null);

    List<String> command = shortPauses.command(Path.of("/jdk/bin/java"), Path.of("/launcher"),
        List.of(Path.of("/m2/cassandra-all.jar")), 42);

    assertThat(command).contains("-XX:+UseG1GC", "-XX:MaxGCPauseMillis=10",
        "-Xlog:gc:file=/tmp/work/multi/127.0.7.3/logs/gc.log");
    assertThat(command).doesNotContain("-XX:MaxGCPauseMillis=300");
    assertThat(base.command(Path.of("/jdk/bin/java"), Path.of("/launcher"), List.of(Path.of("/m2/cassandra-all.jar")),
        42)).contains("-XX:MaxGCPauseMillis=300");
  }

  @Test
  void should_pass_extra_server_system_properties_before_the_main_class() {
    List<String> command = config(Authentication.NONE, Map.of(), Map.of("cassandra.size_recorder_interval", "5"))
        .command(Path.of("/jdk/bin/java"), Path.of("/launcher"), List.of(Path.of("/m2/cassandra-all.jar")), 42);

    assertThat(command).contains("-Dcassandra.size_recorder_interval=5");
    assertThat(command.indexOf("-Dcassandra.size_recorder_interval=5")).isLessThan(command.indexOf("-cp"));
  }

  @Test
  void should_start_the_jvm_under_taskset_when_the_node_has_cpus_of_its_own() {
    NodeConfig base = config(Authentication.NONE, Map.of());
    NodeConfig pinned = new NodeConfig(base.clusterName(), base.address(), base.seed(), base.dataCenter(),
        base.rack(), base.numTokens(), base.authentication(), base.heapMegabytes(), base.gcPauseMillis(), base.subnet(), base.directory(),
        base.yamlOverrides(), base.systemProperties(), CpuList.parse("1,4-5"));

    List<String> command = pinned.command(Path.of("/jdk/bin/java"), Path.of("/launcher"),
        List.of(Path.of("/m2/cassandra-all.jar")), 42);

    assertThat(command.subList(0, 4)).containsExactly("taskset", "-c", "1,4-5", "/jdk/bin/java");
    assertThat(command.subList(3, command.size())).isEqualTo(
        base.command(Path.of("/jdk/bin/java"), Path.of("/launcher"), List.of(Path.of("/m2/cassandra-all.jar")), 42));
  }
}
