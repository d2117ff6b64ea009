package dev.ringsweep.cli;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.TokenRange;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Console progress bars of the command line (on standard error, so standard output stays the result), built on
 * {@code me.tongfei:progressbar}: elapsed time, ETA, and rows per second.
 */
final class ProgressBars {

  /** Whether progress bars are drawn. */
  enum Display {
    /** Draw progress bars on standard error. */
    SHOW,
    /** Draw nothing (scripts, tests, logs). */
    HIDE
  }

  /**
   * Line width when standard error is not a terminal and {@code COLUMNS} gives none: wide enough for an import's
   * line while a verification read runs, with its limit at the end (a log has no width to fit).
   */
  static final int NO_TERMINAL_WIDTH = 160;

  private final Display display;
  private final PrintStream stream;
  private final int noTerminalWidth;

  ProgressBars(Display display, PrintStream stream) {
    this(display, stream, noTerminalWidth(System.getenv("COLUMNS")));
  }

  ProgressBars(Display display, PrintStream stream, int noTerminalWidth) {
    this.display = display;
    this.stream = stream;
    this.noTerminalWidth = noTerminalWidth;
  }

  /**
   * The line width without a terminal: {@code columns} (the environment's {@code COLUMNS}) if it is a whole number of
   * at least 40, else {@link #NO_TERMINAL_WIDTH}.
   */
  static int noTerminalWidth(String columns) {
    if (columns != null) {
      try {
        int width = Integer.parseInt(columns.trim());
        if (width >= 40) {
          return width;
        }
      } catch (NumberFormatException e) {
        // not a width: the default
      }
    }
    return NO_TERMINAL_WIDTH;
  }

  /** A bar over a known number of rows (e.g. loading); its speed is rows/s. */
  Bar rows(String task, long totalRows) {
    if (display == Display.HIDE) {
      return Bar.NONE;
    }
    ProgressBar bar = builder(task).setInitialMax(totalRows).setUnit(" rows", 1).showSpeed().build();
    return new Bar() {
      @Override
      public void rowsDone(long rows) {
        bar.stepTo(rows);
      }

      @Override
      public void close() {
        bar.close();
      }
    };
  }

  /**
   * A bar over the token ranges of a bulk operation: it advances range by range (the ETA comes from the share of
   * ranges done), with the rows so far and rows/s beside it. Feed it through {@link RangeBar#listener()}.
   */
  RangeBar ranges(String task) {
    return parts(task, "ranges");
  }

  /** As {@link #ranges(String)}, for an operation whose parts are not token ranges (e.g. an import's splits). */
  RangeBar parts(String task, String unit) {
    if (display == Display.HIDE) {
      return new RangeBar(null);
    }
    return new RangeBar(builder(task).setInitialMax(-1).setUnit(" " + unit, 1).build());
  }

  private ProgressBarBuilder builder(String task) {
    return new ProgressBarBuilder()
        .setTaskName(task)
        .setStyle(System.console() != null ? ProgressBarStyle.COLORFUL_UNICODE_BLOCK : ProgressBarStyle.ASCII)
        .setUpdateIntervalMillis(250)
        .setConsumer(System.console() != null
            ? new ConsoleProgressBarConsumer(stream)
            : new ConsoleProgressBarConsumer(stream, noTerminalWidth));
  }

  /** One bar; closing it draws its final state and ends the line. */
  interface Bar extends AutoCloseable {

    /** A bar that draws nothing. */
    Bar NONE = new Bar() {
      @Override
      public void rowsDone(long rows) {}

      @Override
      public void close() {}
    };

    /** Sets the rows done so far. */
    void rowsDone(long rows);

    @Override
    void close();
  }

  /** A bar fed by an operation's {@link ProgressListener}. */
  static final class RangeBar implements AutoCloseable {
    private final ProgressBar bar;
    private final long started = System.nanoTime();
    private boolean closed;
    private long rows;
    /** Requests retried so far (range queries and writes): shown once there is one. */
    private long retries;
    /** The limits of the operation's own requests (a count's or an export's range queries, an import's writes). */
    private final Limits limits = new Limits();
    /** Where an import's verification read is, once one reported progress or a limit; else null. */
    private String verifying;
    /** Its progress, once it reported some; else null. */
    private Progress verificationProgress;
    /** Its limits. */
    private Limits verificationLimits = new Limits();

    private RangeBar(ProgressBar bar) {
      this.bar = bar;
    }

    /**
     * The listener to hand to the operator: it advances the bar and shows the current limit of range queries in
     * flight; a hidden bar's listener does nothing.
     */
    ProgressListener listener() {
      if (bar == null) {
        return ProgressListener.NONE;
      }
      return new ProgressListener() {
        @Override
        public void onProgress(Progress progress) {
          update(progress);
        }

        @Override
        public void onVerificationProgress(String read, Progress progress) {
          verifying(read, progress);
        }

        @Override
        public void onLimitChanged(LimitChange change) {
          limit(change);
        }

        @Override
        public void onVerificationLimitChanged(String read, LimitChange change) {
          verificationLimit(read, change);
        }

        @Override
        public void onRetry(TokenRange range, int attempt, Throwable error) {
          retried();
        }

        @Override
        public void onWriteRetry(int statements, int attempt, Throwable error) {
          retried();
        }
      };
    }

    private synchronized void retried() {
      retries++;
      redraw();
    }

    private synchronized void update(Progress progress) {
      if (closed) {
        return;
      }
      if (bar.getMax() != progress.rangesTotal()) {
        bar.maxHint(progress.rangesTotal());
      }
      bar.stepTo(progress.rangesDone());
      rows = progress.rows();
      if (verificationProgress != null && verificationProgress.rangesDone() == verificationProgress.rangesTotal()) {
        // A verification read that has finished (an import's count of the target before its writes) while the
        // operation goes on: no longer where the operation is.
        verifying = null;
      }
      redraw();
    }

    private synchronized void verifying(String read, Progress progress) {
      read(read);
      verificationProgress = progress;
      redraw();
    }

    private synchronized void verificationLimit(String read, LimitChange change) {
      read(read);
      verificationLimits.apply(change);
      redraw();
    }

    /** Makes {@code read} the verification read shown, with no progress or limit yet if it was not already. */
    private void read(String read) {
      if (!read.equals(verifying)) {
        verifying = read;
        verificationProgress = null;
        verificationLimits = new Limits();
      }
    }

    private synchronized void limit(LimitChange change) {
      limits.apply(change);
      redraw();
    }

    private void redraw() {
      if (!closed) {
        bar.setExtraMessage(message());
      }
    }

    /**
     * Rows so far, rows/s and (once the operation reported one) the limit of its requests in flight; while an
     * import's verification read is under way, the rows so far and that read instead, with its progress and its own
     * limit (once it reported them), so that the writes' limit is never shown as the read's and the line stays short
     * ({@code "20,000 rows; verifying checksum: 12/32 ranges, 7,500 rows, limit 12"}; {@code "verified"} once the read
     * is done); then (once there is one) the requests retried so far, range queries and writes together.
     */
    String message() {
      String text;
      if (verifying == null) {
        double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
        text = String.format(Locale.ROOT, "%,d rows, %,.0f rows/s", rows, rows / seconds) + limits.describe();
      } else {
        boolean done = verificationProgress != null
            && verificationProgress.rangesDone() == verificationProgress.rangesTotal();
        text = String.format(Locale.ROOT, "%,d rows; %s %s", rows, done ? "verified" : "verifying",
            verifying.replace(" of the target", ""));
        if (verificationProgress != null) {
          text += String.format(Locale.ROOT, ": %d/%d ranges, %,d rows", verificationProgress.rangesDone(),
              verificationProgress.rangesTotal(), verificationProgress.rows());
        }
        text += verificationLimits.describe();
      }
      if (retries > 0) {
        text += String.format(Locale.ROOT, ", %,d %s", retries, retries == 1 ? "retry" : "retries");
      }
      return text;
    }

    /** Draws the final state and ends the line; later calls do nothing. */
    @Override
    public synchronized void close() {
      if (bar != null && !closed) {
        closed = true;
        bar.close();
      }
    }
  }

  /**
   * Where the limits of requests in flight of one operation (or import verification read) stand, from its
   * {@link LimitChange}s: one limit, or one per replica set under a ceiling on their sum, or one that the replica sets
   * share while they are pooled.
   */
  static final class Limits {
    /** The limit of scope {@link LimitChange#ALL}: the one limit, the ceiling on the sum, or the pooled limit. */
    private int limit;
    /** The current limit of each replica set that has one of its own (see {@link LimitChange#scope()}). */
    private final java.util.Map<String, Integer> replicaSetLimits = new java.util.TreeMap<>();
    /** Whether the replica sets share one limit ({@link LimitChange.Cause#POOLED}): then {@link #limit} is it. */
    private boolean pooled;

    void apply(LimitChange change) {
      if (change.isPerReplicaSet()) {
        replicaSetLimits.put(change.scope(), change.limit());
        return;
      }
      if (change.cause() == LimitChange.Cause.START) {
        // A new operation: the replica sets of the one before are not this one's.
        replicaSetLimits.clear();
      }
      if (change.cause() == LimitChange.Cause.POOLED) {
        pooled = true;
      } else if (change.cause() == LimitChange.Cause.UNPOOLED || change.cause() == LimitChange.Cause.START) {
        pooled = false;
      }
      limit = change.limit();
    }

    /**
     * {@code ", limit 12"}; with limits per replica set, their sum (at most the ceiling) and how many replica sets
     * share it ({@code ", limit 12 over 3 replica sets"}), or the one limit they share while they are pooled
     * ({@code ", limit 6 shared by 3 replica sets"}); {@code ""} before the first change.
     */
    String describe() {
      if (pooled) {
        return ", limit " + limit + " shared by " + replicaSetLimits.size() + " replica sets";
      } else if (!replicaSetLimits.isEmpty()) {
        int sum = replicaSetLimits.values().stream().mapToInt(Integer::intValue).sum();
        return ", limit " + (limit > 0 ? Math.min(limit, sum) : sum) + " over " + replicaSetLimits.size()
            + " replica sets";
      }
      return limit > 0 ? ", limit " + limit : "";
    }
  }
}
