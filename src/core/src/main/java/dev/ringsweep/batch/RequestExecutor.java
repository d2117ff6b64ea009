package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.internal.Backoff;
import dev.ringsweep.internal.Errors;
import dev.ringsweep.LimitChange;
import dev.ringsweep.internal.InFlightLimit;
import dev.ringsweep.internal.ReplicaSetLimits;
import dev.ringsweep.internal.TokenBucket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends planned requests without ever blocking a thread: requests wait in a queue, a limit bounds how many are in
 * flight, and whoever frees a permit (a driver I/O thread completing a request) starts the next one. A rate limit
 * and retry backoff delay a send through {@link CompletableFuture#delayedExecutor}, holding the request's permit.
 *
 * <p>With an adaptive limit on a cluster of several nodes, each replica set ({@link PlannedBatch#replicaSet()}) has
 * an adaptive limit and a queue of its own, and {@code maxInFlight} is a fixed ceiling on their sum
 * ({@link ReplicaSetLimits}): writes to a node that slows down or times out lower only that replica set's limit, and
 * queued requests start round-robin over the replica sets whose limit has room. A fixed limit is one for all.
 *
 * <p>A request that fails for a reason a retry may fix is re-sent (if idempotent) up to {@code maxRetries} times
 * with exponential backoff and jitter, under its permit; a timeout or an overloaded or unavailable replica lowers an
 * adaptive limit when the attempt fails ({@link ReplicaSetLimits.Permit#attemptFailed}), not when the retry is done.
 * One the server refuses for what is in it is bisected, halves one after the other under
 * the same permit, until the failing statements stand alone; they, and the statements of any request that failed
 * otherwise, are handed to the failure callback and counted.
 */
final class RequestExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** The replica set of requests whose replicas are not known. */
  private static final PlannedBatch.ReplicaSet UNKNOWN = new PlannedBatch.ReplicaSet("no known replica", 1);

  /** A request waiting for a permit, then holding it. */
  private static final class Pending {
    private final WriteJob job;
    private final PlannedBatch batch;
    ReplicaSetLimits.Permit permit;

    Pending(WriteJob job, PlannedBatch batch) {
      this.job = job;
      this.batch = batch;
    }

    WriteJob job() {
      return job;
    }

    PlannedBatch batch() {
      return batch;
    }
  }

  private final Function<Statement<?>, CompletionStage<AsyncResultSet>> execute;
  private final Function<Statement<?>, Duration> profileTimeout;
  private final BatchWriterOptions options;
  private final BatchListener listener;
  private final FailureCallback onFailure;
  private final LongSupplier clock;
  private final ReplicaSetLimits permits;
  private final TokenBucket rateLimit;
  /** The queue of each replica set (one queue, of scope "all", when the limit is one for all). */
  private final Map<String, Queue<Pending>> queues = new ConcurrentHashMap<>();
  /** The replica sets in the order they were first seen; taken in turn. */
  private final List<String> order = new CopyOnWriteArrayList<>();
  private final AtomicInteger drainRequests = new AtomicInteger();
  private int cursor; // the draining thread's only
  /** Why the writes not yet sent were given up ({@link #cancel}), or null. */
  private volatile String cancelled;

  /** A writer with one limit for all its requests. */
  RequestExecutor(Function<Statement<?>, CompletionStage<AsyncResultSet>> execute, BatchWriterOptions options,
      BatchListener listener, FailureCallback onFailure, LongSupplier clock) {
    this(execute, options, listener, onFailure, clock, false, Duration.ZERO);
  }

  /**
   * A writer whose adaptive limit is per replica set when {@code perReplicaSet} is true (a cluster of several
   * nodes); a fixed limit is always one for all. {@code requestTimeout} is the requests' client-side timeout (zero
   * when unknown): an adaptive limit backs off when a write comes close to it (see {@link InFlightLimit}).
   */
  RequestExecutor(Function<Statement<?>, CompletionStage<AsyncResultSet>> execute, BatchWriterOptions options,
      BatchListener listener, FailureCallback onFailure, LongSupplier clock, boolean perReplicaSet,
      Duration requestTimeout) {
    this(execute, options, listener, onFailure, clock, perReplicaSet, requestTimeout, statement -> null);
  }

  /**
   * As above, where {@code profileTimeout} gives the timeout of a statement's own execution profile (null when it
   * names none). A request's own timeout, which its closeness to the timeout is judged against: a single statement's
   * {@code setTimeout} if it has one, else its first statement's profile's (a batch carries that statement's
   * profile, and the driver's batch statement has no timeout of its own), else {@code requestTimeout}.
   */
  RequestExecutor(Function<Statement<?>, CompletionStage<AsyncResultSet>> execute, BatchWriterOptions options,
      BatchListener listener, FailureCallback onFailure, LongSupplier clock, boolean perReplicaSet,
      Duration requestTimeout, Function<Statement<?>, Duration> profileTimeout) {
    this.profileTimeout = profileTimeout;
    this.execute = execute;
    this.options = options;
    this.listener = listener;
    this.onFailure = onFailure;
    this.clock = clock;
    InFlightLimit.Settings settings =
        new InFlightLimit.Settings(options.concurrency(), options.initialInFlight(), options.maxInFlight())
            .perRoundTrip().withRequestTimeout(requestTimeout);
    this.permits = perReplicaSet && options.concurrency() == ConcurrencyMode.ADAPTIVE
        ? ReplicaSetLimits.perReplicaSet(settings, List.of(), listener::onLimitChanged, clock)
        : ReplicaSetLimits.single(settings, listener::onLimitChanged, clock);
    this.rateLimit = options.isRateLimited() ? new TokenBucket(options.maxStatementsPerSecond(), clock) : null;
  }

  /** Queues the requests of one call; the returned job completes when all of them are done. */
  WriteJob submit(long statements, List<PlannedBatch> batches) {
    WriteJob job = new WriteJob(statements, batches.size(), clock);
    for (PlannedBatch batch : batches) {
      queueOf(batch).add(new Pending(job, batch));
    }
    drain();
    return job;
  }

  /** The queue of the batch's replica set, made (and its limit started) the first time the replica set is seen. */
  private Queue<Pending> queueOf(PlannedBatch batch) {
    String name;
    if (!permits.isPerReplicaSet()) {
      name = LimitChange.ALL;
    } else {
      PlannedBatch.ReplicaSet replicaSet = batch.replicaSet() != null ? batch.replicaSet() : UNKNOWN;
      name = replicaSet.name();
      permits.open(name, replicaSet.ofRing());
    }
    Queue<Pending> queue = queues.get(name);
    if (queue == null) {
      queue = queues.computeIfAbsent(name, n -> {
        order.add(n);
        return new ConcurrentLinkedQueue<>();
      });
    }
    return queue;
  }

  /**
   * Gives up every request not yet sent: those queued, those waiting to be retried and those of later calls fail at
   * once, their statements reported to the failure callback with a {@link CancellationException} that names
   * {@code reason} (and has the request's last error, if any, as its cause). Requests already sent finish as usual.
   */
  void cancel(String reason) {
    if (cancelled == null) {
      cancelled = reason;
    }
    drain();
  }

  /** Requests currently holding a permit (sent, or waiting on a rate-limit or backoff delay). */
  int inFlight() {
    return permits.inFlight();
  }

  /**
   * Starts queued requests while permits are free. One thread drains at a time; a call made meanwhile (a request
   * completing, a new submit) only asks the draining thread to look again, so a request that completes at once
   * cannot recurse into another drain.
   */
  private void drain() {
    if (drainRequests.getAndIncrement() != 0) {
      return;
    }
    int missed = 1;
    do {
      if (cancelled != null) {
        for (Queue<Pending> queue : queues.values()) {
          for (Pending next; (next = queue.poll()) != null; ) {
            reportFailed(next.job(), next.batch(), cancellation(null));
            next.job().requestDone();
          }
        }
      }
      for (Pending next; (next = next()) != null; ) {
        start(next, next.permit);
      }
      missed = drainRequests.addAndGet(-missed);
    } while (missed != 0);
  }

  /**
   * The next queued request whose replica set's limit and the ceiling both have room, with its permit taken;
   * replica sets are taken in turn. Null if none can start now. Called by the draining thread only.
   */
  private Pending next() {
    int n = order.size();
    for (int i = 0; i < n; i++) {
      String name = order.get((cursor + i) % n);
      Queue<Pending> queue = queues.get(name);
      if (queue == null || queue.isEmpty()) { // null: being added by a submit
        continue;
      }
      ReplicaSetLimits.Permit permit = permits.tryAcquire(name);
      if (permit == null) {
        continue; // its own limit is full (or the ceiling is: then the others find it full too)
      }
      cursor = (cursor + i + 1) % n;
      Pending next = queue.poll(); // never null: only the draining thread polls
      next.permit = permit;
      return next;
    }
    return null;
  }

  private void start(Pending next, ReplicaSetLimits.Permit permit) {
    Throwable[] firstError = new Throwable[1]; // the first error of any attempt: it, not the retry, says "overloaded"
    // The longest round trip of the successful sends (a bisected batch has several) and that send's own timeout (-1:
    // none of its own): the permit is also held while a send waits for the rate limit, which says nothing of the
    // cluster's load.
    long[] roundTrip = {-1, -1};
    CompletionStage<Void> done;
    try {
      done = process(next.job(), next.batch(), 0, firstError, roundTrip, permit);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((ignored, error) -> {
      if (error != null) {
        LOG.error("Unexpected error while writing a batch of {} statements", next.batch().size(), error);
        next.job().abort(error);
        permit.ignored();
      } else if (firstError[0] != null) {
        permit.failed(firstError[0]);
      } else {
        permit.succeeded(roundTrip[0], roundTrip[1]);
      }
      next.job().requestDone();
      drain();
    });
  }

  private CompletionStage<Void> process(WriteJob job, PlannedBatch batch, int retry, Throwable[] firstError,
      long[] roundTrip, ReplicaSetLimits.Permit permit) {
    if (cancelled != null) {
      reportFailed(job, batch, cancellation(firstError[0]));
      return DONE;
    }
    return send(batch).<CompletionStage<Void>>handle((latencyNanos, error) -> {
      BatchKind kind = batch.kind();
      if (error == null) {
        if (latencyNanos > roundTrip[0]) {
          Duration own = ownTimeout(batch);
          roundTrip[0] = latencyNanos;
          roundTrip[1] = own == null ? -1 : own.toNanos();
        }
        listener.onBatchWritten(kind, batch.size(), latencyNanos);
        job.written(batch.size());
        return DONE;
      }
      Throwable cause = Errors.unwrap(error);
      if (firstError[0] == null) {
        firstError[0] = cause;
      }
      if (cancelled != null) {
        reportFailed(job, batch, cancellation(cause));
        return DONE;
      }
      if (batch.idempotent() && retry < options.maxRetries() && Errors.isRetryable(cause)) {
        listener.onRetry(kind, batch.size(), retry + 1, cause);
        job.retried();
        LOG.debug("Retrying a request of {} statements after {}", batch.size(), cause.toString());
        // The limit learns of the trouble now, not after the backoff and the retry: see attemptFailed.
        permit.attemptFailed(cause);
        return delay(Backoff.jittered(options.backoff(retry + 1).toNanos()))
            .thenCompose(v -> process(job, batch, retry + 1, firstError, roundTrip, permit));
      }
      listener.onBatchFailed(kind, batch.size(), cause);
      if (batch.splittable() && batch.size() > 1 && Errors.isCausedByStatement(cause)) {
        LOG.debug("Splitting a batch of {} statements that failed: {}", batch.size(), cause.toString());
        List<PlannedBatch> halves = batch.halves();
        return process(job, halves.get(0), 0, firstError, roundTrip, permit)
            .thenCompose(v -> process(job, halves.get(1), 0, firstError, roundTrip, permit));
      }
      reportFailed(job, batch, cause);
      return DONE;
    }).thenCompose(Function.identity());
  }

  /** Sends the request, after the rate limit's delay if any; completes with its latency in nanoseconds. */
  private CompletionStage<Long> send(PlannedBatch batch) {
    long wait = rateLimit == null ? 0 : rateLimit.reserve(batch.size());
    if (wait <= 0) {
      return executeTimed(batch);
    }
    return delay(wait).thenCompose(v -> executeTimed(batch));
  }

  private CompletionStage<Long> executeTimed(PlannedBatch batch) {
    long start = clock.getAsLong();
    try {
      return execute.apply(batch.toStatement()).thenApply(resultSet -> clock.getAsLong() - start);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The request's own client-side timeout (see the constructor), or null if it has the writer's. */
  private Duration ownTimeout(PlannedBatch batch) {
    BatchableStatement<?> first = batch.statements().get(0);
    if (batch.size() == 1 && first.getTimeout() != null) {
      return first.getTimeout();
    }
    return profileTimeout.apply(first);
  }

  private void reportFailed(WriteJob job, PlannedBatch batch, Throwable cause) {
    for (BatchableStatement<?> statement : batch.statements()) {
      try {
        onFailure.onFailure(statement, cause);
      } catch (RuntimeException e) {
        LOG.warn("A FailureCallback threw; ignored", e);
      }
    }
    listener.onStatementsFailed(batch.size(), cause);
    job.failed(batch.size(), cause);
  }

  /** The error of the statements of a request given up by {@link #cancel}; {@code last} is its last error, if any. */
  private CancellationException cancellation(Throwable last) {
    CancellationException e = new CancellationException("Write cancelled before it was sent: " + cancelled);
    if (last != null) {
      e.initCause(last);
    }
    return e;
  }

  private static CompletableFuture<Void> delay(long nanos) {
    return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS));
  }
}
