package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.testing.TestData;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shaded jar as spark-submit runs it ({@link SparkSubmit}): {@link SparkMain} in a child JVM whose classpath is
 * the jar plus what a Spark user has (Spark, iceberg-spark-runtime, Hadoop), {@code local[2]}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkSubmitIT {

  private static final int ROWS = 1_500;

  private SparkFixture fx;

  @BeforeAll
  void setUp() {
    fx = SparkFixture.get();
    fx.execute("CREATE TABLE IF NOT EXISTS " + SparkFixture.KS + ".submitted (k int PRIMARY KEY, v text)");
    fx.execute("TRUNCATE " + SparkFixture.KS + ".submitted");
    TestData.insert(fx.session, "INSERT INTO " + SparkFixture.KS + ".submitted (k, v) VALUES (?, ?)", ROWS,
        i -> new Object[] {(int) i, "value " + i});
  }

  /** Runs SparkMain from the shaded jar on {@code local[2]}; returns its exit code and output. */
  private String[] submit(String... args) {
    return submit(List.of("-Dspark.master=local[2]"), args);
  }

  /** Runs SparkMain from the shaded jar with {@code sparkOptions}; returns its exit code and output. */
  private String[] submit(List<String> sparkOptions, String... args) {
    SparkSubmit.Result result = SparkSubmit.run(sparkOptions, Path.of("").toAbsolutePath(), Map.of(), args);
    return new String[] {Integer.toString(result.exitCode()), result.output()};
  }

  private String contactPoint() {
    return fx.contactPoint().getHostString() + ":" + fx.contactPoint().getPort();
  }

  @Test
  void should_count_and_export_from_the_shaded_jar() throws Exception {
    String[] count = submit("count", "-k", SparkFixture.KS, "-t", "submitted", "-c", contactPoint(), "--local-dc",
        fx.cluster.localDc());
    assertThat(count[0]).as(count[1]).isEqualTo("0");
    assertThat(count[1]).contains(ROWS + " rows in " + SparkFixture.KS + ".submitted");

    String[] export = submit("export", "-k", SparkFixture.KS, "-t", "submitted", "-c", contactPoint(),
        "--local-dc", fx.cluster.localDc(), "-f", "iceberg", "--target", fx.warehouse.toString(),
        "--iceberg-table", "db.submitted");
    assertThat(export[0]).as(export[1]).isEqualTo("0");
    assertThat(export[1]).contains(ROWS + " rows of " + SparkFixture.KS + ".submitted exported");
    List<org.apache.spark.sql.Row> rows = fx.spark.sql("SELECT k, v FROM ringsweep.db.submitted").collectAsList();
    assertThat(rows.stream().map(r -> r.getInt(0)).distinct().count()).isEqualTo(ROWS);
    assertThat(rows).hasSize(ROWS);
    assertThat(rows).allSatisfy(r -> assertThat(r.getString(1)).isEqualTo("value " + r.getInt(0)));
  }

  @Test
  void should_export_to_parquet_and_import_it_back_from_the_shaded_jar() throws Exception {
    fx.execute("CREATE TABLE IF NOT EXISTS " + SparkFixture.KS + ".submitted_copy (k int PRIMARY KEY, v text)");
    fx.execute("TRUNCATE " + SparkFixture.KS + ".submitted_copy");
    Path out = fx.warehouse.getParent().resolve("submitted-parquet-" + ProcessHandle.current().pid());

    String[] export = submit("export", "-k", SparkFixture.KS, "-t", "submitted", "-c", contactPoint(),
        "--local-dc", fx.cluster.localDc(), "-f", "parquet", "--target", out.toString());
    String[] imported = submit("import", "-k", SparkFixture.KS, "-t", "submitted_copy", "-c", contactPoint(),
        "--local-dc", fx.cluster.localDc(), "-f", "parquet", "--source", out.toString());

    assertThat(export[0]).as(export[1]).isEqualTo("0");
    assertThat(export[1]).contains(ROWS + " rows of " + SparkFixture.KS + ".submitted exported to parquet " + out);
    assertThat(imported[0]).as(imported[1]).isEqualTo("0");
    assertThat(imported[1]).contains(ROWS + " rows imported into " + SparkFixture.KS + ".submitted_copy");
    assertThat(fx.rows(SparkFixture.KS, "submitted_copy")).isEqualTo(fx.rows(SparkFixture.KS, "submitted"));
  }

  /**
   * Spark's {@code local-cluster} master ({@link SparkSubmit#localCluster}): the executor in a JVM of its own — so
   * tasks, the connection and the Iceberg target are serialized to another JVM, which opens its own session, and the
   * data files come back to the driver for the one commit.
   */
  @Test
  void should_export_on_an_executor_in_a_jvm_of_its_own() throws Exception {
    List<String> cluster = SparkSubmit.localCluster(fx.warehouse.getParent());

    String[] export = submit(cluster, "export", "-k", SparkFixture.KS, "-t", "submitted", "-c", contactPoint(),
        "--local-dc", fx.cluster.localDc(), "-f", "iceberg", "--target", fx.warehouse.toString(),
        "--iceberg-table", "db.submitted_by_executor");

    assertThat(export[0]).as(export[1]).isEqualTo("0");
    List<org.apache.spark.sql.Row> rows = fx.spark.sql("SELECT k, v FROM ringsweep.db.submitted_by_executor")
        .collectAsList();
    assertThat(rows).hasSize(ROWS);
    assertThat(rows.stream().map(r -> r.getInt(0)).distinct().count()).isEqualTo(ROWS);
    assertThat(rows).allSatisfy(r -> assertThat(r.getString(1)).isEqualTo("value " + r.getInt(0)));
    // The tasks ran in the executor's JVM, not in the driver's (where local[N] runs them as "executor driver"); its
    // task lines (limits) are in the executor's log, which the worker deletes with its directory.
    assertThat(export[1]).contains("(executor 0)").doesNotContain("(executor driver)")
        .doesNotContain("of export of " + SparkFixture.KS + ".submitted: limit");
  }

  @Test
  void should_exit_2_naming_a_wrong_option() throws Exception {
    String[] result = submit("count", "-k", SparkFixture.KS, "-t", "submitted", "--target", "/tmp");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1]).contains("Unknown option for count: '--target'");

    // A bad value of a known option is a usage error too, refused before any Spark session starts.
    String[] badValue = submit("count", "-k", SparkFixture.KS, "-t", "submitted", "-c", contactPoint(), "--local-dc",
        fx.cluster.localDc(), "--retry-backoff", "2m");

    assertThat(badValue[0]).isEqualTo("2");
    assertThat(badValue[1]).contains("Invalid retry backoff: PT2M (must be 0 to PT1M)")
        .doesNotContain("SparkContext: Running Spark");
  }
}
