package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.Row;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringsweep.cluster.LocalNode;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.internal.imports.ImportOperation;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Count, export and import started while the only node is frozen ({@code kill -STOP}) for {@link #PAUSE}, with a
 * request timeout well below it. Their first requests are the prepares of their statements, which time out: they are
 * retried with the operation's retries and backoff, as range queries are, and each operation completes exactly once
 * the node answers again. Until 2026-11-29 a prepare that timed out failed the whole operation with the driver's raw
 * timeout (an import's verification too, after every row had been written).
 *
 * <p>Each test opens a session of its own: the driver keeps the statements a session prepared, and a statement
 * prepared before would not be sent to the frozen node at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodePauseIT {

  private static final String KS = "node_pause";
  private static final int ROWS = 3_000;
  private static final Duration PAUSE = Duration.ofMillis(1_500);
  private static final Duration TIMEOUT = Duration.ofMillis(300);

  @TempDir Path dir;

  private TestCluster cluster;
  private LocalNode node;
  private CqlSession setup;
  private CqlSession session;

  @BeforeAll
  void setUp() {
    cluster = TestClusters.single();
    node = cluster.requireLocal("freeze the node with kill -STOP").nodes().get(0);
    setup = cluster.newSession();
    cluster.createKeyspace(setup, KS, TestCluster.simpleReplication(1));
    setup.execute("CREATE TABLE IF NOT EXISTS " + KS + ".source (id int PRIMARY KEY, v text)");
    setup.execute("CREATE TABLE IF NOT EXISTS " + KS + ".copy (id int PRIMARY KEY, v text)");
    setup.execute("CREATE TABLE IF NOT EXISTS " + KS + ".warm (id int PRIMARY KEY)");
    setup.execute("TRUNCATE " + KS + ".source");
    setup.execute("TRUNCATE " + KS + ".copy");
    TestData.insert(setup, "INSERT INTO " + KS + ".source (id, v) VALUES (?, ?)", ROWS,
        i -> new Object[] {(int) i, "value " + i});
  }

  @AfterEach
  void thaw() {
    node.resume();
    if (session != null) {
      session.close();
      session = null;
    }
  }

  @AfterAll
  void tearDown() {
    if (setup != null) {
      setup.close();
    }
  }

  /**
   * A session whose default request timeout (used by an import's writes and their prepares) is {@link #TIMEOUT}; the
   * driver's own schema and connection requests keep the usual ones.
   */
  private CqlSession shortTimeoutSession() {
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, TIMEOUT)
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, TestCluster.REQUEST_TIMEOUT)
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, TestCluster.REQUEST_TIMEOUT)
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .build();
    return cluster.sessionBuilder().withConfigLoader(config).build();
  }

  /**
   * An operator on a new {@link #shortTimeoutSession}, warmed by a count of another table: a session's first plan
   * asks the cluster once whether it has tablets (with a timeout of its own, which would wait out the pause), so that
   * the operation under test starts with its prepares.
   */
  private TokenAwareBulkOperator operator() {
    session = shortTimeoutSession();
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).requestTimeout(TIMEOUT).maxRetries(20)
        .retryBackoff(Duration.ofMillis(50)).build();
    assertThat(operator.count(KS, "warm").rows()).isZero();
    return operator;
  }

  /** Freezes the node, runs {@code operation} (whose first request meets the frozen node), thaws it after PAUSE. */
  private <T> T whileFrozenAtStart(Supplier<T> operation) {
    node.pause();
    CompletableFuture.delayedExecutor(PAUSE.toMillis(), TimeUnit.MILLISECONDS).execute(node::resume);
    long started = System.nanoTime();
    T result = operation.get();
    // The operation could not have finished before the node answered again: it did meet the pause.
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(PAUSE.minusMillis(100));
    return result;
  }

  @Test
  void should_count_exactly_when_the_prepare_meets_a_frozen_node() {
    TokenAwareBulkOperator operator = operator();
    CountResult result = whileFrozenAtStart(() -> operator.count(KS, "source"));
    assertThat(result.rows()).isEqualTo(ROWS);
  }

  @Test
  void should_export_every_row_when_the_prepare_meets_a_frozen_node() throws IOException {
    TokenAwareBulkOperator operator = operator();
    Path out = dir.resolve("export");
    ExportResult result = whileFrozenAtStart(() -> operator.export(KS, "source", ExportTarget.jsonLines(out)));
    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(exported(out)).isEqualTo(sourceRows());
  }

  @Test
  void should_import_and_verify_when_the_prepares_meet_a_frozen_node() throws IOException {
    Path source = sourceFile("import-source");
    TokenAwareBulkOperator operator = operator();
    ImportResult result = whileFrozenAtStart(() -> operator.importFrom(ImportSource.jsonLines(source), KS, "copy",
        ImportOptions.defaults().withBadRecordsFile(dir.resolve("copy.bad.jsonl"))));
    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(result.verification().matches()).isTrue();
    Map<Integer, String> copied = new HashMap<>();
    for (Row row : setup.execute("SELECT id, v FROM " + KS + ".copy")) {
      copied.put(row.getInt("id"), row.getString("v"));
    }
    assertThat(copied).isEqualTo(sourceRows());
  }

  /**
   * The node is frozen as the import's verification starts its count of the target, with no retries left to wait
   * for it: the import fails, but as an import that wrote every row and could not verify them, with the import's
   * partial result, rather than with the count's own failure (or a driver error) and the count's result.
   */
  @Test
  void should_say_every_row_was_written_when_the_verification_cannot_read_the_target() throws IOException {
    setup.execute("CREATE TABLE IF NOT EXISTS " + KS + ".unverified (id int PRIMARY KEY, v text)");
    setup.execute("TRUNCATE " + KS + ".unverified");
    Path source = sourceFile("unverified-source");
    AtomicBoolean paused = new AtomicBoolean();
    ProgressListener freezeOnVerification = new ProgressListener() {
      @Override
      public void onProgress(Progress progress) {}

      @Override
      public void onVerificationLimitChanged(String read, LimitChange change) {
        if (read.equals(ImportOperation.COUNT_AFTER) && paused.compareAndSet(false, true)) {
          node.pause();
          CompletableFuture.delayedExecutor(3, TimeUnit.SECONDS).execute(node::resume);
        }
      }
    };
    session = shortTimeoutSession();
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(session).requestTimeout(TIMEOUT).maxRetries(0)
        .maxSplitDepth(0).progressListener(freezeOnVerification).build();

    BulkOperationException e = catchThrowableOfType(BulkOperationException.class, () -> operator.importFrom(
        ImportSource.jsonLines(source), KS, "unverified", ImportOptions.defaults().withMaxRetries(20)));

    assertThat(paused).isTrue();
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).startsWith("Import of json lines " + source + " into " + KS + ".unverified wrote "
        + ROWS + " rows, but could not verify them: reading the " + ImportOperation.COUNT_AFTER + " failed: ");
    ImportResult partial = e.partialResult(ImportResult.class);
    assertThat(partial.rows()).isEqualTo(ROWS);
    assertThat(partial.verification().ran()).isFalse();
    node.resume();
    assertThat(setup.execute("SELECT count(*) FROM " + KS + ".unverified").one().getLong(0)).isEqualTo(ROWS);
  }

  /** A directory {@code name} holding the source table's rows as one JSON lines file. */
  private Path sourceFile(String name) throws IOException {
    Path source = Files.createDirectories(dir.resolve(name));
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < ROWS; i++) {
      lines.append("{\"id\": ").append(i).append(", \"v\": \"value ").append(i).append("\"}\n");
    }
    Files.writeString(source.resolve("rows.jsonl"), lines);
    return source;
  }

  private Map<Integer, String> sourceRows() {
    Map<Integer, String> rows = new HashMap<>();
    for (Row row : setup.execute("SELECT id, v FROM " + KS + ".source")) {
      rows.put(row.getInt("id"), row.getString("v"));
    }
    assertThat(rows).hasSize(ROWS);
    return rows;
  }

  /** The rows of an export's JSON lines files, by id; an id written twice fails. */
  private static Map<Integer, String> exported(Path out) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    Map<Integer, String> rows = new HashMap<>();
    List<Path> files;
    try (Stream<Path> listed = Files.list(out)) {
      files = listed.filter(p -> p.getFileName().toString().endsWith(".jsonl")).toList();
    }
    for (Path file : files) {
      for (String line : Files.readAllLines(file)) {
        try {
          JsonNode node = mapper.readTree(line);
          String earlier = rows.put(node.get("id").asInt(), node.get("v").asText());
          assertThat(earlier).as("id %s exported twice", node.get("id")).isNull();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return rows;
  }
}
