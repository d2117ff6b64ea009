package dev.ringsweep;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.loadbalancing.NodeDistance;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import dev.ringsweep.internal.Tables;
import dev.ringsweep.token.DriverTokenMapSource;
import dev.ringsweep.token.TokenRangeSource;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link TokenAwareBulkOperator}. Mutable and not thread-safe; every setter validates its value at once.
 *
 * <p>Defaults, derived from the cluster when {@link #build()} is called:
 *
 * <ul>
 *   <li>{@code parallelism}: adaptive ({@link ConcurrencyMode#ADAPTIVE}): the limit of range queries in flight
 *       starts at a quarter of its ceiling (at least 4) and follows the cluster's latency and errors, up to a
 *       ceiling of 16 range queries per node of the local data center (all nodes if no local data center is
 *       known), at least 16 and at most 256 ({@link #maxParallelism(int)} sets another ceiling). When a count's ranges
 *       fall into several replica sets, each replica set has an adaptive limit of its own and the ceiling caps their
 *       sum. Setting {@link #parallelism(int)} fixes the limit instead;
 *   <li>{@code splitCount}: 2 × the parallelism ceiling, and never fewer pieces than the ring has token ranges (every
 *       vnode range is always at least one piece);
 *   <li>{@code consistencyLevel}: {@code LOCAL_ONE};
 *   <li>{@code pageSize}: 5000;
 *   <li>{@code requestTimeout}: 30 seconds;
 *   <li>{@code maxRetries}: 3, {@code retryBackoff}: 100 ms, {@code maxSplitDepth}: 3;
 *   <li>{@code localDatacenter}: the data center of the nodes the driver treats as local;
 *   <li>{@code tokenRangeSource}: {@link TokenRangeSource#automatic()}: a table's tablets on ScyllaDB when its
 *       keyspace uses tablets, else the driver's token map ({@link DriverTokenMapSource});
 *   <li>{@code rememberLimits}: true: each adaptive limit starts where the last operation of its kind left it
 *       ({@link #rememberLimits(boolean)}).
 * </ul>
 */
public final class OperatorBuilder {
  private static final Logger LOG = LoggerFactory.getLogger(OperatorBuilder.class);

  private final CqlSession session;
  private Integer splitCount;
  private Integer parallelism;
  private Integer maxParallelism;
  private ConsistencyLevel consistencyLevel = DefaultConsistencyLevel.LOCAL_ONE;
  private int pageSize = 5000;
  private Duration requestTimeout = Duration.ofSeconds(30);
  private int maxRetries = 3;
  private Duration retryBackoff = Duration.ofMillis(100);
  private int maxSplitDepth = 3;
  private String localDatacenter;
  private TokenRangeSource source = TokenRangeSource.automatic();
  private ProgressListener progress = ProgressListener.NONE;
  private boolean rememberLimits = true;

  OperatorBuilder(CqlSession session) {
    this.session = session;
  }

  /** Target number of token-range pieces: 1 to {@value OperatorOptions#MAX_SPLIT_COUNT}. */
  public OperatorBuilder splitCount(int splitCount) {
    OperatorOptions.positive("split count", splitCount);
    OperatorOptions.atMost("split count", splitCount, OperatorOptions.MAX_SPLIT_COUNT);
    this.splitCount = splitCount;
    return this;
  }

  /**
   * Range queries in flight at most, fixed: 1 to {@value OperatorOptions#MAX_PARALLELISM} (each is a server-side
   * scan of a token range: far more than a few hundred per node only queue up on the nodes). Setting it turns the
   * adaptive limit off ({@link ConcurrencyMode#FIXED}) for counts, for an export's page requests (whose writer
   * threads still bound them: two per writer) and for an import's verification reads: the number given always wins,
   * even while the cluster times out. Leave it unset for the adaptive default. An import's writes have their own
   * limit ({@link dev.ringsweep.imports.ImportOptions#withMaxInFlight(int)}).
   */
  public OperatorBuilder parallelism(int parallelism) {
    OperatorOptions.positive("parallelism", parallelism);
    OperatorOptions.atMost("parallelism", parallelism, OperatorOptions.MAX_PARALLELISM);
    this.parallelism = parallelism;
    return this;
  }

  /**
   * The ceiling of the adaptive limit of range queries in flight: 1 to {@value OperatorOptions#MAX_PARALLELISM}. The
   * limit still adapts ({@link ConcurrencyMode#ADAPTIVE}), starting at a quarter of this (at least 4), but never
   * goes above it: a cap on the load an operation may put on the cluster. Cannot be combined with
   * {@link #parallelism(int)}, which fixes the limit.
   */
  public OperatorBuilder maxParallelism(int maxParallelism) {
    OperatorOptions.positive("max parallelism", maxParallelism);
    OperatorOptions.atMost("max parallelism", maxParallelism, OperatorOptions.MAX_PARALLELISM);
    this.maxParallelism = maxParallelism;
    return this;
  }

  /**
   * Consistency level of the range queries: any that Cassandra takes for them (not {@code ANY}, {@code SERIAL} or
   * {@code LOCAL_SERIAL}, refused here naming the level).
   */
  public OperatorBuilder consistencyLevel(ConsistencyLevel consistencyLevel) {
    Objects.requireNonNull(consistencyLevel, "consistencyLevel must not be null");
    OperatorOptions.requireRangeReadable(consistencyLevel);
    this.consistencyLevel = consistencyLevel;
    return this;
  }

  /**
   * Rows per page of the range queries; must be > 0. For export it bounds the rows each writer holds (two pages);
   * for a count, whose queries return one row, it is how many rows a node reads and buffers per internal page.
   */
  public OperatorBuilder pageSize(int pageSize) {
    OperatorOptions.positive("page size", pageSize);
    this.pageSize = pageSize;
    return this;
  }

  /**
   * Client-side timeout of one range query (of one page of an export); more than 0, at most
   * {@link OperatorOptions#MAX_REQUEST_TIMEOUT} (1 hour). An export's adaptive limit also
   * backs off when a page succeeds after more than half of it: the pages queued behind it are about to time out. The
   * driver fires a timeout at the first tick of its timer after it is due ({@code advanced.netty.timer.tick-duration},
   * 100 ms by default): for a timeout shorter than about a second, give the session a shorter tick
   * ({@link DriverSettings#requestTimeout} does, as the command line and the Spark executors do); {@link #build} logs
   * a warning when the session's tick is longer than {@link DriverSettings#timerTick} asks.
   */
  public OperatorBuilder requestTimeout(Duration requestTimeout) {
    OperatorOptions.positive("request timeout", requestTimeout);
    OperatorOptions.atMost("request timeout", requestTimeout, OperatorOptions.MAX_REQUEST_TIMEOUT);
    this.requestTimeout = requestTimeout;
    return this;
  }

  /** Retries of a failing range before it is split or given up: 0 to {@value OperatorOptions#MAX_RETRIES}. */
  public OperatorBuilder maxRetries(int maxRetries) {
    OperatorOptions.nonNegative("max retries", maxRetries);
    OperatorOptions.atMost("max retries", maxRetries, OperatorOptions.MAX_RETRIES);
    this.maxRetries = maxRetries;
    return this;
  }

  /**
   * First backoff between retries of a range query (doubling each time, up to 32 times this, each wait drawn between
   * half and all of that); 0 to {@link OperatorOptions#MAX_RETRY_BACKOFF} (1 minute).
   */
  public OperatorBuilder retryBackoff(Duration retryBackoff) {
    OperatorOptions.nonNegative("retry backoff", retryBackoff);
    OperatorOptions.atMost("retry backoff", retryBackoff, OperatorOptions.MAX_RETRY_BACKOFF);
    this.retryBackoff = retryBackoff;
    return this;
  }

  /**
   * How many times a range that keeps timing out is split into 4, and how many times the pages of an export (or of
   * a count's page-by-page fallback for a partition too large to count at once) shrink by 4; 0 disables both.
   */
  public OperatorBuilder maxSplitDepth(int maxSplitDepth) {
    OperatorOptions.nonNegative("max split depth", maxSplitDepth);
    OperatorOptions.atMost("max split depth", maxSplitDepth, OperatorOptions.MAX_SPLIT_DEPTH);
    this.maxSplitDepth = maxSplitDepth;
    return this;
  }

  /**
   * The data center whose replicas should serve the range queries; replicas of it are listed first in the plan.
   * The session's load-balancing policy decides where queries really go, so set the same local data center on
   * the session.
   */
  public OperatorBuilder localDatacenter(String localDatacenter) {
    this.localDatacenter = localDatacenter;
    return this;
  }

  /**
   * Where token ranges come from; the default ({@link TokenRangeSource#automatic()}) reads a table's tablets on
   * ScyllaDB when its keyspace uses tablets, else the driver's token map.
   */
  public OperatorBuilder tokenRangeSource(TokenRangeSource source) {
    this.source = Objects.requireNonNull(source, "tokenRangeSource must not be null");
    return this;
  }

  /** Receives progress after each planned range; the default does nothing. */
  public OperatorBuilder progressListener(ProgressListener progress) {
    this.progress = Objects.requireNonNull(progress, "progressListener must not be null");
    return this;
  }

  /**
   * Whether adaptive limits carry what they learned from one operation to the next (default true). When true, an
   * operation's adaptive limit of each replica set starts where the last operation of its kind on this operator left
   * it within the last 60 s (a count's range queries, an export's page requests), as backed off if that one had
   * backed off, and an import's writes start where the last adaptive writer on the same session left them
   * ({@code BatchWriterBuilder.rememberLimits} does the same for writers built by hand); each start's
   * {@link LimitChange} says so ("from 9, where the last count left it 0.4 s ago"). When false, every operation of
   * this operator starts its limits afresh, at their share of the initial limit, and its imports' writers neither
   * start from nor leave anything in the session's memory: for runs that must not depend on what ran before (a
   * benchmark's cases, a test). A fixed {@link #parallelism(int)} learns nothing either way.
   */
  public OperatorBuilder rememberLimits(boolean rememberLimits) {
    this.rememberLimits = rememberLimits;
    return this;
  }

  /**
   * Builds the operator, deriving the defaults that were not set from the cluster's metadata.
   *
   * @throws IllegalStateException if both {@link #parallelism(int)} and {@link #maxParallelism(int)} were set
   * @throws IllegalArgumentException naming a bad setting: a {@link #localDatacenter local data center} the cluster
   *     does not have, or a value {@link OperatorOptions} refuses
   */
  public TokenAwareBulkOperator build() {
    Tables.checkSession(session);
    warnIfTimeoutFiresLate();
    return new TokenAwareBulkOperator(session, options(), source, progress, rememberLimits);
  }

  /** Logs a warning when the session's driver timer ticks too slowly for {@code requestTimeout} to fire when due. */
  private void warnIfTimeoutFiresLate() {
    DriverExecutionProfile profile = session.getContext().getConfig().getDefaultProfile();
    if (profile.isDefined(DefaultDriverOption.NETTY_TIMER_TICK_DURATION)) {
      String warning = DriverSettings.lateTimeoutWarning(
          profile.getDuration(DefaultDriverOption.NETTY_TIMER_TICK_DURATION), requestTimeout);
      if (warning != null) {
        LOG.warn(warning);
      }
    }
  }

  private OperatorOptions options() {
    if (localDatacenter != null) {
      Set<String> known = new java.util.TreeSet<>();
      session.getMetadata().getNodes().values().forEach(node -> known.add(String.valueOf(node.getDatacenter())));
      if (!known.isEmpty() && !known.contains(localDatacenter)) {
        throw new IllegalArgumentException(String.format("Invalid local data center: '%s' (the cluster's data "
            + "centers: %s)", localDatacenter, String.join(", ", known)));
      }
    }
    String dc = localDatacenter != null ? localDatacenter : driverLocalDatacenter(session);
    int nodes = Tables.nodeCount(session, dc);
    if (parallelism != null && maxParallelism != null) {
      throw new IllegalStateException(String.format("Invalid options: parallelism %s and max parallelism %s are both "
          + "set (parallelism fixes the limit of range queries in flight, max parallelism caps an adaptive one: set "
          + "one of them)", parallelism, maxParallelism));
    }
    int par = parallelism != null ? parallelism
        : maxParallelism != null ? maxParallelism : Math.max(16, Math.min(256, 16 * nodes));
    int ringRanges =
        session.getMetadata().getTokenMap().map(TokenMap::getTokenRanges).map(Set::size).orElse(1);
    int splits = splitCount != null ? splitCount : Math.max(ringRanges, 2 * par);
    ConcurrencyMode mode = parallelism != null ? ConcurrencyMode.FIXED : ConcurrencyMode.ADAPTIVE;
    return new OperatorOptions(
        splits, par, mode, consistencyLevel, pageSize, requestTimeout, maxRetries, retryBackoff, maxSplitDepth, dc);
  }

  /** The data center of the nodes the driver's load-balancing policy treats as local, if they share one. */
  private static String driverLocalDatacenter(CqlSession session) {
    Set<String> dcs =
        session.getMetadata().getNodes().values().stream()
            .filter(node -> node.getDistance() == NodeDistance.LOCAL)
            .map(Node::getDatacenter)
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    return dcs.size() == 1 ? dcs.iterator().next() : null;
  }
}
