package dev.ringsweep.imports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.cluster.LocalNode;
import dev.ringsweep.export.Resume;
import dev.ringsweep.internal.imports.SourceFiles;
import dev.ringsweep.testing.NodeFaults;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.token.Replica;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Import while a node dies (kill -9) on the three-node cluster. At RF 3 (dc1: 2, dc2: 1) with QUORUM writes the
 * import completes with every row exactly once. (LOCAL_QUORUM in dc1 needs both dc1 replicas on this topology, so no
 * dc1 node can be lost under it; QUORUM, 2 of 3, is the level that tolerates one.) At RF 1 it fails with the dead
 * node's token ranges and a partial result (the writes not yet sent when it stopped are cancelled and counted, not
 * left to spend their retries on the dead node), and resuming it from its checkpoint after the restart gives exactly
 * the source rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportFaultIT {

  private static final Logger LOG = LoggerFactory.getLogger(ImportFaultIT.class);

  private static final int FILES = 24;
  private static final int ROWS_PER_FILE = 1_250;
  private static final int ROWS = FILES * ROWS_PER_FILE;

  private TestCluster cluster;
  private LocalNode victim;
  private CqlSession session;
  private Path source;

  @TempDir static Path dir;

  @BeforeAll
  void setUp() throws IOException {
    cluster = TestClusters.multi();
    victim = NodeFaults.victim(cluster, "kill a node");
    session = cluster.newSession();
    source = jsonLinesSource(dir.resolve("source"));
  }

  @AfterEach
  void restartVictim() {
    // Dropped first, so that the hints the other nodes kept for the victim are discarded, not replayed.
    for (String keyspace : List.of("import_fault_rf3", "import_fault_rf1")) {
      session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS " + keyspace)
          .setTimeout(Duration.ofSeconds(60)));
    }
    NodeFaults.restart(victim, session);
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  /** {@value #FILES} JSON lines files as export writes them, with their schema file; ids 0 … ROWS-1. */
  private static Path jsonLinesSource(Path directory) throws IOException {
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(SourceFiles.SCHEMA_FILE), "{\"columns\": [{\"name\": \"id\", \"cqlType\": "
        + "\"bigint\"}, {\"name\": \"v\", \"cqlType\": \"text\"}]}");
    for (int f = 0; f < FILES; f++) {
      List<String> lines = new ArrayList<>();
      for (int r = 0; r < ROWS_PER_FILE; r++) {
        long id = (long) f * ROWS_PER_FILE + r;
        lines.add("{\"id\": " + id + ", \"v\": \"" + value(id) + "\"}");
      }
      Files.write(directory.resolve(String.format("part-%03d.jsonl", f)), lines, StandardCharsets.UTF_8);
    }
    return directory;
  }

  /** The first {@code n} lines of {@code file}, or "none" when it does not exist. */
  private static List<String> firstLines(Path file, int n) {
    if (!Files.exists(file)) {
      return List.of("none");
    }
    try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.limit(n).toList();
    } catch (IOException e) {
      return List.of("unreadable: " + e);
    }
  }

  private static String value(long id) {
    return "v" + id;
  }

  private void createTable(String keyspace, String replication) {
    cluster.createKeyspace(session, keyspace, replication);
    session.execute(SimpleStatement.newInstance("CREATE TABLE " + keyspace + ".t (id bigint PRIMARY KEY, v text)")
        .setTimeout(Duration.ofSeconds(60)));
    TestCluster.awaitSchemaOnAllNodes(session, keyspace, "t");
  }

  /**
   * Reads the table back at {@code level} and compares it with the source, value by value. A read that fails (a
   * server-side timeout of one page on a busy test machine) is started again from the beginning, up to three times:
   * what is checked is the table's content, not the read.
   */
  private void assertExactlyTheSourceRows(String keyspace, ConsistencyLevel level) {
    for (int attempt = 1; ; attempt++) {
      try {
        readBackExactly(keyspace, level);
        return;
      } catch (DriverException e) {
        if (attempt == 3) {
          throw e;
        }
        LOG.warn("Reading {}.t back failed (attempt {} of 3), reading it again: {}", keyspace, attempt, e.toString());
      }
    }
  }

  private void readBackExactly(String keyspace, ConsistencyLevel level) {
    boolean[] seen = new boolean[ROWS];
    int rows = 0;
    for (Row row : session.execute(SimpleStatement.newInstance("SELECT id, v FROM " + keyspace + ".t")
        .setConsistencyLevel(level).setTimeout(Duration.ofSeconds(60)))) {
      int id = Math.toIntExact(row.getLong(0));
      assertThat(seen[id]).as("row %s twice", id).isFalse();
      seen[id] = true;
      assertThat(row.getString(1)).as("value of row %s", id).isEqualTo(value(id));
      rows++;
    }
    assertThat(rows).isEqualTo(ROWS);
  }

  @Test
  void should_import_every_row_when_a_node_is_killed_mid_import_with_rf3() {
    createTable("import_fault_rf3", "{'class': 'NetworkTopologyStrategy', 'dc1': 2, 'dc2': 1}");

    Path badRecords = dir.resolve("bad-rf3.jsonl");
    NodeFaults.KillSwitch kill = NodeFaults.killAtAThird(victim);
    ImportResult result = TokenAwareBulkOperator.builder(session)
        .progressListener(kill)
        .build()
        .importFrom(ImportSource.jsonLines(source), "import_fault_rf3", "t",
            ImportOptions.defaults().withConsistencyLevel(DefaultConsistencyLevel.QUORUM)
                .withBadRecordsFile(badRecords));

    assertThat(victim.isRunning()).isFalse();
    assertThat(kill.killedAt().rows()).as("rows written when the node was killed").isBetween(1L, ROWS - 1L);
    // On failure, say what the import did and why rows failed (the bad records file holds each row's error).
    String why = String.format("%s; first bad records: %s", result, firstLines(badRecords, 3));
    assertThat(result.rows()).as(why).isEqualTo(ROWS);
    assertThat(result.failed()).as(why).isZero();
    assertThat(result.verification().matches()).as(why).isTrue();
    assertExactlyTheSourceRows("import_fault_rf3", DefaultConsistencyLevel.QUORUM);
  }

  @Test
  void should_fail_with_the_unreachable_ranges_at_rf1_and_resume_exactly_after_restart() {
    createTable("import_fault_rf1", "{'class': 'NetworkTopologyStrategy', 'dc1': 1}");
    Path checkpoint = dir.resolve("import-rf1.json");
    ImportOptions options = ImportOptions.defaults().withCheckpointFile(checkpoint).withMaxRetries(1)
        .withBadRecordsFile(dir.resolve("bad-rf1.jsonl"));
    NodeFaults.KillSwitch kill = NodeFaults.killAtAThird(victim);
    TokenAwareBulkOperator killing = TokenAwareBulkOperator.builder(session).progressListener(kill).build();

    BulkOperationException failure = catchThrowableOfType(BulkOperationException.class,
        () -> killing.importFrom(ImportSource.jsonLines(source), "import_fault_rf1", "t", options));

    assertThat(failure).isNotNull();
    assertThat(kill.killedAt().rows()).as("rows written when the node was killed").isBetween(1L, ROWS - 1L);
    assertThat(failure.getMessage()).contains("import_fault_rf1.t", "exceed the error budget",
        "resume it from checkpoint " + checkpoint);
    ImportResult partial = failure.partialResult(ImportResult.class);
    assertThat(partial.writeFailures()).isPositive();
    assertThat(partial.rows()).isPositive().isLessThan(ROWS);
    // Once over the budget the import cancels the writes not yet sent: every row read is written, failed, or
    // counted in the message as not sent.
    long notSent = partial.rowsRead() - partial.rows() - partial.failed();
    if (notSent > 0) {
      assertThat(failure.getMessage()).contains(notSent + " rows read were not sent");
    } else {
      assertThat(failure.getMessage()).doesNotContain("not sent");
    }
    String victimAddress = victim.address().getHostAddress();
    assertThat(failure.failedRanges()).isNotEmpty().allSatisfy(range ->
        assertThat(range.replicas()).extracting(Replica::endpoint).anyMatch(e -> e.contains(victimAddress)));

    NodeFaults.restart(victim, session);
    ImportResult resumed = TokenAwareBulkOperator.builder(session).build()
        .importFrom(ImportSource.jsonLines(source), "import_fault_rf1", "t", options.withResume(Resume.RESUME));

    assertThat(resumed.rowsRead()).as("splits done before are skipped").isLessThan(ROWS);
    assertThat(resumed.failed()).isZero();
    assertThat(resumed.verification().matches()).isTrue();
    assertThat(resumed.verification().rowsWritten()).isEqualTo(ROWS);
    assertThat(resumed.verification().targetRowsAfter()).isEqualTo(ROWS);
    assertExactlyTheSourceRows("import_fault_rf1", DefaultConsistencyLevel.LOCAL_ONE);
  }
}
