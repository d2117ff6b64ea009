package dev.ringsweep.testing;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.NodeState;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.cluster.LocalNode;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

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
   * A listener that kills {@code victim} once a third of the planned ranges are done. It kills on the listener's
   * thread, so that thread starts no further range until the node is gone.
   */
  public static ProgressListener killAtAThird(LocalNode victim) {
    AtomicBoolean killed = new AtomicBoolean();
    return progress -> {
      if (progress.rangesDone() * 3 >= progress.rangesTotal() && killed.compareAndSet(false, true)) {
        victim.kill();
      }
    };
  }

  /** Starts {@code victim} if it is not running and waits until {@code session} sees it up. */
  public static void restart(LocalNode victim, CqlSession session) {
    if (!victim.isRunning()) {
      victim.start();
    }
    awaitUp(victim, session);
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
