package dev.ringsweep;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.time.Duration;
import java.util.Objects;

/**
 * The settings of an operator, all validated.
 *
 * @param splitCount target number of token-range pieces (each vnode range gets at least one)
 * @param parallelism range queries in flight at most: exactly this many with {@link ConcurrencyMode#FIXED}, the
 *     ceiling of the adaptive limit with {@link ConcurrencyMode#ADAPTIVE}
 * @param concurrency whether the limit of range queries in flight adapts to the cluster or is fixed
 * @param consistencyLevel consistency level of the range queries
 * @param pageSize page size of the range queries
 * @param requestTimeout client-side timeout of one range query (of one page of an export); an export's adaptive limit
 *     backs off when a page takes more than half of it
 * @param maxRetries retries of a failing range before it is split (timeouts) or given up
 * @param retryBackoff first backoff between retries; it doubles on each retry, up to 32 times this; 0 to
 *     {@link #MAX_RETRY_BACKOFF}
 * @param maxSplitDepth how many times a range that keeps timing out is split into 4 smaller ranges, 0 to
 *     {@link #MAX_SPLIT_DEPTH}
 * @param localDatacenter the data center whose replicas serve the queries, or null if none is known
 */
public record OperatorOptions(
    int splitCount,
    int parallelism,
    ConcurrencyMode concurrency,
    ConsistencyLevel consistencyLevel,
    int pageSize,
    Duration requestTimeout,
    int maxRetries,
    Duration retryBackoff,
    int maxSplitDepth,
    String localDatacenter) {

  /** Validates every option, naming the bad value and what would be valid. */
  public OperatorOptions {
    positive("split count", splitCount);
    atMost("split count", splitCount, MAX_SPLIT_COUNT);
    positive("parallelism", parallelism);
    atMost("parallelism", parallelism, MAX_PARALLELISM);
    Objects.requireNonNull(concurrency, "concurrency must not be null");
    positive("page size", pageSize);
    Objects.requireNonNull(consistencyLevel, "consistencyLevel must not be null");
    requireRangeReadable(consistencyLevel);
    positive("request timeout", requestTimeout);
    atMost("request timeout", requestTimeout, MAX_REQUEST_TIMEOUT);
    nonNegative("max retries", maxRetries);
    atMost("max retries", maxRetries, MAX_RETRIES);
    nonNegative("retry backoff", retryBackoff);
    atMost("retry backoff", retryBackoff, MAX_RETRY_BACKOFF);
    nonNegative("max split depth", maxSplitDepth);
    atMost("max split depth", maxSplitDepth, MAX_SPLIT_DEPTH);
  }

  /**
   * Options whose limit of range queries in flight is fixed at {@code parallelism} ({@link ConcurrencyMode#FIXED}):
   * the form these options had before the limit could adapt, kept so that code building them by hand still compiles
   * and still means what it meant.
   */
  public OperatorOptions(int splitCount, int parallelism, ConsistencyLevel consistencyLevel, int pageSize,
      Duration requestTimeout, int maxRetries, Duration retryBackoff, int maxSplitDepth, String localDatacenter) {
    this(splitCount, parallelism, ConcurrencyMode.FIXED, consistencyLevel, pageSize, requestTimeout, maxRetries,
        retryBackoff, maxSplitDepth, localDatacenter);
  }

  /**
   * The limit of range queries in flight an operation starts with: {@link #parallelism()} when it is fixed; when
   * it adapts, a quarter of it, at least 4 (and never more than {@link #parallelism()}), so that an operation
   * ramps up instead of hitting a cluster with its ceiling at once.
   */
  public int initialParallelism() {
    return concurrency == ConcurrencyMode.FIXED ? parallelism : Math.min(parallelism, Math.max(4, parallelism / 4));
  }

  /** These options with range queries at {@code level}; every other option is kept. */
  public OperatorOptions withConsistencyLevel(ConsistencyLevel level) {
    return new OperatorOptions(splitCount, parallelism, concurrency, level, pageSize, requestTimeout, maxRetries,
        retryBackoff, maxSplitDepth, localDatacenter);
  }

  static void positive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be > 0)");
    }
  }

  static void nonNegative(String name, Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be >= 0)");
    }
  }

  /**
   * Refuses a consistency level that Cassandra refuses for range reads: {@code ANY} (writes only), {@code SERIAL} and
   * {@code LOCAL_SERIAL} (one partition at a time), so that the caller hears it at once rather than from every range.
   * The operator's options, the command line and {@code SparkOptions} check with it.
   *
   * @throws IllegalArgumentException naming the level and the levels range reads take
   */
  public static void requireRangeReadable(ConsistencyLevel level) {
    if (level.isSerial() || level.getProtocolCode() == DefaultConsistencyLevel.ANY.getProtocolCode()) {
      throw new IllegalArgumentException(String.format("Invalid consistency level: %s (range reads take ONE, TWO, "
          + "THREE, QUORUM, ALL, LOCAL_ONE, LOCAL_QUORUM or EACH_QUORUM)", level.name()));
    }
  }

  /** The most pieces an operator splits the ring into: 1,048,576, far beyond what any plan needs. */
  public static final int MAX_SPLIT_COUNT = 1 << 20;

  /**
   * The most times a range is split into 4: 32. By then a range of the whole ring would be in pieces of one token
   * each (4<sup>32</sup> = 2<sup>64</sup>), and a page would have shrunk to one row long before.
   */
  public static final int MAX_SPLIT_DEPTH = 32;

  /** The longest request timeout: 1 hour (a longer one would only hide a node that stopped answering). */
  public static final Duration MAX_REQUEST_TIMEOUT = Duration.ofHours(1);

  /** The most retries of a failing range query: 100, as for a {@code BatchWriter}'s writes. */
  public static final int MAX_RETRIES = 100;

  /** The most range queries an operator keeps in flight: far beyond what a cluster serves at once. */
  public static final int MAX_PARALLELISM = 32_768;

  /**
   * The longest first backoff between retries of a range query: 1 minute. Retries of one range wait twice as long
   * each time, up to 32 times the first, so that a range retried 3 times already waits up to 7 minutes.
   */
  public static final Duration MAX_RETRY_BACKOFF = Duration.ofMinutes(1);

  static void atMost(String name, Duration value, Duration max) {
    if (value.compareTo(max) > 0) {
      throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be at most " + max + ")");
    }
  }

  static void atMost(String name, int value, int max) {
    if (value > max) {
      throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be at most " + max + ")");
    }
  }

  static void positive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be > 0)");
    }
  }

  static void nonNegative(String name, int value) {
    if (value < 0) {
      throw new IllegalArgumentException("Invalid " + name + ": " + value + " (must be >= 0)");
    }
  }
}
