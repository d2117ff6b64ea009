package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.cluster.LocalNode;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergTarget;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.testing.NodeFaults;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import dev.ringsweep.token.Replica;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Export to Iceberg on Spark while a node dies (kill -9, when the first task has written its files) on the real
 * three-node cluster: at RF 3 the export completes with every row once; at RF 1 it fails naming the unreachable
 * ranges, leaves the table as it was, and resuming it after the node is back commits exactly the source rows in ONE
 * new commit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkExportFaultIT {

  private static final int ROWS = 5_000;
  private static final int TASKS = 12;

  private TestCluster cluster;
  private LocalNode victim;
  private CqlSession session;
  private SparkFixture fx;
  private ExportChecks checks;
  private RingsweepSpark ringsweep;
  /** The connection Spark's tasks and driver use: its session is not the test's {@link #session}. */
  private CassandraConnection connection;

  @BeforeAll
  void setUp() {
    cluster = TestClusters.multi();
    cluster.requireNodeCount(3);
    victim = NodeFaults.victim(cluster, "kill a node");
    session = cluster.newSession();
    fx = SparkFixture.get();
    checks = new ExportChecks(fx.spark, fx.warehouse);
    List<String> points = cluster.contactPoints().stream()
        .map(a -> a.getHostString() + ":" + a.getPort()).toList();
    // One retry of a failing range after 10 ms, not 100, so that the unreachable ranges at RF 1 fail fast: each task
    // retries its dead node's ranges one after another.
    connection = CassandraConnection.of(points, cluster.localDc());
    ringsweep = RingsweepSpark.on(fx.spark, connection).withOptions(
        SparkOptions.defaults().withTasks(TASKS).withMaxRetries(1).withRetryBackoff(Duration.ofMillis(10)));
  }

  @AfterEach
  void restartVictim() {
    ExportJob.attemptHook = null;
    restart();
  }

  /**
   * Restarts the victim and waits until both the test's session and the one Spark uses see it up: that one
   * reconnects on its own schedule (the driver's reconnection backs off to seconds), and a resume started before it
   * has found the node again fails the node's ranges once more (one CI run: 60 ranges).
   */
  private void restart() {
    NodeFaults.restart(victim, session);
    NodeFaults.awaitUp(victim, connection.session());
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private void load(String keyspace, String replication) {
    cluster.createKeyspace(session, keyspace, replication);
    session.execute(SimpleStatement.newInstance("CREATE TABLE IF NOT EXISTS " + keyspace
        + ".t (k bigint PRIMARY KEY, v text)").setTimeout(Duration.ofSeconds(60)));
    session.execute(SimpleStatement.newInstance("TRUNCATE " + keyspace + ".t").setTimeout(Duration.ofSeconds(60)));
    PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".t (k, v) VALUES (?, ?)");
    // ALL: every replica holds every row before a node dies, so the ground truth does not depend on hints.
    TestData.write(session, ROWS, k -> insert.bind(k, value(k)).setConsistencyLevel(DefaultConsistencyLevel.ALL));
  }

  private static String value(long k) {
    return "v" + k;
  }

  /** Kills the victim when the first task attempt has written its files; counts the attempts that got there. */
  private AtomicInteger killAfterFirstTask() {
    AtomicInteger finished = new AtomicInteger();
    ExportJob.attemptHook = (partition, attempt) -> {
      if (finished.getAndIncrement() == 0) {
        victim.kill();
      }
    };
    return finished;
  }

  private IcebergTarget target(String table) {
    return ExportTargets.iceberg(fx.warehouse, "db." + table);
  }

  @Test
  void should_export_every_row_once_when_a_node_is_killed_mid_export_with_rf3() {
    load("spark_fault_rf3", "{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 1}");
    AtomicInteger finished = killAfterFirstTask();

    ExportResult result = ringsweep.exportToIceberg("spark_fault_rf3", "t", target("fault_rf3"),
        ExportOptions.defaults());

    assertThat(victim.isRunning()).isFalse();
    assertThat(finished.get()).as("tasks finished, the first before the kill").isGreaterThanOrEqualTo(TASKS);
    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(checks.snapshots("fault_rf3")).isEqualTo(1);
    checks.assertExactly("fault_rf3", ROWS, SparkExportFaultIT::value);
    assertThat(checks.unreferencedFiles("fault_rf3")).isEmpty();
  }

  @Test
  void should_fail_naming_the_unreachable_ranges_at_rf1_and_resume_in_one_commit_after_restart() {
    load("spark_fault_rf1", "{'class': 'NetworkTopologyStrategy', 'dc1': 1}");
    IcebergTarget target = target("fault_rf1").withWriteMode(WriteMode.OVERWRITE);
    ringsweep.exportToIceberg("spark_fault_rf1", "t", target, ExportOptions.defaults());
    long snapshot = currentSnapshot("fault_rf1");
    killAfterFirstTask();

    BulkOperationException failure = catchThrowableOfType(BulkOperationException.class,
        () -> ringsweep.exportToIceberg("spark_fault_rf1", "t", target, ExportOptions.defaults()));

    assertThat(failure).as("the export with a replica down at RF 1 fails").isNotNull();
    String victimAddress = victim.address().getHostAddress();
    assertThat(failure.failedRanges()).isNotEmpty().allSatisfy(range ->
        assertThat(range.replicas()).extracting(Replica::endpoint).anyMatch(e -> e.contains(victimAddress)));
    assertThat(failure.getMessage()).contains("spark_fault_rf1.t", "failed for " + failure.failedRanges().size()
        + " token ranges", victimAddress, "nothing was committed", "--resume");
    ExportResult partial = failure.partialResult(ExportResult.class);
    assertThat(partial.rows()).isBetween(1L, ROWS - 1L);
    assertThat(currentSnapshot("fault_rf1")).as("the table's snapshot").isEqualTo(snapshot);
    assertThat(checks.snapshots("fault_rf1")).isEqualTo(1);
    checks.assertExactly("fault_rf1", ROWS, SparkExportFaultIT::value);

    restart();
    ExportResult resumed = ringsweep.exportToIceberg("spark_fault_rf1", "t", target,
        ExportOptions.defaults().withResume(Resume.RESUME));

    assertThat(resumed.rangesSkipped()).isPositive();
    assertThat(partial.rows() + resumed.rows()).isEqualTo(ROWS);
    assertThat(checks.snapshots("fault_rf1")).as("one new commit").isEqualTo(2);
    checks.assertExactly("fault_rf1", ROWS, SparkExportFaultIT::value);
  }

  private long currentSnapshot(String table) {
    return fx.spark.sql("SELECT snapshot_id FROM ringsweep.db." + table + ".snapshots ORDER BY committed_at DESC "
        + "LIMIT 1").collectAsList().get(0).getLong(0);
  }
}
