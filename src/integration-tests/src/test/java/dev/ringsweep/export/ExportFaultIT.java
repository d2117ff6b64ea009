package dev.ringsweep.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.type.DataTypes;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.cluster.LocalNode;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.testing.NodeFaults;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import dev.ringsweep.token.Replica;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * Export while a node dies (kill -9) on the three-node cluster: at RF 3 with LOCAL_ONE reads the export completes
 * with every row exactly once; at RF 1 it fails with the unreachable ranges and a partial result, publishes nothing,
 * and resuming it after the node is back gives exactly the source rows in one Iceberg commit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExportFaultIT {

  private static final int ROWS = 10_000;
  private static final List<CqlColumn> COLUMNS =
      List.of(new CqlColumn("id", DataTypes.BIGINT), new CqlColumn("v", DataTypes.TEXT));

  private LocalNode victim;
  private CqlSession session;
  private TestCluster cluster;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    cluster = TestClusters.multi();
    victim = NodeFaults.victim(cluster, "kill a node");
    session = cluster.newSession();
  }

  @AfterEach
  void restartVictim() {
    NodeFaults.restart(victim, session);
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private void load(String keyspace, String replication) {
    cluster.createKeyspace(session, keyspace, replication);
    session.execute(SimpleStatement.newInstance("CREATE TABLE " + keyspace + ".t (id bigint PRIMARY KEY, v text)")
        .setTimeout(Duration.ofSeconds(60)));
    TestCluster.awaitSchemaOnAllNodes(session, keyspace, "t");
    PreparedStatement insert = session.prepare("INSERT INTO " + keyspace + ".t (id, v) VALUES (?, ?)");
    // ALL: every replica holds every row before a node dies, so the ground truth does not depend on hints.
    TestData.write(session, ROWS, i -> insert.bind(i, value(i)).setConsistencyLevel(DefaultConsistencyLevel.ALL));
  }

  private static String value(long id) {
    return "v" + id;
  }

  /** Checks the exported rows against what was written, value by value: none missing, none twice. */
  private static void assertExactlyTheSourceRows(List<Object[]> exported) {
    boolean[] seen = new boolean[ROWS];
    for (Object[] row : exported) {
      int id = Math.toIntExact((Long) row[0]);
      assertThat(seen[id]).as("row %s exported twice", id).isFalse();
      seen[id] = true;
      assertThat(row[1]).as("value of row %s", id).isEqualTo(value(id));
    }
    for (int id = 0; id < ROWS; id++) {
      assertThat(seen[id]).as("row %s lost", id).isTrue();
    }
    assertThat(exported).hasSize(ROWS);
  }

  @Test
  void should_export_every_row_once_when_a_node_is_killed_mid_export_with_rf3() {
    load("export_fault_rf3", "{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 1}");
    Path out = dir.resolve("rf3");
    NodeFaults.KillSwitch kill = NodeFaults.killAtAThird(victim);

    ExportResult result = TokenAwareBulkOperator.builder(session)
        .consistencyLevel(DefaultConsistencyLevel.LOCAL_ONE)
        .parallelism(4)
        .progressListener(kill)
        .build()
        .export("export_fault_rf3", "t", ExportTargets.parquet(out), ExportOptions.defaults().withWriters(3));

    assertThat(victim.isRunning()).isFalse();
    assertThat(kill.killedAt().rows()).as("rows read when the node was killed").isBetween(1L, ROWS - 1L);
    assertThat(result.rows()).isEqualTo(ROWS);
    assertExactlyTheSourceRows(ExportReaders.parquet(out, COLUMNS));
  }

  @Test
  void should_fail_with_the_unreachable_ranges_at_rf1_and_resume_exactly_after_restart() {
    load("export_fault_rf1", "{'class': 'NetworkTopologyStrategy', 'dc1': 1}");
    Path warehouse = dir.resolve("rf1");
    ExportTarget target = ExportTargets.iceberg(warehouse, "db.t");
    NodeFaults.KillSwitch kill = NodeFaults.killAtAThird(victim);
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session)
        .parallelism(4)
        .maxRetries(1)
        .retryBackoff(Duration.ofMillis(20))
        .progressListener(kill)
        .build();

    BulkOperationException failure = catchThrowableOfType(BulkOperationException.class,
        () -> operator.export("export_fault_rf1", "t", target, ExportOptions.defaults().withWriters(3)));

    assertThat(failure).isNotNull();
    assertThat(kill.killedAt().rows()).as("rows read when the node was killed").isBetween(1L, ROWS - 1L);
    assertThat(failure.getMessage()).contains("export_fault_rf1.t", "failed for", "resume it from checkpoint",
        "nothing was committed");
    ExportResult partial = failure.partialResult(ExportResult.class);
    assertThat(partial.rows()).isPositive().isLessThan(ROWS);
    String victimAddress = victim.address().getHostAddress();
    assertThat(failure.failedRanges()).isNotEmpty().allSatisfy(range ->
        assertThat(range.replicas()).extracting(Replica::endpoint).anyMatch(e -> e.contains(victimAddress)));
    assertThat(ExportReaders.iceberg(warehouse, "db.t", COLUMNS)).as("nothing published").isEmpty();

    NodeFaults.restart(victim, session);
    ExportResult resumed = TokenAwareBulkOperator.builder(session).build()
        .export("export_fault_rf1", "t", target, ExportOptions.defaults().withResume(Resume.RESUME));

    assertThat(partial.rows() + resumed.rows()).isEqualTo(ROWS);
    assertThat(resumed.rangesSkipped()).isPositive();
    assertExactlyTheSourceRows(ExportReaders.iceberg(warehouse, "db.t", COLUMNS));
  }
}
