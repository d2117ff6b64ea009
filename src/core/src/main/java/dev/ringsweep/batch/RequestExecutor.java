package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.internal.Backoff;
import dev.ringsweep.internal.Errors;
import dev.ringsweep.LimitChange;
import dev.ringsweep.internal.InFlightLimit;
import dev.ringsweep.internal.LimitMemory;
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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends planned requests without ever blocking a thread: requests wait in a queue, a limit bounds how many are in
 * flight, and whoever frees a permit (a driver I/O thread completing a request) starts the next one. A rate limit
 * and retry backoff delay a send through {@link CompletableFuture#delayedExecutor}; a request holds its permit
 * while it waits for the rate limit, and under a fixed limit also while it waits for its retry's backoff.
 *
 * <p>With an adaptive limit on a cluster of several nodes, each replica set ({@link PlannedBatch#replicaSet()}) has
 * an adaptive limit and a queue of its own, and {@code maxInFlight} is a fixed ceiling on their sum
 * ({@link ReplicaSetLimits}): writes to a node that slows down or times out lower only that replica set's limit, and
 * queued requests start round-robin over the replica sets whose limit has room. While the replica sets' troubles show
 * that their nodes share one bottleneck (several meet trouble together, again), they share one adaptive limit instead
 * and queued requests start in the order they were queued ({@link ReplicaSetLimits#pooled()}). A fixed limit is one
 * for all.
 *
 * <p>A request that fails for a reason a retry may fix is re-sent (if idempotent) up to {@code maxRetries} times
 * with exponential backoff and jitter; a timeout or an overloaded or unavailable replica lowers an adaptive limit
 * when the attempt fails ({@link ReplicaSetLimits.Permit#attemptFailed}), not when the retry is done. Under a fixed
 * limit the request waits for its retry under its permit. Under an adaptive limit it gives the permit back and, once
 * its backoff is over, takes a new one before any new request of its replica set may; new requests start only while
 * the requests in flight and those waiting to retry together are fewer than the limit. The limit then bounds what is
 * on the wire while the cluster is in trouble, rather than the requests that timed out at the level before it fell
 * (they would all be retried together after their backoff, and time out together again), and the retries sent one
 * limit at a time find out, without waiting for the longest backoff, when the cluster takes writes again.
 * One the server refuses for what is in it is bisected, halves one after the other under
 * the same permit, until the failing statements stand alone; they, and the statements of any request that failed
 * otherwise, are handed to the failure callback and counted.
 */
final class RequestExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
  /**
   * The kind of operation a writer's limits are remembered as ({@link LimitMemory}): "from 20, where the last writer
   * left it".
   */
  static final String MEMORY_KIND = "writer";
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  /** A request waiting for a permit for its retry; {@code resumed} completes when it has one (or is given up). */
  private record Retry(Pending pending, CompletableFuture<Void> resumed) {}

  /** The replica set of requests whose replicas are not known. */
  private static final PlannedBatch.ReplicaSet UNKNOWN = new PlannedBatch.ReplicaSet("no known replica", 1);

  /** A request waiting for a permit, then holding it (and, under an adaptive limit, again for each retry). */
  private static final class Pending {
    private final WriteJob job;
    private final PlannedBatch batch;
    /** The scope of the limit it goes under: its replica set's name, or {@link LimitChange#ALL}. */
    private final String scope;
    /** Its place in the order the requests were queued in. */
    private final long seq;
    /** The permit of its current attempt; null while it waits for a retry without one. */
    volatile ReplicaSetLimits.Permit permit;
    /** The first error of an attempt under {@link #permit}: the permit's outcome is a failure when there is one. */
    volatile Throwable permitError;

    Pending(WriteJob job, PlannedBatch batch, String scope, long seq) {
      this.job = job;
      this.batch = batch;
      this.scope = scope;
      this.seq = seq;
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
  /**
   * Whether a request waits for its retry without a permit (adaptive limits) rather than holding it (fixed limits):
   * see the class comment.
   */
  private final boolean retriesGiveBackPermits;
  /** Retries whose backoff is over, waiting for a permit, by scope: they start before the scope's new requests. */
  private final Map<String, Queue<Retry>> retries = new ConcurrentHashMap<>();
  /** Requests of each scope between a failed attempt and their retry's send (in backoff or waiting for a permit). */
  private final Map<String, AtomicInteger> retrying = new ConcurrentHashMap<>();
  private final AtomicInteger drainRequests = new AtomicInteger();
  /** The next request's place in the order of queueing. */
  private final AtomicLong queued = new AtomicLong();
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
    this(execute, options, listener, onFailure, clock, perReplicaSet, requestTimeout, statement -> null, null);
  }

  /**
   * As above, where {@code profileTimeout} gives the timeout of a statement's own execution profile (null when it
   * names none). A request's own timeout, which its closeness to the timeout is judged against: a single statement's
   * {@code setTimeout} if it has one, else its first statement's profile's (a batch carries that statement's
   * profile, and the driver's batch statement has no timeout of its own), else {@code requestTimeout}.
   */
  RequestExecutor(Function<Statement<?>, CompletionStage<AsyncResultSet>> execute, BatchWriterOptions options,
      BatchListener listener, FailureCallback onFailure, LongSupplier clock, boolean perReplicaSet,
      Duration requestTimeout, Function<Statement<?>, Duration> profileTimeout, LimitMemory memory) {
    this.profileTimeout = profileTimeout;
    this.execute = execute;
    this.options = options;
    this.listener = listener;
    this.onFailure = onFailure;
    this.clock = clock;
    InFlightLimit.Settings settings =
        new InFlightLimit.Settings(options.concurrency(), options.initialInFlight(), options.maxInFlight())
            .perRoundTrip().withRequestTimeout(requestTimeout);
    this.permits = ReplicaSetLimits.forWriter(settings, perReplicaSet, memory, MEMORY_KIND,
        listener::onLimitChanged, clock);
    this.rateLimit = options.isRateLimited() ? new TokenBucket(options.maxStatementsPerSecond(), clock) : null;
    this.retriesGiveBackPermits = options.concurrency() == ConcurrencyMode.ADAPTIVE;
  }

  /**
   * Leaves where this writer's adaptive limits stand in the {@link LimitMemory} it was given (if any), for the next
   * writer on its session to start from: called when the writer closes.
   */
  void remember() {
    permits.remember();
  }

  /** Queues the requests of one call; the returned job completes when all of them are done. */
  WriteJob submit(long statements, List<PlannedBatch> batches) {
    WriteJob job = new WriteJob(statements, batches.size(), clock);
    for (PlannedBatch batch : batches) {
      String scope = scopeOf(batch);
      queueOf(scope).add(new Pending(job, batch, scope, queued.getAndIncrement()));
    }
    drain();
    return job;
  }

  /** The scope of the batch's limit: its replica set's (whose limit is started the first time it is seen), or all. */
  private String scopeOf(PlannedBatch batch) {
    if (!permits.isPerReplicaSet()) {
      return LimitChange.ALL;
    }
    PlannedBatch.ReplicaSet replicaSet = batch.replicaSet() != null ? batch.replicaSet() : UNKNOWN;
    permits.open(replicaSet.name(), replicaSet.ofRing());
    return replicaSet.name();
  }

  /** The queue of new requests of scope {@code name}, made the first time the scope is seen. */
  private Queue<Pending> queueOf(String name) {
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

  /**
   * Requests currently holding a permit: sent, or waiting on a rate-limit delay, or (under a fixed limit) on a retry's
   * backoff.
   */
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
        for (Queue<Retry> queue : retries.values()) {
          for (Retry retry; (retry = queue.poll()) != null; ) {
            retryingOf(retry.pending().scope).decrementAndGet();
            retry.resumed().complete(null); // without a permit: process() finds the writer cancelled
          }
        }
      }
      for (Runnable next; (next = next()) != null; ) {
        next.run();
      }
      missed = drainRequests.addAndGet(-missed);
    } while (missed != 0);
  }

  /**
   * The start of the next request whose replica set's limit and the ceiling both have room, with its permit taken:
   * a retry waiting for a permit before any new request of its replica set, and a new request only while the
   * replica set's requests in flight and those waiting to retry are fewer than its limit. Replica sets are taken in
   * turn. Null if none can start now. Called by the draining thread only.
   */
  private Runnable next() {
    if (permits.pooled()) {
      return nextPooled();
    }
    int n = order.size();
    for (int i = 0; i < n; i++) {
      String name = order.get((cursor + i) % n);
      Queue<Retry> waiting = retries.get(name);
      if (waiting != null && !waiting.isEmpty()) {
        ReplicaSetLimits.Permit permit = permits.tryAcquire(name);
        if (permit == null) {
          continue;
        }
        cursor = (cursor + i + 1) % n;
        Retry retry = waiting.poll(); // never null: only the draining thread polls
        retry.pending().permit = permit;
        retryingOf(name).decrementAndGet();
        return () -> retry.resumed().complete(null);
      }
      Queue<Pending> queue = queues.get(name);
      if (queue == null || queue.isEmpty() || !roomForNew(name)) { // null: being added by a submit
        continue;
      }
      ReplicaSetLimits.Permit permit = permits.tryAcquire(name);
      if (permit == null) {
        continue; // its own limit is full (or the ceiling is: then the others find it full too)
      }
      cursor = (cursor + i + 1) % n;
      Pending next = queue.poll(); // never null: only the draining thread polls
      next.permit = permit;
      return () -> start(next);
    }
    return null;
  }

  /**
   * As {@link #next}, while the replica sets share one limit ({@link ReplicaSetLimits#pooled()}): a retry waiting for
   * a permit first, then the request queued first of all replica sets, and a new request only while the requests in
   * flight and those waiting to retry, of all replica sets, are fewer than the shared limit. In the order of queueing,
   * not round-robin: on nodes that share one bottleneck, spreading the requests over them gains nothing, and keeping
   * every node busy at once makes each wait on the others' work.
   */
  private Runnable nextPooled() {
    for (String name : order) {
      Queue<Retry> waiting = retries.get(name);
      if (waiting != null && !waiting.isEmpty()) {
        ReplicaSetLimits.Permit permit = permits.tryAcquire(name);
        if (permit == null) {
          return null; // the shared limit is full: no other request can start either
        }
        Retry retry = waiting.poll(); // never null: only the draining thread polls
        retry.pending().permit = permit;
        retryingOf(name).decrementAndGet();
        return () -> retry.resumed().complete(null);
      }
    }
    int waiting = 0;
    for (AtomicInteger count : retrying.values()) {
      waiting += count.get();
    }
    if (waiting > 0 && permits.inFlight() + waiting >= permits.poolLimit()) {
      return null;
    }
    Queue<Pending> first = null;
    long firstSeq = Long.MAX_VALUE;
    for (String name : order) {
      Queue<Pending> queue = queues.get(name);
      Pending head = queue == null ? null : queue.peek();
      if (head != null && head.seq < firstSeq) {
        first = queue;
        firstSeq = head.seq;
      }
    }
    if (first == null) {
      return null;
    }
    ReplicaSetLimits.Permit permit = permits.tryAcquire(first.peek().scope);
    if (permit == null) {
      return null;
    }
    Pending next = first.poll(); // never null: only the draining thread polls
    next.permit = permit;
    return () -> start(next);
  }

  /**
   * Whether a new request of scope {@code name} may start: its requests waiting to retry count against its limit,
   * as if they were in flight, so that after a backoff the retries of the requests that timed out, not new requests,
   * take the room the limit has.
   */
  private boolean roomForNew(String name) {
    int waiting = retryingOf(name).get();
    return waiting == 0 || permits.inFlight(name) + waiting < permits.limit(name);
  }

  private AtomicInteger retryingOf(String name) {
    return retrying.computeIfAbsent(name, n -> new AtomicInteger());
  }

  private void start(Pending next) {
    Throwable[] firstError = new Throwable[1]; // the first error of any attempt: it, not the retry, says "overloaded"
    // The longest round trip of the successful sends (a bisected batch has several) and that send's own timeout (-1:
    // none of its own): the permit is also held while a send waits for the rate limit, which says nothing of the
    // cluster's load.
    long[] roundTrip = {-1, -1};
    CompletionStage<Void> done;
    try {
      done = process(next.job(), next.batch(), 0, firstError, roundTrip, next);
    } catch (RuntimeException e) {
      done = CompletableFuture.failedFuture(e);
    }
    done.whenComplete((ignored, error) -> {
      // The permit of the last attempt; none when the request was given up while it waited for a retry.
      ReplicaSetLimits.Permit permit = next.permit;
      if (error != null) {
        LOG.error("Unexpected error while writing a batch of {} statements", next.batch().size(), error);
        next.job().abort(error);
        if (permit != null) {
          permit.ignored();
        }
      } else if (permit != null) { // null: given up by cancel() while it waited for a retry (trouble shown then)
        if (next.permitError != null) {
          permit.failed(next.permitError);
        } else {
          permit.succeeded(roundTrip[0], roundTrip[1]);
        }
      }
      next.job().requestDone();
      drain();
    });
  }

  private CompletionStage<Void> process(WriteJob job, PlannedBatch batch, int retry, Throwable[] firstError,
      long[] roundTrip, Pending request) {
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
      if (request.permitError == null) {
        request.permitError = cause;
      }
      if (cancelled != null) {
        reportFailed(job, batch, cancellation(cause));
        return DONE;
      }
      if (batch.idempotent() && retry < options.maxRetries() && Errors.isRetryable(cause)) {
        listener.onRetry(kind, batch.size(), retry + 1, cause);
        job.retried();
        LOG.debug("Retrying a request of {} statements after {}", batch.size(), cause.toString());
        long backoff = Backoff.jittered(options.backoff(retry + 1).toNanos());
        CompletionStage<Void> resumed;
        if (retriesGiveBackPermits) {
          resumed = awaitRetry(request, cause, backoff);
        } else {
          // The limit learns of the trouble now, not after the backoff and the retry: see attemptFailed.
          request.permit.attemptFailed(cause);
          resumed = delay(backoff);
        }
        return resumed.thenCompose(v -> process(job, batch, retry + 1, firstError, roundTrip, request));
      }
      listener.onBatchFailed(kind, batch.size(), cause);
      if (batch.splittable() && batch.size() > 1 && Errors.isCausedByStatement(cause)) {
        LOG.debug("Splitting a batch of {} statements that failed: {}", batch.size(), cause.toString());
        List<PlannedBatch> halves = batch.halves();
        return process(job, halves.get(0), 0, firstError, roundTrip, request)
            .thenCompose(v -> process(job, halves.get(1), 0, firstError, roundTrip, request));
      }
      reportFailed(job, batch, cause);
      return DONE;
    }).thenCompose(Function.identity());
  }

  /**
   * Under an adaptive limit: shows the limit the trouble of the request's failed attempt ({@code cause}), gives its
   * permit back and completes, with a new permit in {@code request.permit}, once {@code backoffNanos} have passed and
   * the request's replica set has room for it (before any new request of that replica set, see {@link #next}); or,
   * without a permit, when the writer is cancelled meanwhile.
   */
  private CompletionStage<Void> awaitRetry(Pending request, Throwable cause, long backoffNanos) {
    ReplicaSetLimits.Permit held = request.permit;
    retryingOf(request.scope).incrementAndGet(); // before the permit is given back: no new request takes its place
    held.attemptFailed(cause);
    request.permit = null;
    request.permitError = null;
    held.ignored(); // its trouble was shown above: given back without a second sample
    CompletableFuture<Void> resumed = new CompletableFuture<>();
    delay(backoffNanos).thenRun(() -> {
      retries.computeIfAbsent(request.scope, n -> new ConcurrentLinkedQueue<>()).add(new Retry(request, resumed));
      drain();
    });
    drain(); // the ceiling's permit given back may let another replica set's request start
    return resumed;
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
