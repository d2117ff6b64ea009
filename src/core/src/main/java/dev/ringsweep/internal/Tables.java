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
    if (metadata.getKeyspace(keyspace).isEmpty()) {
      metadata = refreshed(session, metadata);
    }
    Metadata known = metadata;
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
                  + ")");
        });
  }

  /** Returns the table's metadata, or fails naming it and the tables its keyspace has. */
  public static TableMetadata table(CqlSession session, CqlIdentifier keyspace, CqlIdentifier table) {
    Objects.requireNonNull(table, "table must not be null");
    KeyspaceMetadata found = keyspace(session, keyspace);
    if (found.getTable(table).isEmpty()) {
      found = refreshed(session, session.getMetadata()).getKeyspace(keyspace).orElse(found);
    }
    KeyspaceMetadata ks = found;
    return ks.getTable(table)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "Unknown table: "
                        + RangeQuery.qualified(keyspace, table)
                        + " (tables in "
                        + keyspace.asCql(true)
                        + ": "
                        + (ks.getTables().isEmpty()
                            ? "none"
                            : ks.getTables().keySet().stream()
                                .map(id -> id.asCql(true))
                                .sorted()
                                .collect(Collectors.joining(", ")))
                        + ")"));
  }

  /**
   * The session's schema metadata read again: a keyspace or table created a moment ago (by another client, or by
   * this session while the node was too busy to answer the driver's schema queries) is missing from the metadata
   * the driver holds until its next refresh. If the refresh fails, {@code stale} is kept.
   */
  private static Metadata refreshed(CqlSession session, Metadata stale) {
    try {
      return session.refreshSchema();
    } catch (RuntimeException e) {
      LOG.debug("Refreshing the schema metadata failed; keeping what the driver holds", e);
      return stale;
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
}
