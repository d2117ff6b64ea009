package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.IcebergSource;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.imports.ImportOptions;
import dev.ringsweep.imports.ImportResult;
import dev.ringsweep.imports.Verification;
import dev.ringsweep.imports.VerificationResult;
import dev.ringsweep.internal.format.AllTypes;
import dev.ringsweep.internal.imports.ImportCheckpoint;
import dev.ringsweep.internal.imports.ImportOperation;
import dev.ringsweep.internal.imports.VerificationListener;
import dev.ringsweep.testing.PartWayRuns;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Import from Iceberg on Spark against the real single-node cluster: tables exported on Spark are imported into empty
 * copies, which must equal the sources value by value.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkImportIT {

  private static final String KS = SparkFixture.KS;
  private static final int PAYLOAD_ROWS = 5_000;

  private SparkFixture fx;

  @BeforeAll
  void setUp() {
    fx = SparkFixture.get();
    AllTypes.UDT_CQL.forEach(cql -> fx.execute(String.format(cql.replace("CREATE TYPE", "CREATE TYPE IF NOT EXISTS"),
        KS)));
    String columns = AllTypes.COLUMNS_CQL.stream().map(c -> c[0] + " " + c[1]).collect(Collectors.joining(", "));
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".types_src (" + columns + ", PRIMARY KEY (k))");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".types_copy (" + columns + ", PRIMARY KEY (k))");
    fx.execute("TRUNCATE " + KS + ".types_copy");
    fx.session.refreshSchema();
    var ks = fx.session.getMetadata().getKeyspace(KS).orElseThrow();
    String names = AllTypes.COLUMNS_CQL.stream().map(c -> c[0]).collect(Collectors.joining(", "));
    String marks = AllTypes.COLUMNS_CQL.stream().map(c -> "?").collect(Collectors.joining(", "));
    var insert = fx.session.prepare("INSERT INTO " + KS + ".types_src (" + names + ") VALUES (" + marks + ")");
    for (Object[] row : AllTypes.rows(ks.getUserDefinedType("address").orElseThrow(),
        ks.getUserDefinedType("person").orElseThrow(), AllTypes.tupleType())) {
      fx.session.execute(insert.bind(row));
    }
    // 1 KiB of random bytes per row: about 5 MiB that Parquet cannot compress, planned as several splits.
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".payload (k bigint PRIMARY KEY, p blob, n int)");
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".payload_copy (k bigint PRIMARY KEY, p blob, n int)");
    fx.execute("TRUNCATE " + KS + ".payload_copy");
    TestData.insert(fx.session, "INSERT INTO " + KS + ".payload (k, p, n) VALUES (?, ?, ?)", PAYLOAD_ROWS, i -> {
      byte[] bytes = new byte[1024];
      new Random(i).nextBytes(bytes);
      return new Object[] {i, ByteBuffer.wrap(bytes), (int) i % 97};
    });
  }

  private RingsweepSpark ringsweep() {
    return RingsweepSpark.on(fx.spark, fx.connection);
  }

  /** Every row of a table as Cassandra returns it, values in the table's column order, by primary key. */
  private Map<Object, List<Object>> rows(String table) {
    TableMetadata t = fx.session.getMetadata().getKeyspace(KS).orElseThrow().getTable(table).orElseThrow();
    Map<Object, List<Object>> rows = new HashMap<>();
    String names = t.getColumns().keySet().stream().map(c -> c.asCql(true)).collect(Collectors.joining(", "));
    for (Row row : fx.session.execute("SELECT " + names + " FROM " + KS + "." + table)) {
      Object[] values = new Object[row.getColumnDefinitions().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.isNull(i) ? null : row.getObject(i);
      }
      rows.put(values[0], java.util.Arrays.asList(values));
    }
    return rows;
  }

  @Test
  void should_import_every_type_into_an_empty_copy_value_by_value() {
    ringsweep().exportToIceberg(KS, "types_src", ExportTargets.iceberg(fx.warehouse, "db.types_src"),
        ExportOptions.defaults());

    List<dev.ringsweep.Progress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    ImportResult result = ringsweep().withProgressListener(progress::add)
        .importFromIceberg(ImportSources.iceberg(fx.warehouse, "db.types_src"), KS, "types_copy",
            ImportOptions.defaults());

    Map<Object, List<Object>> source = rows("types_src");
    assertThat(result.rows()).isEqualTo(source.size());
    // The source's splits, one call per task; not the verification's counts.
    assertThat(progress).isNotEmpty().extracting(dev.ringsweep.Progress::rangesDone).isSorted();
    dev.ringsweep.Progress last = progress.get(progress.size() - 1);
    assertThat(last.rangesDone()).isEqualTo(last.rangesTotal());
    assertThat(last.rows()).isEqualTo(source.size());
    assertThat(result.failed()).isZero();
    assertThat(result.verification().ran()).isTrue();
    assertThat(result.verification().matches()).isTrue();
    assertThat(rows("types_copy")).isEqualTo(source);
  }

  @Test
  void should_import_in_several_tasks_each_row_once() throws InterruptedException {
    ringsweep().exportToIceberg(KS, "payload", ExportTargets.iceberg(fx.warehouse, "db.payload"),
        ExportOptions.defaults());
    AtomicInteger importTasks = new AtomicInteger();
    SparkListener listener = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart start) {
        String description =
            start.properties() == null ? null : start.properties().getProperty("spark.job.description");
        if (description != null && description.startsWith("Import of")) {
          importTasks.set(start.stageInfos().head().numTasks());
        }
      }
    };
    fx.spark.sparkContext().addSparkListener(listener);
    ImportResult result;
    try {
      result = ringsweep().withOptions(SparkOptions.defaults().withTasks(3)).importFromIceberg(
          ImportSources.iceberg(fx.warehouse, "db.payload"), KS, "payload_copy", ImportOptions.defaults());
      // Spark's listener bus is asynchronous.
      for (int i = 0; i < 200 && importTasks.get() == 0; i++) {
        Thread.sleep(50);
      }
    } finally {
      fx.spark.sparkContext().removeSparkListener(listener);
    }

    assertThat(result.rows()).isEqualTo(PAYLOAD_ROWS);
    assertThat(result.rowsRead()).isEqualTo(PAYLOAD_ROWS);
    assertThat(importTasks.get()).as("tasks of the import job").isEqualTo(3);
    assertThat(rows("payload_copy")).isEqualTo(rows("payload"));
  }

  @Test
  void should_start_an_import_tasks_writes_where_an_earlier_import_task_on_its_executor_left_them() {
    IcebergSource source = payloadInIceberg("payload_memory_copy", "payload_memory");
    // A connection of its own (another timeout makes it another connection, so another session): its writers have
    // learned nothing yet.
    CassandraConnection own = fx.connection.withRequestTimeout(java.time.Duration.ofSeconds(28));
    ImportOptions options = ImportOptions.defaults();
    // One node: one adaptive limit per writer, starting at a quarter of the ceiling of 64 per node.
    dev.ringsweep.batch.BatchWriterOptions w = options.writerOptions(false);
    int fresh = new dev.ringsweep.batch.BatchWriterOptions(w.mode(), w.grouping(), w.maxStatementsPerBatch(),
        w.warnStatementsPerBatch(), w.maxBatchBytes(), options.maxInFlightFor(1), w.concurrency(),
        w.maxStatementsPerSecond(), w.maxRetries(), w.initialBackoff(), w.maxBackoff()).initialInFlight();
    List<dev.ringsweep.LimitChange> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    dev.ringsweep.ProgressListener listener = new dev.ringsweep.ProgressListener() {
      @Override
      public void onProgress(dev.ringsweep.Progress p) {}

      @Override
      public void onLimitChanged(dev.ringsweep.LimitChange change) {
        tasks.add(change);
      }
    };

    // Six tasks, two at a time (local[2]): the first two start afresh, the later ones after some have ended.
    ImportResult result = RingsweepSpark.on(fx.spark, own).withOptions(SparkOptions.defaults().withTasks(6))
        .withProgressListener(listener).importFromIceberg(source, KS, "payload_memory_copy", options);

    assertThat(result.rows()).isEqualTo(PAYLOAD_ROWS);
    assertThat(rows("payload_memory_copy")).isEqualTo(rows("payload"));
    // The verification's count jobs report their tasks' summaries too, each naming its read.
    List<dev.ringsweep.LimitChange> verification = tasks.stream()
        .filter(c -> c.detail().contains(VerificationListener.VERIFICATION)).toList();
    assertThat(verification).as("the verification's counts: %s", verification).isNotEmpty()
        .allSatisfy(c -> assertThat(c.detail()).containsAnyOf(ImportOperation.COUNT_BEFORE + ")",
            ImportOperation.COUNT_AFTER + ")"));
    tasks.removeAll(verification);
    assertThat(tasks).as("one summary per task: %s", tasks).hasSize(6);
    // Each task's change runs from the limit its writer started with to its last one.
    assertThat(tasks).as("the first tasks started afresh").anySatisfy(c -> assertThat(c.previousLimit())
        .isEqualTo(fresh));
    assertThat(tasks).as("a later task's writer started where an earlier one left its limit, not afresh at %s: %s",
        fresh, tasks).anySatisfy(c -> assertThat(c.previousLimit()).isNotEqualTo(fresh));
    assertThat(tasks).allSatisfy(c -> assertThat(c.previousLimit()).isBetween(1, options.maxInFlightFor(1)));
  }

  /** An empty copy table {@code copy} of the payload table, and the payload exported to Iceberg {@code db.<name>}. */
  private IcebergSource payloadInIceberg(String copy, String name) {
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + "." + copy + " (k bigint PRIMARY KEY, p blob, n int)");
    fx.execute("TRUNCATE " + KS + "." + copy);
    ringsweep().exportToIceberg(KS, "payload", ExportTargets.iceberg(fx.warehouse, "db." + name),
        ExportOptions.defaults());
    return ImportSources.iceberg(fx.warehouse, "db." + name);
  }

  /** Checksummed import options with a checkpoint in a new directory. */
  private static ImportOptions checkpointed(String directory) throws IOException {
    return ImportOptions.defaults().withCheckpointFile(Files.createTempDirectory(directory).resolve("checkpoint.json"))
        .withVerification(Verification.COUNT_AND_CHECKSUM);
  }

  /** Fails the Spark import's tasks 2 and up on every attempt, after they wrote their rows (null: no failure). */
  private static void failTasksFromTheThird(boolean fail) {
    ImportJob.attemptHook = !fail ? null : (partition, attempt) -> {
      if (partition >= 2) {
        throw new IllegalStateException("test: import task " + partition + " fails after writing");
      }
    };
  }

  /**
   * That a resumed import read only part of the payload ({@code skipped} says what it skipped), verified the whole
   * import (rows of both runs, count, checksum of both runs equal to the source's) and left {@code copy} equal to the
   * payload value by value.
   */
  private void assertResumedExactly(ImportResult resumed, String skipped, String copy) {
    assertThat(resumed.rowsRead()).as(skipped).isPositive().isLessThan(PAYLOAD_ROWS);
    VerificationResult v = resumed.verification();
    assertThat(v.rowsRead()).as("read by both runs").isEqualTo(PAYLOAD_ROWS);
    assertThat(v.rowsWritten()).isEqualTo(PAYLOAD_ROWS);
    assertThat(v.targetRowsBefore()).isZero();
    assertThat(v.targetRowsAfter()).isEqualTo(PAYLOAD_ROWS);
    assertThat(v.targetChecksum()).as("checksum of both runs' rows").isEqualTo(v.sourceChecksum());
    assertThat(v.matches()).isTrue();
    assertThat(rows(copy)).isEqualTo(rows("payload"));
  }

  @Test
  void should_resume_a_failed_import_from_its_checkpoint_without_the_tasks_that_succeeded() throws Exception {
    IcebergSource source = payloadInIceberg("payload_resumed", "payload_resume_src");
    ImportOptions options = checkpointed("spark-import-resume");
    RingsweepSpark fourTasks = ringsweep().withOptions(SparkOptions.defaults().withTasks(4));
    // Tasks 0 and 1 run first (local[2]) and succeed; task 2 writes its rows, then fails on every attempt.
    failTasksFromTheThird(true);
    BulkOperationException failure;
    try {
      failure = catchThrowableOfType(BulkOperationException.class,
          () -> fourTasks.importFromIceberg(source, KS, "payload_resumed", options));
    } finally {
      failTasksFromTheThird(false);
    }
    assertThat(failure).isNotNull();
    assertThat(failure.getMessage()).contains("resume it from checkpoint " + options.checkpointFile());

    ImportResult resumed = fourTasks.importFromIceberg(source, KS, "payload_resumed",
        options.withResume(Resume.RESUME));

    assertResumedExactly(resumed, "the splits of tasks 0 and 1 are skipped", "payload_resumed");
  }

  @Test
  void should_resume_on_spark_the_checkpoint_of_a_single_jvm_import_that_failed() throws Exception {
    // Not pinned to a snapshot: the single JVM's checkpoint names the table only.
    IcebergSource source = payloadInIceberg("payload_from_jvm", "payload_jvm_src");
    ImportOptions options = checkpointed("jvm-import-resume");
    PartWayRuns.failImport(fx.cluster, source, KS, "payload_from_jvm", options, 2 * PAYLOAD_ROWS / 5);
    assertThat(ImportCheckpoint.load(options.checkpointFile(), source.describe(), KS + ".payload_from_jvm")
        .doneSplits()).as("splits the single JVM finished").isNotEmpty();

    ImportResult resumed = ringsweep().importFromIceberg(source, KS, "payload_from_jvm",
        options.withResume(Resume.RESUME));

    assertResumedExactly(resumed, "the single JVM's finished splits are skipped", "payload_from_jvm");
  }

  @Test
  void should_resume_in_a_single_jvm_the_checkpoint_of_a_spark_import_pinned_to_its_snapshot() throws Exception {
    IcebergSource source = payloadInIceberg("payload_to_jvm", "payload_spark_src");
    ImportOptions options = checkpointed("spark-import-to-jvm");
    failTasksFromTheThird(true);
    try {
      assertThatThrownBy(() -> ringsweep().withOptions(SparkOptions.defaults().withTasks(4))
          .importFromIceberg(source, KS, "payload_to_jvm", options))
          .isInstanceOf(BulkOperationException.class);
    } finally {
      failTasksFromTheThird(false);
    }
    long snapshot = ImportJob.currentSnapshot(SplitSource.of(source, options.readers()));
    TokenAwareBulkOperator single = TokenAwareBulkOperator.builder(fx.session).build();
    ImportOptions resume = options.withResume(Resume.RESUME);
    // The Spark import pinned the table's snapshot: the same table unpinned is another source.
    assertThatThrownBy(() -> single.importFrom(source, KS, "payload_to_jvm", resume))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("at snapshot " + snapshot);

    ImportResult resumed = single.importFrom(source.atSnapshot(snapshot), KS, "payload_to_jvm", resume);

    assertResumedExactly(resumed, "the splits of Spark's successful tasks are skipped", "payload_to_jvm");
  }

  @Test
  void should_refuse_a_resume_without_a_checkpoint_file_naming_the_option() {
    assertThatThrownBy(() -> ringsweep().importFromIceberg(ImportSources.iceberg(fx.warehouse, "db.payload"), KS,
        "payload_copy", ImportOptions.defaults().withResume(Resume.RESUME)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("withCheckpointFile");
  }

  @Test
  void should_verify_a_checksum_equal_to_the_source_tables_own() {
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".types_summed (" + AllTypes.COLUMNS_CQL.stream()
        .map(c -> c[0] + " " + c[1]).collect(Collectors.joining(", ")) + ", PRIMARY KEY (k))");
    fx.execute("TRUNCATE " + KS + ".types_summed");
    ringsweep().exportToIceberg(KS, "types_src", ExportTargets.iceberg(fx.warehouse, "db.types_summed"),
        ExportOptions.defaults());

    List<dev.ringsweep.Progress> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<dev.ringsweep.LimitChange> changes = new java.util.concurrent.CopyOnWriteArrayList<>();
    Map<String, List<dev.ringsweep.Progress>> verified = new java.util.concurrent.ConcurrentHashMap<>();
    dev.ringsweep.ProgressListener listener = new dev.ringsweep.ProgressListener() {
      @Override
      public void onProgress(dev.ringsweep.Progress p) {
        progress.add(p);
      }

      @Override
      public void onVerificationProgress(String read, dev.ringsweep.Progress p) {
        verified.computeIfAbsent(read, r -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(p);
      }

      @Override
      public void onLimitChanged(dev.ringsweep.LimitChange change) {
        changes.add(change);
      }
    };
    ImportResult result = ringsweep().withOptions(SparkOptions.defaults().withTasks(3))
        .withProgressListener(listener).importFromIceberg(
        ImportSources.iceberg(fx.warehouse, "db.types_summed"), KS, "types_summed",
        ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));

    // Every job reports its tasks' limits, the verification's reads naming themselves; only the import's own tasks
    // report progress, over the source's splits, the last with all of them.
    for (String read : List.of(ImportOperation.COUNT_BEFORE, ImportOperation.COUNT_AFTER, ImportOperation.CHECKSUM)) {
      assertThat(changes).as("the task summaries of the verification's %s: %s", read, changes)
          .filteredOn(c -> c.detail().endsWith(VerificationListener.VERIFICATION + read + ")")).isNotEmpty()
          .allSatisfy(c -> assertThat(c.scope()).startsWith("task "));
    }
    assertThat(progress).isNotEmpty().extracting(dev.ringsweep.Progress::rangesDone).isSorted();
    dev.ringsweep.Progress last = progress.get(progress.size() - 1);
    assertThat(last.rangesDone()).isEqualTo(last.rangesTotal());
    assertThat(changes).as("the import's own tasks, one summary each: %s", changes)
        .filteredOn(c -> !c.detail().contains(VerificationListener.VERIFICATION)).hasSize(progress.size());
    // The verification's reads report their own progress, each to the end: the target was empty before.
    Map<String, Long> rowsAtEnd = Map.of(ImportOperation.COUNT_BEFORE, 0L, ImportOperation.COUNT_AFTER,
        (long) rows("types_src").size(), ImportOperation.CHECKSUM, (long) rows("types_src").size());
    assertThat(verified).as("verification progress").containsOnlyKeys(rowsAtEnd.keySet());
    rowsAtEnd.forEach((read, rows) -> assertThat(verified.get(read)).as(read).extracting(dev.ringsweep.Progress::rows)
        .isSorted().last().isEqualTo(rows));
    verified.forEach((read, reports) -> assertThat(reports.get(reports.size() - 1)).as(read)
        .satisfies(p -> assertThat(p.rangesDone()).isEqualTo(p.rangesTotal())));

    VerificationResult v = result.verification();
    assertThat(v.verification()).isEqualTo(Verification.COUNT_AND_CHECKSUM);
    assertThat(v.sourceChecksum()).as("checksum of the rows written").isNotNull();
    assertThat(v.targetChecksum()).as("checksum read back").isEqualTo(v.sourceChecksum());
    assertThat(v.matches()).isTrue();
    // Ground truth: the same checksum over the Cassandra table the Iceberg table was exported from, read in one JVM
    // (an import writes every column of the table here, in the table's column order).
    TokenAwareBulkOperator operator = TokenAwareBulkOperator.builder(fx.session).build();
    TableMetadata source = fx.session.getMetadata().getKeyspace(KS).orElseThrow().getTable("types_src").orElseThrow();
    long expected = ImportOperation.targetChecksum(SparkJobs.context(operator), source,
        source.getColumns().keySet().stream().map(c -> c.asInternal()).toList(),
        operator.plan(KS, "types_src").interleaved()).checksum();
    assertThat(v.sourceChecksum()).isEqualTo(expected);
    assertThat(rows("types_summed")).isEqualTo(rows("types_src"));
  }

  @Test
  void should_fail_the_checksum_verification_when_source_rows_share_a_key() {
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".payload_twice (k bigint PRIMARY KEY, p blob, n int)");
    fx.execute("TRUNCATE " + KS + ".payload_twice");
    // Two appends of the same rows: every key twice in the Iceberg table, so the copy holds each once.
    for (int i = 0; i < 2; i++) {
      ringsweep().exportToIceberg(KS, "payload", ExportTargets.iceberg(fx.warehouse, "db.payload_twice"),
          ExportOptions.defaults());
    }

    BulkOperationException e = catchThrowableOfType(BulkOperationException.class,
        () -> ringsweep().importFromIceberg(ImportSources.iceberg(fx.warehouse, "db.payload_twice"), KS,
            "payload_twice", ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM)));

    assertThat(e).hasMessageContaining("verification failed: source " + 2 * PAYLOAD_ROWS + " rows, "
        + 2 * PAYLOAD_ROWS + " read, " + 2 * PAYLOAD_ROWS + " written; target 0 rows before, " + PAYLOAD_ROWS
        + " after (expected " + 2 * PAYLOAD_ROWS + "); checksum source ");
    VerificationResult v = e.partialResult(ImportResult.class).verification();
    assertThat(v.sourceChecksum()).isNotNull();
    assertThat(v.targetChecksum()).isNotNull().isNotEqualTo(v.sourceChecksum());
    assertThat(v.matches()).isFalse();
  }

  @Test
  void should_name_an_unknown_iceberg_table_or_target_and_write_nothing() {
    assertThatThrownBy(() -> ringsweep().importFromIceberg(ImportSources.iceberg(fx.warehouse, "db.no_such_source"),
        KS, "payload_copy", ImportOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_source");
    assertThatThrownBy(() -> ringsweep().importFromIceberg(ImportSources.iceberg(fx.warehouse, "db.types_src"),
        KS, "no_such_target", ImportOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no_such_target");
  }
}
