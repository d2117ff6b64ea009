package dev.ringsweep.internal.export;

import dev.ringsweep.OperatorOptions;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.internal.Errors;
import dev.ringsweep.internal.InFlightLimit;
import dev.ringsweep.internal.LimitMemory;
import dev.ringsweep.internal.ReplicaSetLimits;
import dev.ringsweep.export.ExportOptions;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.RangeExecutor;
import dev.ringsweep.internal.export.OutputFormat;
import dev.ringsweep.internal.export.SegmentWriter;
import dev.ringsweep.internal.export.WrittenFile;
import dev.ringsweep.token.TokenRange;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Queue;
import java.util.function.Function;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker threads of an export. Each takes planned token ranges from a shared queue, reads them page by page
 * ({@link RangeReader}), writes the rows into its own segment of files, and at each checkpoint interval closes the
 * segment and records its finished intervals with its files. Memory is bounded by one page per worker plus the
 * writers' buffers. Page requests are held to {@link ReplicaSetLimits}: with an adaptive limit and planned ranges on
 * several replica sets, each replica set has an adaptive limit of its own under the export's ceiling, as a count's.
 *
 * <p>A range that cannot be read even after retries (its replicas are down, say) is recorded as failed and the
 * workers go on with the others, so that a resume has only the failed ranges left to do. If some of its rows had
 * already gone into the open segment, that segment is deleted and the ranges it held are queued again. Any other
 * error (writing a file, no permission...) stops every worker; the files not yet recorded are deleted.
 */
final class ExportWorkers {

  private static final Logger LOG = LoggerFactory.getLogger(ExportWorkers.class);
  private static final long CLEAN_UP_TIMEOUT_SECONDS = 30;

  /** A planned range and the parts of it still to export. */
  record Item(TokenRange planned, List<TokenRange> left) {}

  /**
   * What the workers achieved: rows, bytes and files recorded by this run; the first error, if any; the planned
   * ranges that failed or were left undone.
   */
  record Outcome(long rows, long bytes, List<WrittenFile> files, Throwable failure, List<TokenRange> unfinished) {}

  private final OutputFormat output;
  private final Checkpoint checkpoint;
  private final Queue<Item> queue;
  private final int rangesTotal;
  private final ExportOptions exportOptions;
  private final ProgressListener progress;
  private final RangeReader reader;
  private final Function<TokenRange, String> replicaSetOf;
  private final AtomicInteger rangesDone;
  private final AtomicLong rowsRead = new AtomicLong();
  private final AtomicLong rowsRecorded = new AtomicLong();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final List<WrittenFile> files = new ArrayList<>();
  private final List<TokenRange> unfinished = new ArrayList<>();
  private Throwable firstRangeFailure;
  /** The export's limits of page requests in flight, remembered by the operator when the export ends. */
  private final ReplicaSetLimits limits;

  ExportWorkers(CqlSession session, OperatorOptions options, ProgressListener progress, LimitMemory memory,
      PreparedStatement exclusive, PreparedStatement inclusive, OutputFormat output, Checkpoint checkpoint,
      Queue<Item> queue, int rangesTotal, int rangesSkipped, ExportOptions exportOptions,
      Function<TokenRange, String> replicaSetOf) {
    this.output = output;
    this.checkpoint = checkpoint;
    this.queue = queue;
    this.rangesTotal = rangesTotal;
    this.exportOptions = exportOptions;
    this.progress = progress;
    this.replicaSetOf = replicaSetOf;
    this.limits = limits(options, exportOptions.writers(), queue, replicaSetOf, memory, progress);
    this.reader = new RangeReader(session, options, progress, exclusive, inclusive, stopped::get,
        ReadLimit.of(exportOptions), limits);
    this.rangesDone = new AtomicInteger(rangesSkipped);
  }

  /**
   * The limit of page requests in flight: fixed at the operator's parallelism when the user set one; else adaptive,
   * up to what the writers can have in flight (a page each and one asked for ahead: 2 per writer) or the operator's
   * ceiling, whichever is lower, and backing off when a page takes more than half of the operator's request timeout
   * ({@link InFlightLimit.Settings#withRequestTimeout}): a page holds at most a page size of rows, so unlike a count's
   * range query its latency does not grow with its range, and a page that nears the timeout says that the pages
   * queued behind it will time out. So a page's latency is mostly queueing, and the limit backs off by as much as the
   * latency says, by up to half ({@link InFlightLimit.Settings#scalingNearTimeout}), where a count halves.
   */
  static InFlightLimit.Settings limitSettings(OperatorOptions options, int writers) {
    if (options.concurrency() == ConcurrencyMode.FIXED) {
      return InFlightLimit.Settings.fixed(options.parallelism());
    }
    int max = (int) Math.min(options.parallelism(), 2L * writers);
    return new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, Math.min(max, options.initialParallelism()), max)
        .withRequestTimeout(options.requestTimeout()).scalingNearTimeout();
  }

  /**
   * The limits of page requests in flight: as {@link #limitSettings} say, and when they are adaptive and the queued
   * ranges fall into several replica sets ({@code replicaSetOf} their planned range), one adaptive limit per replica
   * set under that limit's ceiling as a cap on their sum, each starting from an even share (as a count's).
   */
  static ReplicaSetLimits limits(OperatorOptions options, int writers, Collection<Item> queue,
      Function<TokenRange, String> replicaSetOf, ProgressListener progress) {
    return limits(options, writers, queue, replicaSetOf, null, progress);
  }

  /**
   * As {@link #limits(OperatorOptions, int, Collection, Function, ProgressListener)}, each adaptive limit starting
   * where the operator's last export left the limit of its scope, if {@code memory} still holds that (null: afresh).
   */
  static ReplicaSetLimits limits(OperatorOptions options, int writers, Collection<Item> queue,
      Function<TokenRange, String> replicaSetOf, LimitMemory memory, ProgressListener progress) {
    Set<String> sets = new LinkedHashSet<>();
    for (Item item : queue) {
      sets.add(replicaSetOf.apply(item.planned()));
    }
    return ReplicaSetLimits.of(limitSettings(options, writers), sets, memory, "export", progress::onLimitChanged,
        System::nanoTime);
  }

  Outcome run() {
    int n = exportOptions.writers();
    ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
      Thread t = new Thread(r, "ringsweep-export-" + System.identityHashCode(r));
      t.setDaemon(true);
      return t;
    });
    List<Future<?>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int worker = i;
      futures.add(pool.submit(() -> {
        work(worker);
        return null;
      }));
    }
    Throwable failure = null;
    for (Future<?> f : futures) {
      try {
        f.get();
      } catch (ExecutionException e) {
        failure = failure == null ? e.getCause() : failure;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stopped.set(true);
        failure = failure == null ? e : failure;
      }
    }
    pool.shutdownNow();
    awaitCleanUp(pool);
    limits.remember();
    synchronized (this) {
      for (Item left; (left = queue.poll()) != null; ) {
        unfinished.add(left.planned());
      }
      long bytes = files.stream().mapToLong(WrittenFile::bytes).sum();
      return new Outcome(rowsRecorded.get(), bytes, List.copyOf(files), failure != null ? failure : firstRangeFailure,
          List.copyOf(unfinished));
    }
  }

  /**
   * Waits for the workers to end after a stop, so that every open segment has deleted its partial files before the
   * export returns (or the JVM exits, when a shutdown hook interrupted the export).
   */
  private static void awaitCleanUp(ExecutorService pool) {
    boolean interrupted = Thread.interrupted();
    try {
      if (!pool.awaitTermination(CLEAN_UP_TIMEOUT_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
        LOG.warn("Export workers did not stop within {} s; files they leave are not in the checkpoint, and a "
            + "resume deletes them", CLEAN_UP_TIMEOUT_SECONDS);
      }
    } catch (InterruptedException e) {
      interrupted = true;
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void work(int worker) {
    SegmentWriter segment = null;
    List<TokenRange> pending = new ArrayList<>();
    List<Item> pendingItems = new ArrayList<>();
    long[] segmentRows = {0};
    long segmentStart = 0;
    int sequence = 0;
    Item item = null;
    try {
      while (!stopped.get() && (item = queue.poll()) != null) {
        if (segment == null) {
          segment = output.newSegment(worker, sequence++);
          segmentStart = System.nanoTime();
          segmentRows[0] = 0;
        }
        long before = segmentRows[0];
        try {
          SegmentWriter into = segment;
          String replicaSet = replicaSetOf.apply(item.planned());
          for (TokenRange range : item.left()) {
            reader.read(range, replicaSet, row -> {
              into.write(row);
              segmentRows[0]++;
              rowsRead.incrementAndGet();
            });
          }
        } catch (DriverException e) {
          if (stopped.get() || !Errors.isRetryable(e)) {
            throw e;
          }
          rangeFailed(item, e);
          if (segmentRows[0] > before) {
            // Some of its rows are in the open segment already: drop the segment, redo the ranges it held.
            rowsRead.addAndGet(-segmentRows[0]);
            segment.abort();
            segment = null;
            requeue(pendingItems);
            pending.clear();
          }
          item = null;
          report(rangesDone.incrementAndGet());
          continue;
        }
        pending.addAll(item.left());
        pendingItems.add(item);
        item = null;
        report(rangesDone.incrementAndGet());
        if (System.nanoTime() - segmentStart >= exportOptions.checkpointInterval().toNanos()) {
          flush(segment, pending, segmentRows[0]);
          pendingItems.clear();
          segment = null;
        }
      }
      if (segment != null && !stopped.get()) {
        flush(segment, pending, segmentRows[0]);
        pendingItems.clear();
        segment = null;
      }
    } catch (RuntimeException | Error e) {
      stopped.set(true);
      throw e;
    } finally {
      if (segment != null) {
        segment.abort();
      }
      synchronized (this) {
        pendingItems.forEach(i -> unfinished.add(i.planned()));
        if (item != null) {
          unfinished.add(item.planned());
        }
      }
    }
  }

  /** Records a planned range that could not be read; the export goes on with the others. */
  private synchronized void rangeFailed(Item item, DriverException error) {
    LOG.debug("Range {} could not be exported", item.planned(), error);
    unfinished.add(item.planned());
    if (firstRangeFailure == null) {
      firstRangeFailure = error;
    }
  }

  /** Puts ranges whose rows were in a deleted segment back in the queue, and takes them out of the progress. */
  private void requeue(List<Item> items) {
    rangesDone.addAndGet(-items.size());
    queue.addAll(items);
    items.clear();
  }

  private void flush(SegmentWriter segment, List<TokenRange> pending, long segmentRows) {
    List<WrittenFile> finished = segment.finish();
    if (checkpoint != null) {
      checkpoint.record(pending, finished);
    }
    synchronized (this) {
      files.addAll(finished);
    }
    rowsRecorded.addAndGet(segmentRows);
    pending.clear();
  }

  private void report(int done) {
    progress.onProgress(new Progress(done, rangesTotal, rowsRead.get()));
  }
}
