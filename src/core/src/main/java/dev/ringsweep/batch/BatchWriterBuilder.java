package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import dev.ringsweep.ConcurrencyMode;
import java.time.Duration;

/**
 * Builds a {@link BatchWriter}; the only mutable type of this package, not thread-safe. Every setting has a default:
 *
 * <ul>
 *   <li>{@link #batchType}: {@link BatchMode#UNLOGGED}
 *   <li>{@link #grouping}: {@link Grouping#PARTITION_KEY} (UNLOGGED and COUNTER writers)
 *   <li>{@link #maxStatementsPerBatch}: 100; {@link #warnStatementsPerBatch}: 50
 *   <li>{@link #maxBatchBytes}: 40 KiB (the server's {@code batch_size_fail_threshold} defaults to 50 KiB)
 *   <li>{@link #maxInFlight}: 64 requests; {@link #concurrency}: {@link ConcurrencyMode#FIXED} (exactly that many at
 *       most; {@link ConcurrencyMode#ADAPTIVE} makes it the ceiling of a limit that follows latency and errors)
 *   <li>{@link #maxStatementsPerSecond}: no limit
 *   <li>{@link #maxRetries}: 3, with {@link #backoff} from 100 ms, doubling, at most 5 s (each delay drawn at random
 *       between half and all of that, so that requests failing together do not retry in step)
 *   <li>{@link #listener}: {@link BatchListener#NONE}; {@link #onFailure}: {@link FailureCallback#IGNORE}
 *   <li>{@link #rememberLimits}: true (an adaptive writer starts where the last one on its session left off)
 * </ul>
 *
 * <p>{@link #build()} validates the settings; an out-of-range value is rejected with a message naming it.
 */
public final class BatchWriterBuilder {

  private final CqlSession session;
  private BatchMode mode = BatchWriterOptions.DEFAULT_MODE;
  private Grouping grouping = BatchWriterOptions.DEFAULT_GROUPING;
  private int maxStatementsPerBatch = BatchWriterOptions.DEFAULT_MAX_STATEMENTS_PER_BATCH;
  private int warnStatementsPerBatch = BatchWriterOptions.DEFAULT_WARN_STATEMENTS_PER_BATCH;
  private int maxBatchBytes = BatchWriterOptions.DEFAULT_MAX_BATCH_BYTES;
  private int maxInFlight = BatchWriterOptions.DEFAULT_MAX_IN_FLIGHT;
  private ConcurrencyMode concurrency = ConcurrencyMode.FIXED;
  private double maxStatementsPerSecond = Double.POSITIVE_INFINITY;
  private int maxRetries = BatchWriterOptions.DEFAULT_MAX_RETRIES;
  private Duration initialBackoff = BatchWriterOptions.DEFAULT_INITIAL_BACKOFF;
  private Duration maxBackoff = BatchWriterOptions.DEFAULT_MAX_BACKOFF;
  private BatchListener listener = BatchListener.NONE;
  private FailureCallback onFailure = FailureCallback.IGNORE;
  private boolean rememberLimits = true;

  BatchWriterBuilder(CqlSession session) {
    if (session == null) {
      throw new IllegalArgumentException("Invalid session: null");
    }
    this.session = session;
  }

  /** How statements become requests. */
  public BatchWriterBuilder batchType(BatchMode mode) {
    this.mode = mode;
    return this;
  }

  /** Batches of the driver's {@code type}; same as {@code batchType(BatchMode.of(type))}. */
  public BatchWriterBuilder batchType(DefaultBatchType type) {
    this.mode = BatchMode.of(type);
    return this;
  }

  /** How UNLOGGED and COUNTER writers group statements. */
  public BatchWriterBuilder grouping(Grouping grouping) {
    this.grouping = grouping;
    return this;
  }

  /** Most statements per batch, 1 to 65535. */
  public BatchWriterBuilder maxStatementsPerBatch(int maxStatementsPerBatch) {
    this.maxStatementsPerBatch = maxStatementsPerBatch;
    return this;
  }

  /** A batch of more statements than this logs a warning, once per writer. */
  public BatchWriterBuilder warnStatementsPerBatch(int warnStatementsPerBatch) {
    this.warnStatementsPerBatch = warnStatementsPerBatch;
    return this;
  }

  /** Most estimated bytes per batch, 1 KiB to 256 MiB; keep it under the server's batch_size_fail_threshold. */
  public BatchWriterBuilder maxBatchBytes(int maxBatchBytes) {
    this.maxBatchBytes = maxBatchBytes;
    return this;
  }

  /** Most requests in flight at once, 1 to 32768. */
  public BatchWriterBuilder maxInFlight(int maxInFlight) {
    this.maxInFlight = maxInFlight;
    return this;
  }

  /** A rate limit on statements sent per second (> 0); {@link Double#POSITIVE_INFINITY} removes it. */
  public BatchWriterBuilder maxStatementsPerSecond(double maxStatementsPerSecond) {
    this.maxStatementsPerSecond = maxStatementsPerSecond;
    return this;
  }

  /** How often an idempotent request is re-sent after a timeout or unavailability, 0 to 100. */
  public BatchWriterBuilder maxRetries(int maxRetries) {
    this.maxRetries = maxRetries;
    return this;
  }

  /** Delay before the first retry (doubled for each further one) and the longest delay. */
  public BatchWriterBuilder backoff(Duration initial, Duration max) {
    this.initialBackoff = initial;
    this.maxBackoff = max;
    return this;
  }

  /** Receives every request's outcome, for a metric system of your own. */
  public BatchWriterBuilder listener(BatchListener listener) {
    if (listener == null) {
      throw new IllegalArgumentException("Invalid listener: null (use BatchListener.NONE)");
    }
    this.listener = listener;
    return this;
  }

  /** Receives every statement that could not be written, with the cause. */
  public BatchWriterBuilder onFailure(FailureCallback onFailure) {
    if (onFailure == null) {
      throw new IllegalArgumentException("Invalid failure callback: null (use FailureCallback.IGNORE)");
    }
    this.onFailure = onFailure;
    return this;
  }

  /**
   * Whether the limit of requests in flight is fixed at {@link #maxInFlight} (the default) or adapts below it
   * ({@link ConcurrencyMode#ADAPTIVE}: it starts at a quarter of it, at least 4, grows while write latency holds and
   * halves on timeouts, overloaded or unavailable replicas; changes go to
   * {@link BatchListener#onLimitChanged}). On a cluster of several nodes an adaptive writer has a limit per replica
   * set (the nodes that store a request's partitions, per the session's {@code TokenMap}), each starting at its
   * share of that initial limit, and {@code maxInFlight} caps their sum: a slow node slows only the writes it
   * serves. A writer built here stays fixed by default, as it always was; an import
   * ({@link dev.ringsweep.imports.ImportOptions#concurrency()}) makes its writer adaptive unless its user fixed
   * {@code maxInFlight}.
   *
   * <p>An adaptive writer starts where the last adaptive writer on the same session left its limits when it was
   * {@link BatchWriter#close() closed}, if that was within 60 s (each replica set at its level then, as one that had
   * backed off if it had; with one limit for all its replica sets if the last writer's had met trouble together and
   * still shared one), rather than at the initial limit: the writers of a job that writes one batch of files after
   * another, or the import tasks of a Spark executor, go to the same nodes. Its start's
   * {@link dev.ringsweep.LimitChange} says so ({@code "adaptive, up to 64, from 21, where the last writer left it 0.8
   * s ago"}). A writer on another session, a fixed one, or one built with {@link #rememberLimits rememberLimits(false)}
   * starts as described above.
   *
   * <p>An adaptive writer also judges each write against its client-side timeout (a write that got no answer in
   * time drops the limit to 1, one that took over half of it halves the limit): the request's own timeout if it has
   * one, else its execution profile's, else the session's {@code basic.request.timeout}. Mind a driver habit here: a
   * {@code BoundStatement} inherits the timeout set on the statement it was prepared from, so a timeout set there
   * (say, a long one for the schema's sake) is the yardstick of every write bound from it; bind with
   * {@code setTimeout(null)} to fall back to the profile's.
   */
  public BatchWriterBuilder concurrency(ConcurrencyMode concurrency) {
    this.concurrency = concurrency;
    return this;
  }

  /**
   * Whether an adaptive writer starts where the last adaptive writer on the same session left its limits, and leaves
   * where its own ended for the next when it is closed (true, the default; see {@link #concurrency}). False: this
   * writer starts afresh, at its share of the initial limit per replica set, and leaves nothing behind, so that the
   * next writer on the session starts from what the writer before this one left, if anything: for writes that must
   * not depend on what ran before (a benchmark's cases, a test), or a writer to other tables whose load says nothing
   * of the session's usual writes. A fixed writer neither starts from nor leaves anything either way.
   */
  public BatchWriterBuilder rememberLimits(boolean rememberLimits) {
    this.rememberLimits = rememberLimits;
    return this;
  }

  /** Takes every setting of {@code options} (the listener and failure callback stay as they are). */
  public BatchWriterBuilder options(BatchWriterOptions options) {
    if (options == null) {
      throw new IllegalArgumentException("Invalid options: null");
    }
    mode = options.mode();
    grouping = options.grouping();
    maxStatementsPerBatch = options.maxStatementsPerBatch();
    warnStatementsPerBatch = options.warnStatementsPerBatch();
    maxBatchBytes = options.maxBatchBytes();
    maxInFlight = options.maxInFlight();
    concurrency = options.concurrency();
    maxStatementsPerSecond = options.maxStatementsPerSecond();
    maxRetries = options.maxRetries();
    initialBackoff = options.initialBackoff();
    maxBackoff = options.maxBackoff();
    return this;
  }

  /** The settings as they stand, validated. */
  public BatchWriterOptions toOptions() {
    return new BatchWriterOptions(mode, grouping, maxStatementsPerBatch, warnStatementsPerBatch, maxBatchBytes,
        maxInFlight, concurrency, maxStatementsPerSecond, maxRetries, initialBackoff, maxBackoff);
  }

  /** Validates the settings and builds the writer. */
  public BatchWriter build() {
    return new BatchWriter(session, toOptions(), listener, onFailure, rememberLimits);
  }
}
