package dev.ringsweep.testing;

import dev.ringsweep.cluster.ServerClasspath;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.cassandra.CassandraContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The {@code testcontainers} backend of {@link TestClusters}: the single-node cluster as one Cassandra Docker
 * container, data center {@value #DATA_CENTER} with {@value #NUM_TOKENS} tokens like the child-JVM one. The image is
 * {@code cassandra:<version>}, the version being the launcher's (system property
 * {@value ServerClasspath#VERSION_PROPERTY}, default {@value ServerClasspath#DEFAULT_VERSION}), unless the system
 * property {@value #IMAGE_PROPERTY} names another image.
 *
 * <p>All references to Testcontainers live in this class, which {@link TestClusters} loads only once that backend is
 * chosen and {@link TestBackend#requireTestcontainers} has found it: test-infra's dependency on it is optional.
 */
final class ContainerClusters {

  /** System property naming the Docker image to run instead of {@code cassandra:<version>}. */
  static final String IMAGE_PROPERTY = "ringsweep.test.cassandraImage";

  static final String DATA_CENTER = "dc1";
  static final int NUM_TOKENS = 16;

  private static final DockerImageName CASSANDRA = DockerImageName.parse("cassandra");

  private ContainerClusters() {}

  /**
   * Starts the single-node cluster after checking that a Docker engine answers; adds a stopper of the container to
   * {@code stoppers} before starting it, so that a failed start is cleaned up too.
   */
  static TestCluster startSingle(TestBackend.Choice choice, List<Runnable> stoppers) {
    TestBackend.requireDocker(choice, DockerClientFactory.instance().isDockerAvailable());
    DockerImageName image = image(ServerClasspath.configuredVersion(), System.getProperty(IMAGE_PROPERTY));
    CassandraContainer container = container(image);
    stoppers.add(container::stop);
    container.start();
    return TestCluster.inContainer("the single-node test cluster in container " + image.asCanonicalNameString(),
        container.getContactPoint(), container.getLocalDatacenter());
  }

  /**
   * The image to run: {@code override} when it is set (declared a substitute for {@code cassandra}, which
   * Testcontainers' {@link CassandraContainer} requires), else {@code cassandra:<version>}.
   */
  static DockerImageName image(String version, String override) {
    DockerImageName image = override == null || override.isBlank()
        ? CASSANDRA.withTag(version)
        : DockerImageName.parse(override.trim()).asCompatibleSubstituteFor(CASSANDRA);
    image.assertValid();
    return image;
  }

  /** The container, configured and not started. */
  static CassandraContainer container(DockerImageName image) {
    return new CassandraContainer(image)
        .withEnv("CASSANDRA_DC", DATA_CENTER)
        .withEnv("CASSANDRA_NUM_TOKENS", String.valueOf(NUM_TOKENS))
        // Replaces Testcontainers' JVM_OPTS, whose -Dcassandra.initial_token=0 is one token and so fits only
        // num_tokens 1.
        .withEnv("JVM_OPTS", "-Dcassandra.skip_wait_for_gossip_to_settle=0");
  }
}
