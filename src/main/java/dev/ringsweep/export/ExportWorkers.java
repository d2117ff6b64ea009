package dev.ringsweep.export;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.TokenMap;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.internal.RangeExecutor;
import dev.ringsweep.internal.RangeQuery;
import dev.ringsweep.token.TokenRange;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
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
 * The worker threads of an export. Each takes planned token ranges from a shared queue, runs the range query one
 * page per request (a failed page is retried from its paging state, so no row is written twice), writes the rows
 * into its own segment of files, and at each checkpoint interval closes the segment and records its finished
 * intervals with its files. Memory is bounded by one page per worker plus the writers' buffers. On the first
 * failure every worker stops and deletes the files not yet recorded.
 */
final class ExportWorkers {

  private static final Logger LOG = LoggerFactory.getLogger(ExportWorkers.class);
  private static final int SPLIT_FACTOR = 4;

  /** A planned range and the parts of it still to export. */
  record Item(TokenRange planned, List<TokenRange> left) {}

  /** What the workers achieved: rows, bytes and files of this run; the failure and unfinished ranges, if any. */
  record Outcome(long rows, long bytes, List<WrittenFile> files, Throwable failure, List<TokenRange> unfinished) {}

  private final CqlSession session;
  private final TokenAwareBulkOperator.Options options;
  private final ProgressListener progress;
  private final PreparedStatement exclusive;
  private final PreparedStatement inclusive;
  private final OutputFormat output;
  private final Checkpoint checkpoint;
  private final Queue<Item> queue;
  private final int rangesTotal;
  private final ExportOptions exportOptions;
  private final TokenMap tokenMap;
  private final AtomicInteger rangesDone;
  private final AtomicLong rows = new AtomicLong();
  private final AtomicBoolean failed = new AtomicBoolean();
  private final List<WrittenFile> files = new ArrayList<>();
  private final List<TokenRange> unfinished = new ArrayList<>();

  ExportWorkers(CqlSession session, TokenAwareBulkOperator.Options options, ProgressListener progress,
      PreparedStatement exclusive, PreparedStatement inclusive, OutputFormat output, Checkpoint checkpoint,
      Queue<Item> queue, int rangesTotal, int rangesSkipped, ExportOptions exportOptions) {
    this.session = session;
    this.options = options;
    this.progress = progress;
    this.exclusive = exclusive;
    this.inclusive = inclusive;
    this.output = output;
    this.checkpoint = checkpoint;
    this.queue = queue;
    this.rangesTotal = rangesTotal;
    this.exportOptions = exportOptions;
    this.tokenMap = session.getMetadata().getTokenMap().orElse(null);
    this.rangesDone = new AtomicInteger(rangesSkipped);
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
        failed.set(true);
        failure = failure == null ? e : failure;
      }
    }
    pool.shutdownNow();
    synchronized (this) {
      for (Item left; (left = queue.poll()) != null; ) {
        unfinished.add(left.planned());
      }
      long bytes = files.stream().mapToLong(WrittenFile::bytes).sum();
      return new Outcome(rows.get(), bytes, List.copyOf(files), failure, List.copyOf(unfinished));
    }
  }

  private void work(int worker) {
    SegmentWriter segment = null;
    List<TokenRange> pending = new ArrayList<>();
    List<Item> pendingItems = new ArrayList<>();
    long segmentStart = 0;
    int sequence = 0;
    Item item = null;
    try {
      while (!failed.get() && (item = queue.poll()) != null) {
        if (segment == null) {
          segment = output.newSegment(worker, sequence++);
          segmentStart = System.nanoTime();
        }
        for (TokenRange range : item.left()) {
          for (RangeQuery.Interval interval : RangeQuery.intervals(range)) {
            exportInterval(range, interval, segment);
          }
        }
        pending.addAll(item.left());
        pendingItems.add(item);
        item = null;
        int done = rangesDone.incrementAndGet();
        report(done);
        if (System.nanoTime() - segmentStart >= exportOptions.checkpointInterval().toNanos()) {
          flush(segment, pending);
          pendingItems.clear();
          segment = null;
        }
      }
      if (segment != null && !failed.get()) {
        flush(segment, pending);
        pendingItems.clear();
        segment = null;
      }
    } catch (RuntimeException | Error e) {
      failed.set(true);
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

  private void flush(SegmentWriter segment, List<TokenRange> pending) {
    List<WrittenFile> finished = segment.finish();
    if (checkpoint != null) {
      checkpoint.record(pending, finished);
    }
    synchronized (this) {
      files.addAll(finished);
    }
    pending.clear();
  }

  private void report(int done) {
    try {
      progress.onProgress(new Progress(done, rangesTotal, rows.get()));
    } catch (RuntimeException e) {
      LOG.warn("Progress listener failed (ignored)", e);
    }
  }

  /**
   * Queries one interval of {@code range} page by page, each page a request of its own, and writes its rows. A page
   * that fails with a retryable error is retried from its paging state after a backoff; a page that keeps timing out
   * is then requested in pages 4 times smaller (the export's form of splitting), for the rest of the interval.
   */
  private void exportInterval(TokenRange range, RangeQuery.Interval interval, SegmentWriter segment) {
    PreparedStatement prepared = interval.lowInclusive() ? inclusive : exclusive;
    BoundStatement statement =
        prepared.bind(interval.low(), interval.high())
            .setConsistencyLevel(options.consistencyLevel())
            .setTimeout(options.requestTimeout())
            .setIdempotent(true);
    if (tokenMap != null) {
      statement = statement.setRoutingToken(tokenMap.parse(Long.toString(interval.high())));
    }
    int width = prepared.getResultSetDefinitions().size();
    Paging paging = new Paging(options.pageSize());
    do {
      ResultSet page = fetch(range, statement, paging);
      int available = page.getAvailableWithoutFetching();
      Iterator<Row> it = page.iterator();
      for (int i = 0; i < available; i++) {
        Row row = it.next();
        Object[] values = new Object[width];
        for (int c = 0; c < width; c++) {
          // getObject reads a null collection as an empty one; a frozen empty collection is not null.
          values[c] = row.isNull(c) ? null : row.getObject(c);
        }
        segment.write(values);
      }
      rows.addAndGet(available);
      paging.state = page.getExecutionInfo().getPagingState();
    } while (paging.state != null);
  }

  /** Where an interval's paging stands: the paging state of the next page and the page size in force. */
  private static final class Paging {
    ByteBuffer state;
    int pageSize;
    int splits;

    Paging(int pageSize) {
      this.pageSize = pageSize;
    }
  }

  /** Fetches the next page, retrying retryable errors with backoff, then shrinking the page on timeouts. */
  private ResultSet fetch(TokenRange range, BoundStatement statement, Paging paging) {
    long backoff = options.retryBackoff().toMillis();
    for (int attempt = 0; ; ) {
      if (failed.get()) {
        throw new IllegalStateException("Export stopped: another writer failed");
      }
      try {
        return session.execute(statement.setPagingState(paging.state).setPageSize(paging.pageSize));
      } catch (DriverException e) {
        if (failed.get() || !RangeExecutor.isRetryable(e)) {
          throw e;
        }
        if (attempt < options.maxRetries()) {
          attempt++;
          LOG.debug("Page of range {} failed (attempt {}), retrying", range, attempt, e);
          int retry = attempt;
          listener(() -> progress.onRetry(range, retry, e));
          sleep(Math.min(backoff << Math.min(attempt - 1, 5), 32 * Math.max(1, backoff)), e);
        } else if (RangeExecutor.isTimeout(e) && paging.splits < options.maxSplitDepth() && paging.pageSize > 1) {
          paging.splits++;
          paging.pageSize = Math.max(1, paging.pageSize / SPLIT_FACTOR);
          attempt = 0;
          LOG.info("Pages of range {} keep timing out; requesting pages of {} rows", range, paging.pageSize);
          listener(() -> progress.onSplit(range, SPLIT_FACTOR));
        } else {
          throw e;
        }
      }
    }
  }

  private void listener(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("Progress listener failed (ignored)", e);
    }
  }

  private static void sleep(long millis, DriverException cause) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      throw cause;
    }
  }
}
