package dev.ringsweep.token;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import java.util.List;

/**
 * Where the ring of token ranges and their replicas come from.
 *
 * <p>{@link DriverTokenMapSource} reads the driver's token metadata (vnodes, Cassandra and ScyllaDB keyspaces
 * without tablets). A keyspace using ScyllaDB tablets has ranges and replicas per table, not in the token map:
 * {@link TabletMapSource} reads them from {@code system.tablets}. {@link #automatic()}, the default, picks one per
 * table.
 */
public interface TokenRangeSource {

  /**
   * The token ranges of the ring with the replicas of {@code keyspace} for each.
   *
   * @param session an open session
   * @param keyspace the keyspace whose replication decides the replicas
   * @param localDcOrNull the local datacenter, whose replicas are listed first; {@code null} if unknown
   * @return ranges covering the ring exactly once, sorted by start token
   */
  List<TokenRange> discover(CqlSession session, CqlIdentifier keyspace, String localDcOrNull);

  /**
   * The token ranges of one table with its replicas. By default those of its keyspace; a source whose ranges are
   * per table (tablets) overrides it.
   */
  default List<TokenRange> discover(
      CqlSession session, CqlIdentifier keyspace, CqlIdentifier table, String localDcOrNull) {
    return discover(session, keyspace, localDcOrNull);
  }

  /**
   * The default source: for a table whose keyspace uses ScyllaDB tablets, its tablets ({@link TabletMapSource});
   * otherwise, and for a whole keyspace, the driver's token map ({@link DriverTokenMapSource}).
   */
  static TokenRangeSource automatic() {
    return new TokenRangeSource() {
      private final TokenRangeSource tokenMap = new DriverTokenMapSource();
      private final TokenRangeSource tablets = new TabletMapSource();

      @Override
      public List<TokenRange> discover(CqlSession session, CqlIdentifier keyspace, String localDcOrNull) {
        return tokenMap.discover(session, keyspace, localDcOrNull);
      }

      @Override
      public List<TokenRange> discover(
          CqlSession session, CqlIdentifier keyspace, CqlIdentifier table, String localDcOrNull) {
        return TabletMapSource.usesTablets(session, keyspace, table)
            ? tablets.discover(session, keyspace, table, localDcOrNull)
            : tokenMap.discover(session, keyspace, localDcOrNull);
      }
    };
  }
}
