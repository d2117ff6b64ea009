package dev.ringsweep.token;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Reads the ring from the driver's token metadata, using only the driver's public API: the token map's ranges,
 * its replicas for a keyspace, and {@link TokenMap#format} to get each token as a number.
 *
 * <p>Only {@code Murmur3Partitioner} is supported. Token metadata must be enabled in the driver (it is by default,
 * option {@code advanced.metadata.token-map.enabled}).
 *
 * <p>ScyllaDB keyspaces using tablets are not described by the token map; a second {@link TokenRangeSource}
 * reading {@code system.tablets} would serve them.
 */
public final class DriverTokenMapSource implements TokenRangeSource {

  static final String MURMUR3 = "org.apache.cassandra.dht.Murmur3Partitioner";

  /** Replicas of the local datacenter first, then by endpoint, so the order is the same on every run. */
  @Override
  public List<TokenRange> discover(CqlSession session, CqlIdentifier keyspace, String localDcOrNull) {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(keyspace, "keyspace");
    Metadata metadata = session.getMetadata();
    TokenMap tokenMap = metadata.getTokenMap()
        .orElseThrow(() -> new IllegalStateException(
            "The driver has no token metadata: enable advanced.metadata.token-map.enabled (and schema metadata) "
                + "to plan token ranges"));
    requireMurmur3(tokenMap.getPartitionerName());
    var keyspaceMetadata = metadata.getKeyspace(keyspace).orElseThrow(() -> new IllegalArgumentException(
        String.format("Unknown keyspace: %s (not in the driver's schema metadata)", keyspace.asCql(true))));
    List<TokenRange> ranges = new ArrayList<>();
    for (com.datastax.oss.driver.api.core.metadata.token.TokenRange range : tokenMap.getTokenRanges()) {
      List<Replica> replicas = orderReplicas(toReplicas(tokenMap.getReplicas(keyspace, range)), localDcOrNull);
      ranges.add(new TokenRange(
          parseToken(tokenMap.format(range.getStart())), parseToken(tokenMap.format(range.getEnd())), replicas));
    }
    ranges.sort(Comparator.comparingLong(TokenRange::start));
    Set<String> dataCenters = new TreeSet<>();
    metadata.getNodes().values().forEach(node -> dataCenters.add(String.valueOf(node.getDatacenter())));
    requireReplicas(ranges, keyspace.asCql(true), keyspaceMetadata.getReplication(), dataCenters);
    RingCheck.findProblem(ranges).ifPresent(problem -> {
      throw new IllegalStateException(String.format(
          "The driver's token map for %s does not cover the ring exactly once: %s", keyspace.asCql(true), problem));
    });
    return List.copyOf(ranges);
  }

  /**
   * Throws if a range has no replica: the keyspace's replication places none on a node the driver knows (a data
   * center whose nodes are gone, or a replication factor of 0 everywhere), so every query of that range would fail.
   */
  static void requireReplicas(
      List<TokenRange> ranges, String keyspace, Map<String, String> replication, Set<String> dataCenters) {
    for (TokenRange range : ranges) {
      if (range.replicas().isEmpty()) {
        throw new IllegalStateException(String.format(
            "Keyspace %s has no replica for token range %s: its replication %s places no replica on a node the "
                + "driver knows (data centers with nodes: %s); replicate it to one of those data centers",
            keyspace, range, new TreeMap<>(replication), String.join(", ", dataCenters)));
      }
    }
  }

  /** Throws unless the partitioner is Murmur3Partitioner. */
  static void requireMurmur3(String partitionerName) {
    if (!MURMUR3.equals(partitionerName)) {
      throw new UnsupportedOperationException(String.format(
          "Unsupported partitioner: %s (only %s is supported)", partitionerName, MURMUR3));
    }
  }

  /** A token as the token map formats it, as a long. */
  static long parseToken(String formatted) {
    try {
      return Long.parseLong(formatted);
    } catch (NumberFormatException e) {
      throw new IllegalStateException(
          String.format("Invalid Murmur3 token: '%s' (expected a 64-bit integer)", formatted), e);
    }
  }

  /** Local-datacenter replicas first (when {@code localDcOrNull} is given), each part ordered by endpoint. */
  static List<Replica> orderReplicas(List<Replica> replicas, String localDcOrNull) {
    List<Replica> ordered = new ArrayList<>(replicas);
    Comparator<Replica> byEndpoint = Comparator.comparing(Replica::endpoint);
    Comparator<Replica> localFirst = Comparator.comparing(r -> !Objects.equals(r.datacenter(), localDcOrNull));
    ordered.sort(localDcOrNull == null ? byEndpoint : localFirst.thenComparing(byEndpoint));
    return List.copyOf(ordered);
  }

  private static List<Replica> toReplicas(Set<Node> nodes) {
    List<Replica> replicas = new ArrayList<>(nodes.size());
    for (Node node : nodes) {
      replicas.add(new Replica(node.getHostId(), endpoint(node.getEndPoint().resolve()), node.getDatacenter()));
    }
    return replicas;
  }

  /** {@code host:port} for an address, e.g. {@code 127.0.0.1:9042}. */
  static String endpoint(SocketAddress address) {
    if (address instanceof InetSocketAddress inet) {
      String host = inet.getAddress() != null ? inet.getAddress().getHostAddress() : inet.getHostString();
      return host.contains(":") ? "[" + host + "]:" + inet.getPort() : host + ":" + inet.getPort();
    }
    return String.valueOf(address);
  }
}
