package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverException;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.export.ExportReaders;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.imports.VerificationResult;
import dev.ringsweep.internal.Errors;
import dev.ringsweep.internal.format.CqlColumn;
import dev.ringsweep.internal.imports.ImportOperation;
import dev.ringsweep.internal.imports.VerificationListener;
import dev.ringsweep.testing.TestData;
import dev.ringsweep.token.TokenRange;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * Count and export against a node whose server-side read timeouts are deliberately tiny, so that range queries over
 * a table of a meaningful size time out: both still complete exactly, by retrying with backoff and then splitting;
 * a count of a partition too large to count server-side completes by counting it page by page on the client, and
 * an import's verification by checksum matches. The listener's retry and split callbacks prove that timeouts really
 * happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerTimeoutIT {

  private static final int HOST_INDEX = 31;
  private static final String KS = "timeouts";
  private static final int ROWS = 200_000;
  private static final String TIMEOUT = "50ms";
  private static final String PAD = "x".repeat(200);

  @TempDir Path dir;

  private LocalCluster cluster;
  private CqlSession session;

  @BeforeAll
  void startCluster() {
    TestClusters.assumeChildJvms("give a node short read timeouts");
    cluster = LocalCluster.builder().clusterName("timeouts").firstHostIndex(HOST_INDEX).numTokens(1)
        .yaml("read_request_timeout", TIMEOUT)
        .yaml("range_request_timeout", TIMEOUT)
        .build().start();
    session = connect();
    execute("CREATE KEYSPACE " + KS + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    execute("CREATE TABLE " + KS + ".t (id bigint PRIMARY KEY, payload text)");
    TestData.insert(session, "INSERT INTO " + KS + ".t (id, payload) VALUES (?, ?)", ROWS,
        i -> new Object[] {i, payload(i)});
    awaitTable("t");
  }

  /** The driver's schema queries may time out as well: refreshes until the driver knows the table. */
  private void awaitTable(String table) {
    for (int attempt = 1; session.getMetadata().getKeyspace(KS).flatMap(k -> k.getTable(table)).isEmpty();
        attempt++) {
      assertThat(attempt).as("schema refreshes").isLessThan(10);
      try {
        session.refreshSchema();
      } catch (DriverException e) {
        // try again
      }
    }
  }

  /**
   * Opens a session. The driver's own queries of system tables are range reads subject to the tiny timeout too, so
   * on a busy machine the first tries may time out: try a few times.
   */
  private CqlSession connect() {
    DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(30))
        .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(30))
        .build();
    for (int attempt = 1; ; attempt++) {
      try {
        return CqlSession.builder().addContactPoints(cluster.contactPoints()).withLocalDatacenter("dc1")
            .withConfigLoader(config).build();
      } catch (DriverException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  @AfterAll
  void stopCluster() {
    if (session != null) {
      session.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  private void execute(String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  /** Counts the retries and splits, and the kinds of errors that caused them. */
  private static final class Recorder implements ProgressListener {
    final AtomicInteger retries = new AtomicInteger();
    final AtomicInteger splits = new AtomicInteger();
    final Map<String, Integer> errors = new ConcurrentHashMap<>();
    /** Errors that say the server timed the read out (either form, see {@link Errors#isServerTimeout}). */
    final AtomicInteger serverTimeouts = new AtomicInteger();

    @Override
    public void onProgress(Progress progress) {}

    @Override
    public void onRetry(TokenRange range, int attempt, Throwable error) {
      retries.incrementAndGet();
      errors.merge(error.getClass().getSimpleName(), 1, Integer::sum);
      if (Errors.isServerTimeout(error)) {
        serverTimeouts.incrementAndGet();
      }
    }

    @Override
    public void onSplit(TokenRange range, int pieces) {
      splits.incrementAndGet();
    }
  }

  /**
   * An operator whose range queries are heavy for a 50 ms server timeout: the node has a single token, so the plan
   * is one piece of all 200,000 rows, and pages hold 50,000 rows (10 MB), so that the first attempts time out on
   * any machine; at most 2 retries before splitting, down to pieces or pages 4^6 times smaller (a few dozen rows).
   */
  private TokenAwareBulkOperator operator(Recorder recorder) {
    return TokenAwareBulkOperator.builder(session).splitCount(1).pageSize(50_000).parallelism(4).maxRetries(2)
        .retryBackoff(Duration.ofMillis(20)).maxSplitDepth(6).progressListener(recorder).build();
  }

  @Test
  void should_count_exactly_when_range_queries_time_out_on_the_server() {
    Recorder recorder = new Recorder();

    CountResult result = operator(recorder).count(KS, "t");

    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(result.isComplete()).isTrue();
    assertThat(recorder.serverTimeouts.get()).as("server timeouts among %s", recorder.errors).isPositive();
    assertThat(recorder.retries.get()).isPositive();
    assertThat(recorder.splits.get()).isPositive();
  }

  @Test
  void should_export_exactly_when_range_queries_time_out_on_the_server() {
    Recorder recorder = new Recorder();

    ExportResult result = operator(recorder).export(KS, "t", ExportTargets.parquet(dir.resolve("p")));

    assertThat(result.rows()).isEqualTo(ROWS);
    assertThat(recorder.serverTimeouts.get()).as("server timeouts among %s", recorder.errors).isPositive();
    assertThat(recorder.retries.get()).isPositive();
    assertThat(recorder.splits.get()).isPositive();
    List<CqlColumn> columns = session.getMetadata().getKeyspace(KS).orElseThrow().getTable("t").orElseThrow()
        .getColumns().values().stream().map(c -> new CqlColumn(c.getName().asInternal(), c.getType())).toList();
    assertThat(columns).extracting(CqlColumn::name).containsExactly("id", "payload");
    // Ground truth is what was written: a plain SELECT would time out on this node too.
    boolean[] seen = new boolean[ROWS];
    for (Object[] row : ExportReaders.parquet(dir.resolve("p"), columns)) {
      int id = Math.toIntExact((Long) row[0]);
      assertThat(seen[id]).as("row %s exported twice", id).isFalse();
      seen[id] = true;
      assertThat(row[1]).as("payload of row %s", id).isEqualTo(payload(id));
    }
    for (int id = 0; id < ROWS; id++) {
      assertThat(seen[id]).as("row %s exported", id).isTrue();
    }
  }

  /**
   * An import verified by checksum, into a copy of the table on this node: the verification's reads time out on the
   * server as a count's and an export's do, and are retried and split; the caller's listener hears the checksum
   * read's retries (its limit's start names the read, so the retries after it are its own) and its progress to the
   * end, and the verification matches.
   */
  @Test
  void should_verify_an_import_by_checksum_whose_reads_time_out_on_the_server_and_say_so() {
    execute("CREATE TABLE IF NOT EXISTS " + KS + ".t_copy (id bigint PRIMARY KEY, payload text)");
    awaitTable("t_copy");
    Path csv = dir.resolve("csv");
    assertThat(operator(new Recorder()).export(KS, "t", ExportTarget.csv(csv)).rows()).isEqualTo(ROWS);
    Map<String, AtomicInteger> retries = new ConcurrentHashMap<>();
    AtomicReference<String> reading = new AtomicReference<>("the writes");
    List<Progress> checksum = new CopyOnWriteArrayList<>();
    ProgressListener listener = new ProgressListener() {
      @Override
      public void onProgress(Progress progress) {}

      @Override
      public void onLimitChanged(LimitChange change) {
        int at = change.detail().indexOf(VerificationListener.VERIFICATION);
        if (change.cause() == LimitChange.Cause.START && at >= 0) {
          reading.set(change.detail().substring(at + VerificationListener.VERIFICATION.length(),
              change.detail().length() - 1));
        }
      }

      @Override
      public void onRetry(TokenRange range, int attempt, Throwable error) {
        retries.computeIfAbsent(reading.get(), read -> new AtomicInteger()).incrementAndGet();
      }

      @Override
      public void onVerificationProgress(String read, Progress progress) {
        if (read.equals(ImportOperation.CHECKSUM)) {
          checksum.add(progress);
        }
      }
    };

    ImportResult result = TokenAwareBulkOperator.builder(session).splitCount(1).pageSize(50_000).parallelism(4)
        .maxRetries(2).retryBackoff(Duration.ofMillis(20)).maxSplitDepth(6).progressListener(listener).build()
        .importFrom(ImportSource.csv(csv), KS, "t_copy",
            ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));

    VerificationResult v = result.verification();
    assertThat(v.matches()).as(v.describe()).isTrue();
    assertThat(v.targetRowsAfter()).isEqualTo(ROWS);
    assertThat(v.targetChecksum()).isNotNull().isEqualTo(v.sourceChecksum());
    assertThat(retries).as("retries by the read that ran them").containsKey(ImportOperation.CHECKSUM);
    assertThat(retries.get(ImportOperation.CHECKSUM).get()).isPositive();
    assertThat(checksum).as("the checksum read's progress").isNotEmpty().last().satisfies(p -> {
      assertThat(p.rangesDone()).isEqualTo(p.rangesTotal());
      assertThat(p.rows()).isEqualTo(ROWS);
    });
  }

  /**
   * One partition of 200,000 rows: counting it server-side takes internal pages of 50,000 rows, which time out on
   * this node however far its token range is split (a partition has one token). The count falls back to counting
   * that piece on the client, page by page, and is still exact.
   */
  @Test
  void should_count_a_partition_too_large_to_count_server_side_page_by_page_on_the_client() {
    int wideRows = 200_000;
    int smallPartitions = 1_000;
    execute("CREATE TABLE " + KS + ".wide (pk int, ck int, payload text, PRIMARY KEY (pk, ck))");
    TestData.insert(session, "INSERT INTO " + KS + ".wide (pk, ck, payload) VALUES (?, ?, ?)",
        wideRows + smallPartitions,
        i -> i < wideRows ? new Object[] {0, (int) i, payload(i)} : new Object[] {(int) i, 0, payload(i)});
    awaitTable("wide");
    // The premise: the server cannot count the wide partition within its timeout in pages of 50,000 rows. It says
    // so with a ReadTimeoutException or, when its local read aborts itself first, a ReadFailureException.
    Throwable premise = catchThrowable(() -> session.execute(
        SimpleStatement.newInstance("SELECT count(*) FROM " + KS + ".wide WHERE pk = 0")
            .setPageSize(50_000).setTimeout(Duration.ofSeconds(60))));
    assertThat(premise).isNotNull();
    assertThat(Errors.isServerTimeout(premise)).as("a server timeout: %s", premise).isTrue();
    Recorder recorder = new Recorder();

    CountResult result = TokenAwareBulkOperator.builder(session).splitCount(4).pageSize(50_000).parallelism(4)
        .maxRetries(1).retryBackoff(Duration.ofMillis(20)).maxSplitDepth(3).progressListener(recorder).build()
        .count(KS, "wide");

    assertThat(result.rows()).isEqualTo(wideRows + smallPartitions);
    assertThat(result.isComplete()).isTrue();
    assertThat(recorder.serverTimeouts.get()).as("server timeouts among %s", recorder.errors).isPositive();
    assertThat(recorder.splits.get()).isPositive();
  }

  private static String payload(long id) {
    return id + PAD;
  }
}
