package dev.ringsweep;

import com.datastax.oss.driver.api.core.metadata.Node;
import java.io.Serializable;

/**
 * What one coordinator host served during an operation: how many range queries it answered and how many rows
 * those queries covered.
 *
 * @param ranges range queries this host coordinated successfully
 * @param rows rows counted (or read) through this host
 */
public record HostStats(long ranges, long rows) implements Serializable {

  /** Validates that both figures are non-negative. */
  public HostStats {
    if (ranges < 0) {
      throw new IllegalArgumentException("Invalid range count: " + ranges + " (must be >= 0)");
    }
    if (rows < 0) {
      throw new IllegalArgumentException("Invalid row count: " + rows + " (must be >= 0)");
    }
  }

  /** Returns the sum of this and {@code other}. */
  public HostStats plus(HostStats other) {
    return new HostStats(ranges + other.ranges, rows + other.rows);
  }

  /**
   * How results name a host ({@link CountResult#hosts()}): {@code address:port} of its native transport as the node
   * broadcasts it, else its contact end point; {@code "unknown"} for no node.
   */
  public static String hostName(Node node) {
    if (node == null) {
      return "unknown";
    }
    return node.getBroadcastRpcAddress()
        .map(address -> address.getAddress().getHostAddress() + ":" + address.getPort())
        .orElse(node.getEndPoint().toString());
  }
}
