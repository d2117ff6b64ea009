package dev.ringsweep.token;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.data.TupleValue;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.servererrors.InvalidQueryException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Reads the ring of a table in a ScyllaDB keyspace that uses tablets, from {@code system.tablets}: with tablets,
 * token ranges and replicas are per table, and the driver's token map does not describe them.
 *
 * <p>{@code system.tablets} has one row per tablet, keyed by {@code (table_id, last_token)}, with the replicas as
 * {@code list<tuple<uuid, int>>} (host id, shard). Tablet {@code i} owns the tokens {@code (last_token(i-1),
 * last_token(i)]}; the first one starts at the origin, and the last one ends at {@code Long.MAX_VALUE}. A table
 * co-located with another (its static {@code base_table} column set) uses that table's tablets.
 *
 * <p><b>Not run against a ScyllaDB server here</b>: the mapping from rows to ranges and replicas is unit-tested on
 * rows built by hand after ScyllaDB's documented schema ({@link #ranges}); reading the rows needs a ScyllaDB cluster.
 */
public final class TabletMapSource implements TokenRangeSource {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final String TABLETS_CQL =
      "SELECT last_token, replicas, base_table FROM system.tablets WHERE table_id = ?";

  /** One tablet as {@code system.tablets} describes it: its last token and its replicas' host ids. */
  record Tablet(long lastToken, List<UUID> replicaHostIds) {
    Tablet {
      replicaHostIds = List.copyOf(replicaHostIds);
    }
  }

  /**
   * Tablets are per table: this keyspace-level form is not supported.
   *
   * @throws UnsupportedOperationException always; use {@link #discover(CqlSession, CqlIdentifier, CqlIdentifier,
   *     String)}
   */
  @Override
  public List<TokenRange> discover(CqlSession session, CqlIdentifier keyspace, String localDcOrNull) {
    throw new UnsupportedOperationException(String.format(
        "Keyspace %s: tablets are per table; plan a table, not a keyspace", keyspace.asCql(true)));
  }

  /**
   * The tablets of {@code table} as token ranges with their replicas (local datacenter first).
   *
   * @throws IllegalStateException if the table has no tablets, a replica is not a node the driver knows, or the
   *     tablets do not cover the ring exactly once
   */
  @Override
  public List<TokenRange> discover(
      CqlSession session, CqlIdentifier keyspace, CqlIdentifier table, String localDcOrNull) {
    Objects.requireNonNull(session, "session");
    UUID tableId = tableId(session, keyspace, table);
    List<Tablet> tablets = read(session, tableId).orElseThrow(() -> new IllegalStateException(String.format(
        "Table %s.%s (id %s) has no rows in system.tablets: its keyspace does not use tablets",
        keyspace.asCql(true), table.asCql(true), tableId)));
    Map<UUID, Replica> nodes = new HashMap<>();
    for (Node node : session.getMetadata().getNodes().values()) {
      if (node.getHostId() != null) {
        nodes.put(node.getHostId(), new Replica(node.getHostId(),
            DriverTokenMapSource.endpoint(node.getEndPoint().resolve()), node.getDatacenter()));
      }
    }
    return ranges(tablets, nodes::get, localDcOrNull, keyspace.asCql(true) + "." + table.asCql(true));
  }

  /**
   * Whether {@code table} has tablets: true on ScyllaDB for a keyspace with tablets; false on Cassandra (no
   * {@code system.tablets}) and for vnode keyspaces.
   */
  static boolean usesTablets(CqlSession session, CqlIdentifier keyspace, CqlIdentifier table) {
    Optional<UUID> id = session.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable(table))
        .flatMap(TableMetadata::getId);
    if (id.isEmpty()) {
      return false;
    }
    // The driver's schema metadata usually covers the system keyspace: then it tells whether system.tablets
    // exists without a query; otherwise one query finds out.
    var system = session.getMetadata().getKeyspace("system");
    boolean tabletsTable = system.isPresent() ? system.get().getTable("tablets").isPresent()
        : tabletsTableExists(session);
    return tabletsTable && read(session, id.get()).isPresent();
  }

  /**
   * Whether the session's cluster has {@code system.tablets}, asked once per session: the driver's schema metadata
   * leaves out the system keyspace by default, and without this every plan would query a node first (and wait on it
   * if it is slow or paused).
   */
  private static boolean tabletsTableExists(CqlSession session) {
    Boolean known = TABLETS_TABLE.get(session);
    if (known != null) {
      return known;
    }
    boolean exists;
    try {
      session.execute(SimpleStatement.newInstance("SELECT table_id FROM system.tablets LIMIT 1").setTimeout(TIMEOUT));
      exists = true;
    } catch (InvalidQueryException e) {
      exists = false; // Cassandra, or a ScyllaDB without tablets
    }
    TABLETS_TABLE.put(session, exists);
    return exists;
  }

  /** Whether each session's cluster has {@code system.tablets}, once known; a closed session's entry goes. */
  private static final java.util.Map<CqlSession, Boolean> TABLETS_TABLE =
      java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private static UUID tableId(CqlSession session, CqlIdentifier keyspace, CqlIdentifier table) {
    return session.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable(table))
        .flatMap(TableMetadata::getId)
        .orElseThrow(() -> new IllegalArgumentException(String.format(
            "Unknown table: %s.%s (or the driver's schema metadata has no id for it)", keyspace.asCql(true),
            table.asCql(true))));
  }

  /** The tablets of a table, following a co-located table to its base table's tablets; empty if there are none. */
  private static Optional<List<Tablet>> read(CqlSession session, UUID tableId) {
    List<Row> rows = session.execute(SimpleStatement.newInstance(TABLETS_CQL, tableId).setTimeout(TIMEOUT)).all();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    UUID base = rows.get(0).getColumnDefinitions().contains("base_table") ? rows.get(0).getUuid("base_table") : null;
    if (base != null && !base.equals(tableId)) {
      return read(session, base);
    }
    List<Tablet> tablets = new ArrayList<>(rows.size());
    for (Row row : rows) {
      List<UUID> hosts = new ArrayList<>();
      for (TupleValue replica : row.getList("replicas", TupleValue.class)) {
        hosts.add(replica.getUuid(0));
      }
      tablets.add(new Tablet(row.getLong("last_token"), hosts));
    }
    return Optional.of(tablets);
  }

  /**
   * Token ranges of tablets: tablet {@code i} owns {@code (last_token(i-1), last_token(i)]}, the first from the
   * origin; replicas are looked up by host id and ordered local datacenter first.
   *
   * @param tablets the tablets of one table, in any order
   * @param nodes the replica of a host id, or null for a host the driver does not know
   * @param table the table's name, for error messages
   * @throws IllegalStateException if there is no tablet, two tablets end at the same token, the last one does not
   *     end at {@code Long.MAX_VALUE}, a tablet has no replica, or a replica's host is unknown
   */
  static List<TokenRange> ranges(
      List<Tablet> tablets, Function<UUID, Replica> nodes, String localDcOrNull, String table) {
    if (tablets.isEmpty()) {
      throw new IllegalStateException(String.format("Table %s has no tablets", table));
    }
    List<Tablet> sorted = new ArrayList<>(tablets);
    sorted.sort((a, b) -> Long.compare(a.lastToken(), b.lastToken()));
    long last = sorted.get(sorted.size() - 1).lastToken();
    if (last != Long.MAX_VALUE) {
      throw new IllegalStateException(String.format(
          "Invalid tablet map of %s: the last tablet ends at token %s, not %s (tokens after it are in no tablet)",
          table, last, Long.MAX_VALUE));
    }
    if (sorted.get(0).lastToken() == Long.MIN_VALUE) {
      throw new IllegalStateException(String.format(
          "Invalid tablet map of %s: a tablet ends at token %s, the origin of the ring", table, Long.MIN_VALUE));
    }
    List<TokenRange> ranges = new ArrayList<>(sorted.size());
    long start = Long.MIN_VALUE;
    for (Tablet tablet : sorted) {
      if (!ranges.isEmpty() && tablet.lastToken() == start) {
        throw new IllegalStateException(String.format(
            "Invalid tablet map of %s: two tablets end at token %s", table, tablet.lastToken()));
      }
      if (tablet.replicaHostIds().isEmpty()) {
        throw new IllegalStateException(String.format(
            "Invalid tablet map of %s: the tablet ending at token %s has no replica", table, tablet.lastToken()));
      }
      List<Replica> replicas = new ArrayList<>();
      for (UUID hostId : tablet.replicaHostIds()) {
        Replica replica = nodes.apply(hostId);
        if (replica == null) {
          throw new IllegalStateException(String.format(
              "Tablet of %s ending at token %s has a replica on host %s, which is not among the driver's nodes "
                  + "(a node that left or joined since the driver's metadata was read?)",
              table, tablet.lastToken(), hostId));
        }
        replicas.add(replica);
      }
      ranges.add(new TokenRange(start, tablet.lastToken(),
          DriverTokenMapSource.orderReplicas(replicas, localDcOrNull)));
      start = tablet.lastToken();
    }
    RingCheck.findProblem(ranges).ifPresent(problem -> {
      throw new IllegalStateException(
          String.format("The tablets of %s do not cover the ring exactly once: %s", table, problem));
    });
    return List.copyOf(ranges);
  }
}
