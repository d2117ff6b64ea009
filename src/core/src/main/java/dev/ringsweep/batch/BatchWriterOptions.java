package dev.ringsweep.batch;

import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.internal.Backoff;
import java.time.Duration;

/**
 * The settings of a {@link BatchWriter}, validated on construction; built by {@link BatchWriterBuilder}, whose
 * Javadoc states every default.
 *
 * @param mode how statements become requests
 * @param grouping how UNLOGGED and COUNTER writers group statements into batches
 * @param maxStatementsPerBatch most statements in one batch, 1 to 65535 (the protocol's limit)
 * @param warnStatementsPerBatch a batch larger than this logs a warning (once per writer), at least 1
 * @param maxBatchBytes most estimated bytes in one batch, 1 KiB to 256 MiB; keep it under the server's
 *     {@code batch_size_fail_threshold}
 * @param maxInFlight most requests in flight at once, 1 to 32768: exactly this with {@link ConcurrencyMode#FIXED}
 *     (the default), the ceiling of an adaptive limit with {@link ConcurrencyMode#ADAPTIVE}
 * @param concurrency whether the limit of requests in flight is fixed or adapts to the cluster's latency and errors
 * @param maxStatementsPerSecond rate limit on statements sent, positive; {@link Double#POSITIVE_INFINITY} for none
 * @param maxRetries how many times an idempotent request is re-sent after a timeout or unavailability, 0 to 100
 * @param initialBackoff delay before the first retry, positive; doubled for each further retry
 * @param maxBackoff longest delay between retries, at least {@code initialBackoff}
 */
public record BatchWriterOptions(
    BatchMode mode,
    Grouping grouping,
    int maxStatementsPerBatch,
    int warnStatementsPerBatch,
    int maxBatchBytes,
    int maxInFlight,
    ConcurrencyMode concurrency,
    double maxStatementsPerSecond,
    int maxRetries,
    Duration initialBackoff,
    Duration maxBackoff) {

  /** Default {@link #mode()}: UNLOGGED. */
  public static final BatchMode DEFAULT_MODE = BatchMode.UNLOGGED;
  /** Default {@link #grouping()}: by partition key. */
  public static final Grouping DEFAULT_GROUPING = Grouping.PARTITION_KEY;
  /** Default {@link #maxStatementsPerBatch()}: 100. */
  public static final int DEFAULT_MAX_STATEMENTS_PER_BATCH = 100;
  /** Default {@link #warnStatementsPerBatch()}: 50. */
  public static final int DEFAULT_WARN_STATEMENTS_PER_BATCH = 50;
  /**
   * Default {@link #maxBatchBytes()}: 40 KiB, under the server's default {@code batch_size_fail_threshold} of 50 KiB
   * with room for the estimate's error.
   */
  public static final int DEFAULT_MAX_BATCH_BYTES = 40 * 1024;
  /** Default {@link #maxInFlight()}: 64 requests. */
  public static final int DEFAULT_MAX_IN_FLIGHT = 64;
  /** Default {@link #maxRetries()}: 3. */
  public static final int DEFAULT_MAX_RETRIES = 3;
  /** Default {@link #initialBackoff()}: 100 ms. */
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);
  /** The longest {@link #maxBackoff()} (and so {@link #initialBackoff()}): 1 hour. */
  public static final Duration MAX_BACKOFF = Duration.ofHours(1);
  /** Default {@link #maxBackoff()}: 5 s. */
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(5);

  static final int PROTOCOL_MAX_STATEMENTS = 65_535;
  static final int MIN_BATCH_BYTES = 1024;
  static final int MAX_BATCH_BYTES = 256 * 1024 * 1024;
  static final int MAX_IN_FLIGHT = 32_768;
  static final int MAX_RETRIES = 100;

  /** Validates every setting; the message of the exception names the setting and the rejected value. */
  public BatchWriterOptions {
    if (mode == null) {
      throw new IllegalArgumentException("Invalid mode: null (must be one of LOGGED, UNLOGGED, COUNTER, NONE)");
    }
    if (grouping == null) {
      throw new IllegalArgumentException("Invalid grouping: null (must be PARTITION_KEY or REPLICA_SET)");
    }
    if (maxStatementsPerBatch < 1 || maxStatementsPerBatch > PROTOCOL_MAX_STATEMENTS) {
      throw new IllegalArgumentException(String.format(
          "Invalid maxStatementsPerBatch: %s (must be between 1 and %s)",
          maxStatementsPerBatch, PROTOCOL_MAX_STATEMENTS));
    }
    if (warnStatementsPerBatch < 1) {
      throw new IllegalArgumentException(String.format(
          "Invalid warnStatementsPerBatch: %s (must be > 0)", warnStatementsPerBatch));
    }
    if (maxBatchBytes < MIN_BATCH_BYTES || maxBatchBytes > MAX_BATCH_BYTES) {
      throw new IllegalArgumentException(String.format(
          "Invalid maxBatchBytes: %s (must be between %s and %s)", maxBatchBytes, MIN_BATCH_BYTES, MAX_BATCH_BYTES));
    }
    if (maxInFlight < 1 || maxInFlight > MAX_IN_FLIGHT) {
      throw new IllegalArgumentException(String.format(
          "Invalid maxInFlight: %s (must be between 1 and %s)", maxInFlight, MAX_IN_FLIGHT));
    }
    if (concurrency == null) {
      throw new IllegalArgumentException("Invalid concurrency: null (must be FIXED or ADAPTIVE)");
    }
    if (!(maxStatementsPerSecond > 0)) {
      throw new IllegalArgumentException(String.format(
          "Invalid maxStatementsPerSecond: %s (must be > 0, or infinity for no limit)", maxStatementsPerSecond));
    }
    if (maxRetries < 0 || maxRetries > MAX_RETRIES) {
      throw new IllegalArgumentException(String.format(
          "Invalid maxRetries: %s (must be between 0 and %s)", maxRetries, MAX_RETRIES));
    }
    if (initialBackoff == null || initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException(String.format(
          "Invalid initialBackoff: %s (must be > 0)", initialBackoff));
    }
    if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0 || maxBackoff.compareTo(MAX_BACKOFF) > 0) {
      throw new IllegalArgumentException(String.format(
          "Invalid maxBackoff: %s (must be >= initialBackoff %s and at most %s)", maxBackoff, initialBackoff,
          MAX_BACKOFF));
    }
  }

  /**
   * Options with a fixed limit of {@code maxInFlight} requests ({@link ConcurrencyMode#FIXED}): the form these
   * options had before the limit could adapt, kept so that code building them by hand still compiles.
   */
  public BatchWriterOptions(BatchMode mode, Grouping grouping, int maxStatementsPerBatch, int warnStatementsPerBatch,
      int maxBatchBytes, int maxInFlight, double maxStatementsPerSecond, int maxRetries, Duration initialBackoff,
      Duration maxBackoff) {
    this(mode, grouping, maxStatementsPerBatch, warnStatementsPerBatch, maxBatchBytes, maxInFlight,
        ConcurrencyMode.FIXED, maxStatementsPerSecond, maxRetries, initialBackoff, maxBackoff);
  }

  /** The defaults listed on {@link BatchWriterBuilder}. */
  public static BatchWriterOptions defaults() {
    return new BatchWriterOptions(DEFAULT_MODE, DEFAULT_GROUPING, DEFAULT_MAX_STATEMENTS_PER_BATCH,
        DEFAULT_WARN_STATEMENTS_PER_BATCH, DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_IN_FLIGHT, ConcurrencyMode.FIXED,
        Double.POSITIVE_INFINITY, DEFAULT_MAX_RETRIES, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF);
  }

  /**
   * The limit of requests in flight a writer starts with: {@link #maxInFlight()} when fixed; when adaptive, a quarter
   * of it, at least 4 (never more than {@link #maxInFlight()}).
   */
  public int initialInFlight() {
    return concurrency == ConcurrencyMode.FIXED ? maxInFlight : Math.min(maxInFlight, Math.max(4, maxInFlight / 4));
  }

  /** Whether {@link #maxStatementsPerSecond()} limits anything. */
  public boolean isRateLimited() {
    return maxStatementsPerSecond != Double.POSITIVE_INFINITY;
  }

  /** The delay before retry number {@code retry} (from 1): {@code initialBackoff * 2^(retry-1)}, at most maxBackoff. */
  Duration backoff(int retry) {
    return Backoff.exponential(initialBackoff, maxBackoff, retry);
  }
}
