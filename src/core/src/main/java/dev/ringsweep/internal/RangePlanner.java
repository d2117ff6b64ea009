package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.Replica;
import dev.ringsweep.token.TokenRange;
import dev.ringsweep.token.TokenRangeSource;
import dev.ringsweep.token.TokenRangeSplitter;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Plans the token ranges of a keyspace or a table: discovers the ring from a {@link TokenRangeSource} (retrying
 * retryable failures with the operation's retries and backoff), refuses a
 * ring whose queries could only fail at the configured consistency level, and splits it into about
 * {@link OperatorOptions#splitCount()} pieces grouped by replica set.
 */
public final class RangePlanner {

  private final CqlSession session;
  private final TokenRangeSource source;
  private final OperatorOptions options;

  public RangePlanner(CqlSession session, TokenRangeSource source, OperatorOptions options) {
    this.session = session;
    this.source = source;
    this.options = options;
  }

  /** The same planner with other options (consistency level, split count) and the same source. */
  public RangePlanner withOptions(OperatorOptions other) {
    return new RangePlanner(session, source, other);
  }

  /** The plan of a whole keyspace; throws if the keyspace is unknown. */
  public RangePlan plan(CqlIdentifier keyspace) {
    Tables.keyspace(Tables.checkSession(session), keyspace);
    return split(discover(() -> source.discover(session, keyspace, options.localDatacenter()), keyspace.asCql(true)),
        keyspace);
  }

  /** The plan of one table (a table with ranges of its own, such as ScyllaDB tablets, gets its own ring). */
  public RangePlan plan(CqlIdentifier keyspace, CqlIdentifier table) {
    Tables.table(Tables.checkSession(session), keyspace, table);
    return split(discover(() -> source.discover(session, keyspace, table, options.localDatacenter()),
        keyspace.asCql(true) + "." + table.asCql(true)), keyspace);
  }

  /**
   * The source's ring, its reads retried as a range query is: a source that queries the cluster (ScyllaDB's
   * {@code system.tablets}, on every plan, an import's verification included) may meet a timeout or an overloaded
   * coordinator, which retrying cures.
   */
  private List<TokenRange> discover(Supplier<List<TokenRange>> discovery, String what) {
    return Retrying.call(discovery, options.maxRetries(), options.retryBackoff(), "Discovering the token ranges of "
        + what);
  }

  private RangePlan split(List<TokenRange> ring, CqlIdentifier keyspace) {
    requireLocalReplicas(ring, keyspace, options.consistencyLevel(), options.localDatacenter());
    return TokenRangeSplitter.split(ring, options.splitCount());
  }

  /**
   * Throws if a data-center-local consistency level cannot be met: a range whose replicas are all known and all
   * outside the local data center would fail every query with "not enough replicas". Ranges without replica
   * information (a custom {@link TokenRangeSource}) are not judged.
   */
  public static void requireLocalReplicas(
      List<TokenRange> ring, CqlIdentifier keyspace, ConsistencyLevel consistencyLevel, String localDc) {
    if (localDc == null || !consistencyLevel.isDcLocal()) {
      return;
    }
    for (TokenRange range : ring) {
      List<String> dataCenters = range.replicas().stream().map(Replica::datacenter).toList();
      if (!dataCenters.isEmpty() && !dataCenters.contains(null) && !dataCenters.contains(localDc)) {
        String replicaDcs = String.join(", ", new TreeSet<>(dataCenters));
        throw new IllegalStateException(String.format(
            "Keyspace %s has no replica in the local data center %s (token range (%d, %d] has replicas only in: %s), "
                + "so consistency level %s cannot be met: set localDatacenter (and the session's local data center) "
                + "to one of %s, or use a consistency level that is not local to a data center, such as ONE",
            keyspace.asCql(true), localDc, range.start(), range.end(), replicaDcs, consistencyLevel, replicaDcs));
      }
    }
  }
}
