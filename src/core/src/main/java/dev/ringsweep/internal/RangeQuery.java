package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.schema.ColumnMetadata;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.token.TokenRange;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The CQL of a token-range query over one table, and the unwrapping of a planned piece into the intervals that
 * CQL can express.
 *
 * <p>A piece {@code (start, end]} becomes {@code token(pk…) > ? AND token(pk…) <= ?}. A piece that wraps around the
 * ring becomes two intervals, {@code (start, MAX]} and {@code [MIN, end]}. A piece starting at the origin
 * ({@code Long.MIN_VALUE}) is queried with {@code >=}, so that the minimum token is never skipped. Every identifier is
 * quoted, so mixed-case names and reserved words work; nothing from the caller is concatenated unquoted.
 */
public final class RangeQuery {

  /** One contiguous interval of tokens as CQL can query it: {@code low < token <= high}, or {@code low <= …}. */
  public record Interval(long low, boolean lowInclusive, long high) {}

  private final String exclusive;
  private final String inclusive;

  private RangeQuery(String exclusive, String inclusive) {
    this.exclusive = exclusive;
    this.inclusive = inclusive;
  }

  /**
   * Builds the queries selecting {@code selection} (already valid CQL, e.g. {@code count(*)} or a list of quoted
   * columns) from {@code table}.
   */
  public static RangeQuery of(TableMetadata table, String selection) {
    String token =
        table.getPartitionKey().stream()
            .map(ColumnMetadata::getName)
            .map(name -> name.asCql(true))
            .collect(Collectors.joining(", ", "token(", ")"));
    String from =
        "SELECT " + selection + " FROM " + qualified(table.getKeyspace(), table.getName()) + " WHERE ";
    return new RangeQuery(
        from + token + " > ? AND " + token + " <= ?", from + token + " >= ? AND " + token + " <= ?");
  }

  /** The fully qualified, quoted name {@code "ks"."table"}. */
  public static String qualified(CqlIdentifier keyspace, CqlIdentifier table) {
    return keyspace.asCql(true) + "." + table.asCql(true);
  }

  /** CQL for intervals whose low bound is exclusive. */
  public String exclusiveCql() {
    return exclusive;
  }

  /** CQL for intervals whose low bound is inclusive (only ever the minimum token). */
  public String inclusiveCql() {
    return inclusive;
  }

  /**
   * The intervals that together hold exactly the tokens of {@code piece}, in ring order: the piece's
   * {@linkplain TokenRange#unwrap() unwrapped} parts, each queried from its {@linkplain TokenRange#firstToken()
   * first token}. A part that starts at the origin is queried with {@code >= Long.MIN_VALUE}, so the minimum token
   * is never skipped.
   */
  public static List<Interval> intervals(TokenRange piece) {
    List<TokenRange> parts = piece.unwrap();
    List<Interval> out = new ArrayList<>(parts.size());
    for (TokenRange part : parts) {
      boolean fromOrigin = part.start() == Long.MIN_VALUE;
      out.add(new Interval(part.start(), fromOrigin, part.end()));
    }
    return out;
  }

  /**
   * The one way a range statement is built (count, the count's paged fallback, export, import's checksum): the
   * interval's bounds bound to the exclusive or inclusive form of the query, routed to the interval's replicas when
   * the token map is known, idempotent (a range read can always be retried), at the options' consistency level,
   * request timeout and page size.
   *
   * @param tokenMap the cluster's token map, or null to leave routing to the driver
   */
  /**
   * The statement to prepare a range query's {@code cql} from: its prepare request times out after the operator's
   * request timeout, as the range queries themselves do, not after the session's (a session whose timeout is short
   * for its writes, say, which an import's verification reads through once the writes are done). The statements
   * bound from it set their own timeout anyway ({@link #bind}).
   */
  public static SimpleStatement toPrepare(String cql, OperatorOptions options) {
    return SimpleStatement.newInstance(cql).setTimeout(options.requestTimeout());
  }

  public static BoundStatement bind(PreparedStatement exclusive, PreparedStatement inclusive, Interval interval,
      TokenMap tokenMap, OperatorOptions options) {
    BoundStatement statement = (interval.lowInclusive() ? inclusive : exclusive)
        .bind(interval.low(), interval.high())
        .setConsistencyLevel(options.consistencyLevel())
        .setPageSize(options.pageSize())
        .setTimeout(options.requestTimeout())
        .setIdempotent(true);
    return tokenMap == null ? statement : statement.setRoutingToken(tokenMap.parse(Long.toString(interval.high())));
  }
}
