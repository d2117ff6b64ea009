package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.batch.BatchMode;
import dev.ringsweep.batch.BatchWriter;
import dev.ringsweep.batch.WriteResult;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportReaders;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.ImportSource;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import dev.ringsweep.token.TokenRange;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/**
 * Bad input for count and export against a real single-node cluster: each gets an error naming the bad value, and
 * nothing is created or changed in the output when the input is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {

  private static final String KS = "bad_input";

  private TestCluster cluster;
  private CqlSession session;
  private TokenAwareBulkOperator operator;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS, TestCluster.simpleReplication(1));
    execute("CREATE TABLE " + KS + ".a (id bigint PRIMARY KEY, v text)");
    execute("CREATE TABLE " + KS + ".b (id bigint PRIMARY KEY, n int, w text)");
    execute("CREATE TABLE " + KS + ".units (id bigint PRIMARY KEY, v text)");
    execute("CREATE TABLE " + KS + ".big (id bigint PRIMARY KEY, v text)");
    execute("CREATE TABLE " + KS + ".imported (id bigint PRIMARY KEY, v text)");
    execute("CREATE TABLE " + KS + ".other (id bigint PRIMARY KEY, v text)");
    TestData.insert(session, "INSERT INTO " + KS + ".a (id, v) VALUES (?, ?)", 100, i -> new Object[] {i, "v" + i});
    TestData.insert(session, "INSERT INTO " + KS + ".b (id, n, w) VALUES (?, ?, ?)", 100,
        i -> new Object[] {i, (int) i, "w" + i});
    operator = TokenAwareBulkOperator.builder(session).build();
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private void execute(String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  @Test
  void should_name_an_unknown_keyspace_when_exporting_and_planning() {
    assertThatThrownBy(() -> operator.export("no_such_ks", "a", ExportTargets.parquet(dir.resolve("out"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unknown keyspace: no_such_ks (known keyspaces: ")
        .hasMessageContaining(KS);
    assertThatThrownBy(() -> operator.plan("no_such_ks"))
        .hasMessageStartingWith("Unknown keyspace: no_such_ks (known keyspaces: ");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void should_name_a_keyspace_whose_replication_places_no_replica_before_any_query_runs() {
    String none = "bad_input_no_replicas";
    // Cassandra refuses NetworkTopologyStrategy without a data center of at least 1, but takes SimpleStrategy with 0
    // (the driver then finds no replica, as for a keyspace whose only data center was decommissioned).
    cluster.createKeyspace(session, none, "{'class': 'SimpleStrategy', 'replication_factor': 0}");
    execute("CREATE TABLE " + none + ".t (id bigint PRIMARY KEY)");
    Path out = dir.resolve("no-replicas");

    for (var call : List.<org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
        () -> operator.count(none, "t"),
        () -> operator.plan(none),
        () -> operator.export(none, "t", ExportTargets.parquet(out)))) {
      assertThatThrownBy(call)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("Keyspace " + none + " has no replica for token range")
          .hasMessageContaining("replication_factor=0")
          .hasMessageContaining("data centers with nodes: " + cluster.localDc());
    }
    assertThat(out).doesNotExist();
  }

  @Test
  void should_name_an_unknown_table_when_exporting_and_create_no_output() {
    assertThatThrownBy(() -> operator.export(KS, "nope", ExportTargets.iceberg(dir.resolve("wh"), "db.t")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown table: bad_input.nope (tables in bad_input: a, b, big, imported, other, units)");
    assertThat(dir.resolve("wh")).doesNotExist();
  }

  @Test
  void should_name_an_unknown_column_in_an_export_selection_and_create_no_output() {
    Path out = dir.resolve("out");
    assertThatThrownBy(() -> operator.export(KS, "a", ExportTarget.csv(out),
        ExportOptions.defaults().withColumns("id", "colour")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown column: colour (columns of a: id, v)");
    assertThat(out).doesNotExist();
  }

  @Test
  void should_name_an_unknown_writetime_column() {
    assertThatThrownBy(() -> operator.export(KS, "a", ExportTarget.csv(dir.resolve("out")),
        ExportOptions.defaults().withWritetimeAndTtl("\"V\"")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown column: \"V\" (columns of a: id, v)");
  }

  @Test
  void should_reject_the_writetime_of_a_primary_key_column_naming_it() {
    assertThatThrownBy(() -> operator.export(KS, "a", ExportTarget.csv(dir.resolve("out")),
        ExportOptions.defaults().withWritetimeAndTtl("id")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid writetime/TTL column: id (a primary key column has no writetime or TTL)");
  }

  @Test
  void should_reject_a_column_selected_twice_naming_it() {
    assertThatThrownBy(() -> operator.export(KS, "a", ExportTarget.csv(dir.resolve("out")),
        ExportOptions.defaults().withColumns("id", "v", "V")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Duplicate export column: v");
  }

  @Test
  void should_reject_a_blank_keyspace_or_table_name() {
    assertThatThrownBy(() -> operator.count(" ", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid keyspace name: ' ' (must not be blank)");
    assertThatThrownBy(() -> operator.export(KS, "", ExportTarget.csv(dir.resolve("out"))))
        .hasMessage("Invalid table name: '' (must not be blank)");
  }

  @Test
  void should_reject_a_closed_session_naming_it() {
    CqlSession closed = cluster.newSession();
    closed.close();

    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(closed))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The CqlSession " + closed.getName() + " is closed");
  }

  @Test
  void should_fail_count_and_export_when_the_operators_session_was_closed_since() {
    CqlSession own = cluster.newSession();
    TokenAwareBulkOperator built = TokenAwareBulkOperator.builder(own).build();
    own.close();

    assertThatThrownBy(() -> built.count(KS, "a"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("The CqlSession " + own.getName() + " is closed");
    assertThatThrownBy(() -> built.export(KS, "a", ExportTargets.parquet(dir.resolve("out"))))
        .hasMessage("The CqlSession " + own.getName() + " is closed");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void should_reject_a_split_count_that_is_not_positive_naming_it() {
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).splitCount(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid split count: 0 (must be > 0)");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).splitCount(-8))
        .hasMessage("Invalid split count: -8 (must be > 0)");
  }

  @Test
  void should_name_a_local_data_center_the_cluster_does_not_have_and_list_its_own() {
    String dataCenters = session.getMetadata().getNodes().values().stream().map(n -> n.getDatacenter()).distinct()
        .sorted().collect(java.util.stream.Collectors.joining(", "));

    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).localDatacenter("DC1").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid local data center: 'DC1' (the cluster's data centers: " + dataCenters + ")");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).localDatacenter(" ").build())
        .hasMessage("Invalid local data center: ' ' (the cluster's data centers: " + dataCenters + ")");
    String local = session.getMetadata().getNodes().values().iterator().next().getDatacenter();
    assertThat(TokenAwareBulkOperator.builder(session).localDatacenter(local).build()).isNotNull();
  }

  @Test
  void should_refuse_a_consistency_level_range_reads_cannot_use_or_a_maximum_exceeded_naming_it() {
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session)
        .consistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.SERIAL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid consistency level: SERIAL (range reads take ONE, TWO, THREE, QUORUM, ALL, LOCAL_ONE, "
            + "LOCAL_QUORUM or EACH_QUORUM)");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).requestTimeout(Duration.ofDays(1)))
        .hasMessage("Invalid request timeout: PT24H (must be at most PT1H)");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).maxRetries(1_000))
        .hasMessage("Invalid max retries: 1000 (must be at most 100)");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).maxSplitDepth(33))
        .hasMessage("Invalid max split depth: 33 (must be at most 32)");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).splitCount(Integer.MAX_VALUE))
        .hasMessage("Invalid split count: 2147483647 (must be at most 1048576)");
  }

  @Test
  void should_reject_a_parallelism_that_is_not_positive_naming_it() {
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).parallelism(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid parallelism: 0 (must be > 0)");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).parallelism(-1))
        .hasMessage("Invalid parallelism: -1 (must be > 0)");
  }

  @Test
  void should_reject_a_page_size_timeout_or_backoff_out_of_bounds_naming_it() {
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).pageSize(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid page size: 0 (must be > 0)");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).requestTimeout(Duration.ofMillis(-5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid request timeout: PT-0.005S (must be > 0)");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).retryBackoff(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid retry backoff: null (must be >= 0)");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(session).retryBackoff(Duration.ofMinutes(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid retry backoff: PT2M (must be at most PT1M)");
  }

  @Test
  void should_reject_overlapping_ranges_when_counting_given_ranges_naming_them() {
    List<TokenRange> ranges = List.of(TokenRange.of(-1000, 1000), TokenRange.of(500, 2000));

    assertThatThrownBy(() -> operator.count(KS, "a", ranges))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Overlapping token ranges: (-1000, 1000] and (500, 2000] share tokens (each token must be in"
            + " one range only)");
  }

  @Test
  void should_name_an_export_directory_that_is_a_file_and_leave_the_file_alone() throws IOException {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "keep me");

    assertThatThrownBy(() -> operator.export(KS, "a", ExportTargets.parquet(file)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid export directory: " + file + " (it is a file, not a directory)");
    assertThat(file).hasContent("keep me");
  }

  @Test
  void should_name_an_export_directory_that_cannot_be_created() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path out = file.resolve("out");

    assertThatThrownBy(() -> operator.export(KS, "a", ExportTarget.jsonLines(out)))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("Cannot create export directory " + out + " (java.nio.file.");
  }

  @Test
  void should_name_an_iceberg_warehouse_that_cannot_be_created() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    Path warehouse = file.resolve("wh");

    assertThatThrownBy(() -> operator.export(KS, "a", ExportTargets.iceberg(warehouse, "db.t")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageStartingWith("Cannot create Iceberg warehouse directory " + warehouse + " (java.nio.file.");
  }

  @Test
  void should_refuse_an_existing_iceberg_table_with_an_incompatible_schema_and_leave_it_unchanged()
      throws IOException {
    Path warehouse = dir.resolve("wh");
    operator.export(KS, "a", ExportTargets.iceberg(warehouse, "db.t"));
    Map<String, Long> before = files(warehouse);

    assertThatThrownBy(() -> operator.export(KS, "b", ExportTargets.iceberg(warehouse, "db.t")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Iceberg table db.t has columns [id long, v string]")
        .hasMessageContaining("[id long, n int, w string]");
    assertThat(files(warehouse)).isEqualTo(before);
  }

  @Test
  void should_refuse_to_resume_a_checkpoint_of_another_table_and_leave_its_output_untouched() throws IOException {
    Path out = dir.resolve("out");
    operator.export(KS, "a", ExportTargets.parquet(out));
    Map<String, Long> before = files(out);

    assertThatThrownBy(() -> operator.export(KS, "b", ExportTargets.parquet(out),
        ExportOptions.defaults().withResume(Resume.RESUME)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Checkpoint " + out.resolve("_ringsweep_checkpoint.json") + " is for bad_input.a [id, v],"
            + " not bad_input.b [id, n, w] (resume the same export, or start a new one)");
    assertThat(files(out)).isEqualTo(before);
  }

  @Test
  void should_name_a_corrupt_checkpoint_when_resuming_and_write_nothing() throws IOException {
    Path checkpoint = Files.writeString(dir.resolve("cp.json"), "not json at all");
    Path out = dir.resolve("out");

    assertThatThrownBy(() -> operator.export(KS, "a", ExportTarget.csv(out),
        ExportOptions.defaults().withResume(Resume.RESUME).withCheckpointFile(checkpoint)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot resume: checkpoint " + checkpoint + " is unreadable (")
        .hasMessageEndingWith("export again into an empty directory");
    assertThat(out).doesNotExist();
    assertThat(checkpoint).hasContent("not json at all");
  }

  @Test
  void should_reject_a_batch_size_that_is_not_positive_naming_it() {
    assertThatThrownBy(() -> BatchWriter.builder(session).maxStatementsPerBatch(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid maxStatementsPerBatch: 0 (must be between 1 and 65535)");
    assertThatThrownBy(() -> BatchWriter.builder(session).maxStatementsPerBatch(-5).build())
        .hasMessage("Invalid maxStatementsPerBatch: -5 (must be between 1 and 65535)");
    assertThatThrownBy(() -> BatchWriter.builder(session).maxBatchBytes(0).build())
        .hasMessage("Invalid maxBatchBytes: 0 (must be between 1024 and 268435456)");
  }

  @Test
  void should_refuse_a_unit_larger_than_the_batch_byte_cap_and_write_none_of_it() {
    PreparedStatement insert = session.prepare("INSERT INTO " + KS + ".units (id, v) VALUES (?, ?)");
    List<BoundStatement> unit = List.of(insert.bind(1L, "x".repeat(600)), insert.bind(2L, "y".repeat(600)));

    try (BatchWriter writer = BatchWriter.builder(session).batchType(BatchMode.LOGGED).maxBatchBytes(1024).build()) {
      assertThatThrownBy(() -> writer.writeUnit(unit))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Unit too large: about ")
          .hasMessageEndingWith(" bytes (must be <= maxBatchBytes 1024)");
    }
    assertThat(session.execute("SELECT * FROM " + KS + ".units").all()).isEmpty();
  }

  @Test
  void should_write_a_single_statement_larger_than_the_byte_cap_alone_and_account_for_it() {
    PreparedStatement insert = session.prepare("INSERT INTO " + KS + ".big (id, v) VALUES (?, ?)");
    String large = "z".repeat(4096);

    WriteResult result;
    try (BatchWriter writer = BatchWriter.builder(session).maxBatchBytes(1024).build()) {
      result = writer.write(List.of(insert.bind(1L, large)));
    }

    assertThat(result.statements()).isEqualTo(1);
    assertThat(result.written()).isEqualTo(1);
    assertThat(session.execute("SELECT v FROM " + KS + ".big WHERE id = 1").one().getString(0)).isEqualTo(large);
  }

  private long rows(String table) {
    return session.execute("SELECT count(*) FROM " + KS + "." + table).one().getLong(0);
  }

  @Test
  void should_name_an_unknown_target_keyspace_or_table_when_importing() {
    Path source = dir.resolve("import-unknown-target");
    operator.export(KS, "a", ExportTargets.parquet(source));

    assertThatThrownBy(() -> operator.importFrom(ImportSources.parquet(source), "no_such_ks", "a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unknown keyspace: no_such_ks (known keyspaces: ")
        .hasMessageContaining(KS);
    assertThatThrownBy(() -> operator.importFrom(ImportSources.parquet(source), KS, "nope"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unknown table: bad_input.nope (tables in bad_input: a, b, ");
  }

  @Test
  void should_name_an_import_source_without_data_files_and_write_nothing() throws IOException {
    execute("TRUNCATE " + KS + ".imported");
    Path empty = Files.createDirectories(dir.resolve("empty"));

    assertThatThrownBy(() -> operator.importFrom(ImportSource.jsonLines(empty), KS, "imported"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No JSON lines file in " + empty);
    assertThatThrownBy(() -> operator.importFrom(ImportSources.parquet(empty), KS, "imported"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("No Parquet file in " + empty);
    assertThatThrownBy(() -> operator.importFrom(ImportSource.csv(dir.resolve("missing")), KS, "imported"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid import source: " + dir.resolve("missing") + " (no such file or directory)");
    assertThat(rows("imported")).isZero();
  }

  @Test
  void should_import_nothing_and_say_so_from_a_source_whose_files_hold_no_rows() throws IOException {
    execute("TRUNCATE " + KS + ".imported");
    Path out = Files.createDirectories(dir.resolve("no-rows"));
    Files.writeString(out.resolve("_ringsweep_schema.json"), "{\"columns\": [{\"name\": \"id\", \"cqlType\":"
        + " \"bigint\"}, {\"name\": \"v\", \"cqlType\": \"text\"}]}");
    Files.writeString(out.resolve("part-0.jsonl"), "");

    ImportResult result = operator.importFrom(ImportSource.jsonLines(out), KS, "imported");

    assertThat(result.rowsRead()).isZero();
    assertThat(result.rows()).isZero();
    assertThat(result.verification().matches()).isTrue();
    assertThat(rows("imported")).isZero();
  }

  @Test
  void should_name_a_corrupt_parquet_file_and_write_nothing() throws IOException {
    execute("TRUNCATE " + KS + ".imported");
    Path out = dir.resolve("parquet");
    operator.export(KS, "a", ExportTargets.parquet(out));
    Path file = ExportReaders.files(out, ".parquet").get(0);
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));

    assertThatThrownBy(() -> operator.importFrom(ImportSources.parquet(out), KS, "imported"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unreadable Parquet file " + file + ": ");
    assertThat(rows("imported")).isZero();
  }

  @Test
  void should_tell_the_caller_when_a_parquet_file_cannot_be_read_part_way() throws IOException {
    execute("TRUNCATE " + KS + ".imported");
    Path out = dir.resolve("parquet");
    operator.export(KS, "a", ExportTargets.parquet(out));
    Path file = ExportReaders.files(out, ".parquet").get(0);
    byte[] bytes = Files.readAllBytes(file);
    int footer = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .getInt();
    // Zero the data pages, keep the footer: the file opens, its row group cannot be decoded.
    java.util.Arrays.fill(bytes, 4, bytes.length - 8 - footer, (byte) 0);
    Files.write(file, bytes);

    BulkOperationException failure = catchThrowableOfType(BulkOperationException.class,
        () -> operator.importFrom(ImportSources.parquet(out), KS, "imported",
            ImportOptions.defaults().withCheckpointFile(dir.resolve("cp.json"))));

    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("Import of parquet " + out + " into bad_input.imported failed after",
        "Could not read " + file + " row group 0");
    assertThat(failure.partialResult(ImportResult.class).rows()).isEqualTo(rows("imported"));
  }

  @Test
  void should_refuse_to_resume_an_import_checkpoint_of_another_target_and_write_nothing() throws IOException {
    Path out = dir.resolve("json");
    operator.export(KS, "a", ExportTarget.jsonLines(out));
    Path checkpoint = dir.resolve("import-checkpoint.json");
    operator.importFrom(ImportSource.jsonLines(out), KS, "imported",
        ImportOptions.defaults().withCheckpointFile(checkpoint));
    execute("TRUNCATE " + KS + ".imported");

    assertThatThrownBy(() -> operator.importFrom(ImportSource.jsonLines(out), KS, "other",
        ImportOptions.defaults().withCheckpointFile(checkpoint).withResume(Resume.RESUME)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("Import checkpoint " + checkpoint + " is for json lines " + out + " into bad_input.imported,"
            + " not json lines " + out + " into bad_input.other (resume the same import, or start a new one)");
    assertThatThrownBy(() -> operator.importFrom(ImportSource.jsonLines(out), KS, "other",
        ImportOptions.defaults().withResume(Resume.RESUME)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid resume: RESUME needs a checkpoint file (ImportOptions.withCheckpointFile)");
    assertThat(rows("other")).isZero();
  }

  /** Every regular file under {@code root}, with its size and modification time folded in. */
  private static Map<String, Long> files(Path root) throws IOException {
    Map<String, Long> out = new TreeMap<>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), Files.size(p) * 31 + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }
}
