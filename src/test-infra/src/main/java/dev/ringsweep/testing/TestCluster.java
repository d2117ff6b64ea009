package dev.ringsweep.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import dev.ringsweep.DriverSettings;
import dev.ringsweep.cluster.LocalCluster;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A Cassandra cluster for integration tests, shared by all test classes of a test JVM: a {@link LocalCluster}
 * started by {@link TestClusters}, a Testcontainers container it started (the {@code testcontainers} backend), or an
 * external cluster named by environment variables.
 *
 * <p>Tests that need a particular topology or fault injection call {@link #requireLocal(String)},
 * {@link #requireNodeCount(int)} or {@link #requireDataCenters(int)}: on a container or an external cluster these skip
 * the test (JUnit assumption) with a message saying why.
 */
public final class TestCluster {

  /** Request timeout of {@link #newSession()}: generous, for schema changes and test setup on a busy machine. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

  private final String description;
  private final List<InetSocketAddress> contactPoints;
  private final String localDc;
  private final Optional<LocalCluster> local;
  private final Optional<Credentials> credentials;
  private final Kind kind;

  /** A user name and password for {@code PasswordAuthenticator}. */
  record Credentials(String username, String password) {}

  /** What runs the cluster. */
  private enum Kind { LOCAL, CONTAINER, EXTERNAL }

  /** A cluster of child JVMs when {@code local} is present, else an external cluster. */
  TestCluster(String description, List<InetSocketAddress> contactPoints, String localDc,
      Optional<LocalCluster> local, Optional<Credentials> credentials) {
    this(description, contactPoints, localDc, local, credentials, local.isPresent() ? Kind.LOCAL : Kind.EXTERNAL);
  }

  private TestCluster(String description, List<InetSocketAddress> contactPoints, String localDc,
      Optional<LocalCluster> local, Optional<Credentials> credentials, Kind kind) {
    this.description = description;
    this.contactPoints = List.copyOf(contactPoints);
    this.localDc = localDc;
    this.local = local;
    this.credentials = credentials;
    this.kind = kind;
  }

  /** A cluster in a container of the {@code testcontainers} backend, reached at {@code contactPoint}. */
  static TestCluster inContainer(String description, InetSocketAddress contactPoint, String localDc) {
    return new TestCluster(description, List.of(contactPoint), localDc, Optional.empty(), Optional.empty(),
        Kind.CONTAINER);
  }

  /** The CQL addresses to connect to. */
  public List<InetSocketAddress> contactPoints() {
    return contactPoints;
  }

  /** The data center a client should treat as local. */
  public String localDc() {
    return localDc;
  }

  /** The number of nodes: known for a local cluster, read from the driver's metadata for an external one. */
  public int nodeCount() {
    if (local.isPresent()) {
      return local.get().nodes().size();
    }
    try (CqlSession session = newSession()) {
      return session.getMetadata().getNodes().size();
    }
  }

  /** The local cluster, to stop, kill or restart nodes; empty for a container or an external cluster. */
  public Optional<LocalCluster> local() {
    return local;
  }

  /** Whether this is an external cluster (environment variable {@code RINGSWEEP_CONTACT_POINTS}). */
  public boolean isExternal() {
    return kind == Kind.EXTERNAL;
  }

  /** Whether this cluster runs in a container of the {@code testcontainers} backend. */
  public boolean isContainer() {
    return kind == Kind.CONTAINER;
  }

  /** A session builder with the contact points, local DC, credentials and a {@link #REQUEST_TIMEOUT}. */
  public CqlSessionBuilder sessionBuilder() {
    DriverConfigLoader config = DriverSettings.promptClose(DriverConfigLoader.programmaticBuilder())
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, REQUEST_TIMEOUT)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, REQUEST_TIMEOUT)
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, REQUEST_TIMEOUT)
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .build();
    CqlSessionBuilder builder = CqlSession.builder()
        .addContactPoints(contactPoints)
        .withLocalDatacenter(localDc)
        .withConfigLoader(config);
    credentials.ifPresent(c -> builder.withAuthCredentials(c.username(), c.password()));
    return builder;
  }

  /** Opens a new session (the caller closes it); see {@link #sessionBuilder()}. */
  public CqlSession newSession() {
    return sessionBuilder().build();
  }

  /**
   * How long a schema change of {@link #createKeyspace} may take: on a 2-core machine running three nodes, a test
   * that has just stopped and restarted a node once saw {@code CREATE KEYSPACE} miss the 30-second
   * {@link #REQUEST_TIMEOUT}; why it was that slow was not found.
   */
  public static final Duration SCHEMA_CHANGE_TIMEOUT = Duration.ofMinutes(2);

  /**
   * Drops the keyspace if it exists and creates it afresh with the given replication map, e.g.
   * {@code "{'class':'NetworkTopologyStrategy','dc1':1}"} or {@link #simpleReplication(int)}; each statement may
   * take up to {@link #SCHEMA_CHANGE_TIMEOUT}.
   */
  public void createKeyspace(CqlSession session, String keyspace, String replication) {
    if (keyspace == null || !keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
      throw new IllegalArgumentException(
          String.format("Invalid keyspace name: %s (lower-case letters, digits and '_', at most 48)", keyspace));
    }
    session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
        .setTimeout(SCHEMA_CHANGE_TIMEOUT));
    session.execute(SimpleStatement.newInstance("CREATE KEYSPACE " + keyspace + " WITH replication = " + replication)
        .setTimeout(SCHEMA_CHANGE_TIMEOUT));
    awaitSchemaOnAllNodes(session, keyspace, null);
  }

  /**
   * Waits until every node the session sees up and may send statements to has {@code keyspace} in its schema, and {@code table} in it unless that
   * is null. The driver waits for schema agreement after a schema change, but only so long (30 s here), and on a
   * busy 2-core machine a node restarted moments before can take longer: a statement it then coordinates fails with
   * "Keyspace ... doesn't exist" (seen once in CI, creating a table right after a fault test restarted a node).
   *
   * @throws IllegalStateException naming the nodes that still lack it after {@link #SCHEMA_CHANGE_TIMEOUT}
   */
  public static void awaitSchemaOnAllNodes(CqlSession session, String keyspace, String table) {
    SimpleStatement query = (table == null
        ? SimpleStatement.newInstance("SELECT keyspace_name FROM system_schema.keyspaces WHERE keyspace_name = ?",
            keyspace)
        : SimpleStatement.newInstance(
            "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?", keyspace, table))
        .setTimeout(Duration.ofSeconds(10));
    long deadline = System.nanoTime() + SCHEMA_CHANGE_TIMEOUT.toNanos();
    while (true) {
      List<String> missing = new ArrayList<>();
      for (Node node : session.getMetadata().getNodes().values()) {
        // A node the session ignores (another data center) never coordinates its statements, and it has no
        // connection to send it this query on.
        if (node.getState() != NodeState.UP || node.getDistance() == NodeDistance.IGNORED) {
          continue;
        }
        try {
          if (session.execute(query.setNode(node)).one() == null) {
            missing.add(node.getEndPoint().toString());
          }
        } catch (DriverException e) {
          missing.add(node.getEndPoint() + " (" + e + ")");
        }
      }
      if (missing.isEmpty()) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(String.format("%s%s not in the schema of %s after %s",
            keyspace, table == null ? "" : "." + table, missing, SCHEMA_CHANGE_TIMEOUT));
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for the schema of " + keyspace, e);
      }
    }
  }

  /**
   * Like {@link #createKeyspace(CqlSession, String, String)} with {@link #defaultReplication(CqlSession)}: every
   * data center gets as many replicas as it has nodes, up to 3.
   */
  public void createKeyspace(CqlSession session, String keyspace) {
    createKeyspace(session, keyspace, defaultReplication(session));
  }

  /** {@code NetworkTopologyStrategy} with min(nodes, 3) replicas in each data center the session sees. */
  public static String defaultReplication(CqlSession session) {
    Map<String, Long> nodesPerDc = session.getMetadata().getNodes().values().stream()
        .collect(Collectors.groupingBy(Node::getDatacenter, TreeMap::new, Collectors.counting()));
    return nodesPerDc.entrySet().stream()
        .map(e -> "'" + e.getKey() + "':" + Math.min(3, e.getValue()))
        .collect(Collectors.joining(",", "{'class':'NetworkTopologyStrategy',", "}"));
  }

  /** {@code SimpleStrategy} with {@code replicationFactor} replicas. */
  public static String simpleReplication(int replicationFactor) {
    if (replicationFactor < 1) {
      throw new IllegalArgumentException(
          String.format("Invalid replication factor: %s (must be > 0)", replicationFactor));
    }
    return "{'class':'SimpleStrategy','replication_factor':" + replicationFactor + "}";
  }

  /**
   * Returns the local cluster, or skips the test (assumption) on a container or an external cluster, with a message
   * saying that the test needs child-JVM nodes to {@code why}.
   */
  public LocalCluster requireLocal(String why) {
    assumeTrue(kind != Kind.CONTAINER, () -> TestBackend.notOnContainers(why));
    assumeTrue(local.isPresent(), () -> "Skipped on an external cluster: needs a local cluster to " + why);
    return local.get();
  }

  /** Skips the test (assumption) unless the cluster has exactly {@code nodes} nodes. */
  public void requireNodeCount(int nodes) {
    int actual = nodeCount();
    assumeTrue(actual == nodes, () -> String.format("Skipped: needs %s nodes, %s has %s", nodes, description, actual));
  }

  /** Skips the test (assumption) unless the cluster has at least {@code dataCenters} data centers. */
  public void requireDataCenters(int dataCenters) {
    long actual;
    try (CqlSession session = newSession()) {
      actual = session.getMetadata().getNodes().values().stream().map(Node::getDatacenter).distinct().count();
    }
    long found = actual;
    assumeTrue(found >= dataCenters,
        () -> String.format("Skipped: needs %s data centers, %s has %s", dataCenters, description, found));
  }

  @Override
  public String toString() {
    return description;
  }
}
