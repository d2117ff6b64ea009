package dev.ringsweep.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.testing.TestData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Count benchmark: Ringsweep's count with default options against {@code SELECT count(*)} and against a sweep of
 * split counts and parallelism, all measured in the same run on the same table. Not a test: run it with
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.ringsweep.bench.CountBenchmark \
 *     -Dexec.args="--nodes 3 --rows 1000000"
 * </pre>
 *
 * It starts its own local cluster (subnet 9 by default, so it does not collide with test clusters), loads the
 * table, prints a markdown report and writes it to {@code benchmarks/results/count-<nodes>node.md}.
 */
public final class CountBenchmark {

  private CountBenchmark() {}

  /** Entry point; arguments: {@code --nodes N --rows N --vnodes N --runs N --subnet N}. */
  public static void main(String[] args) throws Exception {
    int nodes = intArg(args, "--nodes", 3);
    long rows = intArg(args, "--rows", 1_000_000);
    int vnodes = intArg(args, "--vnodes", 16);
    int runs = intArg(args, "--runs", 3);
    int subnet = intArg(args, "--subnet", 9);
    try (LocalCluster cluster =
        LocalCluster.builder()
            .dataCenter("dc1", nodes)
            .numTokens(vnodes)
            .subnet(subnet)
            .clusterName("bench" + nodes)
            .heapMegabytes(nodes == 1 ? 1024 : 768)
            .build()
            .start();
        CqlSession session =
            CqlSession.builder().addContactPoints(cluster.contactPoints()).withLocalDatacenter("dc1").build()) {
      String report = run(session, nodes, vnodes, rows, runs);
      System.out.println(report);
      Path out = Path.of("benchmarks", "results", "count-" + nodes + "node.md");
      Files.createDirectories(out.getParent());
      Files.writeString(out, report);
      System.out.println("Written to " + out);
    }
    System.exit(0);
  }

  private static String run(CqlSession session, int nodes, int vnodes, long rows, int runs) {
    session.execute(SimpleStatement.newInstance("CREATE KEYSPACE IF NOT EXISTS bench WITH replication = "
        + "{'class': 'SimpleStrategy', 'replication_factor': 1}").setTimeout(Duration.ofMinutes(1)));
    session.execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS bench.rows "
        + "(id bigint PRIMARY KEY, a text, b int, c double, d timestamp, e text)").setTimeout(Duration.ofMinutes(1)));
    long loadStart = System.nanoTime();
    TestData.insert(session, "INSERT INTO bench.rows (id, a, b, c, d, e) VALUES (?, ?, ?, ?, ?, ?)", rows,
        i -> new Object[] {i, "name-" + i, (int) i, i * 1.5, java.time.Instant.ofEpochMilli(i), "payload-" + (i % 97)});
    System.out.printf("Loaded %,d rows in %.1f s%n", rows, (System.nanoTime() - loadStart) / 1e9);

    TokenAwareBulkOperator defaults = TokenAwareBulkOperator.builder(session).build();
    check(defaults.count("bench", "rows"), rows); // warm-up

    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "# Count benchmark: %d node(s), %d vnodes, %,d rows%n%n", nodes, vnodes, rows));
    md.append(machine()).append("\n");
    md.append("Median of ").append(runs).append(" runs each; every ratio is against figures measured in this run.\n\n");

    double[] server = selectCountStar(session, rows, runs);
    double ringsweep = median(runs, () -> check(defaults.count("bench", "rows"), rows));
    int defSplits = defaults.options().splitCount();
    int defPar = defaults.options().parallelism();

    md.append("| method | splits | parallelism | seconds (median) | speed-up vs SELECT count(*) |\n");
    md.append("| --- | ---: | ---: | ---: | ---: |\n");
    md.append(String.format(Locale.ROOT, "| SELECT count(*) | – | 1 | %s | 1.00 |%n",
        server[1] > 0 ? String.format(Locale.ROOT, "%.2f (%d of %d timed out)", server[0], (int) server[1], runs)
            : String.format(Locale.ROOT, "%.2f", server[0])));
    md.append(String.format(Locale.ROOT, "| Ringsweep defaults | %d | %d | %.2f | %.2f |%n",
        defSplits, defPar, ringsweep, server[0] / ringsweep));

    int ring = defaults.plan("bench").ring().size();
    List<double[]> sweep = new ArrayList<>();
    for (int splits : new int[] {ring, 2 * ring, 4 * ring, 16 * ring}) {
      for (int par : new int[] {4, 8, 16, 32, 64}) {
        TokenAwareBulkOperator op = TokenAwareBulkOperator.builder(session).splitCount(splits).parallelism(par).build();
        double s = median(runs, () -> check(op.count("bench", "rows"), rows));
        sweep.add(new double[] {op.plan("bench").pieceCount(), par, s});
      }
    }
    double best = sweep.stream().mapToDouble(r -> r[2]).min().orElseThrow();
    md.append("\nSweep (pieces × parallelism); ratio = time / best time of the sweep:\n\n");
    md.append("| pieces | parallelism | seconds (median) | ratio to best |\n| ---: | ---: | ---: | ---: |\n");
    for (double[] r : sweep) {
      md.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %.2f |%n", (int) r[0], (int) r[1], r[2], r[2] / best));
    }
    md.append(String.format(Locale.ROOT,
        "%nDefaults vs SELECT count(*): **%.2f× faster**. Defaults vs best hand-tuned setting: **%.2f×** the best time.%n",
        server[0] / ringsweep, ringsweep / best));
    return md.toString();
  }

  /** Median seconds of SELECT count(*) and how many runs timed out (a timed-out run counts as its elapsed time). */
  private static double[] selectCountStar(CqlSession session, long rows, int runs) {
    double[] times = new double[runs];
    int timeouts = 0;
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      try {
        long n = session.execute(SimpleStatement.newInstance("SELECT count(*) FROM bench.rows")
            .setTimeout(Duration.ofMinutes(5))).one().getLong(0);
        if (n != rows) {
          throw new IllegalStateException("SELECT count(*) returned " + n + ", expected " + rows);
        }
      } catch (com.datastax.oss.driver.api.core.DriverException e) {
        timeouts++;
        System.out.println("SELECT count(*) failed: " + e);
      }
      times[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(times);
    return new double[] {times[runs / 2], timeouts};
  }

  private static CountResult check(CountResult result, long rows) {
    if (result.rows() != rows) {
      throw new IllegalStateException("Ringsweep counted " + result.rows() + ", expected " + rows);
    }
    return result;
  }

  private static double median(int runs, java.util.function.Supplier<CountResult> count) {
    double[] times = new double[runs];
    for (int i = 0; i < runs; i++) {
      times[i] = count.get().duration().toNanos() / 1e9;
    }
    Arrays.sort(times);
    return times[runs / 2];
  }

  static String machine() {
    return String.format(Locale.ROOT, "Machine: %d cores, %d MiB max heap for the client, %s %s, Java %s; "
            + "the Cassandra nodes run on the same machine.%n",
        Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
        System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
  }

  private static int intArg(String[] args, String name, int fallback) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        try {
          return Integer.parseInt(args[i + 1]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("Invalid " + name + ": '" + args[i + 1] + "' (expected an integer)");
        }
      }
    }
    return fallback;
  }
}
