package dev.ringsweep.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.cluster.LocalNode;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.opentest4j.TestAbortedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared Cassandra clusters of integration tests, each started lazily once per test JVM and used by every test
 * class:
 * <ul>
 *   <li>{@link #single()}: 1 node, 16 tokens, data center {@code dc1}, at {@code 127.0.<subnet>.1};</li>
 *   <li>{@link #multi()}: 3 nodes, 256 tokens, {@code dc1} with 2 nodes and {@code dc2} with 1, at
 *       {@code 127.0.<subnet>.2-4}, with a group-commit log (acknowledged writes survive kill -9).</li>
 * </ul>
 * Both may run at once. The subnet comes from the system property {@code ringsweep.cluster.subnet} (default 0). A
 * cluster of child JVMs that fails to start is started once more (the first failure is logged) before the tests that
 * need it fail.
 *
 * <p>The system property {@code ringsweep.test.backend} (else the environment variable
 * {@code RINGSWEEP_TEST_BACKEND}) chooses what runs them: {@code local} (the default) for the child JVMs above, or
 * {@code testcontainers} for a Cassandra Docker container run by Testcontainers. That backend needs
 * {@code org.testcontainers:cassandra} on the test classpath (an optional dependency of this module) and a Docker
 * engine, and fails saying so when either is missing. It runs only the single-node cluster (the image
 * {@code cassandra:<ringsweep.cassandra.version>}, or the one the system property {@code ringsweep.test.cassandraImage}
 * names); {@link #multi()} and anything that needs child-JVM nodes skip their test there with a message saying why.
 *
 * <p>If the environment variables {@code RINGSWEEP_CONTACT_POINTS} ({@code host:port,...}) and
 * {@code RINGSWEEP_LOCAL_DC} are set (with optional {@code RINGSWEEP_USERNAME} and {@code RINGSWEEP_PASSWORD}), both
 * return that external cluster instead and nothing is started.
 *
 * <p>The clusters are closed when the test engine finishes (this class is also a JUnit extension, registered for
 * every test class through {@code META-INF/services} and {@code junit-platform.properties}, that puts a closer in
 * the root context store), and in any case when the JVM exits (the launcher's shutdown hook).
 */
public final class TestClusters implements BeforeAllCallback {

  private static final Logger LOG = LoggerFactory.getLogger(TestClusters.class);
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TestClusters.class);
  private static final List<Runnable> STOPPERS = new ArrayList<>();
  private static TestCluster single;
  private static TestCluster multi;
  private static RuntimeException singleFailure;
  private static RuntimeException multiFailure;

  /** The single-node cluster, started on first use. */
  public static synchronized TestCluster single() {
    if (singleFailure != null) {
      throw new IllegalStateException("The single-node test cluster failed to start earlier", singleFailure);
    }
    if (single == null) {
      try {
        single = external().orElseGet(() -> startSingle(TestBackend.chosen()));
      } catch (RuntimeException e) {
        singleFailure = e;
        throw e;
      }
    }
    return single;
  }

  /**
   * The three-node, two-data-center cluster, started on first use. Skips the calling test (JUnit assumption) on the
   * {@code testcontainers} backend, which runs no multi-node cluster.
   */
  public static synchronized TestCluster multi() {
    if (multiFailure != null) {
      throw new IllegalStateException("The three-node test cluster failed to start earlier", multiFailure);
    }
    if (multi == null) {
      try {
        multi = external().orElseGet(() -> {
          assumeChildJvms("run the three-node, two-data-center test cluster");
          return start(
              "the three-node test cluster",
              LocalCluster.builder().clusterName("multi").dataCenter("dc1", 2).dataCenter("dc2", 1).numTokens(256)
                  .firstHostIndex(2)
                  // Group commit: a write is acknowledged once it is on disk, so a node killed with kill -9 (the
                  // fault tests) keeps every write it acknowledged. Periodic sync would lose up to 10 s of them.
                  .yaml("commitlog_sync", "group")
                  .yaml("commitlog_sync_group_window", "15ms"));
        });
      } catch (TestAbortedException e) {
        throw e; // skipped on the testcontainers backend: not a failure to remember
      } catch (RuntimeException e) {
        multiFailure = e;
        throw e;
      }
    }
    return multi;
  }

  /**
   * Skips the calling test (JUnit assumption) on the {@code testcontainers} backend, with a message saying that it
   * needs Cassandra nodes in child JVMs to {@code why}: for tests that start a {@link LocalCluster} of their own
   * (TLS, passwords, other node configuration, killing nodes), which that backend does not offer.
   *
   * @throws IllegalArgumentException if the backend property or environment variable names no backend
   */
  public static void assumeChildJvms(String why) {
    assumeTrue(TestBackend.chosen().backend() != TestBackend.TESTCONTAINERS, () -> TestBackend.notOnContainers(why));
  }

  private static TestCluster startSingle(TestBackend.Choice choice) {
    return switch (choice.backend()) {
      case LOCAL -> start("the single-node test cluster",
          LocalCluster.builder().clusterName("single").dataCenter("dc1", 1).numTokens(16).firstHostIndex(1)
              // Size estimates every 5 s, not every 5 min, so that a test can see a table's estimate after a flush.
              .systemProperty("cassandra.size_recorder_interval", "5"));
      case TESTCONTAINERS -> {
        // Before ContainerClusters, the only class that refers to Testcontainers, is loaded.
        TestBackend.requireTestcontainers(choice, TestBackend.CONTAINER_CLASS, TestClusters.class.getClassLoader());
        yield ContainerClusters.startSingle(choice, STOPPERS);
      }
    };
  }

  private static TestCluster start(String description, LocalCluster.Builder builder) {
    LocalCluster cluster = builder.build();
    STOPPERS.add(cluster::close);
    try {
      cluster.start();
    } catch (RuntimeException e) {
      // Every test class of the JVM needs this cluster: one failed start (a node slow to bind or to join on a
      // loaded machine) would fail them all. Start it once more from empty directories; the failure is logged
      // in full, with the node's log lines its message carries.
      LOG.warn("{} failed to start; starting it once more", description, e);
      cluster.start();
    }
    // Contact points in the local data center only: the driver warns about contact points in another one.
    List<InetSocketAddress> local = cluster.nodes().stream()
        .filter(node -> node.dataCenter().equals(cluster.firstDataCenter()))
        .map(LocalNode::nativeAddress)
        .toList();
    TestCluster started =
        new TestCluster(description, local, cluster.firstDataCenter(), Optional.of(cluster), Optional.empty());
    WholeRing.await(started.toString(), started::newSession, cluster.nodes().size(), WholeRing.DEFAULT_TIMEOUT);
    return started;
  }

  private static Optional<TestCluster> external() {
    String contactPoints = System.getenv("RINGSWEEP_CONTACT_POINTS");
    if (contactPoints == null || contactPoints.isBlank()) {
      return Optional.empty();
    }
    String localDc = System.getenv("RINGSWEEP_LOCAL_DC");
    if (localDc == null || localDc.isBlank()) {
      throw new IllegalStateException("RINGSWEEP_CONTACT_POINTS is set, but RINGSWEEP_LOCAL_DC is not");
    }
    String username = System.getenv("RINGSWEEP_USERNAME");
    Optional<TestCluster.Credentials> credentials = username == null || username.isBlank()
        ? Optional.empty()
        : Optional.of(new TestCluster.Credentials(username, System.getenv().getOrDefault("RINGSWEEP_PASSWORD", "")));
    return Optional.of(new TestCluster("the external cluster " + contactPoints, parseContactPoints(contactPoints),
        localDc.trim(), Optional.empty(), credentials));
  }

  static List<InetSocketAddress> parseContactPoints(String value) {
    List<InetSocketAddress> addresses = new ArrayList<>();
    for (String entry : value.split(",")) {
      String trimmed = entry.trim();
      int colon = trimmed.lastIndexOf(':');
      if (colon <= 0 || colon == trimmed.length() - 1) {
        throw new IllegalArgumentException(
            String.format("Invalid contact point: '%s' (expected host:port) in RINGSWEEP_CONTACT_POINTS", trimmed));
      }
      String host = trimmed.substring(0, colon).replace("[", "").replace("]", "");
      addresses.add(new InetSocketAddress(host, Integer.parseInt(trimmed.substring(colon + 1))));
    }
    return addresses;
  }

  /** Closes every cluster (and stops every container) started so far. */
  static synchronized void closeAll() {
    for (Runnable stopper : STOPPERS) {
      stopper.run();
    }
    STOPPERS.clear();
    single = null;
    multi = null;
  }

  /** Registers {@link #closeAll()} to run when the root extension context closes (after the last test class). */
  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(Closer.class, key -> new Closer(), Closer.class);
  }

  /** Closes the shared clusters when the test engine finishes. */
  private static final class Closer implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      closeAll();
    }
  }
}
