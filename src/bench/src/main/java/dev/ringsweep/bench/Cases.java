package dev.ringsweep.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.DoubleSupplier;
import java.util.function.IntFunction;
import java.util.stream.IntStream;

/**
 * Runs the cases of one comparison in rounds, every case once per round in an order shuffled per round, so that
 * drift of the machine and the after-effects of one case on the next touch every case alike; checks that every run
 * processed the expected rows, and reduces the runs to medians.
 */
final class Cases {

  /** What one run of a case did. */
  record Sample(long rows, double seconds, double cpuSeconds, double peakRssMb, String note) {

    /** A sample of a measured child JVM, which must have exited with 0 (else {@link RunFailed}). */
    static Sample of(String label, ChildJvm.Run run, long rows, String note) {
      if (run.exitCode() != 0) {
        throw new RunFailed(String.format(Locale.ROOT, "%s failed (exit code %d):%n%s", label,
            run.exitCode(), run.errorTail()));
      }
      return new Sample(rows, run.wallSeconds(), run.cpuSeconds(), run.peakRssMb(), note);
    }

    /** A sample of work done in the harness's own JVM: wall time only. */
    static Sample inProcess(long rows, double seconds, String note) {
      return new Sample(rows, seconds, Double.NaN, Double.NaN, note);
    }
  }

  /** A measured tool exited with an error (e.g. a server-side read failure on a busy machine). */
  static final class RunFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunFailed(String message) {
      super(message);
    }
  }

  /** Attempts of one run of a case: a run whose tool fails is retried, for every tool alike, and counted. */
  static final int ATTEMPTS = 3;

  /**
   * CPU seconds the Cassandra nodes have used so far, summed over the nodes (set by the harness), or null: each run's
   * share is then given in its case's note, since the nodes share the client's cores.
   */
  static volatile DoubleSupplier serverCpuSeconds;

  /** Seed of the first round's order; round r uses SEED + r. */
  private static final long SEED = 20261121L;

  /** Untimed pause before each run, for the nodes to settle after the previous one. */
  private static final long SETTLE = 2000;

  /** One case: a label, its role, and how to run it once (the argument is the round, from 0). */
  record Case(String label, Measurement.Role role, IntFunction<Sample> run) {}

  private Cases() {}

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted between benchmark runs", e);
    }
  }

  /** The telling line of a failed run's message: an exception, the tool's own error line, or the last line. */
  static String reason(String message) {
    List<String> lines = message.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    return lines.stream().filter(l -> l.contains("Exception")).findFirst()
        .or(() -> lines.stream().filter(l -> l.startsWith("ringsweep:")).findFirst())
        .orElse(lines.isEmpty() ? "" : lines.get(lines.size() - 1));
  }

  /**
   * Runs every case {@code runs} times, in shuffled rounds, and returns one measurement per case.
   *
   * @throws IllegalStateException if a run processed other than {@code expectedRows} rows
   */
  static List<Measurement> measure(String group, List<Case> cases, int runs, long expectedRows) {
    return measure(group, cases, runs, expectedRows, SETTLE);
  }

  /** As {@link #measure(String, List, int, long)}, pausing {@code settleMillis} before each run. */
  static List<Measurement> measure(String group, List<Case> cases, int runs, long expectedRows, long settleMillis) {
    return measure(group, cases, runs, expectedRows, settleMillis, null);
  }

  /**
   * As {@link #measure(String, List, int, long)}, after a warm-up round: every case runs once first, in an order
   * shuffled like a round's, untimed and not counted (its rows are still checked; a run that fails there is only
   * reported). For cases that run in the harness's JVM, whose first round otherwise pays for the JIT compiling each
   * case's code paths and for the nodes' own warm-up, case after case.
   */
  static List<Measurement> measureAfterWarmUp(String group, List<Case> cases, int runs, long expectedRows) {
    return measureAfterWarmUp(group, cases, runs, expectedRows, SETTLE);
  }

  /** As {@link #measureAfterWarmUp(String, List, int, long)}, pausing {@code settleMillis} before each run. */
  static List<Measurement> measureAfterWarmUp(String group, List<Case> cases, int runs, long expectedRows,
      long settleMillis) {
    warmUp(cases, expectedRows, settleMillis, false);
    return measure(group, cases, runs, expectedRows, settleMillis, null);
  }

  /** The indexes of {@code cases} cases in round {@code round}'s order: shuffled, the same in every run. */
  private static List<Integer> order(int cases, int round) {
    List<Integer> order = new ArrayList<>(IntStream.range(0, cases).boxed().toList());
    Collections.shuffle(order, new Random(SEED + round));
    return order;
  }

  /**
   * Runs every case once with round {@code -1}, untimed, in a shuffled order; see {@link #measureAfterWarmUp}. A run
   * that processed other than {@code expectedRows} rows fails the comparison, unless {@code allowIncomplete} (where
   * not completing is itself a result, see {@link #measureAllowingFailures}): then it is only reported.
   */
  static void warmUp(List<Case> cases, long expectedRows, long settleMillis, boolean allowIncomplete) {
    for (int i : order(cases.size(), -1)) {
      Case c = cases.get(i);
      pause(settleMillis);
      Sample s;
      try {
        s = c.run().apply(-1);
      } catch (RunFailed e) {
        System.out.println("  " + c.label() + " failed in its warm-up run (not measured): " + reason(e.getMessage()));
        continue;
      }
      if (s.rows() != expectedRows) {
        String message = String.format(Locale.ROOT, "%s processed %,d rows in its warm-up run, expected %,d",
            c.label(), s.rows(), expectedRows);
        if (!allowIncomplete) {
          throw new IllegalStateException(message);
        }
        System.out.println("  " + message + " (not measured)");
        continue;
      }
      System.out.printf(Locale.ROOT, "  %-40s warm-up: %7.2f s (not measured)%n", c.label(), s.seconds());
    }
  }

  /**
   * As {@link #measure(String, List, int, long)}, but a contender whose run fails in all {@value #ATTEMPTS} attempts
   * is dropped instead of failing the whole comparison: its label and why go into {@code failed}, and it runs no
   * more (where not completing is itself the result, as for a fixed limit that overloads a node). The baseline may
   * not fail. After a warm-up round as {@link #measureAfterWarmUp}'s, where a failed or incomplete run is only
   * reported.
   */
  static List<Measurement> measureAllowingFailures(String group, List<Case> cases, int runs, long expectedRows,
      java.util.Map<String, String> failed) {
    return measureAllowingFailures(group, cases, runs, expectedRows, SETTLE, failed);
  }

  /** As {@link #measureAllowingFailures(String, List, int, long, java.util.Map)}, with this pause before each run. */
  static List<Measurement> measureAllowingFailures(String group, List<Case> cases, int runs, long expectedRows,
      long settleMillis, java.util.Map<String, String> failed) {
    warmUp(cases, expectedRows, settleMillis, true);
    return measure(group, cases, runs, expectedRows, settleMillis, failed);
  }

  private static List<Measurement> measure(String group, List<Case> cases, int runs, long expectedRows,
      long settleMillis, java.util.Map<String, String> failed) {
    List<List<Sample>> samples = new ArrayList<>();
    int[] failedAttempts = new int[cases.size()];
    String[] firstFailure = new String[cases.size()];
    cases.forEach(c -> samples.add(new ArrayList<>()));
    List<List<Double>> serverCpu = new ArrayList<>();
    cases.forEach(c -> serverCpu.add(new ArrayList<>()));
    DoubleSupplier server = serverCpuSeconds;
    for (int round = 0; round < runs; round++) {
      // Every case once per round, in an order shuffled per round (fixed seeds: runs are repeatable), so that
      // neither drift nor what a heavy neighbour leaves behind (SELECT count(*) leaves the nodes collecting
      // garbage) always falls on the same case; a short untimed pause lets the nodes settle between cases.
      for (int i : order(cases.size(), round)) {
        Case c = cases.get(i);
        if (failed != null && failed.containsKey(c.label())) {
          continue;
        }
        pause(settleMillis);
        double serverBefore = server == null ? Double.NaN : server.getAsDouble();
        Sample s = null;
        for (int attempt = 1; s == null; attempt++) {
          try {
            s = c.run().apply(round);
          } catch (RunFailed e) {
            failedAttempts[i]++;
            if (firstFailure[i] == null) {
              firstFailure[i] = reason(e.getMessage());
            }
            System.out.println("  " + c.label() + " failed (attempt " + attempt + "): " + firstFailure[i]);
            if (attempt >= ATTEMPTS) {
              if (failed == null || c.role() == Measurement.Role.BASELINE) {
                throw e;
              }
              failed.put(c.label(), String.format(Locale.ROOT, "failed in all %d attempts of run %d (%s)", ATTEMPTS,
                  round + 1, firstFailure[i].replace("|", "/")));
              System.out.println("  " + c.label() + " dropped: " + failed.get(c.label()));
              break;
            }
          }
        }
        if (s == null) {
          continue;
        }
        if (s.rows() != expectedRows) {
          throw new IllegalStateException(String.format(Locale.ROOT, "%s processed %,d rows, expected %,d",
              c.label(), s.rows(), expectedRows));
        }
        System.out.printf(Locale.ROOT, "  %-40s run %d: %7.2f s, CPU %6.1f s, peak RSS %6.0f MiB%n", c.label(),
            round + 1, s.seconds(), s.cpuSeconds(), s.peakRssMb());
        samples.get(i).add(s);
        serverCpu.get(i).add(server == null ? Double.NaN : server.getAsDouble() - serverBefore);
      }
    }
    List<Measurement> out = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      if (failed != null && failed.containsKey(cases.get(i).label())) {
        continue;
      }
      List<Sample> list = samples.get(i);
      String note = list.get(list.size() - 1).note();
      double serverMedian = Measurement.median(serverCpu.get(i));
      if (!Double.isNaN(serverMedian)) {
        note = (note == null || note.isEmpty() ? "" : note + "; ")
            + String.format(Locale.ROOT, "Cassandra CPU %.1f s", serverMedian);
      }
      if (failedAttempts[i] > 0) {
        note = (note == null || note.isEmpty() ? "" : note + "; ") + failedAttempts[i]
            + " failed attempt(s) retried, not counted (" + firstFailure[i].replace("|", "/") + ")";
      }
      out.add(new Measurement(group, cases.get(i).label(), cases.get(i).role(), expectedRows,
          Measurement.median(list.stream().map(Sample::seconds).toList()),
          Measurement.median(list.stream().map(Sample::cpuSeconds).toList()),
          Measurement.median(list.stream().map(Sample::peakRssMb).toList()), runs, note == null ? "" : note));
    }
    return out;
  }
}
