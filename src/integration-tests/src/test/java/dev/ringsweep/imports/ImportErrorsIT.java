package dev.ringsweep.imports;

import static dev.ringsweep.imports.ImportTables.execute;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.CqlSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ringsweep.BulkOperationException;
import dev.ringsweep.TokenAwareBulkOperator;
import dev.ringsweep.export.ExportTarget;
import dev.ringsweep.export.Resume;
import dev.ringsweep.iceberg.ExportTargets;
import dev.ringsweep.iceberg.ImportSources;
import dev.ringsweep.internal.imports.SourceFiles;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;


/** What an import does with sources that do not fit: schema mismatches, bad rows, the error budget, verification. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImportErrorsIT {

  private static final String KS = "import_errors_it";
  private static final String SCHEMA = "{\"columns\": [{\"name\": \"k\", \"cqlType\": \"int\"}, "
      + "{\"name\": \"v\", \"cqlType\": \"text\"}]}";

  private CqlSession session;

  @TempDir Path dir;

  @BeforeAll
  void setUp() {
    TestCluster cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS, TestCluster.simpleReplication(1));
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

  private void table(String name, String columns) {
    execute(session, "CREATE TABLE " + KS + "." + name + " (" + columns + ")");
    session.refreshSchema();
  }

  private long count(String table) {
    return session.execute("SELECT count(*) FROM " + KS + "." + table).one().getLong(0);
  }

  /** A JSON lines source as export would write it (with its schema file), holding {@code lines}. */
  private Path jsonLines(String name, String schema, List<String> lines) throws IOException {
    Path out = Files.createDirectories(dir.resolve(name));
    Files.writeString(out.resolve(SourceFiles.SCHEMA_FILE), schema);
    Files.write(out.resolve("part-0.jsonl"), lines, StandardCharsets.UTF_8);
    return out;
  }

  private static List<JsonNode> badRecords(Path file) throws IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(file)) {
      out.add(new ObjectMapper().readTree(line));
    }
    return out;
  }

  @Test
  void should_name_the_column_and_both_types_and_write_nothing_when_the_schema_does_not_fit() {
    table("src", "k int PRIMARY KEY, v text, extra int");
    TestData.insert(session, "INSERT INTO " + KS + ".src (k, v, extra) VALUES (?, ?, ?)", 30,
        i -> new Object[] {(int) i, "v" + i, (int) i});
    Path out = dir.resolve("src");
    operator().export(KS, "src", ExportTargets.parquet(out));

    table("no_key", "id int PRIMARY KEY, v text, extra int");
    assertThatThrownBy(() -> operator().importFrom(ImportSources.parquet(out), KS, "no_key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Cannot import parquet " + out + " into import_errors_it.no_key: "
            + "unknown column k (int): import_errors_it.no_key has no such column; "
            + "missing key column id (int): not in the source (source columns: ");
    table("wrong_type", "k int PRIMARY KEY, v int, extra int");
    assertThatThrownBy(() -> operator().importFrom(ImportSources.parquet(out), KS, "wrong_type"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(": column v: source type text cannot be converted to target type int (source columns");
    table("fewer", "k int PRIMARY KEY, v text");
    assertThatThrownBy(() -> operator().importFrom(ImportSources.parquet(out), KS, "fewer"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(": unknown column extra (int): import_errors_it.fewer has no such column (source");
    assertThat(count("no_key") + count("wrong_type") + count("fewer")).isZero();
  }

  @Test
  void should_put_values_out_of_range_in_the_bad_records_file_and_the_other_rows_in_the_table() throws IOException {
    table("wide_ints", "k int PRIMARY KEY, v int");
    TestData.insert(session, "INSERT INTO " + KS + ".wide_ints (k, v) VALUES (?, ?)", 200,
        i -> new Object[] {(int) i, i % 20 == 0 ? (int) (1000 + i) : (int) (i % 100) - 50});
    Path out = dir.resolve("wide_ints");
    operator().export(KS, "wide_ints", ExportTargets.iceberg(out, "db.wide_ints"));
    table("narrow", "k int PRIMARY KEY, v tinyint");
    Path badFile = dir.resolve("bad").resolve("narrow.jsonl");
    ImportResult result = operator().importFrom(ImportSources.iceberg(out, "db.wide_ints"), KS, "narrow",
        ImportOptions.defaults().withBadRecordsFile(badFile));
    assertThat(result.rowsRead()).isEqualTo(200);
    assertThat(result.rows()).isEqualTo(190);
    assertThat(result.badRecords()).isEqualTo(10);
    assertThat(result.failed()).isEqualTo(10);
    assertThat(result.writeFailures()).isZero();
    assertThat(result.badRecordsFile()).isEqualTo(badFile);
    assertThat(result.verification().matches()).isTrue();
    assertThat(result.verification().targetRowsAfter()).isEqualTo(190);

    Map<Integer, JsonNode> bad = new TreeMap<>();
    for (JsonNode line : badRecords(badFile)) {
      bad.put(line.get("row").get("k").asInt(), line);
    }
    assertThat(bad.keySet()).containsExactlyElementsOf(
        java.util.stream.IntStream.range(0, 200).filter(i -> i % 20 == 0).boxed().toList());
    bad.forEach((k, line) -> {
      assertThat(line.get("reason").asText()).isEqualTo(String.format(
          "column v (tinyint): Invalid tinyint value: %s (out of range [-128, 127])", 1000 + k));
      assertThat(line.get("row").get("v").asInt()).isEqualTo(1000 + k);
      assertThat(line.get("source").asText()).startsWith("db.wide_ints task ");
    });
    Map<List<Object>, List<Object>> rows = ImportTables.rows(session, KS, "narrow");
    assertThat(rows).hasSize(190);
    rows.values().forEach(r -> assertThat(((Byte) r.get(1)).intValue()).isEqualTo((Integer) r.get(0) % 100 - 50));
  }

  @Test
  void should_record_null_keys_malformed_lines_and_unconvertible_values_and_write_the_good_rows()
      throws IOException {
    Path json = jsonLines("mixed_json", SCHEMA, List.of(
        "{\"k\": 1, \"v\": \"a\"}",
        "{\"k\": null, \"v\": \"null key\"}",
        "{\"k\": 2, \"v\": \"b\"}",
        "not json",
        "{\"k\": \"abc\", \"v\": \"unconvertible\"}",
        "{\"k\": 3, \"v\": \"c\", \"w\": 1}",
        "{\"k\": 4, \"v\": \"d\"}"));
    table("mixed_json", "k int PRIMARY KEY, v text");
    Path badFile = dir.resolve("mixed_json.bad.jsonl");
    ImportResult result = operator().importFrom(ImportSource.jsonLines(json), KS, "mixed_json",
        ImportOptions.defaults().withBadRecordsFile(badFile));
    assertThat(result.rows()).isEqualTo(3);
    assertThat(result.badRecords()).isEqualTo(4);
    assertThat(ImportTables.rows(session, KS, "mixed_json")).containsOnlyKeys(List.of(1), List.of(2), List.of(4));
    List<JsonNode> bad = badRecords(badFile);
    assertThat(bad).extracting(n -> n.get("reason").asText()).containsExactly(
        "null partition key column k",
        "malformed JSON: Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token "
            + "'null', 'true' or 'false')",
        "column k (int): Invalid int value: 'abc'",
        "unknown member w (columns: [k, v])");
    assertThat(bad).extracting(n -> n.get("source").asText()).containsExactly(
        json.resolve("part-0.jsonl") + " row 2", json.resolve("part-0.jsonl") + " row 4",
        json.resolve("part-0.jsonl") + " row 5", json.resolve("part-0.jsonl") + " row 6");
    assertThat(bad.get(0).get("row").get("v").asText()).isEqualTo("null key");
    assertThat(bad.get(1).get("text").asText()).isEqualTo("not json");

    Path csv = Files.createDirectories(dir.resolve("mixed_csv"));
    Files.writeString(csv.resolve(SourceFiles.SCHEMA_FILE), SCHEMA);
    Files.writeString(csv.resolve("part-0.csv"), "k,v\r\n1,a\r\n,null key\r\nx,y,z\r\n5,\"bad\"quote\r\n6,\"\"\r\n");
    table("mixed_csv", "k int PRIMARY KEY, v text");
    Path csvBad = dir.resolve("mixed_csv.bad.jsonl");
    ImportResult fromCsv = operator().importFrom(ImportSource.csv(csv), KS, "mixed_csv",
        ImportOptions.defaults().withBadRecordsFile(csvBad));
    assertThat(fromCsv.rows()).isEqualTo(2);
    assertThat(fromCsv.badRecords()).isEqualTo(3);
    assertThat(ImportTables.rows(session, KS, "mixed_csv").values())
        .containsExactlyInAnyOrder(List.of(1, "a"), List.of(6, ""));
    assertThat(badRecords(csvBad)).extracting(n -> n.get("reason").asText()).containsExactly(
        "null partition key column k", "3 cells where the header has 2",
        "malformed CSV: text after the closing quote of cell");
  }

  @Test
  void should_record_rows_the_cluster_refuses_as_write_failures_and_write_the_others() throws IOException {
    String tooLong = "x".repeat(70_000);
    Path source = jsonLines("refused", "{\"columns\": [{\"name\": \"k\", \"cqlType\": \"text\"}, "
        + "{\"name\": \"v\", \"cqlType\": \"int\"}]}", List.of(
        "{\"k\": \"a\", \"v\": 1}", "{\"k\": \"" + tooLong + "\", \"v\": 2}", "{\"k\": \"b\", \"v\": 3}"));
    table("refused", "k text PRIMARY KEY, v int");
    Path badFile = dir.resolve("refused.bad.jsonl");
    ImportResult result = operator().importFrom(ImportSource.jsonLines(source), KS, "refused",
        ImportOptions.defaults().withBadRecordsFile(badFile));
    assertThat(result.rows()).isEqualTo(2);
    assertThat(result.writeFailures()).isEqualTo(1);
    assertThat(result.badRecords()).isZero();
    assertThat(result.batchMetrics().failedStatements()).isEqualTo(1);
    assertThat(result.verification().matches()).isTrue();
    assertThat(ImportTables.rows(session, KS, "refused")).containsOnlyKeys(List.of("a"), List.of("b"));
    List<JsonNode> bad = badRecords(badFile);
    assertThat(bad).hasSize(1);
    assertThat(bad.get(0).get("reason").asText()).startsWith("write failed: ")
        .contains("Key length of 70000 is longer than maximum of 65535");
    assertThat(bad.get(0).get("row").get("k").asText()).isEqualTo(tooLong);
    assertThat(bad.get(0).get("source").asText()).isEqualTo(source.resolve("part-0.jsonl") + " row 2");
  }

  private Path everyTenthKeyNull(String name, int rows) throws IOException {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < rows; i++) {
      lines.add(String.format("{\"k\": %s, \"v\": \"v%s\"}", i % 10 == 0 ? "null" : i, i));
    }
    return jsonLines(name, SCHEMA, lines);
  }

  @Test
  void should_stop_once_the_error_budget_count_is_exceeded_with_the_partial_result() throws IOException {
    Path source = everyTenthKeyNull("budget_count", 1000);
    table("budget_count", "k int PRIMARY KEY, v text");
    Path badFile = dir.resolve("budget_count.bad.jsonl");
    BulkOperationException e = catchThrowableOfType(BulkOperationException.class, () -> operator().importFrom(
        ImportSource.jsonLines(source), KS, "budget_count",
        ImportOptions.defaults().withReaders(1).withErrorBudget(ErrorBudget.count(5)).withBadRecordsFile(badFile)));
    assertThat(e).isNotNull();
    ImportResult partial = e.partialResult(ImportResult.class);
    assertThat(partial.failed()).isEqualTo(6);
    assertThat(partial.rowsRead()).isEqualTo(51);
    assertThat(partial.rows()).isEqualTo(45);
    assertThat(partial.verification().ran()).isFalse();
    assertThat(e).hasMessage("Import of json lines " + source + " into import_errors_it.budget_count stopped: 6 "
        + "failed rows (6 bad records, 0 write failures) out of 51 read exceed the error budget of 5 failed rows; "
        + "45 rows written; bad records in " + badFile);
    assertThat(Files.readAllLines(badFile)).hasSize(6);
    assertThat(count("budget_count")).isEqualTo(45);
  }

  @Test
  void should_count_the_bad_records_of_earlier_runs_in_the_budget_of_a_resumed_import_as_it_runs()
      throws IOException {
    Path source = everyTenthKeyNull("budget_resumed", 100);
    table("budget_resumed", "k int PRIMARY KEY, v text");
    Path checkpoint = dir.resolve("budget_resumed.json");
    ImportOptions options = ImportOptions.defaults().withReaders(1).withErrorBudget(ErrorBudget.count(12))
        .withCheckpointFile(checkpoint);
    ImportResult first = operator().importFrom(ImportSource.jsonLines(source), KS, "budget_resumed", options);
    assertThat(first.failed()).as("within the budget of 12").isEqualTo(10);
    // A second file, which the resumed run imports: its keys 0, 10, 20, ... are null.
    List<String> more = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      more.add(String.format("{\"k\": %s, \"v\": \"w%s\"}", i % 10 == 0 ? "null" : 1000 + i, i));
    }
    Files.write(source.resolve("part-1.jsonl"), more, StandardCharsets.UTF_8);

    BulkOperationException e = catchThrowableOfType(BulkOperationException.class, () -> operator().importFrom(
        ImportSource.jsonLines(source), KS, "budget_resumed", options.withResume(Resume.RESUME)));

    // The first run's 10 bad records and this run's first 3 exceed the budget of 12: it stops at the 21st row of
    // the new file, not at its 121st (13 bad records of its own), nor at its end. (A resumed run's result counts the
    // earlier runs' bad records among its rows read.)
    assertThat(e).isNotNull();
    ImportResult partial = e.partialResult(ImportResult.class);
    assertThat(partial.failed()).isEqualTo(13);
    assertThat(partial.rowsRead()).isEqualTo(21 + 10);
    assertThat(e).hasMessageStartingWith("Import of json lines " + source + " into " + KS + ".budget_resumed stopped: "
        + "13 failed rows (13 bad records, 0 write failures) out of 31 read exceed the error budget of 12 failed "
        + "rows");
    assertThat(count("budget_resumed")).isEqualTo(90 + 18);
  }

  @Test
  void should_stop_once_the_error_budget_percentage_is_exceeded_and_not_before() throws IOException {
    Path source = everyTenthKeyNull("budget_percent", 5000);
    table("budget_percent", "k int PRIMARY KEY, v text");
    BulkOperationException e = catchThrowableOfType(BulkOperationException.class, () -> operator().importFrom(
        ImportSource.jsonLines(source), KS, "budget_percent",
        ImportOptions.defaults().withReaders(1).withErrorBudget(ErrorBudget.percent(5))));
    assertThat(e).hasMessageContaining(" stopped: 101 failed rows (101 bad records, 0 write failures) out of 1001 "
        + "read exceed the error budget of 5.0% of rows read");
    // Checked from 1000 rows read on: the first failure after that (row 1001) stops it.
    assertThat(e.partialResult(ImportResult.class).rowsRead()).isEqualTo(1001);

    table("budget_percent_within", "k int PRIMARY KEY, v text");
    ImportResult within = operator().importFrom(ImportSource.jsonLines(source), KS, "budget_percent_within",
        ImportOptions.defaults().withErrorBudget(ErrorBudget.percent(15)));
    assertThat(within.rows()).isEqualTo(4500);
    assertThat(within.failed()).isEqualTo(500);
    assertThat(count("budget_percent_within")).isEqualTo(4500);

    Path small = everyTenthKeyNull("budget_small", 100);
    table("budget_small", "k int PRIMARY KEY, v text");
    BulkOperationException atEnd = catchThrowableOfType(BulkOperationException.class, () -> operator().importFrom(
        ImportSource.jsonLines(small), KS, "budget_small",
        ImportOptions.defaults().withErrorBudget(ErrorBudget.percent(5))));
    assertThat(atEnd).hasMessageContaining(" finished, but failed: 10 failed rows (10 bad records, 0 write "
        + "failures) out of 100 read exceed the error budget of 5.0% of rows read; 90 rows written");
    assertThat(count("budget_small")).isEqualTo(90);
  }

  @Test
  void should_fail_verification_when_the_target_does_not_hold_the_rows_written() throws IOException {
    Path source = jsonLines("duplicates", SCHEMA, List.of(
        "{\"k\": 1, \"v\": \"a\"}", "{\"k\": 1, \"v\": \"b\"}", "{\"k\": 2, \"v\": \"c\"}"));
    table("duplicates", "k int PRIMARY KEY, v text");
    BulkOperationException e = catchThrowableOfType(BulkOperationException.class, () -> operator().importFrom(
        ImportSource.jsonLines(source), KS, "duplicates",
        ImportOptions.defaults().withVerification(Verification.COUNT_AND_CHECKSUM)));
    assertThat(e).hasMessageStartingWith("Verification of the import of json lines " + source
        + " into import_errors_it.duplicates failed: source ? rows, 3 read, 3 written; target 0 rows before, 2 after "
        + "(expected 3); checksum source ")
        .hasMessageEndingWith("; 1 row(s) fewer than expected: source rows that share a primary key with each other "
            + "or with rows already in the target overwrite them (an upsert), or rows were deleted meanwhile; "
            + "import with Verification.NONE when overwriting is intended");
    VerificationResult v = e.partialResult(ImportResult.class).verification();
    assertThat(v.matches()).isFalse();
    assertThat(v.sourceChecksum()).isNotEqualTo(v.targetChecksum());

    table("duplicates_unchecked", "k int PRIMARY KEY, v text");
    ImportResult unchecked = operator().importFrom(ImportSource.jsonLines(source), KS, "duplicates_unchecked",
        ImportOptions.defaults().withVerification(Verification.NONE));
    assertThat(unchecked.rows()).isEqualTo(3);
    assertThat(unchecked.verification().ran()).isFalse();
  }

  @Test
  void should_refuse_sources_that_do_not_exist() {
    table("nothing", "k int PRIMARY KEY, v text");
    assertThatThrownBy(() -> operator().importFrom(ImportSource.jsonLines(dir.resolve("none")), KS, "nothing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid import source: " + dir.resolve("none") + " (no such file or directory)");
    assertThatThrownBy(() -> operator().importFrom(ImportSources.iceberg(dir.resolve("none"), "db.t"), KS, "nothing"))
        .hasMessage("Invalid Iceberg warehouse: " + dir.resolve("none") + " (not a directory)");
    assertThatThrownBy(() -> operator().importFrom(ImportSource.jsonLines(dir), KS, "no_such_table"))
        .hasMessageStartingWith("Unknown table: import_errors_it.no_such_table");
  }

  @Test
  void should_say_that_an_export_of_an_empty_table_has_nothing_to_import_and_import_zero_rows_from_iceberg() {
    table("empty_src", "k int PRIMARY KEY, v text");
    table("empty_dst", "k int PRIMARY KEY, v text");
    Path parquet = dir.resolve("empty-parquet");
    Path json = dir.resolve("empty-json");
    Path warehouse = dir.resolve("empty-wh");
    operator().export(KS, "empty_src", ExportTargets.parquet(parquet));
    operator().export(KS, "empty_src", ExportTarget.jsonLines(json));
    operator().export(KS, "empty_src", ExportTargets.iceberg(warehouse, "db.empty_src"));

    assertThatThrownBy(() -> operator().importFrom(ImportSources.parquet(parquet), KS, "empty_dst"))
        .hasMessage("No Parquet file in " + parquet + ": it holds the export of an empty table (its checkpoint "
            + "_ringsweep_checkpoint.json records no file); there is no row to import");
    assertThatThrownBy(() -> operator().importFrom(ImportSource.jsonLines(json), KS, "empty_dst"))
        .hasMessageContaining("it holds the export of an empty table");
    assertThat(operator().importFrom(ImportSources.iceberg(warehouse, "db.empty_src"), KS, "empty_dst").rows())
        .isZero();
    assertThat(count("empty_dst")).isZero();
  }

  @Test
  void should_refuse_a_bad_records_file_that_cannot_be_written_before_writing_any_row() throws IOException {
    table("bad_file_dst", "k int PRIMARY KEY, v text");
    Path source = jsonLines("bad-file", SCHEMA, List.of("{\"k\": 1, \"v\": \"a\"}", "{\"k\": 2, \"v\": \"b\"}"));
    Path notADirectory = Files.writeString(dir.resolve("plain-file"), "x");
    Path badFile = notADirectory.resolve("bad.jsonl");

    assertThatThrownBy(() -> operator().importFrom(ImportSource.jsonLines(source), KS, "bad_file_dst",
        ImportOptions.defaults().withBadRecordsFile(badFile)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Invalid bad-records file: " + badFile + " (its folder cannot be created");
    assertThat(count("bad_file_dst")).isZero();
  }

  @Test
  void should_list_the_tables_of_the_warehouse_when_the_iceberg_table_is_unknown() {
    table("listed_src", "k int PRIMARY KEY, v text");
    Path warehouse = dir.resolve("listed-wh");
    operator().export(KS, "listed_src", ExportTargets.iceberg(warehouse, "db.listed"));
    operator().export(KS, "listed_src", ExportTargets.iceberg(warehouse, "other.second"));

    assertThatThrownBy(() -> operator().importFrom(ImportSources.iceberg(warehouse, "db.nope"), KS, "listed_src"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("Unknown Iceberg table: db.nope")
        .hasMessageEndingWith("tables there: db.listed, other.second)");
  }
}
