package dev.ringsweep.token;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import java.util.List;

/**
 * Where the ring of token ranges and their replicas come from.
 *
 * <p>{@link DriverTokenMapSource} reads the driver's token metadata (vnodes, Cassandra and ScyllaDB keyspaces
 * without tablets). A keyspace using ScyllaDB tablets needs a second implementation reading
 * {@code system.tablets}, since its ranges and replicas are per table and not in the token map.
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
}
