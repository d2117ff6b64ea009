package dev.ringsweep.internal.count;

import dev.ringsweep.OperatorOptions;
import dev.ringsweep.internal.Futures;
import dev.ringsweep.internal.InFlightLimit;
import dev.ringsweep.internal.OperationContext;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.CountOptions;
import dev.ringsweep.CountResult;
import dev.ringsweep.LimitChange;
import dev.ringsweep.HostStats;
import dev.ringsweep.Progress;
import dev.ringsweep.TokenAwareBulkOperator;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.internal.Preflight;
import dev.ringsweep.internal.Retrying;
import dev.ringsweep.internal.RangeExecutor;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.TokenRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One exact count: {@code SELECT count(*)} per planned token range, summed. Package-private; reached through
 * {@link TokenAwareBulkOperator#countAsync}.
 */
public final class CountOperation {

  private static final Logger LOG = LoggerFactory.getLogger(CountOperation.class);

  /** What one range query counted and which coordinator served it. */
  record Part(long rows, String host) {}

  private final OperationContext context;
  private final OperatorOptions options;
  private final CountOptions countOptions;
  private final Function<TokenRange, String> replicaSets;
  private final TableMetadata table;
  private final List<TokenRange> pieces;
  private final CqlSession session;
  private final TokenMap tokenMap;

  // Mutated only on the executor's thread (RangeExecutor.Sink contract).
  private long rows;
  private int rangesDone;
  private int rangesFailed;
  private final Map<String, HostStats> hosts = new HashMap<>();
  private final List<TokenRange> failedRanges = new ArrayList<>();
  private Throwable firstFailure;
  private PagedCount pagedCount; // made on the executor's thread when the first piece falls back

  /** A count over {@code pieces}, run in the given order (a plan's interleaved pieces spread load over hosts). */
  public CountOperation(OperationContext context, TableMetadata table, List<TokenRange> pieces) {
    this(context, table, pieces, CountOptions.defaults());
  }

  /** As {@link #CountOperation(OperationContext, TableMetadata, List)}, with a count's own options. */
  public CountOperation(OperationContext context, TableMetadata table, List<TokenRange> pieces,
      CountOptions countOptions) {
    this(context, table, pieces, countOptions, range -> LimitChange.ALL);
  }

  /**
   * As {@link #CountOperation(OperationContext, TableMetadata, List, CountOptions)}, with the replica set of each
   * piece ({@link RangeExecutor#replicaSets}): an adaptive limit then applies per replica set.
   */
  public CountOperation(OperationContext context, TableMetadata table, List<TokenRange> pieces,
      CountOptions countOptions, Function<TokenRange, String> replicaSets) {
    this.replicaSets = replicaSets;
    this.countOptions = countOptions;
    this.context = context;
    this.options = context.options();
    this.table = table;
    this.pieces = pieces;
    this.session = context.session();
    this.tokenMap =
        session.getMetadata().getTokenMap().orElseThrow(() -> new IllegalStateException("No token metadata"));
  }

  /**
   * Counts a whole table with {@code context}'s options (planned and run in the plan's interleaved order).
   *
   * @throws dev.ringsweep.BulkOperationException if ranges could not be counted
   */
  public static CountResult count(OperationContext context, TableMetadata table) {
    RangePlan plan = context.plan(table.getKeyspace(), table.getName());
    return Futures.await(new CountOperation(context, table, plan.interleaved(), CountOptions.defaults(),
        RangeExecutor.replicaSets(plan)).run());
  }

  /** Runs the count; the stage fails with {@link dev.ringsweep.BulkOperationException} if ranges failed. */
  public CompletionStage<CountResult> run() {
    long started = System.nanoTime();
    RangeQuery query = RangeQuery.of(table, "count(*)");
    CompletableFuture<PreparedStatement> exclusive =
        Retrying.prepareAsync(session, RangeQuery.toPrepare(query.exclusiveCql(), options), options);
    CompletableFuture<PreparedStatement> inclusive =
        Retrying.prepareAsync(session, RangeQuery.toPrepare(query.inclusiveCql(), options), options);
    return exclusive
        .thenCombine(inclusive, (ex, in) -> new PreparedStatement[] {ex, in})
        .thenCompose(prepared -> Preflight.check(session, prepared[0], options.consistencyLevel(),
                options.requestTimeout()).thenApply(ignored -> prepared))
        .thenCompose(
            prepared ->
                RangeExecutor.run(
                    pieces,
                    RangeExecutor.Policy.of(options).withMaxRowsPerSecond(countOptions.maxRowsPerSecond())
                        .withLimit(limitSettings(options))
                        .withMemory(context.limits()),
                    piece -> countPiece(piece, prepared[0], prepared[1]),
                    this::countPiecePageByPage,
                    new Sink(pieces.size()),
                    "count",
                    replicaSets))
        .thenApply(ignored -> finish(started));
  }

  /**
   * The limit of a count's range queries in flight: fixed at the operator's parallelism when the user set one; else
   * adaptive up to its ceiling, and backing off when a range query succeeds after more than half of the operator's
   * request timeout ({@link InFlightLimit.Settings#withRequestTimeout}), as an export's pages and writes do. A range
   * query's latency grows with the data its range holds, but the planner splits ranges in proportion to their size, so
   * one that nears the timeout says mostly that the queries queued behind it will time out. Gradient2, which compares
   * latency with its own long-run level, cannot see that in a count of a few round trips: on three nodes made easy to
   * overload, each count's replica sets climbed together until latency neared the timeout, and only the timeouts that
   * followed turned them back. With the default request timeout (30 s) it never fires.
   */
  static InFlightLimit.Settings limitSettings(OperatorOptions options) {
    InFlightLimit.Settings settings = InFlightLimit.Settings.of(options);
    return options.concurrency() == ConcurrencyMode.ADAPTIVE
        ? settings.withRequestTimeout(options.requestTimeout())
        : settings;
  }

  private CountResult finish(long started) {
    CountResult result =
        new CountResult(rows, rangesDone, rangesFailed, Duration.ofNanos(System.nanoTime() - started), hosts);
    if (rangesFailed > 0) {
      throw new BulkOperationException(
          "Count of "
              + RangeQuery.qualified(table.getKeyspace(), table.getName())
              + " failed for "
              + rangesFailed
              + " of "
              + result.rangesTotal()
              + " token ranges ("
              + failedRanges.size()
              + " intervals failed; rows counted so far: "
              + rows
              + "): "
              + firstFailure,
          result,
          failedRanges,
          firstFailure);
    }
    LOG.debug("Counted {} rows of {} in {}", rows, table.getName(), result.duration());
    return result;
  }

  /** Counts one piece: one query, or two for a piece that wraps around the ring. */
  private CompletionStage<List<Part>> countPiece(
      TokenRange piece, PreparedStatement exclusive, PreparedStatement inclusive) {
    List<RangeQuery.Interval> intervals = RangeQuery.intervals(piece);
    CompletableFuture<List<Part>> all = CompletableFuture.completedFuture(new ArrayList<>(intervals.size()));
    for (RangeQuery.Interval interval : intervals) {
      BoundStatement statement = RangeQuery.bind(exclusive, inclusive, interval, tokenMap, options);
      CompletableFuture<Part> one =
          session.executeAsync(statement).toCompletableFuture().thenApply(CountOperation::part);
      all = all.thenCombine(one, (list, part) -> {
        list.add(part);
        return list;
      });
    }
    return all;
  }

  /**
   * The fallback for a piece whose server-side count keeps timing out even when split as far as allowed: its rows
   * counted on the client, page by page, so that no single request has to count them all.
   */
  private CompletionStage<List<Part>> countPiecePageByPage(TokenRange piece) {
    if (pagedCount == null) {
      pagedCount = new PagedCount(session, options, tokenMap, table, context.progress());
    }
    CompletableFuture<List<Part>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (RangeQuery.Interval interval : RangeQuery.intervals(piece)) {
      all = all.thenCompose(list -> pagedCount.count(piece, interval).thenApply(part -> {
        list.add(part);
        return list;
      }));
    }
    return all;
  }

  private static Part part(AsyncResultSet rs) {
    Row row = rs.one();
    long count = row == null ? 0 : row.getLong(0);
    return new Part(count, HostStats.hostName(rs.getExecutionInfo().getCoordinator()));
  }


  /** Sums parts and reports progress; called on the executor's single thread. */
  private final class Sink extends RangeExecutor.ReportingSink<List<Part>> {
    private final int total;

    Sink(int total) {
      super(context.progress());
      this.total = total;
    }

    @Override
    public void succeeded(TokenRange planned, TokenRange piece, List<Part> parts) {
      for (Part part : parts) {
        rows += part.rows();
        hosts.merge(part.host(), new HostStats(1, part.rows()), HostStats::plus);
      }
    }

    @Override
    public long rows(List<Part> parts) {
      return parts.stream().mapToLong(Part::rows).sum();
    }

    @Override
    public void finished(TokenRange planned, List<TokenRange> failedPieces, Throwable failure) {
      if (failedPieces.isEmpty()) {
        rangesDone++;
      } else {
        rangesFailed++;
        failedRanges.addAll(failedPieces);
        if (firstFailure == null) {
          firstFailure = failure;
        }
      }
      context.progress().onProgress(new Progress(rangesDone + rangesFailed, total, rows));
    }
  }
}
