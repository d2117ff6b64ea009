package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportResult;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.testing.PartWayRuns;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Export to and import from plain Parquet files on Spark against the real single-node cluster: round trips value by
 * value, retried and failed task attempts, bad records in one file, sources that do not fit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkParquetIT {

  private static final String KS = SparkFixture.KS;
  private static final int PAYLOAD_ROWS = 5_000;
  private static final int INT_ROWS = 300;

  private SparkFixture fx;
  private Path dir;

  @BeforeAll
  void setUp() throws IOException {
    fx = SparkFixture.get();
    dir = Files.createDirectories(fx.warehouse.getParent().resolve("spark-parquet-" + ProcessHandle.current().pid()));
    AllTypes.UDT_CQL.forEach(cql -> fx.execute(String.format(cql.replace("CREATE TYPE", "CREATE TYPE IF NOT EXISTS"),
        KS)));
    String columns = AllTypes.COLUMNS_CQL.stream().map(c -> c[0] + " " + c[1]).collect(Collectors.joining(", "));
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".pq_types (" + columns + ", PRIMARY KEY (k))");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".pq_types_copy (" + columns + ", PRIMARY KEY (k))");
    fx.execute("TRUNCATE " + KS + ".pq_types_copy");
    fx.session.refreshSchema();
    var ks = fx.session.getMetadata().getKeyspace(KS).orElseThrow();
    String names = AllTypes.COLUMNS_CQL.stream().map(c -> c[0]).collect(Collectors.joining(", "));
    String marks = AllTypes.COLUMNS_CQL.stream().map(c -> "?").collect(Collectors.joining(", "));
    var insert = fx.session.prepare("INSERT INTO " + KS + ".pq_types (" + names + ") VALUES (" + marks + ")");
    for (Object[] row : AllTypes.rows(ks.getUserDefinedType("address").orElseThrow(),
        ks.getUserDefinedType("person").orElseThrow(), AllTypes.tupleType())) {
      fx.session.execute(insert.bind(row));
    }
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".pq_payload (k bigint PRIMARY KEY, p blob, n int)");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".pq_payload_copy (k bigint PRIMARY KEY, p blob, n int)");
    fx.execute("TRUNCATE " + KS + ".pq_payload_copy");
    TestData.insert(fx.session, "INSERT INTO " + KS + ".pq_payload (k, p, n) VALUES (?, ?, ?)", PAYLOAD_ROWS, i -> {
      byte[] bytes = new byte[1024];
      new Random(i).nextBytes(bytes);
      return new Object[] {i, ByteBuffer.wrap(bytes), (int) i % 97};
    });
    // Every 20th v does not fit a tinyint: 15 bad rows for an import into pq_narrow.
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".pq_ints (k int PRIMARY KEY, v int)");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".pq_narrow (k int PRIMARY KEY, v tinyint)");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".pq_wrong_type (k int PRIMARY KEY, v uuid)");
    fx.execute("TRUNCATE " + KS + ".pq_narrow");
    TestData.insert(fx.session, "INSERT INTO " + KS + ".pq_ints (k, v) VALUES (?, ?)", INT_ROWS,
        i -> new Object[] {(int) i, i % 20 == 0 ? (int) (1000 + i) : (int) (i % 100) - 50});
  }

  @AfterEach
  void clearHooks() {
    ExportJob.attemptHook = null;
    ImportJob.attemptHook = null;
  }

  private RingsweepSpark ringsweep() {
    return RingsweepSpark.on(fx.spark, fx.connection);
  }

  /** The names in a directory, but the lock file every directory export leaves (as in a single JVM). */
  private static List<String> names(Path directory) {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals("_ringsweep.lock")).sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> dataFiles(Path directory) {
    return names(directory).stream().filter(n -> n.endsWith(".parquet")).toList();
  }

  private long count(String table) {
    return fx.session.execute("SELECT count(*) FROM " + KS + "." + table).one().getLong(0);
  }

  @Test
  void should_round_trip_every_type_through_parquet_files_value_by_value() {
    Path out = dir.resolve("types");

    ExportResult exported = ringsweep().exportToParquet(KS, "pq_types", ExportTargets.parquet(out),
        ExportOptions.defaults());
    ImportResult imported = ringsweep().importFromParquet(ImportSources.parquet(out), KS, "pq_types_copy",
        ImportOptions.defaults());

    var source = fx.rows(KS, "pq_types");
    assertThat(exported.rows()).isEqualTo(source.size());
    // Only the data files of the successful attempts and the schema file: no staging directory is left.
    assertThat(names(out)).allMatch(n -> n.endsWith(".parquet") || n.equals("_ringsweep_schema.json")
        || n.equals("_ringsweep_checkpoint.json"));
    assertThat(dataFiles(out)).hasSize(exported.files());
    assertThat(imported.rows()).isEqualTo(source.size());
    assertThat(imported.verification().matches()).isTrue();
    assertThat(fx.rows(KS, "pq_types_copy")).isEqualTo(source);
  }

  @Test
  void should_import_the_row_groups_in_several_tasks_each_row_once() {
    Path out = dir.resolve("payload");
    ExportResult exported = ringsweep().exportToParquet(KS, "pq_payload", ExportTargets.parquet(out),
        ExportOptions.defaults());
    assertThat(exported.files()).isGreaterThanOrEqualTo(3);
    List<String> tasks = new CopyOnWriteArrayList<>();
    ImportJob.attemptHook = (partition, attempt) -> tasks.add(partition + "/" + attempt);

    ImportResult result = ringsweep().withOptions(SparkOptions.defaults().withTasks(3)).importFromParquet(
        ImportSources.parquet(out), KS, "pq_payload_copy", ImportOptions.defaults());

    assertThat(tasks).containsExactlyInAnyOrder("0/0", "1/0", "2/0");
    assertThat(result.rowsRead()).isEqualTo(PAYLOAD_ROWS);
    assertThat(result.rows()).isEqualTo(PAYLOAD_ROWS);
    assertThat(fx.rows(KS, "pq_payload_copy")).isEqualTo(fx.rows(KS, "pq_payload"));
  }

  @Test
  void should_resume_on_spark_the_checkpoint_of_a_single_jvm_parquet_import_that_failed() {
    Path out = dir.resolve("payload_for_resume");
    ringsweep().exportToParquet(KS, "pq_payload", ExportTargets.parquet(out), ExportOptions.defaults());
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".pq_payload_resumed (k bigint PRIMARY KEY, p blob, n int)");
    fx.execute("TRUNCATE " + KS + ".pq_payload_resumed");
    Path checkpoint = dir.resolve("parquet-import-checkpoint.json");
    ImportOptions options = ImportOptions.defaults().withCheckpointFile(checkpoint)
        .withVerification(Verification.COUNT_AND_CHECKSUM);
    // Both runs are given the directory as a relative path: the checkpoint must name the row groups the same way on
    // the single JVM and on Spark, or Spark would import the finished ones again.
    Path relative = Path.of("").toAbsolutePath().relativize(out);
    assertThat(relative.isAbsolute()).isFalse();
    PartWayRuns.failImport(fx.cluster, ImportSources.parquet(relative), KS, "pq_payload_resumed", options,
        2 * PAYLOAD_ROWS / 5);

    ImportResult resumed = ringsweep().importFromParquet(ImportSources.parquet(relative), KS, "pq_payload_resumed",
        options.withResume(Resume.RESUME));

    assertThat(resumed.rowsRead()).as("the row groups the single JVM finished are skipped").isPositive()
        .isLessThan(PAYLOAD_ROWS);
    assertThat(resumed.verification().rowsRead()).as("read by both runs").isEqualTo(PAYLOAD_ROWS);
    assertThat(resumed.verification().targetRowsAfter()).isEqualTo(PAYLOAD_ROWS);
    assertThat(resumed.verification().targetChecksum()).as("checksum of both runs' rows")
        .isEqualTo(resumed.verification().sourceChecksum());
    assertThat(resumed.verification().matches()).isTrue();
    assertThat(fx.rows(KS, "pq_payload_resumed")).isEqualTo(fx.rows(KS, "pq_payload"));
  }

  @Test
  void should_keep_only_the_files_of_successful_attempts_when_a_task_fails_its_first_attempt() {
    Path out = dir.resolve("retried");
    List<String> failed = new CopyOnWriteArrayList<>();
    ExportJob.attemptHook = (partition, attempt) -> {
      if (partition == 1 && attempt == 0) {
        failed.add(partition + "/" + attempt);
        throw new IllegalStateException("injected failure of the first attempt of partition 1");
      }
    };

    ExportResult result = ringsweep().exportToParquet(KS, "pq_ints", ExportTargets.parquet(out),
        ExportOptions.defaults());

    assertThat(failed).containsExactly("1/0"); // that attempt had written its files when it failed
    assertThat(result.rows()).isEqualTo(INT_ROWS);
    assertThat(dataFiles(out)).hasSize(result.files());
    assertThat(names(out)).noneMatch(n -> n.startsWith(ParquetStaging.PREFIX));
    // Spark's own Parquet reader (not Ringsweep's) sees each key once.
    List<Integer> keys = fx.spark.read().parquet(out.toString()).select("k").collectAsList().stream()
        .map(r -> r.getInt(0)).toList();
    assertThat(keys).containsExactlyInAnyOrderElementsOf(IntStream.range(0, INT_ROWS).boxed().toList());
  }

  @Test
  void should_publish_no_file_when_the_export_job_fails_and_resume_into_each_row_once() {
    Path out = dir.resolve("failed");
    int tasks = 6;
    RingsweepSpark ringsweep = ringsweep().withOptions(SparkOptions.defaults().withTasks(tasks));
    ExportJob.attemptHook = (partition, attempt) -> {
      if (partition == tasks - 2) {
        throw new IllegalStateException("injected failure of every attempt of partition " + (tasks - 2));
      }
    };

    BulkOperationException failure = catchThrowableOfType(BulkOperationException.class,
        () -> ringsweep.exportToParquet(KS, "pq_ints", ExportTargets.parquet(out), ExportOptions.defaults()));

    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("no data file was moved into " + out,
        "injected failure of every attempt of partition " + (tasks - 2), "Resume.RESUME",
        "checkpoint " + out.resolve("_ringsweep_checkpoint.json"));
    ExportResult partial = failure.partialResult(ExportResult.class);
    assertThat(partial.rows()).as("rows of the tasks that finished before the job failed").isBetween(1L,
        INT_ROWS - 1L);
    // Readers see no data file: only Ringsweep's own entries, the kept files staged among them.
    assertThat(dataFiles(out)).isEmpty();
    assertThat(names(out)).allMatch(n -> n.startsWith("_ringsweep")).anyMatch(n -> n.startsWith(ParquetStaging.PREFIX));
    // Spark's own reader finds no Parquet file to read.
    assertThatThrownBy(() -> fx.spark.read().parquet(out.toString()).count())
        .hasMessageContaining("Unable to infer schema for Parquet");
    ExportJob.attemptHook = null;
    // A rerun without resume is refused while the kept files are there; a single-JVM resume cannot publish them.
    assertThatThrownBy(() -> ringsweep.exportToParquet(KS, "pq_ints", ExportTargets.parquet(out),
        ExportOptions.defaults()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("is not empty");
    assertThatThrownBy(() -> TokenAwareBulkOperator.builder(fx.session).build().export(KS, "pq_ints",
        ExportTargets.parquet(out), ExportOptions.defaults().withResume(Resume.RESUME)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("resume it on Spark");

    ExportResult resumed = ringsweep.exportToParquet(KS, "pq_ints", ExportTargets.parquet(out),
        ExportOptions.defaults().withResume(Resume.RESUME));

    assertThat(resumed.rangesSkipped()).isPositive().isLessThan(resumed.rangesTotal());
    assertThat(partial.rows() + resumed.rows()).isEqualTo(INT_ROWS);
    assertThat(dataFiles(out)).hasSize(partial.files() + resumed.files());
    assertThat(names(out)).noneMatch(n -> n.startsWith(ParquetStaging.PREFIX));
    // Spark's own Parquet reader (not Ringsweep's) sees each key once, with its value.
    Map<Integer, Integer> exported = new HashMap<>();
    fx.spark.read().parquet(out.toString()).select("k", "v").collectAsList()
        .forEach(r -> assertThat(exported.put(r.getInt(0), r.getInt(1))).as("key %s twice", r.getInt(0)).isNull());
    Map<Integer, Integer> source = new HashMap<>();
    fx.session.execute("SELECT k, v FROM " + KS + ".pq_ints").forEach(r -> source.put(r.getInt(0), r.getInt(1)));
    assertThat(exported).hasSize(INT_ROWS).isEqualTo(source);
    // Resuming the completed export does nothing.
    assertThat(ringsweep.exportToParquet(KS, "pq_ints", ExportTargets.parquet(out),
        ExportOptions.defaults().withResume(Resume.RESUME)).rows()).isZero();
    assertThat(dataFiles(out)).hasSize(partial.files() + resumed.files());
  }

  @Test
  void should_resume_a_single_jvm_export_into_the_same_directory_each_row_once() {
    Path out = dir.resolve("from_single_jvm");
    // A single-JVM export that fails part-way: its session is closed after a few ranges, with files finished and
    // recorded in its checkpoint. It is given the directory as a relative path, Spark the absolute one: the same
    // target either way.
    PartWayRuns.failExport(fx.cluster, KS, "pq_ints",
        ExportTargets.parquet(Path.of("").toAbsolutePath().relativize(out)), ExportOptions.defaults()
        .withColumns("k", "v").withCheckpointInterval(Duration.ZERO).withWriters(2));
    List<String> before = dataFiles(out);
    assertThat(before).isNotEmpty();

    ExportResult resumed = ringsweep().exportToParquet(KS, "pq_ints", ExportTargets.parquet(out),
        ExportOptions.defaults().withColumns("k", "v").withResume(Resume.RESUME));

    assertThat(resumed.rangesSkipped()).isPositive();
    assertThat(dataFiles(out)).containsAll(before).hasSize(before.size() + resumed.files());
    List<Integer> keys = fx.spark.read().parquet(out.toString()).select("k").collectAsList().stream()
        .map(r -> r.getInt(0)).toList();
    assertThat(keys).containsExactlyInAnyOrderElementsOf(IntStream.range(0, INT_ROWS).boxed().toList());
  }

  @Test
  void should_put_the_bad_rows_of_the_successful_attempts_once_each_in_the_named_file() throws IOException {
    Path out = dir.resolve("ints");
    ringsweep().exportToParquet(KS, "pq_ints", ExportTargets.parquet(out), ExportOptions.defaults());
    Path badFile = dir.resolve("bad").resolve("narrow.jsonl");
    // The first attempt of partition 1 fails after it imported its rows and recorded its bad rows: its retry
    // records them again, and only the retry's records may reach the file.
    List<String> failed = new CopyOnWriteArrayList<>();
    ImportJob.attemptHook = (partition, attempt) -> {
      if (partition == 1 && attempt == 0) {
        failed.add(partition + "/" + attempt);
        throw new IllegalStateException("injected failure of the first attempt of partition 1");
      }
    };

    ImportResult result = ringsweep().withOptions(SparkOptions.defaults().withTasks(3)).importFromParquet(
        ImportSources.parquet(out), KS, "pq_narrow", ImportOptions.defaults().withBadRecordsFile(badFile));

    List<Integer> badKeys = IntStream.range(0, INT_ROWS).filter(i -> i % 20 == 0).boxed().toList();
    assertThat(failed).containsExactly("1/0");
    assertThat(result.badRecords()).isEqualTo(badKeys.size());
    assertThat(result.rows()).isEqualTo(INT_ROWS - badKeys.size());
    assertThat(result.badRecordsFile()).isEqualTo(badFile);
    List<JsonNode> lines = new ArrayList<>();
    ObjectMapper json = new ObjectMapper();
    for (String line : Files.readAllLines(badFile)) {
      lines.add(json.readTree(line));
    }
    assertThat(lines).extracting(l -> l.get("row").get("k").asInt()).containsExactlyInAnyOrderElementsOf(badKeys);
    for (JsonNode line : lines) {
      int k = line.get("row").get("k").asInt();
      assertThat(line.get("reason").asText()).isEqualTo(String.format(
          "column v (tinyint): Invalid tinyint value: %s (out of range [-128, 127])", 1000 + k));
    }
    assertThat(names(badFile.getParent())).containsExactly("narrow.jsonl"); // no parts directory left
    assertThat(count("pq_narrow")).isEqualTo(INT_ROWS - badKeys.size());
  }

  @Test
  void should_keep_the_bad_rows_of_a_failed_jobs_succeeded_tasks_and_add_the_resumed_runs_once_each()
      throws IOException {
    Path out = dir.resolve("ints_for_resumed_bad_rows");
    ringsweep().exportToParquet(KS, "pq_ints", ExportTargets.parquet(out), ExportOptions.defaults());
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".pq_narrow_resumed (k int PRIMARY KEY, v tinyint)");
    fx.execute("TRUNCATE " + KS + ".pq_narrow_resumed");
    Path badFile = dir.resolve("bad-resumed").resolve("narrow.jsonl");
    ImportOptions options = ImportOptions.defaults().withBadRecordsFile(badFile)
        .withCheckpointFile(dir.resolve("narrow-resumed.json"));
    RingsweepSpark threeTasks = ringsweep().withOptions(SparkOptions.defaults().withTasks(3));
    // The last task fails on every attempt, after it wrote its rows and its bad rows.
    ImportJob.attemptHook = (partition, attempt) -> {
      if (partition == 2) {
        throw new IllegalStateException("test: import task 2 fails after writing, attempt " + attempt);
      }
    };
    BulkOperationException failed = catchThrowableOfType(BulkOperationException.class,
        () -> threeTasks.importFromParquet(ImportSources.parquet(out), KS, "pq_narrow_resumed", options));
    assertThat(failed).isNotNull();
    assertThat(failed.getMessage()).contains("the bad records of the tasks that succeeded are in " + badFile);
    List<Integer> firstRun = badKeys(badFile);
    assertThat(firstRun).as("the bad rows of the two tasks that succeeded").isNotEmpty().doesNotHaveDuplicates();
    ImportJob.attemptHook = null;

    ImportResult resumed = threeTasks.importFromParquet(ImportSources.parquet(out), KS, "pq_narrow_resumed",
        options.withResume(Resume.RESUME));

    List<Integer> allBad = IntStream.range(0, INT_ROWS).filter(i -> i % 20 == 0).boxed().toList();
    assertThat(resumed.badRecords()).isEqualTo(allBad.size());
    assertThat(resumed.badRecordsFile()).isEqualTo(badFile);
    // Each bad row once: the first run's succeeded tasks', then the resumed run's (the failed task's again).
    assertThat(badKeys(badFile)).containsExactlyInAnyOrderElementsOf(allBad);
    assertThat(count("pq_narrow_resumed")).isEqualTo(INT_ROWS - allBad.size());
  }

  private static List<Integer> badKeys(Path badFile) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Integer> keys = new ArrayList<>();
    for (String line : Files.readAllLines(badFile)) {
      keys.add(json.readTree(line).get("row").get("k").asInt());
    }
    return keys;
  }

  @Test
  void should_refuse_parquet_files_whose_columns_do_not_fit_and_write_nothing() {
    Path out = dir.resolve("ints_for_wrong_type");
    ringsweep().exportToParquet(KS, "pq_ints", ExportTargets.parquet(out), ExportOptions.defaults());
    AtomicInteger attempts = new AtomicInteger();
    ImportJob.attemptHook = (partition, attempt) -> attempts.incrementAndGet();
    Path badFile = dir.resolve("wrong_type.jsonl");

    assertThatThrownBy(() -> ringsweep().importFromParquet(ImportSources.parquet(out), KS, "pq_wrong_type",
        ImportOptions.defaults().withBadRecordsFile(badFile)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("column v: source type int cannot be converted to target type uuid");

    assertThat(attempts.get()).isZero();
    assertThat(count("pq_wrong_type")).isZero();
    assertThat(names(dir)).noneMatch(n -> n.startsWith("wrong_type.jsonl"));
  }

  @Test
  void should_import_parquet_files_spark_wrote_by_their_natural_types_value_by_value() {
    assertSparkWrittenFilesImportExactly("TIMESTAMP_MICROS");
  }

  @Test
  void should_import_parquet_files_with_sparks_default_int96_timestamps() {
    assertSparkWrittenFilesImportExactly("INT96");
  }

  /**
   * Files from elsewhere: Spark's own Parquet writer (no Iceberg schema, no field ids in them), timestamps written as
   * {@code timestampType}; imported on Spark and compared value by value with what Spark reads from the files.
   */
  private void assertSparkWrittenFilesImportExactly(String timestampType) {
    Path foreign = dir.resolve("foreign_" + timestampType);
    String table = "pq_foreign_" + timestampType.toLowerCase(java.util.Locale.ROOT);
    fx.spark.conf().set("spark.sql.parquet.outputTimestampType", timestampType);
    try {
      fx.spark.sql("SELECT id, CAST(id % 1000 AS INT) AS n, CASE WHEN id % 7 = 0 THEN NULL ELSE concat('n', id) END"
          + " AS name, id / 4.0D AS score, date_add(DATE'2024-01-01', CAST(id % 365 AS INT)) AS day,"
          + " timestamp_millis(1704067200000 + id) AS ts, id % 2 = 0 AS flag FROM range(3000)")
          .repartition(3).write().parquet(foreign.toString());
    } finally {
      fx.spark.conf().unset("spark.sql.parquet.outputTimestampType");
    }
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + "." + table + " (id bigint PRIMARY KEY, n int, name text, "
        + "score double, day date, ts timestamp, flag boolean)");
    fx.execute("TRUNCATE " + KS + "." + table);
    fx.session.refreshSchema();

    ImportResult result = ringsweep().importFromParquet(ImportSources.parquet(foreign), KS, table,
        ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));

    assertThat(result.rows()).isEqualTo(3000);
    assertThat(result.failed()).isZero();
    assertThat(result.verification().matches()).isTrue();
    Map<Long, List<Object>> expected = new HashMap<>();
    for (org.apache.spark.sql.Row r : fx.spark.read().parquet(foreign.toString()).collectAsList()) {
      expected.put(r.getLong(0), java.util.Arrays.asList(r.getLong(0), r.getInt(1),
          r.isNullAt(2) ? null : r.getString(2), r.getDouble(3), r.getLocalDate(4), r.getInstant(5),
          r.getBoolean(6)));
    }
    assertThat(expected).hasSize(3000);
    Map<Long, List<Object>> imported = new HashMap<>();
    for (com.datastax.oss.driver.api.core.cql.Row r : fx.session.execute(
        "SELECT id, n, name, score, day, ts, flag FROM " + KS + "." + table)) {
      imported.put(r.getLong(0), java.util.Arrays.asList(r.getLong(0), r.getInt(1), r.getString(2), r.getDouble(3),
          r.getLocalDate(4), r.getInstant(5), r.getBoolean(6)));
    }
    assertThat(imported).isEqualTo(expected);
  }

  @Test
  void should_refuse_a_directory_that_is_not_empty_and_run_no_task() throws IOException {
    Path out = Files.createDirectories(dir.resolve("not_empty"));
    Files.writeString(out.resolve("notes.txt"), "keep me");
    AtomicInteger attempts = new AtomicInteger();
    ExportJob.attemptHook = (partition, attempt) -> attempts.incrementAndGet();

    assertThatThrownBy(() -> ringsweep().exportToParquet(KS, "pq_ints", ExportTargets.parquet(out),
        ExportOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Export directory " + out + " is not empty");

    assertThat(attempts.get()).isZero();
    assertThat(names(out)).containsExactly("notes.txt");
  }
}
