package dev.ringsweep.batch;

import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.internal.Futures;
import dev.ringsweep.internal.LimitMemory;
import dev.ringsweep.internal.Tables;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfig;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.context.DriverContext;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes statements through the driver's batches (LOGGED, UNLOGGED or COUNTER) or as concurrent single statements,
 * and measures every request. Thread-safe; one writer per session and job is the intended use.
 *
 * <ul>
 *   <li>{@link #writeAsync} groups statements by the writer's {@link BatchMode}: UNLOGGED and COUNTER per partition
 *       key (or replica set, see {@link Grouping}), a group of one going as a plain statement; LOGGED in input
 *       order; NONE not at all. Groups are cut to {@code maxStatementsPerBatch} statements and
 *       {@code maxBatchBytes} estimated bytes; a statement larger than the byte cap is sent alone, as a plain
 *       statement (no batch size threshold applies to it). If the input contains a statement that cannot go in a
 *       batch (a read, a conditional write), the whole input runs as concurrent single statements and the metrics
 *       count a fallback; rows that reads return are not kept.
 *   <li>{@link #writeUnitAsync} writes a list as exactly one batch of the writer's type (for LOGGED: applied
 *       entirely or not at all, across partitions). A unit is never split: if it fails, all its statements fail.
 *   <li>Idempotent requests are retried with exponential backoff after timeouts and unavailability. A batch the
 *       server refuses for its content is bisected until the failing statements stand alone; they are handed to the
 *       {@link FailureCallback} with the cause and counted, the rest is written. Nothing is dropped silently: every
 *       {@link WriteResult} accounts for each statement as written or failed.
 *   <li>Statements keep their own {@code USING TTL} and {@code USING TIMESTAMP}; statements with different query
 *       timestamps, consistency levels or execution profiles never share a batch.
 * </ul>
 *
 * <p>Statements of one batch share one write timestamp: two statements of a batch that set the same cell tie, and
 * the server keeps the larger value, not the later statement. Mixing counter and non-counter statements is
 * rejected with an {@link IllegalArgumentException} before anything is sent.
 *
 * <p>The writer never blocks a driver I/O thread; the blocking methods ({@link #write}, {@link #writeUnit},
 * {@link #flush}, {@link #close}) must not be called from one. Each call copies its statements into memory and
 * plans them as a whole: feed a long stream in chunks (a few thousand statements a call), and bound how many calls
 * are outstanding, as the limit of requests in flight bounds requests, not queued calls.
 *
 * <p>The server warns about every batch over its {@code batch_size_warn_threshold} (5 KiB by default) and the
 * driver logs each such warning; set the driver option {@code advanced.request.log-warnings = false} to silence
 * them.
 */
public final class BatchWriter implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);

  private final BatchWriterOptions options;
  private final MetricsRecorder metrics = new MetricsRecorder();
  private final BatchListener listener;
  private final WritePlanner planner;
  private final RequestExecutor executor;
  /** The calls whose requests are not all over (not their results, which a caller may cancel). */
  private final Set<CompletableFuture<Void>> pending = ConcurrentHashMap.newKeySet();
  // Without a failure callback of the caller's, a log line is the only place a failed statement is reported beside
  // the WriteResult; with one, the caller is told of each statement and the line would repeat it (an import logged
  // one per chunk of rows): then it is DEBUG.
  private final boolean warnOnFailure;
  private volatile boolean closed;

  BatchWriter(CqlSession session, BatchWriterOptions options, BatchListener userListener,
      FailureCallback onFailure, boolean rememberLimits) {
    this.options = options;
    this.listener = new SafeListener(metrics, userListener);
    this.warnOnFailure = onFailure == FailureCallback.IGNORE;
    DriverContext context = session.getContext();
    boolean defaultIdempotence =
        context.getConfig().getDefaultProfile().getBoolean(DefaultDriverOption.REQUEST_DEFAULT_IDEMPOTENCE);
    StatementClassifier classifier = new StatementClassifier(
        (keyspace, table) -> session.getMetadata().getKeyspace(keyspace).flatMap(k -> k.getTable(table))
            .map(Tables::isCounterTable),
        session.getKeyspace().orElse(null));
    SizeEstimator sizes = new SizeEstimator(context.getCodecRegistry(), context.getProtocolVersion());
    // One node is one replica set whatever the keyspace: one limit, as a count has. Without a token map, no
    // request's replicas are known.
    boolean perReplicaSet = session.getMetadata().getTokenMap().isPresent()
        && session.getMetadata().getNodes().size() > 1;
    this.planner = new WritePlanner(options, classifier, sizes, () -> session.getMetadata().getTokenMap(),
        defaultIdempotence, perReplicaSet && options.concurrency() == ConcurrencyMode.ADAPTIVE);
    // The writes' client-side timeout: the session's default profile's, unless a request has one of its own (a
    // statement's, or its execution profile's).
    DriverConfig config = context.getConfig();
    this.executor = new RequestExecutor(session::executeAsync, options, listener, onFailure, System::nanoTime,
        perReplicaSet, config.getDefaultProfile().getDuration(DefaultDriverOption.REQUEST_TIMEOUT),
        statement -> profileTimeout(config, statement),
        options.concurrency() == ConcurrencyMode.ADAPTIVE && rememberLimits ? LimitMemory.ofWriters(session) : null);
  }

  /** The request timeout of the execution profile {@code statement} names, or null if it names none. */
  static Duration profileTimeout(DriverConfig config, Statement<?> statement) {
    DriverExecutionProfile profile = statement.getExecutionProfile();
    if (profile == null && statement.getExecutionProfileName() != null) {
      profile = config.getProfile(statement.getExecutionProfileName());
    }
    return profile == null ? null : profile.getDuration(DefaultDriverOption.REQUEST_TIMEOUT);
  }

  /** Starts building a writer on {@code session}, which the writer uses but never closes. */
  public static BatchWriterBuilder builder(CqlSession session) {
    return new BatchWriterBuilder(session);
  }

  /** The writer's settings. */
  public BatchWriterOptions options() {
    return options;
  }

  /**
   * Writes {@code statements}, grouped and cut into requests as the class comment says. The stage completes when
   * every statement is written or reported failed; it does not fail for write failures, which the result counts.
   *
   * @throws IllegalArgumentException if a statement is null, or counter and non-counter statements are mixed
   * @throws IllegalStateException if the writer is closed
   */
  public CompletionStage<WriteResult> writeAsync(Iterable<? extends BatchableStatement<?>> statements) {
    List<BatchableStatement<?>> list = copy(statements);
    WritePlanner.Plan plan = planner.planWrite(list);
    if (plan.fellBack()) {
      LOG.debug("{} statements include reads or conditional writes: running them concurrently", list.size());
      listener.onFallbackToConcurrent(list.size());
    }
    return submit(list.size(), plan.batches());
  }

  /** Blocking form of {@link #writeAsync}. */
  public WriteResult write(Iterable<? extends BatchableStatement<?>> statements) {
    return Futures.await(writeAsync(statements));
  }

  /**
   * Writes {@code unit} as exactly one batch of the writer's type (a unit of one statement goes as that statement):
   * with a LOGGED writer the server applies all of it or none of it. A unit that fails is reported whole.
   *
   * @throws IllegalArgumentException if the unit has more than {@code maxStatementsPerBatch} statements or more
   *     than {@code maxBatchBytes} estimated bytes, contains a statement that cannot go in a batch, or mixes counter
   *     and non-counter statements
   * @throws IllegalStateException if the writer's mode is {@link BatchMode#NONE}, or the writer is closed
   */
  public CompletionStage<WriteResult> writeUnitAsync(List<? extends BatchableStatement<?>> unit) {
    List<BatchableStatement<?>> list = copy(unit);
    return submit(list.size(), planner.planUnit(list).batches());
  }

  /** Blocking form of {@link #writeUnitAsync}. */
  public WriteResult writeUnit(List<? extends BatchableStatement<?>> unit) {
    return Futures.await(writeUnitAsync(unit));
  }

  /** Completes when every write submitted before this call is done. */
  public CompletionStage<Void> flushAsync() {
    return CompletableFuture.allOf(pending.toArray(new CompletableFuture<?>[0])).handle((v, e) -> null);
  }

  /** Blocking form of {@link #flushAsync}. */
  public void flush() {
    Futures.await(flushAsync());
  }

  /**
   * Gives up every write not yet sent, for a caller that has stopped and should not wait for requests to spend their
   * retries (an import over its error budget while a node is down): requests still queued, requests waiting to be
   * retried, and those of any later call fail at once, each of their statements reported to the
   * {@link FailureCallback} with a {@link java.util.concurrent.CancellationException} naming {@code reason} (its
   * cause is the request's last error, if it had one) and counted as failed in its {@link WriteResult}. Requests
   * already sent finish as usual; {@link #flush} and {@link #close} then wait for those only. Cannot be undone.
   *
   * @throws IllegalArgumentException if {@code reason} is null or blank
   */
  public void cancel(String reason) {
    if (reason == null || reason.isBlank()) {
      throw new IllegalArgumentException("Invalid reason: " + (reason == null ? "null" : "'" + reason + "'")
          + " (say why the writes are given up)");
    }
    LOG.debug("Cancelling the writes not yet sent: {}", reason);
    executor.cancel(reason);
  }

  /** A snapshot of the metrics since the writer was built or {@link #resetMetrics()} was last called. */
  public BatchMetrics metrics() {
    return metrics.snapshot();
  }

  /** Sets every metric back to zero. */
  public void resetMetrics() {
    metrics.reset();
  }

  /**
   * Refuses further writes and waits for those in progress; an adaptive writer then leaves where its limits stand for
   * the next writer on the session to start from (see {@link BatchWriterBuilder#concurrency}). Does not close the
   * session.
   */
  @Override
  public void close() {
    closed = true;
    flush();
    executor.remember();
  }

  private CompletionStage<WriteResult> submit(long statements, List<PlannedBatch> batches) {
    WriteJob job = executor.submit(statements, batches);
    CompletableFuture<WriteResult> result = job.result();
    CompletableFuture<Void> settled = job.settled();
    pending.add(settled);
    settled.whenComplete((v, e) -> pending.remove(settled));
    result.whenComplete((r, e) -> {
      if (r != null && r.failed() > 0 && warnOnFailure) {
        LOG.warn("{} of {} statements were not written (set a FailureCallback to know which)", r.failed(),
            r.statements());
      } else if (r != null && r.failed() > 0) {
        LOG.debug("{} of {} statements were not written (reported to the FailureCallback)", r.failed(),
            r.statements());
      }
    });
    return result;
  }

  private List<BatchableStatement<?>> copy(Iterable<? extends BatchableStatement<?>> statements) {
    if (closed) {
      throw new IllegalStateException("BatchWriter is closed");
    }
    if (statements == null) {
      throw new IllegalArgumentException("Invalid statements: null");
    }
    List<BatchableStatement<?>> list = new ArrayList<>();
    for (BatchableStatement<?> statement : statements) {
      if (statement == null) {
        throw new IllegalArgumentException(String.format("Invalid statement %s: null", list.size()));
      }
      list.add(statement);
    }
    return list;
  }

}
