package dev.ringsweep.internal.imports;

import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.Verification;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import com.datastax.oss.driver.api.core.type.DataType;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.batch.BatchWriter;
import dev.ringsweep.batch.WriteResult;
import dev.ringsweep.internal.imports.SourceReader;
import dev.ringsweep.token.TokenRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reading and writing of one import: reader threads take splits from a queue, convert each row to statements
 * (or a bad record), and hand the statements to the {@link BatchWriter} in chunks of about {@value #CHUNK}
 * statements, at most {@code 2 * readers + 2} chunks outstanding, so memory stays bounded whatever the source's size.
 * Rows the cluster refuses come back through {@link #onWriteFailure}. The error budget is checked at every failed
 * row; once it is exceeded (or a split cannot be read) the readers stop. When writes have failed by then (the
 * cluster is in trouble: a replica set down, writes refused), or the import is interrupted, the writes not yet sent are
 * also cancelled ({@link BatchWriter#cancel}): those on the wire finish, and the rows of the others are counted as not
 * sent (neither written nor failed, and not bad records), so a stopped import says so within a request timeout
 * instead of waiting for writes to a dead node to spend their retries. Otherwise (only bad source rows) the rows
 * already read are written.
 * With a checkpoint, a split whose rows were all read and written without a write failure is recorded there (its
 * last chunk is then sent at the end of the split rather than with the next split's rows); splits it already
 * records are skipped. A split with a row not sent is not recorded: resuming reads it again.
 */
final class ImportWorkers {

  private static final Logger LOG = LoggerFactory.getLogger(ImportWorkers.class);

  /** Statements handed to the writer in one call: enough for grouping by partition to find neighbours. */
  static final int CHUNK = 1000;

  /**
   * What the run did; {@code notSent} counts rows read whose writes were cancelled when the import stopped;
   * {@code fatal} is the error that stopped it, if any.
   */
  record Outcome(long read, long written, long badRecords, long writeFailures, long notSent, boolean budgetExceeded,
      Throwable fatal, long checksum) {}

  /** One source row on its way to the cluster. */
  private record RowRef(String source, ImportPlan.Converted row, long hash, AtomicBoolean failed, SplitState split) {}

  /**
   * Where one split stands, for the checkpoint: it is done once all its rows were read and every chunk holding some
   * of them was written without a write failure.
   */
  private static final class SplitState {
    final String id;
    int outstandingChunks;
    boolean readFully;
    boolean writeFailed;
    boolean recorded;
    long read;
    long written;
    long checksum;
    /** Its rows that went to the bad-records file instead of the cluster. */
    long bad;

    SplitState(String id) {
      this.id = id;
    }
  }

  private final SourceReader reader;
  private final ImportPlan plan;
  private final RowStatements statements;
  private final BadRecords badRecords;
  private final ImportOptions options;
  private final ProgressListener progress;
  private final ImportCheckpoint checkpoint;
  private final Function<BatchableStatement<?>, TokenRange> rangeOf;
  private final Set<TokenRange> failedRanges = ConcurrentHashMap.newKeySet();
  private final boolean checksum;
  private final List<String> names = new ArrayList<>();
  private final List<DataType> types = new ArrayList<>();
  private final ConcurrentLinkedQueue<SourceReader.Split> queue;
  private final Semaphore pending;
  private final int maxPending;
  private final Map<BatchableStatement<?>, RowRef> inFlight = Collections.synchronizedMap(new IdentityHashMap<>());

  private final AtomicLong read = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong bad = new AtomicLong();
  private final AtomicLong writeFailed = new AtomicLong();
  private final AtomicLong notSent = new AtomicLong();
  private final AtomicLong sum = new AtomicLong();
  private final AtomicInteger splitsDone = new AtomicInteger();
  private volatile boolean stop;
  private volatile boolean budgetExceeded;
  /** Rows read and failed rows (bad records) that earlier runs of a resumed import recorded: the budget's too. */
  private final long earlierRead;
  private final long earlierFailed;
  private volatile Throwable fatal;
  private volatile BatchWriter writer;

  /**
   * @param checkpoint where finished splits are recorded, or null; the splits it records already are skipped
   * @param rangeOf the ring's token range holding a statement's partition, or null when unknown
   */
  ImportWorkers(SourceReader reader, ImportPlan plan, RowStatements statements, BadRecords badRecords,
      ImportOptions options, ProgressListener progress, ImportCheckpoint checkpoint,
      Function<BatchableStatement<?>, TokenRange> rangeOf) {
    this.reader = reader;
    this.checkpoint = checkpoint;
    this.rangeOf = rangeOf;
    this.plan = plan;
    this.statements = statements;
    this.badRecords = badRecords;
    this.options = options;
    this.progress = progress;
    this.checksum = options.verification() == Verification.COUNT_AND_CHECKSUM;
    plan.columns().forEach(c -> {
      names.add(c.name());
      types.add(c.type());
    });
    if (checkpoint != null) {
      checkpoint.checkSplitsKnown(reader.splits().stream().map(SourceReader.Split::checkpointName).toList());
    }
    Set<String> done = checkpoint == null ? Set.of() : checkpoint.doneSplits();
    ImportCheckpoint.Done earlier = checkpoint == null ? new ImportCheckpoint.Done(0, 0, 0) : checkpoint.total();
    this.earlierRead = earlier.read();
    this.earlierFailed = earlier.bad();
    this.queue = new ConcurrentLinkedQueue<>(
        reader.splits().stream().filter(split -> !done.contains(split.checkpointName())).toList());
    this.splitsDone.set(reader.splits().size() - queue.size());
    this.maxPending = 2 * options.readers() + 2;
    this.pending = new Semaphore(maxPending);
  }

  /** Reads every split with {@code readers} threads and writes through {@code writer}; returns when all is done. */
  Outcome run(BatchWriter writer) {
    this.writer = writer;
    int threads = Math.max(1, Math.min(options.readers(), queue.size()));
    List<Thread> workers = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        try {
          work(writer);
        } catch (Throwable e) {
          // Whatever ends a reader (a listener's Error, a converter's StackOverflowError, OutOfMemoryError) ends the
          // import as failed: the rows it had read and not sent would otherwise be lost while the import succeeds.
          stop("a reader thread failed", new IllegalStateException(String.format("An import reader failed: %s", e),
              e), true);
          if (e instanceof Error error && !(e instanceof StackOverflowError)) {
            throw error;
          }
        }
      }, "ringsweep-import-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
    boolean interrupted = false;
    for (Thread t : workers) {
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
          stop("interrupted", new IllegalStateException("Interrupted while importing"), true);
        }
      }
    }
    pending.acquireUninterruptibly(maxPending);
    pending.release(maxPending);
    // Each split's progress went out when it was read; its last writes end after that (a split's last rows go out
    // once the next split is read, the last split's at the end): the rows they wrote are heard here.
    progress.onProgress(new Progress(splitsDone.get(), reader.splits().size(), written.get()));
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    return new Outcome(read.get(), written.get(), bad.get(), writeFailed.get(), notSent.get(), budgetExceeded, fatal,
        sum.get());
  }

  /**
   * Receives each statement the writer could not write: its row becomes a bad record, once; a row whose write was
   * cancelled because the import stopped is only counted as not sent.
   */
  void onWriteFailure(BatchableStatement<?> statement, Throwable cause) {
    RowRef ref = inFlight.get(statement);
    if (ref == null || !ref.failed().compareAndSet(false, true)) {
      return;
    }
    if (cause instanceof CancellationException) {
      notSent.incrementAndGet();
      synchronized (ref.split()) {
        ref.split().writeFailed = true;
      }
      return;
    }
    writeFailed.incrementAndGet();
    if (cause instanceof UnauthorizedException) {
      // Every other row would be refused alike: stop at once with the server's message.
      stop("the role may not write to the target", cause, true);
    }
    synchronized (ref.split()) {
      ref.split().writeFailed = true;
    }
    TokenRange range = rangeOf == null ? null : rangeOf.apply(statement);
    if (range != null) {
      failedRanges.add(range);
    }
    try {
      badRecords.convertedRow(ref.source(), "write failed: " + cause, names, types, ref.row().values());
    } catch (RuntimeException e) {
      stop("the bad-records file could not be written", e);
    }
    checkBudget();
  }

  private void work(BatchWriter writer) {
    List<BoundStatement> chunk = new ArrayList<>(CHUNK + 16);
    List<RowRef> rows = new ArrayList<>(CHUNK + 16);
    SourceReader.Split split;
    while (!stop && (split = queue.poll()) != null) {
      String where = split.describe();
      SplitState state = new SplitState(split.checkpointName());
      boolean complete = false;
      try (SourceReader.Rows it = split.open()) {
        long ordinal = 0;
        while (!stop && it.hasNext()) {
          SourceReader.RawRow raw = it.next();
          ordinal++;
          read.incrementAndGet();
          String source = where + " row " + ordinal;
          if (raw.problem() != null) {
            bad(source, raw.problem(), raw);
            synchronized (state) {
              state.bad++;
            }
            continue;
          }
          try {
            ImportPlan.Converted row = plan.convert(raw.values());
            List<BoundStatement> out = statements.of(row);
            RowRef ref = new RowRef(source, row, checksum ? Checksum.row(row.values(), types) : 0,
                new AtomicBoolean(), state);
            for (BoundStatement s : out) {
              chunk.add(s);
              rows.add(ref);
            }
            if (chunk.size() >= CHUNK) {
              submit(writer, chunk, rows);
              chunk = new ArrayList<>(CHUNK + 16);
              rows = new ArrayList<>(CHUNK + 16);
            }
          } catch (ImportPlan.BadRow e) {
            bad(source, e.getMessage(), raw);
            synchronized (state) {
              state.bad++;
            }
          }
        }
        complete = !stop;
        synchronized (state) {
          state.read = ordinal;
        }
      } catch (RuntimeException e) {
        stop("split " + where + " could not be read", new IllegalStateException(
            String.format("Could not read %s: %s", where, e.getMessage()), e));
      }
      if (checkpoint != null && complete) {
        // The split's last rows go out now, so that the split can be recorded as soon as they are written.
        if (!chunk.isEmpty()) {
          submit(writer, chunk, rows);
          chunk = new ArrayList<>(CHUNK + 16);
          rows = new ArrayList<>(CHUNK + 16);
        }
        synchronized (state) {
          state.readFully = true;
        }
        recordIfDone(state);
      }
      int done = splitsDone.incrementAndGet();
      progress.onProgress(new Progress(done, reader.splits().size(), written.get()));
    }
    if (!chunk.isEmpty()) {
      submit(writer, chunk, rows);
    }
  }

  private void submit(BatchWriter writer, List<BoundStatement> chunk, List<RowRef> rows) {
    pending.acquireUninterruptibly();
    Set<SplitState> splits = Collections.newSetFromMap(new IdentityHashMap<>());
    rows.forEach(ref -> splits.add(ref.split()));
    for (SplitState split : splits) {
      synchronized (split) {
        split.outstandingChunks++;
      }
    }
    for (int i = 0; i < chunk.size(); i++) {
      inFlight.put(chunk.get(i), rows.get(i));
    }
    CompletionStage<WriteResult> result;
    try {
      result = writer.writeAsync(chunk);
    } catch (RuntimeException e) {
      chunk.forEach(inFlight::remove);
      pending.release();
      stop("the writer refused a chunk", e);
      return;
    }
    result.whenComplete((r, error) -> {
      RowRef last = null;
      for (RowRef ref : rows) {
        if (ref != last && !ref.failed().get()) {
          written.incrementAndGet();
          sum.addAndGet(ref.hash());
          synchronized (ref.split()) {
            ref.split().written++;
            ref.split().checksum += ref.hash();
          }
        }
        last = ref;
      }
      chunk.forEach(inFlight::remove);
      if (error != null) {
        stop("a write failed unexpectedly", error, true);
      }
      for (SplitState split : splits) {
        synchronized (split) {
          split.outstandingChunks--;
          split.writeFailed |= error != null;
        }
        if (checkpoint != null) {
          recordIfDone(split);
        }
      }
      pending.release();
    });
  }

  /** Records a split in the checkpoint once all its rows were read and written without a write failure. */
  private void recordIfDone(SplitState split) {
    ImportCheckpoint.Done done;
    synchronized (split) {
      if (!split.readFully || split.outstandingChunks > 0 || split.writeFailed || split.recorded) {
        return;
      }
      split.recorded = true;
      done = new ImportCheckpoint.Done(split.read, split.written, split.checksum, split.bad);
    }
    try {
      if (done.bad() > 0) {
        badRecords.flush(); // the split's bad records are in the file before the checkpoint says it is done
      }
      checkpoint.record(split.id, done);
    } catch (RuntimeException e) {
      stop("the checkpoint could not be written", e);
    }
  }

  /** The ring's token ranges holding the partitions of rows whose writes failed, in ring order. */
  List<TokenRange> failedRanges() {
    return failedRanges.stream().sorted(Comparator.comparingLong(TokenRange::start)).toList();
  }

  /** The raw values as a bad-records file shows them (the format's structures as maps and lists). */
  private Object[] reportable(Object[] values) {
    if (values == null) {
      return null;
    }
    Object[] shown = new Object[values.length];
    for (int i = 0; i < values.length; i++) {
      shown[i] = reader.format().reportable(values[i]);
    }
    return shown;
  }

  private void bad(String source, String reason, SourceReader.RawRow raw) {
    bad.incrementAndGet();
    try {
      badRecords.rawRow(source, reason, reader.columns(), reportable(raw.values()), raw.text());
    } catch (RuntimeException e) {
      stop("the bad-records file could not be written", e);
    }
    checkBudget();
  }

  private void checkBudget() {
    // The whole import's budget, as the final check: earlier runs' failed rows and rows read count too.
    long failed = bad.get() + writeFailed.get() + earlierFailed;
    if (!budgetExceeded && options.errorBudget().isExceeded(failed, read.get() + earlierRead)) {
      budgetExceeded = true;
      stop = true;
    }
    // Stopped, and the cluster fails writes: the writes not yet sent would only spend their retries.
    if (stop && writeFailed.get() > 0) {
      cancelWrites();
    }
  }

  /** Gives up the writes not yet sent, once the import has stopped. */
  private void cancelWrites() {
    BatchWriter w = writer;
    if (w != null) {
      w.cancel(budgetExceeded ? "the import exceeded its error budget"
          : "the import stopped: " + (fatal == null ? "interrupted" : fatal.getMessage()));
    }
  }

  private void stop(String why, Throwable error) {
    stop(why, error, false);
  }

  /**
   * Stops the readers with {@code error}; cancels the writes not yet sent when {@code cancel} is true or writes have
   * failed already.
   */
  private void stop(String why, Throwable error, boolean cancel) {
    if (fatal == null) {
      LOG.debug("Stopping the import: {}", why);
      fatal = error;
    }
    stop = true;
    if (cancel || writeFailed.get() > 0) {
      cancelWrites();
    }
  }
}
