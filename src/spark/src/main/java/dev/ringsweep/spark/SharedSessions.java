package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.internal.LimitMemory;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one JVM (an executor, or the Spark driver): one per distinct {@link CassandraConnection}, opened
 * on first use, shared by all tasks, closed by a shutdown hook when the JVM exits. A session that was closed (by
 * mistake) is replaced on the next use. With each connection goes what its tasks' adaptive limits learned
 * ({@link #limits}), so that a task starts where the last task of its kind on this executor left them; the writers
 * of import tasks keep theirs with the session itself ({@code LimitMemory.ofWriters}), to the same end.
 */
final class SharedSessions {

  private static final Logger LOG = LoggerFactory.getLogger(SharedSessions.class);
  private static final Map<CassandraConnection, CqlSession> SESSIONS = new ConcurrentHashMap<>();
  private static final Map<CassandraConnection, LimitMemory> LIMITS = new ConcurrentHashMap<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(SharedSessions::closeAll, "ringsweep-spark-sessions"));
  }

  private SharedSessions() {}

  static CqlSession get(CassandraConnection connection) {
    CqlSession session = SESSIONS.computeIfAbsent(connection, SharedSessions::open);
    if (session.isClosed()) {
      SESSIONS.remove(connection, session);
      session = SESSIONS.computeIfAbsent(connection, SharedSessions::open);
    }
    return session;
  }

  /**
   * What the adaptive limits of this JVM's tasks on {@code connection} learned ({@link LimitMemory}): the tasks of a
   * job on one executor share it, as the operations of one single-JVM operator do, so that each task's count, export
   * or verification starts each replica set's limit where the last task of its kind left it (within 60 s) rather than
   * climbing afresh: a task lasts seconds, a few dozen round trips, and would spend many of them climbing.
   */
  static LimitMemory limits(CassandraConnection connection) {
    return LIMITS.computeIfAbsent(connection, c -> new LimitMemory());
  }

  /**
   * Opens the session and checks that the local data center is one of the cluster's.
   *
   * @throws IllegalStateException naming the contact points if none can be reached, or a TLS file missing here
   * @throws IllegalArgumentException naming the local data center if the cluster has no such data center
   */
  private static CqlSession open(CassandraConnection connection) {
    LOG.debug("Opening the session of this JVM to {}", connection);
    connection.checkFiles();
    CqlSession session;
    try {
      session = connection.openSession();
    } catch (RuntimeException e) {
      throw new IllegalStateException(String.format("Cannot connect to Cassandra at contact points %s (local data "
          + "center %s): %s", connection.contactPoints(), connection.localDatacenter(), e.getMessage()), e);
    }
    Set<String> datacenters = new TreeSet<>();
    session.getMetadata().getNodes().values().forEach(n -> {
      if (n.getDatacenter() != null) {
        datacenters.add(n.getDatacenter());
      }
    });
    if (!datacenters.isEmpty() && !datacenters.contains(connection.localDatacenter())) {
      session.close();
      throw new IllegalArgumentException(String.format("Invalid connection setting: local data center '%s' (the "
          + "cluster at %s has the data centers %s)", connection.localDatacenter(), connection.contactPoints(),
          datacenters));
    }
    return session;
  }

  /** Closes every session of this JVM and forgets what their limits learned; the next use opens a new one. */
  static void closeAll() {
    LIMITS.clear();
    for (Map.Entry<CassandraConnection, CqlSession> entry : SESSIONS.entrySet()) {
      if (SESSIONS.remove(entry.getKey(), entry.getValue())) {
        try {
          entry.getValue().close();
        } catch (RuntimeException e) {
          LOG.debug("Closing a session failed (ignored)", e);
        }
      }
    }
  }
}
