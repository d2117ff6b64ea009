package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.Metadata;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import com.datastax.oss.driver.api.core.type.DataTypes;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up keyspaces and tables in the driver's schema metadata (read again once when one is missing), with errors
 * that say what does exist.
 */
public final class Tables {

  private static final Logger LOG = LoggerFactory.getLogger(Tables.class);

  private Tables() {}

  /** Checks that {@code session} is usable for a bulk operation. */
  public static CqlSession checkSession(CqlSession session) {
    Objects.requireNonNull(session, "session must not be null");
    if (session.isClosed()) {
      throw new IllegalStateException("The CqlSession " + session.getName() + " is closed");
    }
    return session;
  }

  /** Returns the keyspace's metadata, or fails naming it and the keyspaces that exist. */
  public static KeyspaceMetadata keyspace(CqlSession session, CqlIdentifier keyspace) {
    Objects.requireNonNull(keyspace, "keyspace must not be null");
    Metadata metadata = session.getMetadata();
    RuntimeException refreshFailure = null;
    if (metadata.getKeyspace(keyspace).isEmpty()) {
      try {
        metadata = refresh(session);
      } catch (RuntimeException e) {
        refreshFailure = e;
      }
    }
    Metadata known = metadata;
    RuntimeException notRefreshed = refreshFailure;
    return known
        .getKeyspace(keyspace)
        .orElseThrow(() -> {
          if (known.getKeyspaces().isEmpty()) {
            // A live cluster always has its system keyspaces: the driver could not read the schema at all.
            return new IllegalStateException(String.format("Cannot check keyspace %s: the driver holds no schema "
                + "metadata (reading it timed out or failed, also when asked again: a longer request timeout may "
                + "help)", keyspace.asCql(true)));
          }
          return new IllegalArgumentException(
              "Unknown keyspace: "
                  + keyspace.asCql(true)
                  + " (known keyspaces: "
                  + known.getKeyspaces().keySet().stream()
                      .map(id -> id.asCql(true))
                      .sorted()
                      .collect(Collectors.joining(", "))
                  + ")"
                  + notRefreshedNote(notRefreshed, "keyspace"),
              notRefreshed);
        });
  }

  /** Returns the table's metadata, or fails naming it and the tables its keyspace has. */
  public static TableMetadata table(CqlSession session, CqlIdentifier keyspace, CqlIdentifier table) {
    Objects.requireNonNull(table, "table must not be null");
    KeyspaceMetadata found = keyspace(session, keyspace);
    RuntimeException refreshFailure = null;
    if (found.getTable(table).isEmpty()) {
      try {
        found = refresh(session).getKeyspace(keyspace).orElse(found);
      } catch (RuntimeException e) {
        refreshFailure = e;
      }
    }
    KeyspaceMetadata ks = found;
    RuntimeException notRefreshed = refreshFailure;
    return ks.getTable(table).orElseThrow(() -> unknownTable(ks, table, notRefreshed));
  }

  /**
   * The error for a table {@code keyspace} does not have: names it and the tables the keyspace has, and says so when
   * the schema metadata could not be read again ({@code refreshFailure} not null, then the cause): the table may
   * exist, created a moment ago.
   */
  static IllegalArgumentException unknownTable(
      KeyspaceMetadata keyspace, CqlIdentifier table, RuntimeException refreshFailure) {
    String tables = keyspace.getTables().isEmpty()
        ? "none"
        : keyspace.getTables().keySet().stream()
            .map(id -> id.asCql(true))
            .sorted()
            .collect(Collectors.joining(", "));
    return new IllegalArgumentException(
        "Unknown table: " + RangeQuery.qualified(keyspace.getName(), table)
            + " (tables in " + keyspace.getName().asCql(true) + ": " + tables + ")"
            + notRefreshedNote(refreshFailure, "table"),
        refreshFailure);
  }

  private static String notRefreshedNote(RuntimeException refreshFailure, String what) {
    return refreshFailure == null
        ? ""
        : String.format("; the driver's schema metadata could not be read again to look for a %s created a "
            + "moment ago (%s), so it may exist: a longer request timeout may help", what, refreshFailure);
  }

  /**
   * The session's schema metadata read again: a keyspace or table created a moment ago (by another client, or by
   * this session while the node was too busy to answer the driver's schema queries) is missing from the metadata
   * the driver holds until its next refresh.
   *
   * @throws RuntimeException what the refresh failed with
   */
  private static Metadata refresh(CqlSession session) {
    try {
      return session.refreshSchema();
    } catch (RuntimeException e) {
      LOG.debug("Refreshing the schema metadata failed; keeping what the driver holds", e);
      throw e;
    }
  }

  /** Parses a keyspace or table name the way the driver does ({@link CqlIdentifier#fromCql}). */
  public static CqlIdentifier identifier(String what, String cql) {
    if (cql == null || cql.isBlank()) {
      throw new IllegalArgumentException("Invalid " + what + " name: '" + cql + "' (must not be blank)");
    }
    return CqlIdentifier.fromCql(cql);
  }

  /** Whether the table has a counter column (then all its non-key columns are counters). */
  public static boolean isCounterTable(TableMetadata table) {
    return table.getColumns().values().stream().anyMatch(c -> c.getType().equals(DataTypes.COUNTER));
  }

  /**
   * The nodes of data center {@code dc} in the session's metadata (of the whole cluster if {@code dc} is null); at
   * least 1.
   */
  public static int nodeCount(CqlSession session, String dc) {
    long n = session.getMetadata().getNodes().values().stream()
        .filter(node -> dc == null || dc.equals(node.getDatacenter()))
        .count();
    return (int) Math.max(1, n);
  }
}
