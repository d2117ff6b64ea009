package dev.ringsweep.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.cluster.LocalNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fault injection on a local test cluster: picks the node to kill, kills it (like {@code kill -9}) part-way
 * through an operation, and waits until the driver sees it up again after a restart.
 */
public final class NodeFaults {

  private NodeFaults() {}

  /**
   * The second node of the cluster's local data center: neither the seed nor, at RF 3 with two local nodes, the only
   * local replica of anything.
   */
  public static LocalNode victim(TestCluster cluster, String why) {
    LocalCluster local = cluster.requireLocal(why);
    return local.nodes().stream().filter(n -> n.dataCenter().equals(cluster.localDc())).skip(1).findFirst()
        .orElseThrow(() -> new IllegalStateException("The local data center of " + cluster + " has one node"));
  }

  /**
   * A listener that kills {@code victim} once a third of the planned ranges (for an import: splits) are done, and
   * remembers the progress at that moment. It kills on the listener's thread, so that thread starts no further
   * range until the node is gone.
   */
  public static KillSwitch killAtAThird(LocalNode victim) {
    return new KillSwitch(victim);
  }

  /** See {@link #killAtAThird}. */
  public static final class KillSwitch implements ProgressListener {
    private final LocalNode victim;
    private final AtomicReference<Progress> killedAt = new AtomicReference<>();

    private KillSwitch(LocalNode victim) {
      this.victim = victim;
    }

    @Override
    public void onProgress(Progress progress) {
      if (progress.rangesDone() * 3 >= progress.rangesTotal() && killedAt.compareAndSet(null, progress)) {
        victim.kill();
      }
    }

    /** The progress when the node was killed, or null if it was not. */
    public Progress killedAt() {
      return killedAt.get();
    }
  }

  /**
   * Starts {@code victim} if it is not running, waits until {@code session} sees it up, then until the other nodes
   * have delivered the hints they kept for it, so that the next test finds a quiet cluster.
   */
  public static void restart(LocalNode victim, CqlSession session) {
    if (!victim.isRunning()) {
      victim.start();
    }
    awaitUp(victim, session);
    awaitHintsDelivered(session, Duration.ofSeconds(90));
  }

  /**
   * Waits until no node the driver sees up has hints pending ({@code system_views.pending_hints} empty), or the
   * timeout passes (then it only logs: leftover hints slow the cluster down but lose nothing).
   */
  public static void awaitHintsDelivered(CqlSession session, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Node node : session.getMetadata().getNodes().values()) {
      while (node.getState() == NodeState.UP && System.nanoTime() < deadline) {
        List<Row> pending;
        try {
          pending = session.execute(SimpleStatement.newInstance("SELECT total_files FROM system_views.pending_hints")
              .setNode(node).setTimeout(Duration.ofSeconds(10))).all();
        } catch (DriverException e) {
          break;
        }
        if (pending.stream().allMatch(r -> r.getInt(0) == 0)) {
          break;
        }
        sleep(500);
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the cluster", e);
    }
  }

  /** Waits (up to 60 s) until the driver of {@code session} sees {@code node} up. */
  public static void awaitUp(LocalNode node, CqlSession session) {
    InetSocketAddress address = node.nativeAddress();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      boolean up = session.getMetadata().getNodes().values().stream()
          .anyMatch(n -> n.getState() == NodeState.UP
              && n.getBroadcastRpcAddress().map(address::equals).orElse(false));
      if (up) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("Interrupted while waiting for node " + address, e);
      }
    }
    throw new AssertionError("Node " + address + " did not come back up in the driver's view");
  }
}
