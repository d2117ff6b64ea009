package dev.ringsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The command line against a real single-node cluster: what it prints is checked against the rows written. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandLineIT {

  private static final String KEYSPACE = "cli_count";
  private static final long ROWS = 7_321;

  private TestCluster cluster;
  private CqlSession session;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  void createTable() {
    cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KEYSPACE, TestCluster.simpleReplication(1));
    session.execute("CREATE TABLE " + KEYSPACE + ".items (id bigint, part int, name text, PRIMARY KEY (id, part))");
    TestData.insert(session, "INSERT INTO " + KEYSPACE + ".items (id, part, name) VALUES (?, ?, ?)", ROWS,
        i -> new Object[] {i / 3, (int) (i % 3), "item-" + i});
  }

  @BeforeEach
  void clearOutput() {
    out.getBuffer().setLength(0);
    err.getBuffer().setLength(0);
  }

  @AfterAll
  void close() {
    if (session != null) {
      session.close();
    }
  }

  private int run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--contact-points", contactPoints(), "--local-dc", cluster.localDc(), "--no-progress"));
    if (System.getenv("RINGSWEEP_USERNAME") != null) {
      all.addAll(List.of("--username", System.getenv("RINGSWEEP_USERNAME"))); // password: RINGSWEEP_PASSWORD
    }
    return Main.run(all.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private String contactPoints() {
    return cluster.contactPoints().stream()
        .map(a -> (a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString()) + ":" + a.getPort())
        .collect(Collectors.joining(","));
  }

  @Test
  void should_print_the_exact_count_of_the_rows_written() {
    assertThat(run("count", "--keyspace", KEYSPACE, "--table", "items")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith(ROWS + " rows in " + KEYSPACE + ".items (");
  }

  @Test
  void should_count_the_same_with_explicit_operator_options() {
    assertThat(run("count", "-k", KEYSPACE, "-t", "items", "--splits", "300", "--parallelism", "3",
        "--page-size", "100", "--consistency", "one", "--timeout", "20s")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith(ROWS + " rows in ").contains("parallelism 3");
  }

  @Test
  void should_read_the_schema_whatever_the_request_timeout_and_not_call_a_known_keyspace_unknown() {
    int code = run("count", "-k", KEYSPACE, "-t", "items", "--timeout", "1ms");

    // With a 1 ms timeout the count itself may time out; what it must not do is lose the schema on the way.
    assertThat(err.toString()).doesNotContain("Unknown keyspace").doesNotContain("Unknown table");
    if (code == 0) {
      assertThat(out.toString()).startsWith(ROWS + " rows");
    } else {
      assertThat(err.toString()).containsIgnoringCase("time");
    }
  }

  @Test
  void should_refuse_an_iceberg_table_name_that_leaves_the_warehouse_as_a_usage_error(@TempDir Path dir)
      throws IOException {
    Path warehouse = dir.resolve("a").resolve("wh");

    int export = run("export", "-k", KEYSPACE, "-t", "items", "-f", "iceberg", "--target", warehouse.toString(),
        "--iceberg-table", "../../escape.t");
    int importCode = run("import", "-k", KEYSPACE, "-t", "items", "-f", "iceberg", "--source", warehouse.toString(),
        "--iceberg-table", "db/x.t");

    assertThat(export).isEqualTo(2);
    assertThat(importCode).isEqualTo(2);
    assertThat(err.toString())
        .contains("Invalid value for option '--iceberg-table': Invalid Iceberg table identifier: '../../escape.t'")
        .contains("level 'db/x' holds a path separator");
    try (Stream<Path> written = Files.walk(dir)) {
      assertThat(written.filter(p -> !p.equals(dir)).toList()).as("files written").isEmpty();
    }
  }

  @Test
  void should_name_a_wrong_local_dc_and_the_data_centers_that_exist() {
    List<String> args = new ArrayList<>(List.of("count", "-k", KEYSPACE, "-t", "items", "--contact-points",
        contactPoints(), "--local-dc", "nowhere", "--no-progress"));
    int code = Main.run(args.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines().findFirst().orElse("")).isEqualTo(
        "ringsweep: Invalid value for option '--local-dc': 'nowhere' (the cluster's data centers: "
            + cluster.localDc() + ")");
  }

  @Test
  void should_report_an_unknown_export_column_as_a_usage_error(@TempDir Path dir) {
    int code = run("export", "-k", KEYSPACE, "-t", "items", "-f", "csv", "--target", dir.resolve("c").toString(),
        "--columns", "id,nope");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).startsWith("ringsweep: Invalid value for option '--columns': Unknown column: nope");
  }

  @Test
  void should_fail_with_one_line_naming_an_unknown_table() {
    assertThat(run("count", "-k", KEYSPACE, "-t", "nosuch")).isEqualTo(1);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("ringsweep: ").contains("nosuch").contains("items");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void should_export_every_row_to_csv_files(@TempDir Path dir) throws IOException {
    Path target = dir.resolve("csv");
    assertThat(run("export", "-k", KEYSPACE, "-t", "items", "--format", "csv", "--target", target.toString()))
        .as(err.toString()).isZero();
    assertThat(out.toString()).startsWith(ROWS + " rows exported from " + KEYSPACE + ".items to " + target);
    long dataLines = 0;
    try (Stream<Path> files = Files.list(target)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".csv")).toList()) {
        dataLines += Files.readAllLines(file).size() - 1; // one header line per file
      }
    }
    assertThat(dataLines).isEqualTo(ROWS);
  }

  @Test
  void should_export_to_parquet_and_iceberg(@TempDir Path dir) throws IOException {
    assertThat(run("export", "-k", KEYSPACE, "-t", "items", "-f", "parquet", "--target",
        dir.resolve("parquet").toString(), "--compression", "snappy", "--writers", "3")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith(ROWS + " rows exported").contains("as parquet");
    try (Stream<Path> files = Files.list(dir.resolve("parquet"))) {
      assertThat(files.map(f -> f.getFileName().toString())).anyMatch(n -> n.endsWith(".parquet"));
    }
    out.getBuffer().setLength(0);
    assertThat(run("export", "-k", KEYSPACE, "-t", "items", "-f", "iceberg", "--target",
        dir.resolve("warehouse").toString(), "--iceberg-table", "db.items")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith(ROWS + " rows exported").contains("as iceberg");
    assertThat(dir.resolve("warehouse").resolve("catalog.db")).isRegularFile();
  }

  @Test
  void should_import_an_export_back_into_an_empty_table(@TempDir Path dir) {
    session.execute("DROP TABLE IF EXISTS " + KEYSPACE + ".items_copy");
    session.execute("CREATE TABLE " + KEYSPACE + ".items_copy (id bigint, part int, name text, PRIMARY KEY (id, part))");
    assertThat(run("export", "-k", KEYSPACE, "-t", "items", "-f", "parquet", "--target",
        dir.resolve("p").toString())).as(err.toString()).isZero();
    out.getBuffer().setLength(0);
    assertThat(run("import", "-k", KEYSPACE, "-t", "items_copy", "-f", "parquet", "--source",
        dir.resolve("p").toString(), "--verify", "checksum")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith(ROWS + " rows imported into " + KEYSPACE + ".items_copy").contains("(0 failed,");
    out.getBuffer().setLength(0);
    assertThat(run("count", "-k", KEYSPACE, "-t", "items_copy")).isZero();
    assertThat(out.toString()).startsWith(ROWS + " rows in ");
    for (long i = 0; i < ROWS; i += 997) {
      assertThat(session.execute("SELECT name FROM " + KEYSPACE + ".items_copy WHERE id = ? AND part = ?",
          i / 3, (int) (i % 3)).one().getString(0)).isEqualTo("item-" + i);
    }
  }

  @Test
  void should_refuse_to_run_the_bare_command_on_given_contact_points_and_touch_nothing(@TempDir Path dir) {
    // A user's keyspace that happens to have the demo's name (not one an earlier demo run made).
    session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS ringsweep_demo")
        .setTimeout(Duration.ofMinutes(1)));
    session.execute("CREATE KEYSPACE ringsweep_demo WITH replication = "
        + "{'class': 'SimpleStrategy', 'replication_factor': 1}");
    session.execute("CREATE TABLE IF NOT EXISTS ringsweep_demo.events (id int PRIMARY KEY, mine text)");
    session.execute("INSERT INTO ringsweep_demo.events (id, mine) VALUES (1, 'user data')");
    try {
      int bare = run("--rows", "100", "--export-dir", dir.toString());
      assertThat(bare).isEqualTo(2);
      assertThat(err.toString()).contains("runs on an embedded node of its own", "demo --external-cluster");

      err.getBuffer().setLength(0);
      int demo = run("demo", "--rows", "100", "--export-dir", dir.toString());
      assertThat(demo).isEqualTo(2);
      assertThat(err.toString()).contains("add --external-cluster");

      // Told explicitly, it still refuses a keyspace it did not create.
      err.getBuffer().setLength(0);
      int external = run("demo", "--external-cluster", "--rows", "100", "--export-dir", dir.toString());
      assertThat(external).isEqualTo(1);
      assertThat(err.toString()).contains("Keyspace ringsweep_demo exists on this cluster and was not created by the "
          + "demo");

      session.refreshSchema();
      assertThat(session.getMetadata().getKeyspace("ringsweep_demo").orElseThrow().getTables().keySet())
          .extracting(id -> id.asInternal()).containsExactly("events");
      assertThat(session.execute("SELECT mine FROM ringsweep_demo.events WHERE id = 1").one().getString(0))
          .isEqualTo("user data");
    } finally {
      session.execute(SimpleStatement.newInstance("DROP KEYSPACE IF EXISTS ringsweep_demo")
          .setTimeout(Duration.ofMinutes(1)));
    }
  }

  @Test
  void should_run_the_demo_on_an_external_cluster_when_told_to_and_verify_it(@TempDir Path dir) {
    assertThat(run("demo", "--external-cluster", "--rows", "3000", "--export-dir", dir.toString()))
        .as(err.toString()).isZero();
    String summary = out.toString();
    assertThat(summary).containsPattern("Ringsweep count \\(median\\) +3,000 .* ok: equals the rows written");
    assertThat(summary).containsPattern("SELECT count\\(\\*\\) \\(median\\) +3,000 .* ok: equals the rows written");
    assertThat(summary).containsPattern("load \\(INSERT, 256 in flight\\) +3,000 ");
    assertThat(summary).containsPattern("Ringsweep export → Iceberg +3,000 .* ok \\(");
    assertThat(summary).containsPattern("Ringsweep import ← Iceberg +3,000 .* ok");
    assertThat(summary).containsPattern("verify the copy, value by value +3,000 .* ok: every row and value equals");
  }
}
