package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.metadata.schema.KeyspaceMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import java.util.Objects;
import java.util.stream.Collectors;

/** Looks up keyspaces and tables in the driver's schema metadata, with errors that say what does exist. */
public final class Tables {

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
    return session
        .getMetadata()
        .getKeyspace(keyspace)
        .orElseThrow(() -> {
          if (session.getMetadata().getKeyspaces().isEmpty()) {
            // A live cluster always has its system keyspaces: the driver could not read the schema at all.
            return new IllegalStateException(String.format("Cannot check keyspace %s: the driver holds no schema "
                + "metadata (reading it timed out or failed: a longer request timeout may help; or schema metadata "
                + "is disabled in the driver's configuration)", keyspace.asCql(true)));
          }
          return new IllegalArgumentException(
              "Unknown keyspace: "
                  + keyspace.asCql(true)
                  + " (known keyspaces: "
                  + session.getMetadata().getKeyspaces().keySet().stream()
                      .map(id -> id.asCql(true))
                      .sorted()
                      .collect(Collectors.joining(", "))
                  + ")");
        });
  }

  /** Returns the table's metadata, or fails naming it and the tables its keyspace has. */
  public static TableMetadata table(CqlSession session, CqlIdentifier keyspace, CqlIdentifier table) {
    Objects.requireNonNull(table, "table must not be null");
    KeyspaceMetadata ks = keyspace(session, keyspace);
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

  /** Parses a keyspace or table name the way the driver does ({@link CqlIdentifier#fromCql}). */
  public static CqlIdentifier identifier(String what, String cql) {
    if (cql == null || cql.isBlank()) {
      throw new IllegalArgumentException("Invalid " + what + " name: '" + cql + "' (must not be blank)");
    }
    return CqlIdentifier.fromCql(cql);
  }
}
