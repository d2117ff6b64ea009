package dev.ringsweep.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.batch.BatchMode;
import dev.ringsweep.batch.BatchWriter;
import dev.ringsweep.batch.WriteResult;
import dev.ringsweep.cluster.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * LOGGED vs UNLOGGED batches vs concurrent single-row writes through the {@link BatchWriter}, at batch sizes 5, 10,
 * 25, 50 and 100: an entry point, not a test.
 *
 * <pre>
 * mvn -q test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.ringsweep.bench.BatchBenchmark \
 *     -Dexec.args="--nodes 1" -Dringsweep.cluster.subnet=2
 * </pre>
 *
 * <p>Starts a local cluster of {@code --nodes} nodes in one data center (RF = min(nodes, 3)) unless
 * {@code --contact-points host:port,...} (with {@code --local-dc}) names one. Each iteration writes {@code size}
 * fresh rows, one call per mode: one LOGGED batch, one UNLOGGED batch (rows in different partitions, as a caller
 * who batches unrelated rows would), {@code size} concurrent single statements, and, for contrast, one UNLOGGED
 * batch whose rows share a partition. Modes take turns within an iteration, so that drift affects all alike. A
 * warm-up of {@code --warmup} passes over every size and mode comes first and is not measured. Prints a markdown
 * table and writes it to {@code benchmarks/results/batch-<nodes>node.md} (or {@code --out}).
 */
public final class BatchBenchmark {

  static final int[] SIZES = {5, 10, 25, 50, 100};
  private static final String KEYSPACE = "batch_bench";

  /** The ways of writing {@code size} rows compared here. */
  enum Mode {
    LOGGED("LOGGED batch"),
    UNLOGGED("UNLOGGED batch"),
    CONCURRENT("concurrent singles"),
    UNLOGGED_ONE_PARTITION("UNLOGGED, 1 partition");

    final String label;

    Mode(String label) {
      this.label = label;
    }
  }

  private final CqlSession session;
  private final Map<Mode, BatchWriter> writers = new EnumMap<>(Mode.class);
  private final PreparedStatement insert;
  private final String payload = "x".repeat(100);
  private long nextKey;

  private BatchBenchmark(CqlSession session, int replicationFactor) {
    this.session = session;
    session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + KEYSPACE).setTimeout(Duration.ofMinutes(1)));
    session.execute(SimpleStatement.newInstance("CREATE KEYSPACE " + KEYSPACE + " WITH replication = "
        + "{'class':'SimpleStrategy','replication_factor':" + replicationFactor + "}"));
    session.execute(SimpleStatement.newInstance("CREATE TABLE " + KEYSPACE
        + ".items (k bigint, c int, v text, PRIMARY KEY (k, c))").setTimeout(Duration.ofMinutes(1)));
    insert = session.prepare(SimpleStatement.newInstance(
        "INSERT INTO " + KEYSPACE + ".items (k, c, v) VALUES (?, ?, ?)").setIdempotent(true));
    writers.put(Mode.LOGGED, BatchWriter.builder(session).batchType(BatchMode.LOGGED).build());
    writers.put(Mode.UNLOGGED, BatchWriter.builder(session).batchType(BatchMode.UNLOGGED).build());
    writers.put(Mode.CONCURRENT, BatchWriter.builder(session).batchType(BatchMode.NONE).build());
    writers.put(Mode.UNLOGGED_ONE_PARTITION, writers.get(Mode.UNLOGGED));
  }

  /** Writes {@code size} fresh rows in {@code mode}; returns the call's latency in nanoseconds. */
  private long writeOnce(Mode mode, int size) {
    List<BoundStatement> rows = new ArrayList<>(size);
    long partition = nextKey++;
    for (int i = 0; i < size; i++) {
      rows.add(mode == Mode.UNLOGGED_ONE_PARTITION
          ? insert.bind(partition, i, payload)
          : insert.bind(nextKey++, 0, payload));
    }
    BatchWriter writer = writers.get(mode);
    long start = System.nanoTime();
    WriteResult result = mode == Mode.CONCURRENT ? writer.write(rows) : writer.writeUnit(rows);
    long latency = System.nanoTime() - start;
    if (!result.allWritten()) {
      throw new IllegalStateException(mode + " failed to write " + result.failed() + " of " + size + " rows");
    }
    return latency;
  }

  private BenchmarkReport run(int iterations, int warmupPasses) {
    for (int pass = 0; pass < warmupPasses; pass++) {
      for (int size : SIZES) {
        for (Mode mode : Mode.values()) {
          writeOnce(mode, size);
        }
      }
    }
    BenchmarkReport report = new BenchmarkReport(iterations);
    Mode[] modes = Mode.values();
    for (int size : SIZES) {
      for (int i = 0; i < iterations; i++) {
        for (int m = 0; m < modes.length; m++) {
          Mode mode = modes[(m + i) % modes.length]; // rotate who goes first
          report.record(size, mode, writeOnce(mode, size));
        }
      }
    }
    return report;
  }

  /**
   * Runs the benchmark on an open session (keyspace {@code batch_bench} is dropped and created with
   * {@code replicationFactor}); the benchmark harness's batch suite calls this.
   */
  static BenchmarkReport measure(CqlSession session, int replicationFactor, int iterations, int warmupPasses) {
    return new BatchBenchmark(session, replicationFactor).run(iterations, warmupPasses);
  }

  public static void main(String[] args) {
    Options options = Options.parse(args);
    LocalCluster cluster = null;
    try {
      List<InetSocketAddress> contactPoints = options.contactPoints;
      String localDc = options.localDc;
      if (contactPoints.isEmpty()) {
        System.out.printf("Starting a local cluster of %s node(s) (logs under benchmarks/work)...%n", options.nodes);
        cluster = LocalCluster.builder().clusterName("bench" + options.nodes).dataCenter("dc1", options.nodes)
            .numTokens(16).firstHostIndex(20).workDir(Path.of("benchmarks", "work")).build().start();
        contactPoints = cluster.contactPoints();
        localDc = cluster.firstDataCenter();
      }
      DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
          .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
          .withBoolean(DefaultDriverOption.REQUEST_LOG_WARNINGS, false) // batches over 5 KiB make the server warn
          .build();
      try (CqlSession session = CqlSession.builder().addContactPoints(contactPoints).withLocalDatacenter(localDc)
          .withConfigLoader(config).build()) {
        int nodes = session.getMetadata().getNodes().size();
        int rf = Math.min(nodes, 3);
        BatchBenchmark benchmark = new BatchBenchmark(session, rf);
        double loadBefore = BenchmarkReport.loadAverage();
        long start = System.nanoTime();
        BenchmarkReport report = benchmark.run(options.iterations, options.warmup);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        String markdown = report.markdown(nodes, rf, options.warmup, session, elapsed, loadBefore,
            BenchmarkReport.loadAverage());
        System.out.println(markdown);
        Path out = options.out != null ? options.out : Path.of("benchmarks", "results", "batch-" + nodes + "node.md");
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        System.out.println("Written to " + out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** Command-line options. */
  private static final class Options {
    int nodes = 1;
    int iterations = 10;
    int warmup = 10;
    List<InetSocketAddress> contactPoints = List.of();
    String localDc = "dc1";
    Path out;

    static Options parse(String[] args) {
      Options options = new Options();
      for (int i = 0; i < args.length; i++) {
        String value = i + 1 < args.length ? args[i + 1] : null;
        switch (args[i]) {
          case "--nodes" -> options.nodes = positive(args[i], value);
          case "--iterations" -> options.iterations = positive(args[i], value);
          case "--warmup" -> options.warmup = Integer.parseInt(value);
          case "--local-dc" -> options.localDc = value;
          case "--out" -> options.out = Path.of(value);
          case "--contact-points" -> {
            List<InetSocketAddress> points = new ArrayList<>();
            for (String point : value.split(",")) {
              int colon = point.lastIndexOf(':');
              points.add(new InetSocketAddress(point.substring(0, colon), Integer.parseInt(point.substring(colon + 1))));
            }
            options.contactPoints = points;
          }
          default -> throw new IllegalArgumentException("Unknown option: " + args[i] + " (known: --nodes, "
              + "--iterations, --warmup, --contact-points, --local-dc, --out)");
        }
        i++;
      }
      return options;
    }

    private static int positive(String name, String value) {
      int parsed = Integer.parseInt(value);
      if (parsed < 1) {
        throw new IllegalArgumentException(String.format("Invalid %s: %s (must be > 0)", name, value));
      }
      return parsed;
    }
  }
}
