package dev.ringsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
  void should_fail_with_one_line_naming_an_unknown_table() {
    assertThat(run("count", "-k", KEYSPACE, "-t", "nosuch")).isEqualTo(1);
    assertThat(err.toString().lines()).hasSize(1);
    assertThat(err.toString()).startsWith("ringsweep: ").contains("nosuch").contains("items");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void should_run_the_main_job_on_given_contact_points_and_verify_it() {
    assertThat(run("--rows", "3000")).as(err.toString()).isZero();
    String summary = out.toString();
    assertThat(summary).containsPattern("Ringsweep count +3,000 .* ok: equals the rows written");
    assertThat(summary).containsPattern("load \\(INSERT, 256 in flight\\) +3,000 ");
  }
}
