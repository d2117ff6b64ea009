package dev.ringsweep.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.testcontainers.cassandra.CassandraContainer;
import org.testcontainers.utility.DockerImageName;

/** The container backend's configuration; nothing here talks to Docker (there is none on the CI machines). */
class ContainerClustersTest {

  @Test
  void should_run_the_official_image_of_the_launchers_cassandra_version() {
    assertThat(ContainerClusters.image("5.0.9", null).asCanonicalNameString()).isEqualTo("cassandra:5.0.9");
    assertThat(ContainerClusters.image("4.1.10", " ").asCanonicalNameString()).isEqualTo("cassandra:4.1.10");
  }

  @Test
  void should_run_the_image_the_override_names_as_a_substitute_for_cassandra() {
    DockerImageName image = ContainerClusters.image("5.0.9", " mirror.example:5000/tools/cassandra:5.0.9-custom ");
    assertThat(image.asCanonicalNameString()).isEqualTo("mirror.example:5000/tools/cassandra:5.0.9-custom");
    assertThat(image.isCompatibleWith(DockerImageName.parse("cassandra"))).isTrue();
  }

  @Test
  void should_configure_the_container_like_the_single_node_child_jvm_cluster() {
    // Configured only: never started, so never closed.
    CassandraContainer container = ContainerClusters.container(DockerImageName.parse("cassandra:5.0.9"));
    assertThat(container.getLocalDatacenter()).isEqualTo("dc1");
    assertThat(container.getEnvMap())
        .containsEntry("CASSANDRA_DC", "dc1")
        .containsEntry("CASSANDRA_NUM_TOKENS", "16");
    // Testcontainers' default JVM_OPTS pin one initial token, which Cassandra rejects with 16 tokens.
    assertThat(container.getEnvMap().get("JVM_OPTS")).doesNotContain("initial_token");
    assertThat(container.getExposedPorts()).containsExactly(9042);
  }
}
