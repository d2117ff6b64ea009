package dev.ringsweep.cluster;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.servererrors.QueryValidationException;
import java.time.Duration;

/**
 * The background sstable work of a cluster (compactions, cleanups, index builds), as each node lists it in
 * {@code system_views.sstable_tasks} (Cassandra 4.0 and later). A load starts compactions that go on for a while
 * after its last write; whatever is measured next shares the machine with them. Measurements wait for them to end.
 */
public final class SstableTasks {

  private static final Duration POLL = Duration.ofSeconds(1);

  private SstableTasks() {}

  /**
   * Waits until no node of the session's cluster lists an sstable task of {@code keyspace} (of any keyspace when it
   * is null), or until {@code timeout} has passed. A server without the virtual table (ScyllaDB, Cassandra before
   * 4.0), or that does not let this session read it, is not waited for.
   *
   * @return how long it waited
   */
  public static Duration awaitIdle(CqlSession session, String keyspace, Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    try {
      for (Node node : session.getMetadata().getNodes().values()) {
        while (System.nanoTime() < deadline && busy(session, node, keyspace)) {
          Thread.sleep(POLL.toMillis());
        }
      }
    } catch (QueryValidationException e) {
      // No system_views.sstable_tasks on this server, or no permission to read it: it tells nothing to wait for.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for compactions to finish", e);
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static boolean busy(CqlSession session, Node node, String keyspace) {
    for (Row task : session.execute(SimpleStatement.newInstance("SELECT keyspace_name FROM system_views.sstable_tasks")
        .setNode(node).setTimeout(Duration.ofSeconds(30)))) {
      if (keyspace == null || keyspace.equals(task.getString(0))) {
        return true;
      }
    }
    return false;
  }
}
