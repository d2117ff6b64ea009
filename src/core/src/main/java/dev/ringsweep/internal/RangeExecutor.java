package dev.ringsweep.internal;

import dev.ringsweep.token.TokenRange;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one asynchronous task per planned token range with at most {@code parallelism} tasks in flight.
 *
 * <p>In-flight work is bounded by a {@link Semaphore} taken with {@code tryAcquire} only, so no thread ever waits
 * for a permit; completions are handled on the executor's own thread, never on the driver's I/O threads. A range
 * whose task fails with a transient error (timeout, unavailable, overloaded) is retried with exponential backoff
 * and jitter; a range that keeps timing out is then split into smaller pieces, each retried in turn, down to
 * {@code maxSplitDepth} levels. A piece on which the server still reports a read timeout (or one that cannot be
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
  }

  /** Retry and split settings. */
  public record Policy(int parallelism, int maxRetries, Duration baseBackoff, Duration maxBackoff, int maxSplitDepth) {}

  private final Policy policy;
  private final Function<TokenRange, CompletionStage<R>> task;
  private final Function<TokenRange, CompletionStage<R>> fallback;
  private final Sink<R> sink;
  private final ScheduledExecutorService thread;
  private final Semaphore permits;
  private final ConcurrentLinkedQueue<Work> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger outstanding = new AtomicInteger();
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  /** One piece to run, the planned range it belongs to, and how often it was tried and split. */
  private final class Work {
    final Planned planned;
    final TokenRange piece;
    final int depth;
    final boolean fallback;
    int attempts;

    Work(Planned planned, TokenRange piece, int depth, boolean fallback) {
      this.planned = planned;
      this.piece = piece;
      this.depth = depth;
      this.fallback = fallback;
    }
  }

  /** A planned range and its pieces still running. */
  private static final class Planned {
    final TokenRange range;
    int pending = 1;
    final List<TokenRange> failed = new ArrayList<>();
    Throwable failure;

    Planned(TokenRange range) {
      this.range = range;
    }
  }

  private RangeExecutor(Policy policy, Function<TokenRange, CompletionStage<R>> task,
      Function<TokenRange, CompletionStage<R>> fallback, Sink<R> sink, String name) {
    this.policy = policy;
    this.task = task;
    this.fallback = fallback;
    this.sink = sink;
    this.permits = new Semaphore(policy.parallelism());
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
    return run(ranges, policy, task, null, sink, name);
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
    RangeExecutor<R> executor = new RangeExecutor<>(policy, task, fallback, sink, name);
    executor.start(ranges);
    return executor.done;
  }

  private void start(List<TokenRange> ranges) {
    done.whenComplete((ignored, error) -> thread.shutdown());
    if (ranges.isEmpty()) {
      done.complete(null);
      return;
    }
    outstanding.set(ranges.size());
    for (TokenRange range : ranges) {
      queue.add(new Work(new Planned(range), range, 0, false));
    }
    thread.execute(this::pump);
  }

  /** Starts queued work while permits are free. Runs on the executor thread only. */
  private void pump() {
    while (!done.isDone() && permits.tryAcquire()) {
      Work work = queue.poll();
      if (work == null) {
        permits.release();
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

  private void complete(Work work, R result, Throwable error) {
    permits.release();
    try {
      if (error == null) {
        sink.succeeded(work.planned.range, work.piece, result);
        pieceDone(work.planned);
      } else {
        handleFailure(work, Errors.unwrap(error));
      }
    } catch (RuntimeException e) {
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
            queue.add(work);
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
        queue.add(new Work(work.planned, piece, work.depth + 1, false));
      }
      return;
    }
    if (Errors.isServerTimeout(error) && fallback != null && !work.fallback) {
      LOG.info("Range {} keeps timing out and is not split further; running the fallback", work.piece);
      sink.fallingBack(work.piece);
      queue.add(new Work(work.planned, work.piece, work.depth, true));
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
      done.complete(null);
    }
  }
}
