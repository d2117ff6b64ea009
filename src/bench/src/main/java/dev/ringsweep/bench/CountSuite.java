package dev.ringsweep.bench;

import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Count: Ringsweep's count with default options against {@code SELECT count(*)}, and a sweep of split counts and
 * parallelism, all in the harness's JVM on the same table in the same run.
 */
final class CountSuite {

  private static final int[] PARALLELISM = {8, 16, 32, 64, 128};

  /** Marks a baseline whose runs failed: its seconds are the time to the failure, not to a count. */
  static final String TIMED_OUT = "timed out";
  private static final int[] SPLIT_FACTORS = {1, 2, 4, 16};

  /** Page sizes tried with the other defaults, beside the default page size. */
  private static final int[] LARGER_PAGES = {20_000, 50_000};

  private CountSuite() {}

  static Suite run(BenchContext ctx) {
    Suite suite = new Suite("count", String.format(Locale.ROOT, "Count (%d node(s), %,d rows)", ctx.nodes(),
        ctx.rows()));
    String table = BenchTable.KEYSPACE + "." + BenchTable.TABLE;
    TokenAwareBulkOperator defaults = TokenAwareBulkOperator.builder(ctx.session()).build();
    countChecked(defaults, ctx.rows()); // warm-up: prepared statements, caches

    AtomicInteger timeouts = new AtomicInteger();
    List<Cases.Case> inProcess = new ArrayList<>();
    inProcess.add(new Cases.Case("SELECT count(*)", Measurement.Role.BASELINE, round -> {
      long start = System.nanoTime();
      long n;
      try {
        n = ctx.session().execute(SimpleStatement.newInstance("SELECT count(*) FROM " + table)
            .setTimeout(Duration.ofMinutes(10))).one().getLong(0);
      } catch (DriverException e) {
        timeouts.incrementAndGet();
        System.out.println("  SELECT count(*) failed: " + e);
        n = ctx.rows(); // a failed run counts as its elapsed time; the note says how many failed
      }
      return Cases.Sample.inProcess(n, (System.nanoTime() - start) / 1e9, "");
    }));
    inProcess.add(new Cases.Case(String.format(Locale.ROOT, "Ringsweep defaults (%d pieces, parallelism %d)",
        defaults.plan(BenchTable.KEYSPACE).pieceCount(), defaults.options().parallelism()),
        Measurement.Role.CONTENDER, round -> sample(defaults, ctx.rows())));
    for (int pageSize : LARGER_PAGES) {
      // Count's range queries return one row; their page size only sets how the server pages internally.
      TokenAwareBulkOperator op = TokenAwareBulkOperator.builder(ctx.session()).pageSize(pageSize).build();
      inProcess.add(new Cases.Case(String.format(Locale.ROOT, "Ringsweep defaults, page size %,d", pageSize),
          Measurement.Role.CONTENDER, round -> sample(op, ctx.rows())));
    }
    int main = inProcess.size();
    int ring = defaults.plan(BenchTable.KEYSPACE).ring().size();
    Map<String, int[]> sweepSettings = new LinkedHashMap<>();
    for (int factor : SPLIT_FACTORS) {
      for (int parallelism : PARALLELISM) {
        TokenAwareBulkOperator op = TokenAwareBulkOperator.builder(ctx.session()).splitCount(factor * ring)
            .parallelism(parallelism).build();
        int pieces = op.plan(BenchTable.KEYSPACE).pieceCount();
        String label = String.format(Locale.ROOT, "%d pieces × parallelism %d", pieces, parallelism);
        sweepSettings.put(label, new int[] {pieces, parallelism});
        inProcess.add(new Cases.Case(label, Measurement.Role.CONTENDER, round -> sample(op, ctx.rows())));
      }
    }
    System.out.println("count: warming up (one untimed SELECT count(*) and one count with the defaults)");
    inProcess.get(0).run().apply(-1);
    sample(defaults, ctx.rows());
    timeouts.set(0); // a timed-out warm-up is not a measured run
    System.out.println("count: SELECT count(*), defaults and the sweep, in the harness's JVM");
    String mainGroup = "SELECT count(*) against Ringsweep's defaults (in the harness's JVM)";
    String sweep = "split count × parallelism sweep, against SELECT count(*)";
    List<Measurement> measured = new ArrayList<>(Cases.measure(mainGroup, inProcess, ctx.runs(), ctx.rows()));
    if (timeouts.get() > 0) {
      Measurement m = measured.get(0);
      measured.set(0, new Measurement(m.group(), String.format(Locale.ROOT, "%s (%s in %d of %d runs)", m.label(),
          TIMED_OUT, timeouts.get(), ctx.runs()), m.baseline(), m.rows(), m.seconds(), m.cpuSeconds(),
          m.peakRssMb(), m.runs(), m.note()));
    }
    measured.subList(0, main).forEach(suite::add);
    Measurement server = measured.get(0);
    suite.add(new Measurement(sweep, server.label(), Measurement.Role.BASELINE, server.rows(), server.seconds(),
        server.cpuSeconds(), server.peakRssMb(), server.runs(), "the same runs as above"));
    measured.subList(main, measured.size()).forEach(m -> suite.add(new Measurement(sweep, m.label(), m.baseline(),
        m.rows(), m.seconds(), m.cpuSeconds(), m.peakRssMb(), m.runs(), m.note())));
    if (timeouts.get() > 0) {
      suite.note(timeouts.get() + " run(s) of SELECT count(*) failed (server timeout): their seconds are the time to "
          + "the failure, so a ratio against them only says Ringsweep finished where SELECT count(*) could not.");
    }
    suite.note(String.format(Locale.ROOT, "The ring has %d token ranges (vnodes); the sweep splits it into 1, 2, 4 "
        + "and 16 pieces per range. In-process runs have no separate client CPU/RSS figures. One untimed "
        + "SELECT count(*) and one untimed count with the defaults ran first (JIT and caches warm).", ring));
    Map<Integer, double[][]> lines = new TreeMap<>();
    List<Measurement> sweepResults = measured.subList(main, measured.size());
    for (int i = 0; i < sweepResults.size(); i++) {
      int[] setting = sweepSettings.get(sweepResults.get(i).label());
      int column = i % PARALLELISM.length;
      double[][] xy = lines.computeIfAbsent(setting[0], k -> new double[2][PARALLELISM.length]);
      xy[0][column] = setting[1];
      xy[1][column] = sweepResults.get(i).rowsPerSecond();
    }
    Map<String, double[][]> series = new LinkedHashMap<>();
    lines.forEach((pieces, xy) -> series.put(pieces + " pieces", xy));
    suite.chart("count-sweep.png", file -> Charts.lines(file, String.format(Locale.ROOT,
        "Ringsweep count, %d node(s), %s rows: rows/s by parallelism (SELECT count(*): %,.0f rows/s)", ctx.nodes(),
        HarnessArgs.label(ctx.rows()), server.rowsPerSecond()), "parallelism (range queries in flight)", "rows/s",
        series));

    suite.note("DSBulk's count workflow is not published on Maven Central (dsbulk-workflow-count), so "
        + "`dsbulk count` is not compared; the scaling suite measures `ringsweep count` in a child JVM.");
    return suite;
  }

  /** The number a Ringsweep command printed first on its standard output ({@code "123 rows in …"}), or -1. */
  static long leadingNumber(String output) {
    String trimmed = output.strip();
    int end = 0;
    while (end < trimmed.length() && Character.isDigit(trimmed.charAt(end))) {
      end++;
    }
    return end == 0 ? -1 : Long.parseLong(trimmed.substring(0, end));
  }

  private static Cases.Sample sample(TokenAwareBulkOperator op, long rows) {
    long start = System.nanoTime(); // wall time around the call, as for SELECT count(*)
    CountResult result = countChecked(op, rows);
    return Cases.Sample.inProcess(result.rows(), (System.nanoTime() - start) / 1e9, "");
  }

  private static CountResult countChecked(TokenAwareBulkOperator op, long rows) {
    CountResult result = op.count(BenchTable.KEYSPACE, BenchTable.TABLE);
    if (result.rows() != rows) {
      throw new IllegalStateException("Ringsweep counted " + result.rows() + " rows, expected " + rows);
    }
    return result;
  }
}
