package dev.ringsweep.internal;

import dev.ringsweep.LimitChange;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.TokenRange;
import java.math.BigInteger;
import java.time.Duration;
import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.ReplicaGroup;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one asynchronous task per planned token range with at most a limit of tasks in flight, fixed or adaptive
 * ({@link InFlightLimit}), and optionally at most a number of rows per second.
 *
 * <p>In-flight work is bounded by an {@link InFlightLimit} whose permits are taken without waiting, so no thread ever
 * waits for a permit; each task's latency and outcome feed the limit, whose changes go to
 * {@link Sink#limitChanged}. When the limit is adaptive and the planned ranges fall into several replica sets
 * ({@code groupOf}), each replica set gets an adaptive limit of its own, and the operation's limit becomes a fixed
 * ceiling on their sum ({@link ReplicaSetLimits}, shared with the export's page reads and the BatchWriter): a node
 * that slows down or times out lowers only the limit of the ranges it serves, and queued ranges are started
 * round-robin over the replica sets that have room.
 *
 * <p>A rows-per-second cap ({@link Policy#maxRowsPerSecond()}) is paid after the fact: each successful piece pays
 * for {@link Sink#rows its rows}, and no task starts until the rows so far are paid for.
 * Completions are handled on the executor's own thread, never on the driver's I/O threads. A range whose task fails
 * with a transient error (timeout, unavailable, overloaded) is retried with exponential backoff and jitter; a range
 * that keeps timing out is then split into smaller pieces, each retried in turn, down to {@code maxSplitDepth}
 * levels. A piece on which the server still reports a read timeout (or one that cannot be
 * split: a few tokens, e.g. one huge partition) runs the optional fallback task instead, once: it does its own
 * retrying (a count reads the piece page by page, which no single request has to finish). A client-side timeout (no
 * answer at all) says the node is in trouble rather than the read too big, so it does not fall back. A range that
 * still fails is reported, and the others go on, so the caller gets the fullest partial result there is.
 *
 * @param <R> what a task produces for one range (for a count: its rows and the host that served it)
 */
public final class RangeExecutor<R> {

  private static final Logger LOG = LoggerFactory.getLogger(RangeExecutor.class);
  private static final int SPLIT_FACTOR = 4;

  /** Receives the outcome of every range, always on the executor's thread (so no synchronization is needed). */
  public interface Sink<R> {
    /** A (possibly split) piece of the planned range {@code planned} succeeded with {@code result}. */
    void succeeded(TokenRange planned, TokenRange piece, R result);

    /** A planned range finished: all its pieces are done, and {@code failure} is null if none failed. */
    void finished(TokenRange planned, List<TokenRange> failedPieces, Throwable failure);

    /** {@code piece} failed with a retryable {@code error} and is retried ({@code attempt} from 1) after a backoff. */
    default void retrying(TokenRange piece, int attempt, Throwable error) {}

    /** {@code piece} kept timing out after every retry and is split into {@code pieces} smaller pieces. */
    default void splitting(TokenRange piece, int pieces) {}

    /** The server kept timing out on {@code piece}, which is not split further: it is run by the fallback task. */
    default void fallingBack(TokenRange piece) {}

    /**
     * The limit of tasks in flight was set (at the start: this first call comes on the thread that calls
     * {@code run}, before any other) or changed.
     */
    default void limitChanged(LimitChange change) {}

    /** The rows {@code result} read (or counted), paid for under {@link Policy#maxRowsPerSecond()}; 0 by default. */
    default long rows(R result) {
      return 0;
    }

    /**
     * The longest round trip on the wire, in nanoseconds, among the requests behind {@code result}, for a task that
     * sends several in turn (a piece read back page by page): the latency its limit learns from and compares with the
     * request timeout ({@link InFlightLimit.Permit#succeeded(long, long)}). -1 by default: the time the task held
     * its permit, right for a task of one request (a count's range query), wrong for one of many, whose pages each
     * had the whole timeout.
     */
    default long roundTripNanos(R result) {
      return -1;
    }
  }

  /**
   * A sink that tells {@code listener} of each retry, split and limit change, as every operation over token ranges
   * does (a count, an import verification's checksum); the outcomes are its subclass's.
   */
  public abstract static class ReportingSink<R> implements Sink<R> {
    private final ProgressListener listener;

    /** A sink reporting to {@code listener}. */
    protected ReportingSink(ProgressListener listener) {
      this.listener = listener;
    }

    @Override
    public void retrying(TokenRange piece, int attempt, Throwable error) {
      listener.onRetry(piece, attempt, error);
    }

    @Override
    public void splitting(TokenRange piece, int pieces) {
      listener.onSplit(piece, pieces);
    }

    @Override
    public void limitChanged(LimitChange change) {
      listener.onLimitChanged(change);
    }
  }

  /**
   * Concurrency, rate, retry and split settings.
   *
   * @param limit the limit of tasks in flight
   * @param maxRetries retries of a failing piece before it is split or given up
   * @param baseBackoff the first backoff between retries
   * @param maxBackoff the longest backoff between retries
   * @param maxSplitDepth how many times a piece that keeps timing out is split
   * @param maxRowsPerSecond a cap on the rows per second of successful pieces ({@link Sink#rows}), or infinity
   * @param memory what the adaptive limits of earlier runs of the same name learned, to start from and to add to
   *     ({@link LimitMemory}); null: they start afresh
   */
  public record Policy(InFlightLimit.Settings limit, int maxRetries, Duration baseBackoff, Duration maxBackoff,
      int maxSplitDepth, double maxRowsPerSecond, LimitMemory memory) {

    /** A policy whose limits start afresh. */
    public Policy(InFlightLimit.Settings limit, int maxRetries, Duration baseBackoff, Duration maxBackoff,
        int maxSplitDepth, double maxRowsPerSecond) {
      this(limit, maxRetries, baseBackoff, maxBackoff, maxSplitDepth, maxRowsPerSecond, null);
    }

    /** A fixed limit of {@code parallelism} tasks in flight, and no rate cap. */
    public Policy(int parallelism, int maxRetries, Duration baseBackoff, Duration maxBackoff, int maxSplitDepth) {
      this(InFlightLimit.Settings.fixed(parallelism), maxRetries, baseBackoff, maxBackoff, maxSplitDepth,
          Double.POSITIVE_INFINITY);
    }

    /** The policy of range queries that {@code options} set (backoff up to 32 times the first), with no rate cap. */
    public static Policy of(OperatorOptions options) {
      return new Policy(InFlightLimit.Settings.of(options), options.maxRetries(), options.retryBackoff(),
          options.retryBackoff().multipliedBy(32), options.maxSplitDepth(), Double.POSITIVE_INFINITY);
    }

    /** This policy with at most {@code rows} rows per second (infinity for none). */
    public Policy withMaxRowsPerSecond(double rows) {
      return new Policy(limit, maxRetries, baseBackoff, maxBackoff, maxSplitDepth, rows, memory);
    }

    /** This policy with the limit of tasks in flight {@code settings} say. */
    public Policy withLimit(InFlightLimit.Settings settings) {
      return new Policy(settings, maxRetries, baseBackoff, maxBackoff, maxSplitDepth, maxRowsPerSecond, memory);
    }

    /**
     * This policy with its adaptive limits starting where the last run of the same name left them in
     * {@code memory}, and leaving theirs there when done (null: afresh).
     */
    public Policy withMemory(LimitMemory memory) {
      return new Policy(limit, maxRetries, baseBackoff, maxBackoff, maxSplitDepth, maxRowsPerSecond, memory);
    }
  }

  private final Policy policy;
  private final Function<TokenRange, CompletionStage<R>> task;
  private final Function<TokenRange, CompletionStage<R>> fallback;
  private final Sink<R> sink;
  private final ScheduledExecutorService thread;
  private final ReplicaSetLimits limits;
  private final TokenBucket rowRate;
  private final Function<TokenRange, String> groupOf;
  private long pausedUntilNanos;
  private boolean pauseScheduled;
  // Touched on the executor thread only (and by start before the thread's first task).
  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final List<Group> order = new ArrayList<>();
  private int cursor;

  /** The ranges of one replica set waiting to run. */
  private final class Group {
    final String name;
    final ArrayDeque<Work> queue = new ArrayDeque<>();

    Group(String name) {
      this.name = name;
    }
  }
  private final AtomicInteger outstanding = new AtomicInteger();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /** One piece to run, the planned range it belongs to, and how often it was tried and split. */
  private final class Work {
    final Planned planned;
    final TokenRange piece;
    final int depth;
    final boolean fallback;
    int attempts;
    ReplicaSetLimits.Permit permit;

    Work(Planned planned, TokenRange piece, int depth, boolean fallback) {
      this.planned = planned;
      this.piece = piece;
      this.depth = depth;
      this.fallback = fallback;
    }
  }

  /** A planned range and its pieces still running. */
  private final class Planned {
    final TokenRange range;
    final Group group;
    int pending = 1;
    final List<TokenRange> failed = new ArrayList<>();
    Throwable failure;

    Planned(TokenRange range, Group group) {
      this.range = range;
      this.group = group;
    }
  }

  private RangeExecutor(Policy policy, Function<TokenRange, CompletionStage<R>> task,
      Function<TokenRange, CompletionStage<R>> fallback, Sink<R> sink, String name, List<TokenRange> ranges,
      Function<TokenRange, String> groupOf) {
    this.policy = policy;
    this.task = task;
    this.fallback = fallback;
    this.sink = sink;
    this.groupOf = groupOf;
    for (TokenRange range : ranges) {
      groups.computeIfAbsent(groupOf.apply(range), Group::new);
    }
    order.addAll(groups.values());
    // One limit, or (adaptive, several replica sets) one per replica set under the operation's ceiling.
    this.limits = ReplicaSetLimits.of(policy.limit(), groups.keySet(), policy.memory(), name, sink::limitChanged,
        System::nanoTime);
    this.rowRate = Double.isInfinite(policy.maxRowsPerSecond()) ? null
        : new TokenBucket(policy.maxRowsPerSecond(), System::nanoTime);
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "ringsweep-" + name);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Runs {@code task} for every range of {@code ranges} and completes when all are finished (successfully or not).
   * The returned stage can be cancelled: no further range is started then.
   */
  public static <R> CompletableFuture<Void> run(
      List<TokenRange> ranges,
      Policy policy,
      Function<TokenRange, CompletionStage<R>> task,
      Sink<R> sink,
      String name) {
    return run(ranges, policy, task, null, sink, name, range -> LimitChange.ALL);
  }

  /**
   * As {@link #run(List, Policy, Function, Sink, String)}, with a {@code fallback} task for a piece on which the
   * server keeps timing out after every retry and split; null for none.
   */
  public static <R> CompletableFuture<Void> run(
      List<TokenRange> ranges,
      Policy policy,
      Function<TokenRange, CompletionStage<R>> task,
      Function<TokenRange, CompletionStage<R>> fallback,
      Sink<R> sink,
      String name) {
    return run(ranges, policy, task, fallback, sink, name, range -> LimitChange.ALL);
  }

  /**
   * As {@link #run(List, Policy, Function, Function, Sink, String)}, with each planned range's replica set given by
   * {@code groupOf} (see {@link #replicaSets}): an adaptive limit then applies per replica set, under the policy's
   * limit as a ceiling of their sum, when there is more than one.
   */
  public static <R> CompletableFuture<Void> run(
      List<TokenRange> ranges,
      Policy policy,
      Function<TokenRange, CompletionStage<R>> task,
      Function<TokenRange, CompletionStage<R>> fallback,
      Sink<R> sink,
      String name,
      Function<TokenRange, String> groupOf) {
    RangeExecutor<R> executor = new RangeExecutor<>(policy, task, fallback, sink, name, ranges, groupOf);
    executor.start(ranges);
    return executor.done;
  }

  /**
   * The replica set of each piece of {@code plan}, named by its replicas (as {@link LimitChange#scope()} shows it);
   * a range that is not a piece of the plan (a resumed sub-range, say) falls in one set of its own.
   */
  public static Function<TokenRange, String> replicaSets(RangePlan plan) {
    Map<TokenRange, String> names = new HashMap<>();
    for (ReplicaGroup group : plan.groups()) {
      String name = group.replicas().stream().map(Object::toString).collect(Collectors.joining(", "));
      for (TokenRange piece : group.pieces()) {
        names.put(piece, name.isEmpty() ? "no known replica" : name);
      }
    }
    return range -> names.getOrDefault(range, "ranges outside the plan");
  }

  private void start(List<TokenRange> ranges) {
    // A run that is cancelled remembers its limits here; one that ends by itself before it completes (finish), so
    // that the caller's next operation, which may start as soon as this one completes, finds them.
    done.whenComplete((ignored, error) -> {
      if (done.isCancelled()) {
        limits.remember();
      }
      thread.shutdown();
    });
    if (ranges.isEmpty()) {
      done.complete(null);
      return;
    }
    outstanding.set(ranges.size());
    for (TokenRange range : ranges) {
      Group group = groups.get(groupOf.apply(range));
      group.queue.add(new Work(new Planned(range, group), range, 0, false));
    }
    thread.execute(this::pump);
  }

  /** Starts queued work while permits are free and the rate allows. Runs on the executor thread only. */
  private void pump() {
    while (!done.isDone()) {
      if (rowRate != null && pausedUntilNanos - System.nanoTime() > 0) {
        if (!pauseScheduled) {
          pauseScheduled = true;
          thread.schedule(() -> {
            pauseScheduled = false;
            pump();
          }, pausedUntilNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        return;
      }
      Work work = next();
      if (work == null) {
        return;
      }
      work.attempts++;
      CompletionStage<R> stage;
      try {
        stage = (work.fallback ? fallback : task).apply(work.piece);
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      stage.whenCompleteAsync((result, error) -> complete(work, result, error), thread);
    }
  }

  /**
   * The next queued piece whose replica set's limit and the operation's limit both have room, with both permits
   * taken; replica sets are taken in turn. Null if none can start now.
   */
  private Work next() {
    int n = order.size();
    for (int i = 0; i < n; i++) {
      Group group = order.get((cursor + i) % n);
      if (group.queue.isEmpty()) {
        continue;
      }
      if (limits.inFlight() >= limits.ceiling()) {
        return null;
      }
      ReplicaSetLimits.Permit permit = limits.tryAcquire(group.name);
      if (permit == null) {
        continue;
      }
      cursor = (cursor + i + 1) % n;
      Work work = group.queue.poll();
      work.permit = permit;
      return work;
    }
    return null;
  }

  /** Queues a piece again (a retry, a split piece, a fallback), in its replica set's queue. */
  private void enqueue(Work work) {
    work.planned.group.queue.add(work);
  }

  private static void release(ReplicaSetLimits.Permit permit, boolean fallback, Throwable error,
      long roundTripNanos) {
    if (permit == null) {
      return;
    }
    if (fallback) {
      permit.ignored(); // it paces itself, page by page: its duration says nothing about load
    } else if (error == null) {
      permit.succeeded(roundTripNanos, -1);
    } else {
      permit.failed(error);
    }
  }

  private void complete(Work work, R result, Throwable error) {
    try {
      release(work.permit, work.fallback, error, error == null ? sink.roundTripNanos(result) : -1);
      if (error == null) {
        sink.succeeded(work.planned.range, work.piece, result);
        if (rowRate != null) {
          rowRate.reserve(sink.rows(result));
          pausedUntilNanos = System.nanoTime() + rowRate.reserve(0);
        }
        pieceDone(work.planned);
      } else {
        handleFailure(work, Errors.unwrap(error));
      }
    } catch (RuntimeException e) {
      limits.remember();
      done.completeExceptionally(e);
      return;
    }
    pump();
  }

  private void handleFailure(Work work, Throwable error) {
    Errors.Kind kind = Errors.classify(Errors.unwrap(error));
    // A fallback task retries on its own terms (a paged count retries each page): running it again would multiply
    // the time a range that cannot succeed takes to fail.
    if (kind != Errors.Kind.FATAL && !work.fallback && work.attempts <= policy.maxRetries()) {
      long delay = Backoff.delay(policy.baseBackoff(), policy.maxBackoff(), work.attempts).toMillis();
      LOG.debug("Range {} failed ({}), retry {} in {} ms", work.piece, error.toString(), work.attempts, delay);
      sink.retrying(work.piece, work.attempts, error);
      thread.schedule(
          () -> {
            enqueue(work);
            pump();
          },
          delay,
          TimeUnit.MILLISECONDS);
      return;
    }
    if (kind == Errors.Kind.TIMEOUT
        && work.depth < policy.maxSplitDepth()
        && work.piece.size().compareTo(BigInteger.valueOf(SPLIT_FACTOR)) >= 0) {
      List<TokenRange> smaller = work.piece.splitEvenly(SPLIT_FACTOR);
      LOG.info("Range {} keeps timing out; splitting it into {} pieces", work.piece, smaller.size());
      sink.splitting(work.piece, smaller.size());
      work.planned.pending += smaller.size() - 1;
      for (TokenRange piece : smaller) {
        enqueue(new Work(work.planned, piece, work.depth + 1, false));
      }
      return;
    }
    if (Errors.isServerTimeout(error) && fallback != null && !work.fallback) {
      LOG.info("Range {} keeps timing out and is not split further; running the fallback", work.piece);
      sink.fallingBack(work.piece);
      enqueue(new Work(work.planned, work.piece, work.depth, true));
      return;
    }
    LOG.debug("Range {} failed for good after {} attempts", work.piece, work.attempts, error);
    work.planned.failed.add(work.piece);
    if (work.planned.failure == null) {
      work.planned.failure = error;
    }
    pieceDone(work.planned);
  }

  private void pieceDone(Planned planned) {
    if (--planned.pending > 0) {
      return;
    }
    sink.finished(planned.range, Collections.unmodifiableList(planned.failed), planned.failure);
    if (outstanding.decrementAndGet() == 0) {
      limits.remember();
      done.complete(null);
    }
  }
}
