package dev.ringsweep.bench;

import dev.ringsweep.LimitChange;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.TokenRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one run of an adaptive-overload case tallies: its timeouts (retried requests), and each change of its limits
 * with the time from the operation's start ({@link #started}), so that a page's results show what the adaptive
 * default decided and when (the {@code limit-traces/} directory next to the page; {@link #append}). As an operator's
 * progress listener it counts each retried range query as a timeout and records each change of a limit.
 */
final class RunTally implements ProgressListener {

  /** The columns of a trace file. */
  static final String HEADER = "round,millis,scope,previous,limit,cause,detail";

  /** The file, next to the traces, of every measured run of every case: its seconds and its timeouts. */
  static final String RUNS = "runs.csv";

  /** The columns of {@link #RUNS}. */
  static final String RUNS_HEADER = "case,round,seconds,timeouts";

  private final AtomicLong timeouts = new AtomicLong();
  private volatile long start = System.nanoTime();
  private final List<String> changes = new ArrayList<>();

  /**
   * Marks the operation's start, from which its changes are timed (by default the tally's creation, which comes
   * before the run's own session is opened).
   */
  void started() {
    start = System.nanoTime();
  }

  @Override
  public void onProgress(Progress progress) {}

  /** Counts the retry of a range query (after a timeout or an overloaded node) as one timeout. */
  @Override
  public void onRetry(TokenRange range, int attempt, Throwable error) {
    timeouts.incrementAndGet();
  }

  /** Counts {@code n} timeouts. */
  void timedOut(long n) {
    timeouts.addAndGet(n);
  }

  /** The timeouts counted so far. */
  long timeouts() {
    return timeouts.get();
  }

  /** Records a change of one of the run's limits, timed from the operation's start. */
  @Override
  public synchronized void onLimitChanged(LimitChange change) {
    changes.add(String.format(Locale.ROOT, "%d,%s,%d,%d,%s,%s", (System.nanoTime() - start) / 1_000_000,
        quoted(change.scope()), change.previousLimit(), change.limit(), change.cause(), quoted(change.detail())));
  }

  /** The changes recorded, one CSV line each without the round. */
  synchronized List<String> changes() {
    return List.copyOf(changes);
  }

  /**
   * Appends the run's changes as round {@code round} to {@code file} (created with {@link #HEADER} if it does not
   * exist yet).
   */
  void append(Path file, int round) {
    List<String> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      lines.add(HEADER);
    }
    for (String change : changes()) {
      lines.add(round + "," + change);
    }
    write(file, lines);
  }

  private static void write(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.getParent());
      Files.write(file, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write " + file, e);
    }
  }

  /**
   * Appends this run of case {@code label}, round {@code round}, that took {@code seconds}, to {@code file} (created
   * with {@link #RUNS_HEADER} if it does not exist yet), with its timeouts: so that a trace's rounds can be read
   * beside each run's outcome.
   */
  void appendRun(Path file, String label, int round, double seconds) {
    List<String> lines = new ArrayList<>();
    if (!Files.exists(file)) {
      lines.add(RUNS_HEADER);
    }
    lines.add(String.format(Locale.ROOT, "%s,%d,%.3f,%d", quoted(label), round, seconds, timeouts()));
    write(file, lines);
  }

  /** The name of a case's trace file: its label in lower case, with a dash for every run of other characters. */
  static String fileName(String label) {
    return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "") + ".csv";
  }

  private static String quoted(String value) {
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
