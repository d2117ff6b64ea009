package dev.ringsweep.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;

/**
 * Runs the cases of one comparison round-robin (case A, B, C, then A, B, C again …), so that drift of the machine
 * touches every case alike, checks that every run processed the expected rows, and reduces the runs to medians.
 */
final class Cases {

  /** What one run of a case did. */
  record Sample(long rows, double seconds, double cpuSeconds, double peakRssMb, String note) {

    /** A sample of a measured child JVM, which must have exited with 0. */
    static Sample of(String label, ChildJvm.Run run, long rows, String note) {
      if (run.exitCode() != 0) {
        throw new IllegalStateException(String.format(Locale.ROOT, "%s failed (exit code %d):%n%s", label,
            run.exitCode(), run.errorTail()));
      }
      return new Sample(rows, run.wallSeconds(), run.cpuSeconds(), run.peakRssMb(), note);
    }

    /** A sample of work done in the harness's own JVM: wall time only. */
    static Sample inProcess(long rows, double seconds, String note) {
      return new Sample(rows, seconds, Double.NaN, Double.NaN, note);
    }
  }

  /** One case: a label, its role, and how to run it once (the argument is the round, from 0). */
  record Case(String label, Measurement.Role role, IntFunction<Sample> run) {}

  private Cases() {}

  /**
   * Runs every case {@code runs} times, round-robin, and returns one measurement per case.
   *
   * @throws IllegalStateException if a run processed other than {@code expectedRows} rows
   */
  static List<Measurement> measure(String group, List<Case> cases, int runs, long expectedRows) {
    List<List<Sample>> samples = new ArrayList<>();
    cases.forEach(c -> samples.add(new ArrayList<>()));
    for (int round = 0; round < runs; round++) {
      for (int i = 0; i < cases.size(); i++) {
        Case c = cases.get(i);
        Sample s = c.run().apply(round);
        if (s.rows() != expectedRows) {
          throw new IllegalStateException(String.format(Locale.ROOT, "%s processed %,d rows, expected %,d",
              c.label(), s.rows(), expectedRows));
        }
        System.out.printf(Locale.ROOT, "  %-40s run %d: %7.2f s, CPU %6.1f s, peak RSS %6.0f MiB%n", c.label(),
            round + 1, s.seconds(), s.cpuSeconds(), s.peakRssMb());
        samples.get(i).add(s);
      }
    }
    List<Measurement> out = new ArrayList<>();
    for (int i = 0; i < cases.size(); i++) {
      List<Sample> list = samples.get(i);
      String note = list.get(list.size() - 1).note();
      out.add(new Measurement(group, cases.get(i).label(), cases.get(i).role(), expectedRows,
          Measurement.median(list.stream().map(Sample::seconds).toList()),
          Measurement.median(list.stream().map(Sample::cpuSeconds).toList()),
          Measurement.median(list.stream().map(Sample::peakRssMb).toList()), runs, note == null ? "" : note));
    }
    return out;
  }
}
