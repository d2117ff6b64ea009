package dev.ringsweep.cli;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.CountResult;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.cluster.LocalCluster;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The main job ({@code mvn -q compile exec:java}): starts an embedded single-node Cassandra unless
 * {@code RINGSWEEP_CONTACT_POINTS} (and {@code RINGSWEEP_LOCAL_DC}) name a cluster, creates and loads a sample
 * table, and counts it with Ringsweep and with {@code SELECT count(*)}.
 *
 * <p>System properties: {@code ringsweep.demo.rows} (default 200000).
 */
public final class Main {

  private static final String KEYSPACE = "ringsweep_demo";
  private static final String TABLE = "events";

  private Main() {}

  /** Runs the main job; exits non-zero with a one-line error on failure. */
  public static void main(String[] args) {
    try {
      run(Long.getLong("ringsweep.demo.rows", 200_000));
    } catch (RuntimeException e) {
      System.err.println("ringsweep: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(long rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("Invalid ringsweep.demo.rows: " + rows + " (must be >= 0)");
    }
    String contactPoints = System.getenv("RINGSWEEP_CONTACT_POINTS");
    LocalCluster cluster = null;
    try {
      List<InetSocketAddress> points;
      String dc;
      if (contactPoints == null || contactPoints.isBlank()) {
        System.out.println("Starting an embedded Cassandra node (a child JVM; logs under target/ringsweep-cluster)…");
        cluster = LocalCluster.builder().build().start();
        points = cluster.contactPoints();
        dc = cluster.firstDataCenter();
      } else {
        points = parse(contactPoints);
        dc = System.getenv().getOrDefault("RINGSWEEP_LOCAL_DC", "datacenter1");
      }
      CqlSessionBuilder builder = CqlSession.builder().addContactPoints(points).withLocalDatacenter(dc);
      try (CqlSession session = builder.build()) {
        load(session, rows);
        count(session);
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private static void load(CqlSession session, long rows) {
    execute(session, "CREATE KEYSPACE IF NOT EXISTS " + KEYSPACE
        + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    execute(session, "DROP TABLE IF EXISTS " + KEYSPACE + "." + TABLE);
    execute(session, "CREATE TABLE " + KEYSPACE + "." + TABLE
        + " (id uuid, day int, seq int, kind text, amount double, at timestamp, PRIMARY KEY ((id, day), seq))");
    PreparedStatement insert = session.prepare("INSERT INTO " + KEYSPACE + "." + TABLE
        + " (id, day, seq, kind, amount, at) VALUES (?, ?, ?, ?, ?, ?)");
    System.out.printf("Loading %,d rows into %s.%s…%n", rows, KEYSPACE, TABLE);
    long started = System.nanoTime();
    Semaphore inFlight = new Semaphore(256);
    AtomicReference<Throwable> failure = new AtomicReference<>();
    UUID id = UUID.randomUUID();
    for (long i = 0; i < rows && failure.get() == null; i++) {
      if (i % 4 == 0) {
        id = UUID.randomUUID();
      }
      inFlight.acquireUninterruptibly();
      session.executeAsync(insert.bind(id, (int) (i % 30), (int) (i % 4), "kind-" + (i % 7), i * 0.5,
              Instant.ofEpochMilli(1_700_000_000_000L + i)))
          .whenComplete((rs, e) -> {
            if (e != null) {
              failure.compareAndSet(null, e);
            }
            inFlight.release();
          });
    }
    inFlight.acquireUninterruptibly(256);
    if (failure.get() != null) {
      throw new IllegalStateException("Loading the sample table failed: " + failure.get(), failure.get());
    }
    System.out.printf("Loaded in %.1f s%n", (System.nanoTime() - started) / 1e9);
  }

  private static void count(CqlSession session) {
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).build();
    CountResult result = operator.count(KEYSPACE, TABLE);
    long started = System.nanoTime();
    String serverCount;
    try {
      serverCount = String.format("%,d", session.execute(SimpleStatement
          .newInstance("SELECT count(*) FROM " + KEYSPACE + "." + TABLE)
          .setTimeout(Duration.ofMinutes(2))).one().getLong(0));
    } catch (RuntimeException e) {
      serverCount = "failed (" + e.getClass().getSimpleName() + ")";
    }
    double serverSeconds = (System.nanoTime() - started) / 1e9;
    System.out.println();
    System.out.printf("%-22s %15s %10s%n", "method", "rows", "seconds");
    System.out.printf("%-22s %,15d %10.2f%n", "Ringsweep count", result.rows(), result.duration().toNanos() / 1e9);
    System.out.printf("%-22s %15s %10.2f%n", "SELECT count(*)", serverCount, serverSeconds);
    System.out.printf("%nRingsweep used %d ranges, parallelism %d; per host:%n",
        result.rangesTotal(), operator.options().parallelism());
    result.hosts().forEach((host, stats) ->
        System.out.printf("  %-22s %6d ranges %,12d rows%n", host, stats.ranges(), stats.rows()));
  }

  private static void execute(CqlSession session, String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofMinutes(1)));
  }

  private static List<InetSocketAddress> parse(String contactPoints) {
    List<InetSocketAddress> out = new ArrayList<>();
    for (String point : contactPoints.split(",")) {
      String p = point.trim();
      int colon = p.lastIndexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException(
            "Invalid contact point: '" + p + "' (expected host:port, e.g. 127.0.0.1:9042)");
      }
      out.add(new InetSocketAddress(p.substring(0, colon), Integer.parseInt(p.substring(colon + 1))));
    }
    return out;
  }
}
