package dev.ringsweep;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import dev.ringsweep.export.ExportOperation;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.imports.ImportOperation;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.token.DriverTokenMapSource;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.Replica;
import dev.ringsweep.token.TokenCoverage;
import dev.ringsweep.token.TokenRange;
import dev.ringsweep.token.TokenRangeSource;
import dev.ringsweep.token.TokenRangeSplitter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/**
 * The entry point for token-aware bulk operations on one {@link CqlSession}.
 *
 * <p>An operator discovers the token ranges of a keyspace from the driver's metadata, splits them in proportion
 * to their size ({@link TokenRangeSplitter}), and runs one prepared range query per piece, at most
 * {@link Options#parallelism()} at a time, each routed to a replica of its range. It is immutable and thread-safe;
 * build one with {@link #builder(CqlSession)} and reuse it. It does not own the session: closing the session is
 * the caller's job.
 *
 * <pre>{@code
 * TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();
 * CountResult result = operator.count("shop", "orders");
 * System.out.println(result.rows());
 * }</pre>
 */
public final class TokenAwareBulkOperator {

  private final CqlSession session;
  private final Options options;
  private final TokenRangeSource source;
  private final ProgressListener progress;

  private TokenAwareBulkOperator(Builder builder) {
    this.session = builder.session;
    this.options = builder.options();
    this.source = builder.source;
    this.progress = builder.progress;
  }

  private TokenAwareBulkOperator(TokenAwareBulkOperator other, Options options) {
    this(other, options, other.progress);
  }

  private TokenAwareBulkOperator(TokenAwareBulkOperator other, Options options, ProgressListener progress) {
    this.session = other.session;
    this.options = options;
    this.source = other.source;
    this.progress = progress;
  }

  /** Starts a builder for an operator over {@code session}; the session must be open. */
  public static Builder builder(CqlSession session) {
    return new Builder(Tables.checkSession(session));
  }

  /** The session this operator runs on. */
  public CqlSession session() {
    return session;
  }

  /** The options in force, with the defaults that were derived from the cluster filled in. */
  public Options options() {
    return options;
  }

  /** The progress listener in force ({@link ProgressListener#NONE} unless one was set). */
  public ProgressListener progressListener() {
    return progress;
  }

  /**
   * Plans the token ranges of {@code keyspace}: its ring with replicas, split into about
   * {@link Options#splitCount()} pieces grouped by replica set. The plan is a plain serializable value: hand its
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
    Tables.checkSession(session);
    Tables.keyspace(session, keyspace);
    return split(source.discover(session, keyspace, options.localDatacenter()), keyspace);
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
    Tables.table(Tables.checkSession(session), keyspace, table);
    return split(source.discover(session, keyspace, table, options.localDatacenter()), keyspace);
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
  static void requireLocalReplicas(
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
    return await(countAsync(keyspace, table));
  }

  /** As {@link #count(String, String)}, for identifiers. */
  public CountResult count(CqlIdentifier keyspace, CqlIdentifier table) {
    return await(countAsync(keyspace, table));
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
    try {
      Tables.checkSession(session);
      var metadata = Tables.table(session, keyspace, table);
      return new CountOperation(this, metadata, plan(keyspace, table).interleaved()).run();
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
    return await(countAsync(keyspace, table, ranges));
  }

  /** As {@link #count(String, String, Collection)}, asynchronously. */
  public CompletionStage<CountResult> countAsync(String keyspace, String table, Collection<TokenRange> ranges) {
    try {
      Objects.requireNonNull(ranges, "ranges must not be null");
      TokenCoverage.ofDisjoint(ranges);
      CqlIdentifier ks = Tables.identifier("keyspace", keyspace);
      Tables.checkSession(session);
      var metadata = Tables.table(session, ks, Tables.identifier("table", table));
      return new CountOperation(this, metadata, List.copyOf(ranges)).run();
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
    return ExportOperation.run(session, options, progress, metadata, plan(ks, metadata.getName()), target,
        exportOptions);
  }

  /**
   * An operator like this one whose range queries run at {@code consistencyLevel}; every other setting is kept.
   */
  public TokenAwareBulkOperator withConsistencyLevel(ConsistencyLevel consistencyLevel) {
    Objects.requireNonNull(consistencyLevel, "consistencyLevel must not be null");
    Options o = options;
    return new TokenAwareBulkOperator(this, new Options(o.splitCount(), o.parallelism(), consistencyLevel,
        o.pageSize(), o.requestTimeout(), o.maxRetries(), o.retryBackoff(), o.maxSplitDepth(), o.localDatacenter()));
  }

  /** An operator like this one reporting progress to {@code listener}; every other setting is kept. */
  public TokenAwareBulkOperator withProgressListener(ProgressListener listener) {
    Objects.requireNonNull(listener, "progressListener must not be null");
    return new TokenAwareBulkOperator(this, options, listener);
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
    return ImportOperation.run(this, metadata, source, importOptions);
  }

  /** Waits for a stage, rethrowing its failure unwrapped so that callers see the real exception type. */
  static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get();
    } catch (InterruptedException e) {
      stage.toCompletableFuture().cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for the operation", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      while (cause instanceof CompletionException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause);
    }
  }

  /**
   * The settings of an operator, all validated.
   *
   * @param splitCount target number of token-range pieces (each vnode range gets at least one)
   * @param parallelism range queries in flight at most
   * @param consistencyLevel consistency level of the range queries
   * @param pageSize page size of the range queries
   * @param requestTimeout client-side timeout of one range query
   * @param maxRetries retries of a failing range before it is split (timeouts) or given up
   * @param retryBackoff first backoff between retries; it doubles on each retry, up to 32 times this
   * @param maxSplitDepth how many times a range that keeps timing out is split into 4 smaller ranges
   * @param localDatacenter the data center whose replicas serve the queries, or null if none is known
   */
  public record Options(
      int splitCount,
      int parallelism,
      ConsistencyLevel consistencyLevel,
      int pageSize,
      Duration requestTimeout,
      int maxRetries,
      Duration retryBackoff,
      int maxSplitDepth,
      String localDatacenter) {

    /** Validates every option, naming the bad value and what would be valid. */
    public Options {
      positive("split count", splitCount);
      positive("parallelism", parallelism);
      atMost("parallelism", parallelism, MAX_PARALLELISM);
      positive("page size", pageSize);
      Objects.requireNonNull(consistencyLevel, "consistencyLevel must not be null");
      positive("request timeout", requestTimeout);
      nonNegative("max retries", maxRetries);
      nonNegative("retry backoff", retryBackoff);
      nonNegative("max split depth", maxSplitDepth);
    }

    private static void positive(String name, Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be > 0)");
      }
    }

    private static void nonNegative(String name, Duration value) {
      if (value == null || value.isNegative()) {
        throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be >= 0)");
      }
    }

    /** The most range queries an operator keeps in flight: far beyond what a cluster serves at once. */
    public static final int MAX_PARALLELISM = 32_768;

    private static void atMost(String name, int value, int max) {
      if (value > max) {
        throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be at most " + max + ")");
      }
    }

    private static void positive(String name, int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be > 0)");
      }
    }

    private static void nonNegative(String name, int value) {
      if (value < 0) {
        throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be >= 0)");
      }
    }
  }

  /**
   * Builds a {@link TokenAwareBulkOperator}. Mutable and not thread-safe; every setter validates its value at once.
   *
   * <p>Defaults, derived from the cluster when {@link #build()} is called:
   *
   * <ul>
   *   <li>{@code parallelism}: 16 range queries per node of the local data center (all nodes if no local data
   *       center is known), at least 16 and at most 256;
   *   <li>{@code splitCount}: 2 × parallelism, and never fewer pieces than the ring has token ranges (every
   *       vnode range is always at least one piece);
   *   <li>{@code consistencyLevel}: {@code LOCAL_ONE};
   *   <li>{@code pageSize}: 5000;
   *   <li>{@code requestTimeout}: 30 seconds;
   *   <li>{@code maxRetries}: 3, {@code retryBackoff}: 100 ms, {@code maxSplitDepth}: 3;
   *   <li>{@code localDatacenter}: the data center of the nodes the driver treats as local;
   *   <li>{@code tokenRangeSource}: {@link TokenRangeSource#automatic()}: a table's tablets on ScyllaDB when its
   *       keyspace uses tablets, else the driver's token map ({@link DriverTokenMapSource}).
   * </ul>
   */
  public static final class Builder {
    private final CqlSession session;
    private Integer splitCount;
    private Integer parallelism;
    private ConsistencyLevel consistencyLevel = DefaultConsistencyLevel.LOCAL_ONE;
    private int pageSize = 5000;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private int maxRetries = 3;
    private Duration retryBackoff = Duration.ofMillis(100);
    private int maxSplitDepth = 3;
    private String localDatacenter;
    private TokenRangeSource source = TokenRangeSource.automatic();
    private ProgressListener progress = ProgressListener.NONE;

    private Builder(CqlSession session) {
      this.session = session;
    }

    /** Target number of token-range pieces; must be > 0. */
    public Builder splitCount(int splitCount) {
      Options.positive("split count", splitCount);
      this.splitCount = splitCount;
      return this;
    }

    /**
     * Range queries in flight at most; 1 to {@value Options#MAX_PARALLELISM} (each is a server-side scan of a
     * token range: far more than a few hundred per node only queue up on the nodes).
     */
    public Builder parallelism(int parallelism) {
      Options.positive("parallelism", parallelism);
      Options.atMost("parallelism", parallelism, Options.MAX_PARALLELISM);
      this.parallelism = parallelism;
      return this;
    }

    /** Consistency level of the range queries. */
    public Builder consistencyLevel(ConsistencyLevel consistencyLevel) {
      this.consistencyLevel = Objects.requireNonNull(consistencyLevel, "consistencyLevel must not be null");
      return this;
    }

    /**
     * Rows per page of the range queries; must be > 0. For export it bounds the rows each writer holds (two pages);
     * for a count, whose queries return one row, it is how many rows a node reads and buffers per internal page.
     */
    public Builder pageSize(int pageSize) {
      Options.positive("page size", pageSize);
      this.pageSize = pageSize;
      return this;
    }

    /** Client-side timeout of one range query; must be > 0. */
    public Builder requestTimeout(Duration requestTimeout) {
      Options.positive("request timeout", requestTimeout);
      this.requestTimeout = requestTimeout;
      return this;
    }

    /** Retries of a failing range before it is split or given up; must be >= 0. */
    public Builder maxRetries(int maxRetries) {
      Options.nonNegative("max retries", maxRetries);
      this.maxRetries = maxRetries;
      return this;
    }

    /** First backoff between retries (doubling each time); must be >= 0. */
    public Builder retryBackoff(Duration retryBackoff) {
      Options.nonNegative("retry backoff", retryBackoff);
      this.retryBackoff = retryBackoff;
      return this;
    }

    /**
     * How many times a range that keeps timing out is split into 4, and how many times the pages of an export (or of
     * a count's page-by-page fallback for a partition too large to count at once) shrink by 4; 0 disables both.
     */
    public Builder maxSplitDepth(int maxSplitDepth) {
      Options.nonNegative("max split depth", maxSplitDepth);
      this.maxSplitDepth = maxSplitDepth;
      return this;
    }

    /**
     * The data center whose replicas should serve the range queries; replicas of it are listed first in the plan.
     * The session's load-balancing policy decides where queries really go, so set the same local data center on
     * the session.
     */
    public Builder localDatacenter(String localDatacenter) {
      this.localDatacenter = localDatacenter;
      return this;
    }

    /**
     * Where token ranges come from; the default ({@link TokenRangeSource#automatic()}) reads a table's tablets on
     * ScyllaDB when its keyspace uses tablets, else the driver's token map.
     */
    public Builder tokenRangeSource(TokenRangeSource source) {
      this.source = Objects.requireNonNull(source, "tokenRangeSource must not be null");
      return this;
    }

    /** Receives progress after each planned range; the default does nothing. */
    public Builder progressListener(ProgressListener progress) {
      this.progress = Objects.requireNonNull(progress, "progressListener must not be null");
      return this;
    }

    /** Builds the operator, deriving the defaults that were not set from the cluster's metadata. */
    public TokenAwareBulkOperator build() {
      Tables.checkSession(session);
      return new TokenAwareBulkOperator(this);
    }

    private Options options() {
      String dc = localDatacenter != null ? localDatacenter : driverLocalDatacenter(session);
      int nodes = nodeCount(session, dc);
      int par = parallelism != null ? parallelism : Math.max(16, Math.min(256, 16 * nodes));
      int ringRanges =
          session.getMetadata().getTokenMap().map(TokenMap::getTokenRanges).map(Set::size).orElse(1);
      int splits = splitCount != null ? splitCount : Math.max(ringRanges, 2 * par);
      return new Options(
          splits, par, consistencyLevel, pageSize, requestTimeout, maxRetries, retryBackoff, maxSplitDepth, dc);
    }
  }

  /** The data center of the nodes the driver's load-balancing policy treats as local, if they share one. */
  static String driverLocalDatacenter(CqlSession session) {
    Set<String> dcs =
        session.getMetadata().getNodes().values().stream()
            .filter(node -> node.getDistance() == NodeDistance.LOCAL)
            .map(Node::getDatacenter)
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    return dcs.size() == 1 ? dcs.iterator().next() : null;
  }

  private static int nodeCount(CqlSession session, String dc) {
    long n =
        session.getMetadata().getNodes().values().stream()
            .filter(node -> dc == null || dc.equals(node.getDatacenter()))
            .count();
    return (int) Math.max(1, n);
  }
}
