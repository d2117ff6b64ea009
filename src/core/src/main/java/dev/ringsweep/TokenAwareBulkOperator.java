package dev.ringsweep;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.Futures;
import dev.ringsweep.internal.LimitMemory;
import dev.ringsweep.internal.OperationContext;
import dev.ringsweep.internal.RangePlanner;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.internal.RangeExecutor;
import dev.ringsweep.internal.count.CountOperation;
import dev.ringsweep.internal.export.ExportOperation;
import dev.ringsweep.internal.imports.ImportOperation;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.TokenCoverage;
import dev.ringsweep.token.TokenRange;
import dev.ringsweep.token.TokenRangeSource;
import dev.ringsweep.token.TokenRangeSplitter;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The entry point for token-aware bulk operations on one {@link CqlSession}.
 *
 * <p>An operator discovers the token ranges of a keyspace from the driver's metadata, splits them in proportion
 * to their size ({@link TokenRangeSplitter}), and runs one prepared range query per piece, each routed to a replica
 * of its range, under a limit of range queries in flight that adapts to the cluster's latency and errors (up to
 * {@link OperatorOptions#parallelism()}), or is fixed when the parallelism is set ({@link ConcurrencyMode}). It is
 * immutable and thread-safe; build one with {@link #builder(CqlSession)} and reuse it. It does not own the session:
 * closing the session is the caller's job.
 *
 * <pre>{@code
 * TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();
 * CountResult result = operator.count("shop", "orders");
 * System.out.println(result.rows());
 * }</pre>
 */
public final class TokenAwareBulkOperator {

  private final CqlSession session;
  private final OperatorOptions options;
  private final TokenRangeSource source;
  private final ProgressListener progress;
  private final OperationContext context;

  TokenAwareBulkOperator(CqlSession session, OperatorOptions options, TokenRangeSource source,
      ProgressListener progress, boolean rememberLimits) {
    this.session = session;
    this.options = options;
    this.source = source;
    this.progress = progress;
    this.context = new OperationContext(session, options, progress, new RangePlanner(session, source, options),
        rememberLimits ? new LimitMemory() : LimitMemory.none());
  }

  /** Starts a builder for an operator over {@code session}; the session must be open. */
  public static OperatorBuilder builder(CqlSession session) {
    return new OperatorBuilder(Tables.checkSession(session));
  }

  /** The session this operator runs on. */
  public CqlSession session() {
    return session;
  }

  /** The options in force, with the defaults that were derived from the cluster filled in. */
  public OperatorOptions options() {
    return options;
  }

  /** The progress listener in force ({@link ProgressListener#NONE} unless one was set). */
  public ProgressListener progressListener() {
    return progress;
  }

  /**
   * Plans the token ranges of {@code keyspace}: its ring with replicas, split into about
   * {@link OperatorOptions#splitCount()} pieces grouped by replica set. The plan is a plain serializable value: hand its
   * pieces to other processes, or record which are done.
   *
   * @throws IllegalArgumentException if the keyspace is unknown
   * @throws IllegalStateException if a token range has no replica, or (with a data-center-local consistency level
   *     such as {@code LOCAL_ONE}) no replica in the local data center, so that its queries could only fail
   * @throws UnsupportedOperationException if the cluster's partitioner is not Murmur3Partitioner
   */
  public RangePlan plan(String keyspace) {
    return plan(Tables.identifier("keyspace", keyspace));
  }

  /** As {@link #plan(String)}, for an identifier. */
  public RangePlan plan(CqlIdentifier keyspace) {
    return context.planner().plan(keyspace);
  }

  /**
   * Plans the token ranges of one table: as {@link #plan(String)}, except that a table whose ranges are its own
   * (ScyllaDB tablets) gets its own ring. Count, export and import plan this way.
   *
   * @throws IllegalArgumentException if the keyspace or table is unknown
   */
  public RangePlan plan(String keyspace, String table) {
    return plan(Tables.identifier("keyspace", keyspace), Tables.identifier("table", table));
  }

  /** As {@link #plan(String, String)}, for identifiers. */
  public RangePlan plan(CqlIdentifier keyspace, CqlIdentifier table) {
    return context.plan(keyspace, table);
  }

  /**
   * Counts the rows of a table exactly, by running {@code SELECT count(*)} over every planned token range.
   * Names follow the driver's convention: unquoted names are case-insensitive, {@code "\"MixedCase\""} keeps its
   * case.
   *
   * <p>A range whose query keeps timing out is retried, then split; a piece on which the server still times out (a
   * partition too large to count in one request) is counted on the client, page by page.
   *
   * @throws IllegalArgumentException if the keyspace or table is unknown (the message names it and lists what
   *     exists)
   * @throws BulkOperationException if some ranges could not be counted even after retries, splitting and counting
   *     page by page; it carries the partial {@link CountResult} and the failed ranges
   */
  public CountResult count(String keyspace, String table) {
    return Futures.await(countAsync(keyspace, table));
  }

  /** As {@link #count(String, String)}, for identifiers. */
  public CountResult count(CqlIdentifier keyspace, CqlIdentifier table) {
    return Futures.await(countAsync(keyspace, table));
  }

  /**
   * Counts asynchronously. The stage fails with {@link BulkOperationException} as {@link #count(String, String)}
   * throws it, or with {@link IllegalArgumentException} for an unknown keyspace or table. Cancelling the returned
   * future stops starting new range queries.
   */
  public CompletionStage<CountResult> countAsync(String keyspace, String table) {
    try {
      return countAsync(Tables.identifier("keyspace", keyspace), Tables.identifier("table", table));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** As {@link #countAsync(String, String)}, for identifiers. */
  public CompletionStage<CountResult> countAsync(CqlIdentifier keyspace, CqlIdentifier table) {
    return countAsync(keyspace, table, CountOptions.defaults());
  }

  /**
   * As {@link #count(String, String)}, with a count's own options (a cap on the rows counted per second).
   *
   * @throws NullPointerException if {@code countOptions} is null
   */
  public CountResult count(String keyspace, String table, CountOptions countOptions) {
    Objects.requireNonNull(countOptions, "countOptions must not be null");
    return Futures.await(countAsync(Tables.identifier("keyspace", keyspace), Tables.identifier("table", table),
        countOptions));
  }

  /** As {@link #count(String, String, CountOptions)}, asynchronously and for identifiers. */
  public CompletionStage<CountResult> countAsync(CqlIdentifier keyspace, CqlIdentifier table,
      CountOptions countOptions) {
    try {
      Objects.requireNonNull(countOptions, "countOptions must not be null");
      Tables.checkSession(session);
      var metadata = Tables.table(session, keyspace, table);
      RangePlan plan = plan(keyspace, table);
      return new CountOperation(context, metadata, plan.interleaved(), countOptions,
          RangeExecutor.replicaSets(plan)).run();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Counts only the rows whose tokens lie in {@code ranges}, each range queried as given (start-exclusive,
   * end-inclusive; retried and split like any planned piece). This is how a count resumes: after a
   * {@link BulkOperationException}, count its {@link BulkOperationException#failedRanges() failed ranges} and add
   * the partial result's rows. The ranges must not overlap (rows would be counted twice): overlapping ranges are
   * rejected.
   *
   * @throws IllegalArgumentException if the keyspace or table is unknown, or two of the ranges overlap (naming them)
   * @throws NullPointerException if {@code ranges} is null
   */
  public CountResult count(String keyspace, String table, Collection<TokenRange> ranges) {
    return Futures.await(countAsync(keyspace, table, ranges));
  }

  /** As {@link #count(String, String, Collection)}, asynchronously. */
  public CompletionStage<CountResult> countAsync(String keyspace, String table, Collection<TokenRange> ranges) {
    try {
      Objects.requireNonNull(ranges, "ranges must not be null");
      TokenCoverage.ofDisjoint(ranges);
      CqlIdentifier ks = Tables.identifier("keyspace", keyspace);
      Tables.checkSession(session);
      var metadata = Tables.table(session, ks, Tables.identifier("table", table));
      return new CountOperation(context, metadata, List.copyOf(ranges)).run();
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Exports every row of a table to {@code target} (an Iceberg table, or a directory of Parquet, CSV or JSON lines
   * files) with the default {@link ExportOptions}. See {@link #export(String, String, ExportTarget, ExportOptions)}.
   */
  public ExportResult export(String keyspace, String table, ExportTarget target) {
    return export(keyspace, table, target, ExportOptions.defaults());
  }

  /**
   * Exports the rows of a table to {@code target}, streaming token ranges through several writer threads in bounded
   * memory; an Iceberg target gets one atomic commit at the end. Progress goes to this operator's listener after
   * each planned range.
   *
   * @throws IllegalArgumentException if the keyspace, table or a selected column is unknown
   * @throws BulkOperationException if some ranges could not be exported; its partial result is an
   *     {@link ExportResult}, and a run with {@link dev.ringsweep.export.Resume#RESUME} continues from the checkpoint
   */
  public ExportResult export(String keyspace, String table, ExportTarget target, ExportOptions exportOptions) {
    CqlIdentifier ks = Tables.identifier("keyspace", keyspace);
    var metadata = Tables.table(Tables.checkSession(session), ks, Tables.identifier("table", table));
    return ExportOperation.run(context, metadata, plan(ks, metadata.getName()), target, exportOptions);
  }

  /**
   * An operator like this one whose range queries run at {@code consistencyLevel}; every other setting is kept.
   */
  public TokenAwareBulkOperator withConsistencyLevel(ConsistencyLevel consistencyLevel) {
    Objects.requireNonNull(consistencyLevel, "consistencyLevel must not be null");
    return new TokenAwareBulkOperator(session, options.withConsistencyLevel(consistencyLevel), source, progress,
        context.limits().keeps());
  }

  /** An operator like this one reporting progress to {@code listener}; every other setting is kept. */
  public TokenAwareBulkOperator withProgressListener(ProgressListener listener) {
    Objects.requireNonNull(listener, "progressListener must not be null");
    return new TokenAwareBulkOperator(session, options, source, listener, context.limits().keeps());
  }

  /**
   * Imports an Iceberg table, Parquet files, or the CSV / JSON lines output of an export into a table, with the
   * default {@link ImportOptions}. See {@link #importFrom(ImportSource, String, String, ImportOptions)}.
   */
  public ImportResult importFrom(ImportSource source, String keyspace, String table) {
    return importFrom(source, keyspace, table, ImportOptions.defaults());
  }

  /**
   * Imports {@code source} into an existing table. Source columns are matched to the table's by name and converted
   * back to their CQL types exactly (using the types export recorded); a missing key column, an unknown column or an
   * incompatible type is reported before anything is written. Rows are read in parallel, in bounded memory, and
   * written through a {@link dev.ringsweep.batch.BatchWriter} (UNLOGGED batches grouped by partition by default),
   * with write times and TTLs restored when the source carries them. Rows that cannot be written go to a
   * bad-records file. See {@code docs/import.md}.
   *
   * @throws IllegalArgumentException if the keyspace, table or source does not exist, or the source's columns do not
   *     fit the table
   * @throws BulkOperationException if the error budget is exceeded, the source cannot be read, or the verification
   *     finds a mismatch; its partial result is an {@link ImportResult}
   */
  public ImportResult importFrom(ImportSource source, String keyspace, String table, ImportOptions importOptions) {
    CqlIdentifier ks = Tables.identifier("keyspace", keyspace);
    var metadata = Tables.table(Tables.checkSession(session), ks, Tables.identifier("table", table));
    return ImportOperation.run(context, metadata, source, importOptions);
  }

}
