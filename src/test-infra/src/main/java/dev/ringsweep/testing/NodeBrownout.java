package dev.ringsweep.testing;

import dev.ringsweep.cluster.LocalNode;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.Attribute;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A brownout of a local node: for a while, the node takes at most so many CQL requests a second, through Cassandra's
 * own native-transport rate limit ({@code StorageServiceMBean.setNativeTransportMaxRequestsPerSecond}, over the
 * node's local JMX port; Cassandra 4.1 and later). Beyond that rate the node holds requests back, so latency grows
 * with the requests a client keeps in flight: the node's capacity drops mid-run, as when a neighbour, a compaction or
 * a repair takes it, and comes back after. The harness's adaptive-overload suite and the adaptive integration tests
 * use it on nodes of a cluster built with {@link dev.ringsweep.cluster.LocalCluster.Builder#localJmx()}.
 */
public final class NodeBrownout implements AutoCloseable {

  private static final String STORAGE_SERVICE = "org.apache.cassandra.db:type=StorageService";

  private final JMXConnector connector;
  private final MBeanServerConnection server;
  private final ObjectName storageService;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "brownout");
    t.setDaemon(true);
    return t;
  });

  private NodeBrownout(JMXConnector connector) throws IOException, JMException {
    this.connector = connector;
    this.server = connector.getMBeanServerConnection();
    this.storageService = new ObjectName(STORAGE_SERVICE);
  }

  /**
   * Connects to {@code node}'s local JMX port; its rate limit is off until a brownout starts.
   *
   * @throws IllegalArgumentException if the node has no JMX port (its cluster was not built with
   *     {@link dev.ringsweep.cluster.LocalCluster.Builder#localJmx()})
   */
  public static NodeBrownout connect(LocalNode node) {
    int port = node.jmxPort().orElseThrow(() -> new IllegalArgumentException(
        "Node " + node + " has no JMX port: build its cluster with LocalCluster.builder().localJmx()"));
    return connect(port);
  }

  private static NodeBrownout connect(int port) {
    try {
      String host = InetAddress.getLoopbackAddress().getHostAddress();
      JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + host + ":" + port + "/jmxrmi");
      NodeBrownout brownout = new NodeBrownout(JMXConnectorFactory.connect(url));
      brownout.end();
      return brownout;
    } catch (IOException | JMException e) {
      throw new IllegalStateException("Cannot reach the node's JMX port " + port + ": " + e, e);
    }
  }

  /**
   * Starts a brownout {@code after} from now, of {@code length}, during which the node takes {@code requestsPerSecond}
   * CQL requests a second. Closing the returned handle ends it at once (or cancels it, if it has not started).
   */
  public Scheduled schedule(Duration after, Duration length, int requestsPerSecond) {
    AtomicBoolean over = new AtomicBoolean();
    ScheduledFuture<?> start = timer.schedule(() -> {
      synchronized (this) {
        if (!over.get()) {
          start(requestsPerSecond);
        }
      }
    }, after.toNanos(), TimeUnit.NANOSECONDS);
    ScheduledFuture<?> end = timer.schedule(this::end, after.plus(length).toNanos(), TimeUnit.NANOSECONDS);
    return () -> {
      over.set(true);
      start.cancel(false);
      end.cancel(false);
      end(); // after a start under way, if any: both hold this object's lock
    };
  }

  /** A brownout scheduled; closing it ends it. */
  public interface Scheduled extends AutoCloseable {
    @Override
    void close();
  }

  /** The node takes {@code requestsPerSecond} CQL requests a second from now on. */
  public synchronized void start(int requestsPerSecond) {
    set("NativeTransportMaxRequestsPerSecond", requestsPerSecond);
    set("NativeTransportRateLimitingEnabled", true);
  }

  /** The node takes requests as fast as it can again. */
  public synchronized void end() {
    set("NativeTransportRateLimitingEnabled", false);
  }

  /** Sets an attribute of the node's StorageService (by its setter, e.g. setNativeTransportMaxRequestsPerSecond). */
  private void set(String attribute, Object value) {
    try {
      server.setAttribute(storageService, new Attribute(attribute, value));
    } catch (IOException | JMException e) {
      throw new IllegalStateException("Cannot set " + attribute + " to " + value + " on the node: " + e, e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      end();
    } finally {
      try {
        connector.close();
      } catch (IOException e) {
        // The node may be gone; nothing is left to undo.
      }
    }
  }
}
