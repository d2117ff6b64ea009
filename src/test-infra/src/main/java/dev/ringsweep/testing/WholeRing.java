package dev.ringsweep.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for a freshly started cluster of several nodes to show a new session its whole ring. A node's native port
 * opens before the other nodes' {@code system.peers_v2} hold its full row, and a driver that reads an incomplete row
 * ignores that node for good ("Found invalid row in system.peers_v2"): a session opened at once could see two
 * replicas of three. Each try opens a new session, since the driver reads the peers once.
 */
public final class WholeRing {

  private static final Logger LOG = LoggerFactory.getLogger(WholeRing.class);

  /** How long {@link #await} waits by default. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(120);

  private WholeRing() {}

  /**
   * Waits until a session from {@code sessions} sees all {@code nodes} nodes, each with its tokens, trying once a
   * second for at most {@code timeout}. Returns at once for a single node. After the timeout it logs what it saw
   * and returns: what needs the ring then fails with its own message.
   *
   * @param what the cluster, as the log names it
   * @return whether the whole ring was seen
   */
  public static boolean await(String what, Supplier<CqlSession> sessions, int nodes, Duration timeout) {
    if (nodes < 2) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    String seen = "";
    while (System.nanoTime() < deadline) {
      try (CqlSession session = sessions.get()) {
        Metadata metadata = session.getMetadata();
        Optional<TokenMap> tokens = metadata.getTokenMap();
        long withTokens = metadata.getNodes().values().stream()
            .filter(node -> tokens.isPresent() && !tokens.get().getTokens(node).isEmpty()).count();
        if (withTokens == nodes) {
          return true;
        }
        seen = String.format("%s of %s nodes with their tokens", withTokens, nodes);
      } catch (RuntimeException e) {
        seen = e.toString();
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    LOG.warn("{}: a new session did not see the whole ring within {} s (last: {})", what, timeout.toSeconds(), seen);
    return false;
  }
}
