package dev.ringsweep.imports;

import static dev.ringsweep.imports.ImportTables.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.ringsweep.LimitChange;
import dev.ringsweep.OperatorBuilder;
import dev.ringsweep.Progress;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.batch.BatchKind;
import dev.ringsweep.batch.BatchMode;
import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.Resume;
import dev.ringsweep.export.TextCompression;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.iceberg.WriteMode;
import dev.ringsweep.internal.iceberg.ForeignParquet;
import dev.ringsweep.internal.iceberg.IcebergCatalogs;
import dev.ringsweep.internal.imports.ImportOperation;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;



/** Import round trips against a real single-node cluster: export, import into a new table, compare every value. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportIT {

  private static final String KS = "import_it";

  private CqlSession session;
  private int allTypesRows;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    TestCluster cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS, TestCluster.simpleReplication(1));
    ImportTables.createUdts(session, KS);
    ImportTables.createAllTypes(session, KS, "all_types");
    allTypesRows = ImportTables.insertAllTypes(session, KS, "all_types");
  }

  @AfterAll
  void tearDown() {
    if (session != null) {
      session.close();
    }
  }

  private TokenAwareBulkOperator operator() {
    return TokenAwareBulkOperator.builder(session).build();
  }

  private void roundTrip(String name, ExportTarget target, Function<Path, ImportSource> source, Path where) {
    operator().export(KS, "all_types", target);
    ImportTables.createAllTypes(session, KS, name);
    List<Progress> progress = new CopyOnWriteArrayList<>();
    Map<String, List<Progress>> verified = new java.util.concurrent.ConcurrentHashMap<>();
    List<LimitChange> limits = new CopyOnWriteArrayList<>();
    Map<String, List<LimitChange>> verificationLimits = new java.util.concurrent.ConcurrentHashMap<>();
    ImportResult result = TokenAwareBulkOperator.builder(session).progressListener(new ProgressListener() {
      @Override
      public void onProgress(Progress p) {
        progress.add(p);
      }

      @Override
      public void onVerificationProgress(String read, Progress p) {
        verified.computeIfAbsent(read, r -> new CopyOnWriteArrayList<>()).add(p);
      }

      @Override
      public void onLimitChanged(LimitChange change) {
        limits.add(change);
      }

      @Override
      public void onVerificationLimitChanged(String read, LimitChange change) {
        verificationLimits.computeIfAbsent(read, r -> new CopyOnWriteArrayList<>()).add(change);
      }
    }).build().importFrom(source.apply(where), KS, name,
        ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));
    // The writes' limits go to onLimitChanged, each verification read's to onVerificationLimitChanged with its name
    // (its start naming it too, for a listener that only hears onLimitChanged).
    assertThat(limits).isNotEmpty().allSatisfy(c -> assertThat(c.detail()).doesNotContain("import verification"));
    assertThat(limits.get(0).cause()).isEqualTo(LimitChange.Cause.START);
    assertThat(verificationLimits).containsOnlyKeys(ImportOperation.COUNT_BEFORE, ImportOperation.COUNT_AFTER,
        ImportOperation.CHECKSUM);
    verificationLimits.forEach((read, changes) -> assertThat(changes.get(0)).as(read).satisfies(c -> {
      assertThat(c.cause()).isEqualTo(LimitChange.Cause.START);
      assertThat(c.detail()).endsWith("(import verification: " + read + ")");
    }));
    // The last progress comes once every write has ended: all the splits, and every row written.
    assertThat(progress).isNotEmpty().last().satisfies(p -> {
      assertThat(p.rangesDone()).isEqualTo(p.rangesTotal());
      assertThat(p.rows()).isEqualTo(allTypesRows);
    });
    // The verification's three reads report their own progress, one token range at a time, each to its end.
    Map<String, Long> rowsAtEnd = Map.of(ImportOperation.COUNT_BEFORE, 0L, ImportOperation.COUNT_AFTER,
        (long) allTypesRows, ImportOperation.CHECKSUM, (long) allTypesRows);
    assertThat(verified).containsOnlyKeys(rowsAtEnd.keySet());
    rowsAtEnd.forEach((read, rows) -> assertThat(verified.get(read)).as(read).isNotEmpty()
        .extracting(Progress::rangesDone).isSorted().doesNotHaveDuplicates());
    rowsAtEnd.forEach((read, rows) -> assertThat(verified.get(read)).as(read).last().satisfies(p -> {
      assertThat(p.rangesDone()).isEqualTo(p.rangesTotal());
      assertThat(p.rows()).isEqualTo(rows);
    }));
    assertThat(result.rowsRead()).isEqualTo(allTypesRows);
    assertThat(result.rows()).isEqualTo(allTypesRows);
    assertThat(result.failed()).isZero();
    assertThat(result.badRecordsFile()).isNull();
    VerificationResult v = result.verification();
    assertThat(v.matches()).as(v.describe()).isTrue();
    assertThat(v.targetRowsBefore()).isZero();
    assertThat(v.targetRowsAfter()).isEqualTo(allTypesRows);
    assertThat(v.sourceChecksum()).isNotNull().isEqualTo(v.targetChecksum());
    assertThat(result.batchMetrics().statements()).isEqualTo(allTypesRows);
    ImportTables.assertSameRows(session, KS, "all_types", name);
  }

  /**
   * A reader thread that dies of an Error (here a progress listener's, which the listener guard does not catch, as it
   * should not catch an OutOfMemoryError) takes the rows it read and had not sent with it: the import must fail, not
   * succeed without them.
   */
  @Test
  void should_fail_the_import_when_a_reader_thread_dies_of_an_error() {
    Path where = dir.resolve("reader-error");
    operator().export(KS, "all_types", ExportTarget.jsonLines(where));
    ImportTables.createAllTypes(session, KS, "reader_error");
    TokenAwareBulkOperator failing = TokenAwareBulkOperator.builder(session).progressListener(p -> {
      if (Thread.currentThread().getName().startsWith("ringsweep-import-")) {
        throw new AssertionError("a listener that breaks");
      }
    }).build();

    assertThatThrownBy(() -> failing.importFrom(ImportSource.jsonLines(where), KS, "reader_error",
        ImportOptions.defaults().withReaders(1)))
        .hasStackTraceContaining("An import reader failed: java.lang.AssertionError: a listener that breaks");
  }

  /**
   * A resume skips the splits earlier runs finished, bad records and all: its result still counts those bad
   * records (the rows were not written), so that an import that dropped rows does not end as a success.
   */
  @Test
  void should_count_the_bad_records_of_splits_finished_by_earlier_runs_when_resuming() throws Exception {
    Path source = dir.resolve("bad-then-resume");
    java.nio.file.Files.createDirectories(source);
    java.nio.file.Files.writeString(source.resolve("part-1.jsonl"),
        "{\"k\": 1, \"v\": \"one\"}\n{\"k\": \"not a number\", \"v\": \"bad\"}\n{\"k\": 3, \"v\": \"three\"}\n");
    execute(session, "CREATE TABLE IF NOT EXISTS " + KS + ".bad_resumed (k int PRIMARY KEY, v text)");
    Path checkpoint = dir.resolve("bad-then-resume.checkpoint.json");
    Path badFile = dir.resolve("bad-then-resume.bad.jsonl");
    ImportOptions options = ImportOptions.defaults().withCheckpointFile(checkpoint).withBadRecordsFile(badFile);

    ImportResult first = operator().importFrom(ImportSource.jsonLines(source), KS, "bad_resumed", options);
    ImportResult resumed = operator().importFrom(ImportSource.jsonLines(source), KS, "bad_resumed",
        options.withResume(Resume.RESUME));

    assertThat(first.rows()).isEqualTo(2);
    assertThat(first.badRecords()).isEqualTo(1);
    assertThat(resumed.rows()).as("rows written by the resume").isZero();
    assertThat(resumed.badRecords()).as("the first run's bad record, still not written").isEqualTo(1);
    assertThat(resumed.failed()).isEqualTo(1);
    assertThat(resumed.badRecordsFile()).isEqualTo(badFile);
    assertThat(java.nio.file.Files.readAllLines(badFile)).singleElement().asString().contains("not a number");
  }

  @Test
  void should_round_trip_every_type_through_iceberg() {
    Path wh = dir.resolve("wh");
    roundTrip("from_iceberg", ExportTargets.iceberg(wh, "db.all_types"),
        p -> ImportSources.iceberg(p, "db.all_types"), wh);
  }

  @Test
  void should_round_trip_every_type_through_parquet() {
    Path out = dir.resolve("parquet");
    roundTrip("from_parquet", ExportTargets.parquet(out), ImportSources::parquet, out);
  }

  @Test
  void should_round_trip_every_type_through_gzipped_csv() {
    Path out = dir.resolve("csv");
    roundTrip("from_csv", ExportTarget.csv(out).withCompression(TextCompression.GZIP), ImportSource::csv, out);
  }

  @Test
  void should_round_trip_every_type_through_json_lines() {
    Path out = dir.resolve("jsonl");
    roundTrip("from_jsonl", ExportTarget.jsonLines(out), ImportSource::jsonLines, out);
  }

  @Test
  void should_start_an_imports_writes_afresh_when_its_operator_is_told_not_to_remember_limits() {
    Path out = dir.resolve("memory");
    operator().export(KS, "all_types", ExportTarget.jsonLines(out));
    List<List<LimitChange>> starts = new ArrayList<>();
    for (boolean remember : new boolean[] {true, false, true}) {
      String table = "memory_" + starts.size();
      ImportTables.createAllTypes(session, KS, table);
      List<LimitChange> changes = new CopyOnWriteArrayList<>();
      ImportResult result = TokenAwareBulkOperator.builder(session).rememberLimits(remember)
          .progressListener(new ProgressListener() {
            @Override
            public void onProgress(Progress progress) {}

            @Override
            public void onLimitChanged(LimitChange change) {
              changes.add(change);
            }
          }).build().importFrom(ImportSource.jsonLines(out), KS, table, ImportOptions.defaults());
      assertThat(result.rows()).isEqualTo(allTypesRows);
      ImportTables.assertSameRows(session, KS, "all_types", table);
      starts.add(changes.stream().filter(c -> c.cause() == LimitChange.Cause.START).toList());
    }

    // The writer that does not remember starts afresh, and leaves nothing: the third import's writer starts where the
    // first one's left off (within 60 s, on the same session).
    assertThat(starts.get(1)).as("the import told not to remember").isNotEmpty()
        .noneMatch(c -> c.detail().contains("where the last writer left it"));
    assertThat(starts.get(2)).as("the import after it")
        .anyMatch(c -> c.detail().contains("where the last writer left it"));
  }

  @Test
  void should_restore_writetime_and_ttl_of_each_column() {
    execute(session, "CREATE TABLE " + KS + ".wt (k int PRIMARY KEY, a text, b int, f frozen<list<int>>, l list<int>)");
    execute(session, "INSERT INTO " + KS + ".wt (k, a, b, f, l) VALUES (1, 'x', 7, [3], [1, 2]) "
        + "USING TIMESTAMP 1000000 AND TTL 86400");
    execute(session, "UPDATE " + KS + ".wt USING TIMESTAMP 2000000 SET b = 8 WHERE k = 1");
    execute(session, "INSERT INTO " + KS + ".wt (k, a) VALUES (2, 'y') USING TIMESTAMP 42");
    execute(session, "INSERT INTO " + KS + ".wt (k, b, l) VALUES (3, 5, [9]) USING TTL 50000");
    String cql = "SELECT k, writetime(a), ttl(a), writetime(b), ttl(b), writetime(f), ttl(f), writetime(l), ttl(l) "
        + "FROM " + KS + ".";
    Map<Integer, Row> source = new HashMap<>();
    session.execute(cql + "wt").forEach(r -> source.put(r.getInt(0), r));
    Path out = dir.resolve("wt");
    operator().export(KS, "wt", ExportTargets.parquet(out),
        ExportOptions.defaults().withWritetimeAndTtl("a", "b", "f", "l"));
    execute(session, "CREATE TABLE " + KS + ".wt_copy (k int PRIMARY KEY, a text, b int, f frozen<list<int>>, "
        + "l list<int>)");
    session.refreshSchema();
    ImportResult result = operator().importFrom(ImportSources.parquet(out), KS, "wt_copy");
    assertThat(result.rows()).isEqualTo(3);
    ImportTables.assertSameRows(session, KS, "wt", "wt_copy");

    Map<Integer, Row> copy = new HashMap<>();
    session.execute(cql + "wt_copy").forEach(r -> copy.put(r.getInt(0), r));
    assertThat(copy.keySet()).isEqualTo(source.keySet());
    for (int k : source.keySet()) {
      for (int i = 1; i < 9; i += 2) {
        // Writetimes equal exactly; a non-frozen list reports one per element.
        assertThat(copy.get(k).getObject(i)).as("key %s writetime column %s", k, i)
            .isEqualTo(source.get(k).getObject(i));
        Object ttlSource = source.get(k).getObject(i + 1);
        Object ttlCopy = copy.get(k).getObject(i + 1);
        if (ttlSource == null || (ttlSource instanceof List<?> l && l.stream().allMatch(e -> e == null))) {
          assertThat(ttlCopy).as("key %s ttl column %s", k, i + 1).isEqualTo(ttlSource);
        } else {
          // Read before the export: the TTL restored is what was left at export time, less the time since.
          int before = ttlSource instanceof List<?> l ? (Integer) l.get(0) : (Integer) ttlSource;
          int restored = ttlCopy instanceof List<?> l ? (Integer) l.get(0) : (Integer) ttlCopy;
          assertThat(restored).as("key %s ttl column %s", k, i + 1).isBetween(before - 300, before);
        }
      }
    }
    assertThat(source.get(1).getLong(3)).isEqualTo(2_000_000L);
    assertThat(source.get(2).getLong(1)).isEqualTo(42L);
  }

  @Test
  void should_refuse_to_resume_an_import_that_writes_lists_with_their_write_times_and_leave_them_whole() {
    execute(session, "CREATE TABLE " + KS + ".lists (k int PRIMARY KEY, l list<int>, f frozen<list<int>>)");
    execute(session, "INSERT INTO " + KS + ".lists (k, l, f) VALUES (1, [1, 2], [3]) USING TIMESTAMP 1000");
    Path out = dir.resolve("lists");
    operator().export(KS, "lists", ExportTargets.parquet(out), ExportOptions.defaults().withWritetimeAndTtl("l"));
    execute(session, "CREATE TABLE " + KS + ".lists_copy (k int PRIMARY KEY, l list<int>, f frozen<list<int>>)");
    session.refreshSchema();
    Path checkpoint = dir.resolve("lists-checkpoint.json");
    ImportOptions options = ImportOptions.defaults().withCheckpointFile(checkpoint);
    assertThat(operator().importFrom(ImportSources.parquet(out), KS, "lists_copy", options).rows()).isEqualTo(1);

    assertThatThrownBy(() -> operator().importFrom(ImportSources.parquet(out), KS, "lists_copy",
        options.withResume(Resume.RESUME)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot resume the import into " + KS + ".lists_copy from " + checkpoint + ": list column l is "
            + "written with the source's write times (column l_writetime), and a list written twice with one write "
            + "time holds its elements twice, so the rows of an unfinished split would be garbled; truncate " + KS
            + ".lists_copy and import again with Resume.NEW, or import without the column l_writetime");
    assertThat(session.execute("SELECT l FROM " + KS + ".lists_copy WHERE k = 1").one().getList(0, Integer.class))
        .containsExactly(1, 2);

    // What the refusal guards against, on the server: the row written again with its write time, as a resume
    // would write the rows of a split it cannot tell were written, holds its list twice.
    operator().importFrom(ImportSources.parquet(out), KS, "lists_copy",
        ImportOptions.defaults().withVerification(Verification.NONE));
    assertThat(session.execute("SELECT l FROM " + KS + ".lists_copy WHERE k = 1").one().getList(0, Integer.class))
        .containsExactly(1, 2, 1, 2);
  }

  @Test
  void should_refuse_to_verify_checksums_on_resume_when_the_first_run_did_not_compute_them() {
    execute(session, "CREATE TABLE " + KS + ".summed (k int PRIMARY KEY, v text)");
    for (int k = 0; k < 20; k++) {
      execute(session, "INSERT INTO " + KS + ".summed (k, v) VALUES (" + k + ", 'v" + k + "')");
    }
    Path out = dir.resolve("summed");
    operator().export(KS, "summed", ExportTarget.jsonLines(out));
    execute(session, "CREATE TABLE " + KS + ".summed_copy (k int PRIMARY KEY, v text)");
    session.refreshSchema();
    Path checkpoint = dir.resolve("summed-checkpoint.json");
    ImportOptions counted = ImportOptions.defaults().withCheckpointFile(checkpoint);
    assertThat(operator().importFrom(ImportSource.jsonLines(out), KS, "summed_copy", counted).rows()).isEqualTo(20);

    // The first run recorded its splits without their checksums: a checksum of the resumed import would leave their
    // rows out of the source's side and fail on rows written right.
    assertThatThrownBy(() -> operator().importFrom(ImportSource.jsonLines(out), KS, "summed_copy",
        counted.withResume(Resume.RESUME).withVerification(Verification.COUNT_AND_CHECKSUM)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot verify the resumed import of json lines " + out + " into " + KS
            + ".summed_copy with checksums (COUNT_AND_CHECKSUM): the earlier runs recorded in checkpoint "
            + checkpoint + " did not compute the checksums of their ")
        .hasMessageEndingWith("; resume with Verification.COUNT, or truncate " + KS
            + ".summed_copy and import again with Resume.NEW");
    ImportResult resumed = operator().importFrom(ImportSource.jsonLines(out), KS, "summed_copy",
        counted.withResume(Resume.RESUME));
    assertThat(resumed.verification().matches()).isTrue();
    assertThat(resumed.verification().rowsWritten()).isEqualTo(20);
  }

  @Test
  void should_keep_an_ipv4_mapped_ipv6_key_apart_from_the_ipv4_key_through_every_format() throws Exception {
    execute(session, "CREATE TABLE " + KS + ".hosts (ip inet PRIMARY KEY, n int)");
    // Bound as its 16 bytes (a CQL literal ::ffff:192.0.2.1 is parsed to the IPv4 address by Cassandra itself; a
    // client that binds the bytes, as Python's inet_pton gives them, stores the IPv6 form).
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 192, 0, 2, 1};
    session.execute(com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
        "INSERT INTO " + KS + ".hosts (ip, n) VALUES (?, 6)",
        java.net.Inet6Address.getByAddress(null, mapped, -1)));
    execute(session, "INSERT INTO " + KS + ".hosts (ip, n) VALUES ('192.0.2.1', 4)");
    Map<String, Integer> source = byAddressBytes("hosts");
    assertThat(source).hasSize(2);
    for (String format : List.of("json", "csv", "parquet")) {
      Path out = dir.resolve("hosts-" + format);
      ExportTarget target = switch (format) {
        case "json" -> ExportTarget.jsonLines(out);
        case "csv" -> ExportTarget.csv(out);
        default -> ExportTargets.parquet(out);
      };
      operator().export(KS, "hosts", target);
      String copy = "hosts_" + format;
      execute(session, "CREATE TABLE " + KS + "." + copy + " (ip inet PRIMARY KEY, n int)");
      session.refreshSchema();
      ImportSource from = switch (format) {
        case "json" -> ImportSource.jsonLines(out);
        case "csv" -> ImportSource.csv(out);
        default -> ImportSources.parquet(out);
      };
      ImportResult result = operator().importFrom(from, KS, copy,
          ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));
      assertThat(result.rows()).as(format).isEqualTo(2);
      assertThat(result.verification().matches()).as(format).isTrue();
      assertThat(byAddressBytes(copy)).as(format).isEqualTo(source);
    }
  }

  /** Column n of {@code table} by the hex of its inet key's bytes (4 or 16). */
  private Map<String, Integer> byAddressBytes(String table) {
    Map<String, Integer> rows = new HashMap<>();
    for (Row row : session.execute("SELECT ip, n FROM " + KS + "." + table)) {
      java.nio.ByteBuffer bytes = row.getBytesUnsafe("ip");
      byte[] b = new byte[bytes.remaining()];
      bytes.duplicate().get(b);
      rows.put(java.util.HexFormat.of().formatHex(b), row.getInt("n"));
    }
    return rows;
  }

  @Test
  void should_import_an_older_snapshot_when_asked() {
    execute(session, "CREATE TABLE " + KS + ".tt (k int PRIMARY KEY, v text)");
    TestData.insert(session, "INSERT INTO " + KS + ".tt (k, v) VALUES (?, ?)", 10,
        i -> new Object[] {(int) i, "a" + i});
    Path wh = dir.resolve("tt-wh");
    operator().export(KS, "tt", ExportTargets.iceberg(wh, "db.tt"));
    TestData.insert(session, "INSERT INTO " + KS + ".tt (k, v) VALUES (?, ?)", 25,
        i -> new Object[] {(int) i, "b" + i});
    operator().export(KS, "tt", ExportTargets.iceberg(wh, "db.tt").withWriteMode(WriteMode.OVERWRITE));
    List<Long> snapshots = new ArrayList<>();
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(ExportTargets.iceberg(wh, "db.tt"))) {
      opened.catalog().loadTable(TableIdentifier.parse("db.tt")).snapshots()
          .forEach((Snapshot s) -> snapshots.add(s.snapshotId()));
    }
    assertThat(snapshots).hasSize(2);
    execute(session, "CREATE TABLE " + KS + ".tt_old (k int PRIMARY KEY, v text)");
    execute(session, "CREATE TABLE " + KS + ".tt_now (k int PRIMARY KEY, v text)");
    session.refreshSchema();
    assertThat(operator().importFrom(ImportSources.iceberg(wh, "db.tt").atSnapshot(snapshots.get(0)), KS, "tt_old")
        .rows()).isEqualTo(10);
    assertThat(operator().importFrom(ImportSources.iceberg(wh, "db.tt"), KS, "tt_now").rows()).isEqualTo(25);
    Map<java.util.List<Object>, java.util.List<Object>> old = ImportTables.rows(session, KS, "tt_old");
    assertThat(old).hasSize(10);
    old.values().forEach(r -> assertThat(r.get(1)).isEqualTo("a" + r.get(0)));
    ImportTables.assertSameRows(session, KS, "tt", "tt_now");

    // The same through a catalog of the caller's own, which the import leaves open.
    execute(session, "CREATE TABLE " + KS + ".tt_catalog (k int PRIMARY KEY, v text)");
    session.refreshSchema();
    try (IcebergCatalogs.Opened opened = IcebergCatalogs.open(ExportTargets.iceberg(wh, "db.tt"))) {
      ImportSource own = ImportSources.iceberg(opened.catalog(), TableIdentifier.parse("db.tt"))
          .atSnapshot(snapshots.get(0));
      assertThat(operator().importFrom(own, KS, "tt_catalog").rows()).isEqualTo(10);
      assertThat(opened.catalog().tableExists(TableIdentifier.parse("db.tt"))).isTrue();
    }
    assertThat(ImportTables.rows(session, KS, "tt_catalog")).isEqualTo(old);
    long unknown = snapshots.get(0) + snapshots.get(1);
    assertThatThrownBy(() -> operator().importFrom(ImportSources.iceberg(wh, "db.tt").atSnapshot(unknown), KS,
        "tt_old"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Unknown snapshot " + unknown + " of Iceberg table db.tt (snapshots: " + snapshots + ")");
  }

  @Test
  void should_round_trip_static_columns_static_only_partitions_and_counters() {
    String statics = "(pk int, ck int, s text static, v int, PRIMARY KEY (pk, ck))";
    execute(session, "CREATE TABLE " + KS + ".statics " + statics);
    execute(session, "INSERT INTO " + KS + ".statics (pk, ck, s, v) VALUES (1, 1, 'shared', 10)");
    execute(session, "INSERT INTO " + KS + ".statics (pk, ck, v) VALUES (1, 2, 20)");
    execute(session, "INSERT INTO " + KS + ".statics (pk, s) VALUES (2, 'static only')");
    execute(session, "INSERT INTO " + KS + ".statics (pk, ck) VALUES (3, 1)");
    operator().export(KS, "statics", ExportTarget.jsonLines(dir.resolve("statics")));
    execute(session, "CREATE TABLE " + KS + ".statics_copy " + statics);
    session.refreshSchema();
    ImportResult result = operator().importFrom(ImportSource.jsonLines(dir.resolve("statics")), KS, "statics_copy",
        ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));
    assertThat(result.rows()).isEqualTo(4);
    assertThat(result.verification().matches()).isTrue();
    ImportTables.assertSameRows(session, KS, "statics", "statics_copy");

    execute(session, "CREATE TABLE " + KS + ".counters (k int PRIMARY KEY, n counter, m counter)");
    execute(session, "UPDATE " + KS + ".counters SET n = n + 5, m = m - 1 WHERE k = 1");
    execute(session, "UPDATE " + KS + ".counters SET n = n - 9000000000 WHERE k = 2");
    Path wh = dir.resolve("counters-wh");
    operator().export(KS, "counters", ExportTargets.iceberg(wh, "db.counters"));
    execute(session, "CREATE TABLE " + KS + ".counters_copy (k int PRIMARY KEY, n counter, m counter)");
    session.refreshSchema();
    ImportResult counters = operator().importFrom(ImportSources.iceberg(wh, "db.counters"), KS, "counters_copy",
        ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));
    assertThat(counters.rows()).isEqualTo(2);
    assertThat(counters.verification().matches()).isTrue();
    ImportTables.assertSameRows(session, KS, "counters", "counters_copy");
  }

  @Test
  void should_import_one_large_exported_file_as_several_row_group_splits() {
    execute(session, "CREATE TABLE " + KS + ".wide_rows (id int PRIMARY KEY, payload text)");
    java.util.Random random = new java.util.Random(5);
    // About 20 MB of text that compresses poorly: one file per writer, several 8 MiB row groups in it.
    TestData.insert(session, "INSERT INTO " + KS + ".wide_rows (id, payload) VALUES (?, ?)", 2000, i -> {
      StringBuilder text = new StringBuilder(10_000);
      for (int c = 0; c < 10_000; c++) {
        text.append((char) ('a' + random.nextInt(26)));
      }
      return new Object[] {(int) i, text.toString()};
    });
    Path parquet = dir.resolve("wide-parquet");
    Path warehouse = dir.resolve("wide-wh");
    ExportOptions oneWriter = ExportOptions.defaults().withWriters(1);
    // Rows of 10 KB: pages of 500 rows (5 MB) and a long timeout, as a user of such a table would set; the default
    // 5,000-row pages are 50 MB each, which a loaded 2-core CI machine may not serve in time.
    java.util.function.Supplier<OperatorBuilder> wide = () -> TokenAwareBulkOperator.builder(session)
        .pageSize(500).requestTimeout(java.time.Duration.ofSeconds(60));
    assertThat(wide.get().build().export(KS, "wide_rows", ExportTargets.parquet(parquet), oneWriter).files())
        .as("Parquet files of one writer").isEqualTo(1);
    assertThat(wide.get().build().export(KS, "wide_rows", ExportTargets.iceberg(warehouse, "db.wide"), oneWriter)
        .files()).as("Iceberg data files of one writer").isEqualTo(1);
    execute(session, "CREATE TABLE " + KS + ".wide_copy (id int PRIMARY KEY, payload text)");
    session.refreshSchema();

    for (ImportSource source : List.of(ImportSources.parquet(parquet), ImportSources.iceberg(warehouse, "db.wide"))) {
      execute(session, "TRUNCATE " + KS + ".wide_copy");
      java.util.concurrent.atomic.AtomicInteger splits = new java.util.concurrent.atomic.AtomicInteger();
      ImportResult result = wide.get()
          .progressListener(p -> splits.set(p.rangesTotal())).build()
          .importFrom(source, KS, "wide_copy");

      assertThat(result.rows()).as("rows imported from %s", source.describe()).isEqualTo(2000);
      assertThat(splits.get()).as("splits of %s", source.describe()).isGreaterThanOrEqualTo(2);
    }
    ImportTables.assertSameRows(session, KS, "wide_rows", "wide_copy");
  }

  @Test
  void should_keep_several_readers_busy_on_one_parquet_file_and_on_a_two_file_iceberg_table() {
    execute(session, "CREATE TABLE " + KS + ".busy_rows (id int PRIMARY KEY, payload blob, n bigint)");
    java.util.Random random = new java.util.Random(7);
    // About 32 MB of random bytes, which do not compress: Parquet's 8 MiB row-group limit counts pages once
    // compressed, so a one-writer file holds four row groups or so, and each of two Iceberg files two.
    TestData.insert(session, "INSERT INTO " + KS + ".busy_rows (id, payload, n) VALUES (?, ?, ?)", 3200, i -> {
      byte[] bytes = new byte[10_000];
      random.nextBytes(bytes);
      return new Object[] {(int) i, java.nio.ByteBuffer.wrap(bytes), random.nextLong()};
    });
    Path parquet = dir.resolve("busy-parquet");
    Path warehouse = dir.resolve("busy-wh");
    java.util.function.Supplier<OperatorBuilder> wide = () -> TokenAwareBulkOperator.builder(session)
        .pageSize(500).requestTimeout(java.time.Duration.ofSeconds(60));
    assertThat(wide.get().build().export(KS, "busy_rows", ExportTargets.parquet(parquet),
        ExportOptions.defaults().withWriters(1)).files()).as("Parquet files of one writer").isEqualTo(1);
    assertThat(wide.get().build().export(KS, "busy_rows", ExportTargets.iceberg(warehouse, "db.busy"),
        ExportOptions.defaults().withWriters(2)).files()).as("Iceberg data files of two writers").isEqualTo(2);
    execute(session, "CREATE TABLE " + KS + ".busy_copy (id int PRIMARY KEY, payload blob, n bigint)");
    session.refreshSchema();

    for (ImportSource source : List.of(ImportSources.parquet(parquet), ImportSources.iceberg(warehouse, "db.busy"))) {
      execute(session, "TRUNCATE " + KS + ".busy_copy");
      java.util.concurrent.atomic.AtomicInteger splits = new java.util.concurrent.atomic.AtomicInteger();
      // Each reader thread reports the splits it finished: the names of those threads show who read them. The last
      // report, once every write has ended, comes from the caller's thread.
      List<String> reporters = new CopyOnWriteArrayList<>();
      ImportResult result = wide.get()
          .progressListener(p -> {
            splits.set(p.rangesTotal());
            reporters.add(Thread.currentThread().getName());
          }).build()
          .importFrom(source, KS, "busy_copy", ImportOptions.defaults().withReaders(4));
      assertThat(reporters).last().isEqualTo(Thread.currentThread().getName());
      java.util.Set<String> readers = java.util.Set.copyOf(reporters.subList(0, reporters.size() - 1));

      assertThat(result.rows()).as("rows imported from %s", source.describe()).isEqualTo(3200);
      assertThat(splits.get()).as("splits of %s (more than its files)", source.describe()).isGreaterThanOrEqualTo(3);
      assertThat(readers).as("reader threads that read splits of %s", source.describe()).hasSizeGreaterThanOrEqualTo(2)
          .allMatch(name -> name.startsWith("ringsweep-import-"));
      ImportTables.assertSameRows(session, KS, "busy_rows", "busy_copy");
    }
  }

  @Test
  void should_refuse_a_counter_table_that_holds_rows_unless_told_to_add_to_it() {
    execute(session, "CREATE TABLE " + KS + ".clicks (k int PRIMARY KEY, n counter)");
    execute(session, "UPDATE " + KS + ".clicks SET n = n + 3 WHERE k = 1");
    Path out = dir.resolve("clicks");
    operator().export(KS, "clicks", ExportTarget.jsonLines(out));
    execute(session, "CREATE TABLE " + KS + ".clicks_copy (k int PRIMARY KEY, n counter)");
    session.refreshSchema();
    assertThat(operator().importFrom(ImportSource.jsonLines(out), KS, "clicks_copy").rows()).isEqualTo(1);

    // A second run would count every row twice: refused, naming the way to do it on purpose.
    assertThatThrownBy(() -> operator().importFrom(ImportSource.jsonLines(out), KS, "clicks_copy"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Counter table " + KS + ".clicks_copy already holds rows: an import adds the "
            + "source's counts to them")
        .hasMessageContaining("--add-to-counters");
    assertThat(session.execute("SELECT n FROM " + KS + ".clicks_copy WHERE k = 1").one().getLong(0)).isEqualTo(3);

    operator().importFrom(ImportSource.jsonLines(out), KS, "clicks_copy",
        ImportOptions.defaults().withCounterTarget(CounterTarget.ADD_TO_EXISTING).withVerification(
            Verification.NONE));
    assertThat(session.execute("SELECT n FROM " + KS + ".clicks_copy WHERE k = 1").one().getLong(0)).isEqualTo(6);
  }

  @Test
  void should_refuse_to_resume_an_import_into_a_counter_table_and_leave_its_counters_alone() {
    execute(session, "CREATE TABLE " + KS + ".hits (k int PRIMARY KEY, n counter)");
    execute(session, "UPDATE " + KS + ".hits SET n = n + 7 WHERE k = 1");
    Path out = dir.resolve("hits");
    operator().export(KS, "hits", ExportTargets.parquet(out));
    execute(session, "CREATE TABLE " + KS + ".hits_copy (k int PRIMARY KEY, n counter)");
    session.refreshSchema();
    Path checkpoint = dir.resolve("hits-checkpoint.json");
    ImportOptions options = ImportOptions.defaults().withCheckpointFile(checkpoint);
    assertThat(operator().importFrom(ImportSources.parquet(out), KS, "hits_copy", options).rows()).isEqualTo(1);

    assertThatThrownBy(() -> operator().importFrom(ImportSources.parquet(out), KS, "hits_copy",
        options.withResume(Resume.RESUME)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Cannot resume the import into counter table " + KS + ".hits_copy from " + checkpoint
            + ": counter updates add up, so the rows of an unfinished split would be counted twice; truncate "
            + KS + ".hits_copy and import again with Resume.NEW");
    assertThat(session.execute("SELECT n FROM " + KS + ".hits_copy WHERE k = 1").one().getLong(0)).isEqualTo(7);
  }

  @Test
  void should_group_rows_by_partition_in_unlogged_batches_and_honour_the_other_modes() {
    execute(session, "CREATE TABLE " + KS + ".wide (pk int, ck int, v text, PRIMARY KEY (pk, ck))");
    TestData.insert(session, "INSERT INTO " + KS + ".wide (pk, ck, v) VALUES (?, ?, ?)", 2000,
        i -> new Object[] {(int) (i / 20), (int) (i % 20), "v" + i});
    Path out = dir.resolve("wide");
    operator().export(KS, "wide", ExportTarget.jsonLines(out));
    Map<BatchMode, ImportResult> results = new HashMap<>();
    for (BatchMode mode : new BatchMode[] {BatchMode.UNLOGGED, BatchMode.LOGGED, BatchMode.NONE}) {
      String copy = "wide_" + mode.name().toLowerCase();
      execute(session, "CREATE TABLE " + KS + "." + copy + " (pk int, ck int, v text, PRIMARY KEY (pk, ck))");
      session.refreshSchema();
      ImportOptions options = ImportOptions.defaults().withBatchMode(mode).withReaders(3).withMaxInFlight(16)
          .withMaxRowsPerSecond(mode == BatchMode.NONE ? 20_000 : Double.POSITIVE_INFINITY)
          .withConsistencyLevel(com.datastax.oss.driver.api.core.DefaultConsistencyLevel.ONE);
      ImportResult result = operator().importFrom(ImportSource.jsonLines(out), KS, copy, options);
      assertThat(result.rows()).isEqualTo(2000);
      assertThat(result.verification().matches()).isTrue();
      ImportTables.assertSameRows(session, KS, "wide", copy);
      results.put(mode, result);
    }
    var unlogged = results.get(BatchMode.UNLOGGED).batchMetrics();
    assertThat(unlogged.batches(BatchKind.UNLOGGED)).isPositive();
    assertThat(unlogged.batches(BatchKind.LOGGED)).isZero();
    assertThat(unlogged.averageBatchSize()).isGreaterThan(2);
    assertThat(results.get(BatchMode.LOGGED).batchMetrics().batches(BatchKind.LOGGED)).isPositive();
    var none = results.get(BatchMode.NONE).batchMetrics();
    assertThat(none.batches(BatchKind.CONCURRENT)).isEqualTo(2000);
    assertThat(none.batches()).isEqualTo(2000);
  }

  @Test
  void should_import_a_parquet_file_written_elsewhere_by_its_natural_types() {
    Path file = dir.resolve("foreign").resolve("data.parquet");
    file.getParent().toFile().mkdirs();
    ForeignParquet.write(file, 5000);
    execute(session, "CREATE TABLE " + KS + ".foreign_data (id bigint PRIMARY KEY, name text, score double, "
        + "ts timestamp, day date, small smallint)");
    session.refreshSchema();
    ImportResult result = operator().importFrom(ImportSources.parquet(file), KS, "foreign_data",
        ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM));
    assertThat(result.rows()).isEqualTo(5000);
    assertThat(result.verification().sourceRows()).isEqualTo(5000);
    assertThat(result.verification().matches()).isTrue();
    Map<java.util.List<Object>, java.util.List<Object>> rows = ImportTables.rows(session, KS, "foreign_data");
    assertThat(rows).hasSize(5000);
    for (java.util.List<Object> r : rows.values()) {
      long i = (Long) r.get(0);
      // Columns in the table's order: id, day, name, score, small, ts.
      assertThat(r).containsExactly(i, LocalDate.of(2024, 1, 1).plusDays(i % 365), i % 7 == 0 ? null : "n" + i,
          i / 4.0, (short) (i % 30000), Instant.parse("2024-01-01T00:00:00Z").plusMillis(i));
    }
  }
}
