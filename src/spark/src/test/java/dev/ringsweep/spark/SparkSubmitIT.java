package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.testing.TestData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The shaded jar as spark-submit runs it: {@link SparkMain} in a child JVM whose classpath is the jar plus what a
 * Spark user has (Spark, iceberg-spark-runtime, Hadoop), {@code local[2]}.
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
  private String[] submit(String... args) throws Exception {
    return submit(List.of("-Dspark.master=local[2]"), args);
  }

  /**
   * Runs SparkMain from the shaded jar with {@code sparkOptions} (system properties: the master...); returns its exit
   * code and output.
   */
  private String[] submit(List<String> sparkOptions, String... args) throws Exception {
    Path jar = Path.of(System.getProperty("ringsweep.spark.shadedJar"));
    assertThat(jar).as("the shaded jar (made in the package phase)").isRegularFile();
    // What a Spark user has: this test JVM's classpath (Spark, iceberg-spark-runtime, Hadoop, Jackson, ...) without
    // Ringsweep's own classes and the driver, which must come from the shaded jar.
    List<String> entries = new ArrayList<>(List.of(jar.toString()));
    for (String entry : System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
        .split(java.io.File.pathSeparator)) {
      String e = entry.replace('\\', '/');
      boolean ringsweep = e.contains("/dev/ringsweep/") || e.endsWith("/target/classes")
          || e.endsWith("/target/test-classes") || e.contains("java-driver-") || e.contains("native-protocol");
      if (!ringsweep) {
        entries.add(entry);
      }
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx1g");
    command.addAll(List.of(System.getProperty("ringsweep.spark.testOpens").trim().split("\\s+")));
    command.addAll(sparkOptions.stream().map(o -> o.replace("{classpath}",
        String.join(java.io.File.pathSeparator, entries))).toList());
    command.addAll(List.of("-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1", "-cp", String.join(java.io.File.pathSeparator, entries),
        SparkMain.class.getName()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile("spark-submit", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    try {
      if (!process.waitFor(180, TimeUnit.SECONDS)) {
        throw new AssertionError("SparkMain did not end within 180 s: " + Files.readString(output));
      }
      return new String[] {Integer.toString(process.exitValue()), Files.readString(output, StandardCharsets.UTF_8)};
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(output);
    }
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
   * Spark's {@code local-cluster} master: a standalone master and worker in the spark-submit JVM, and the executor in
   * a JVM of its own, started by the worker with the same classpath (the shaded jar and what a Spark user has) — so
   * tasks, the connection and the Iceberg target are serialized to another JVM, which opens its own session, and the
 * data files come back to the driver for the one commit. Spark
   * builds the executor's command from a Spark home; an empty one with the directories its launcher looks for will do
   * in Spark's test mode ({@code spark.testing}), the classes coming from {@code spark.executor.extraClassPath}.
   */
  @Test
  void should_export_on_an_executor_in_a_jvm_of_its_own() throws Exception {
    Path home = Files.createTempDirectory(fx.warehouse.getParent(), "spark-home");
    String scalaVersion = scala.util.Properties.versionNumberString().startsWith("2.13") ? "2.13" : "2.12";
    Files.createDirectories(home.resolve("launcher/target/scala-" + scalaVersion));
    Files.createDirectories(home.resolve("assembly/target/scala-" + scalaVersion + "/jars"));
    List<String> cluster = List.of("-Dspark.master=local-cluster[1,1,1024]", "-Dspark.executor.memory=768m",
        "-Dspark.testing=true", "-Dspark.test.home=" + home, "-Dspark.executor.extraClassPath={classpath}",
        "-Dspark.executor.extraJavaOptions=" + System.getProperty("ringsweep.spark.testOpens").trim());

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
  }
}
