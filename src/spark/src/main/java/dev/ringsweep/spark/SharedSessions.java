package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one JVM (an executor, or the Spark driver): one per distinct {@link CassandraConnection}, opened
 * on first use, shared by all tasks, closed by a shutdown hook when the JVM exits. A session that was closed (by
 * mistake) is replaced on the next use.
 */
final class SharedSessions {

  private static final Logger LOG = LoggerFactory.getLogger(SharedSessions.class);
  private static final Map<CassandraConnection, CqlSession> SESSIONS = new ConcurrentHashMap<>();

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

  private static CqlSession open(CassandraConnection connection) {
    LOG.debug("Opening the session of this JVM to {}", connection);
    return connection.openSession();
  }

  /** Closes every session of this JVM; the next use opens a new one. */
  static void closeAll() {
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
