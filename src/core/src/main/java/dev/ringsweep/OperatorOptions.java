package dev.ringsweep;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import java.time.Duration;
import java.util.Objects;

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
public record OperatorOptions(
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
  public OperatorOptions {
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

  /** The most range queries an operator keeps in flight: far beyond what a cluster serves at once. */
  public static final int MAX_PARALLELISM = 32_768;

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
