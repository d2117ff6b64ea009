package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.ringsweep.cluster.LocalCluster;
import dev.ringsweep.testing.SelfSignedTls;
import dev.ringsweep.testing.TestClusters;
import dev.ringsweep.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS on the spark-submit line, with the executor in a JVM of its own (Spark's {@code local-cluster} master): a node
 * of its own that accepts TLS connections only (a self-signed certificate naming its address), and the trust store
 * named by {@code --truststore}, its password in {@code RINGSWEEP_TRUSTSTORE_PASSWORD}.
 *
 * <p>The executor runs in a working directory of its own, as on a real cluster. A relative {@code --truststore}
 * path that exists where spark-submit runs but not where the executor runs is the case of a store that was not
 * shipped to the executors: the driver connects, plans and starts the job, and the executor's tasks fail.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkTlsIT {

  private static final int HOST_INDEX = 40;
  private static final int ROWS = 700;
  private static final String KS = "spark_tls";
  private static final String STORE_PASSWORD = "tls-store-" + Long.toHexString(System.nanoTime());

  private SparkFixture fx;
  private LocalCluster cluster;
  private SelfSignedTls tls;
  private String contactPoint;
  private Path work;

  @BeforeAll
  void startTlsNode() throws IOException {
    TestClusters.assumeChildJvms("start a node that accepts TLS connections only");
    fx = SparkFixture.get();
    work = Files.createTempDirectory(fx.warehouse.getParent(), "spark-tls");
    LocalCluster.Builder builder = LocalCluster.builder().clusterName("sparktls").firstHostIndex(HOST_INDEX);
    var node = builder.build().nodes().get(0);
    tls = SelfSignedTls.generate(work.resolve("tls"), node.address(), STORE_PASSWORD);
    contactPoint = node.nativeAddress().getAddress().getHostAddress() + ":" + node.nativeAddress().getPort();
    cluster = builder.yaml("client_encryption_options", tls.clientEncryptionOptions()).build().start();
    try (CqlSession admin = CqlSession.builder().addContactPoint(node.nativeAddress()).withLocalDatacenter(
            cluster.firstDataCenter()).withSslEngineFactory(tls.engineFactory())
        .withConfigLoader(DriverConfigLoader.programmaticBuilder()
            .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30)).build()).build()) {
      admin.execute("CREATE KEYSPACE " + KS + " WITH replication = {'class': 'SimpleStrategy', "
          + "'replication_factor': 1}");
      admin.execute("CREATE TABLE " + KS + ".rows (k int PRIMARY KEY, v text)");
      TestData.insert(admin, "INSERT INTO " + KS + ".rows (k, v) VALUES (?, ?)", ROWS,
          i -> new Object[] {(int) i, "tls " + i});
    }
  }

  @AfterAll
  void stopTlsNode() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private SparkSubmit.Result export(Path directory, String truststore, String icebergTable) {
    return SparkSubmit.run(SparkSubmit.localCluster(work), directory,
        Map.of("RINGSWEEP_TRUSTSTORE_PASSWORD", STORE_PASSWORD), "export", "-k", KS, "-t", "rows", "-c",
        contactPoint, "--local-dc", cluster.firstDataCenter(), "--truststore", truststore, "-f", "iceberg",
        "--target", fx.warehouse.toString(), "--iceberg-table", icebergTable);
  }

  @Test
  void should_export_over_tls_from_an_executor_in_a_jvm_of_its_own() {
    SparkSubmit.Result result = export(work, tls.truststore().toAbsolutePath().toString(), "db.tls_rows");

    assertThat(result.exitCode()).as(result.output()).isZero();
    assertThat(result.output()).contains(ROWS + " rows of " + KS + ".rows exported").contains("(executor 0)")
        .doesNotContain(STORE_PASSWORD);
    List<org.apache.spark.sql.Row> rows = fx.spark.sql("SELECT k, v FROM ringsweep.db.tls_rows").collectAsList();
    assertThat(rows).hasSize(ROWS);
    assertThat(rows.stream().map(r -> r.getInt(0)).distinct().count()).isEqualTo(ROWS);
    assertThat(rows).allSatisfy(r -> assertThat(r.getString(1)).isEqualTo("tls " + r.getInt(0)));
  }

  @Test
  void should_name_a_trust_store_missing_on_the_executor_and_commit_nothing() throws IOException {
    Path submitDirectory = Files.createDirectories(work.resolve("submit"));
    Files.copy(tls.truststore(), submitDirectory.resolve("client-truststore.p12"));

    SparkSubmit.Result result = export(submitDirectory, "client-truststore.p12", "db.tls_not_shipped");

    assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
    // The one line spark-submit's user reads last names the executor, the store and the export that failed.
    assertThat(result.output().lines().filter(l -> l.startsWith("ringsweep: ")).toList()).as(result.output())
        .singleElement().asString()
        .startsWith("ringsweep: Export of " + KS + ".rows to iceberg db.tls_not_shipped")
        .contains("Missing connection setting on Spark executor 0: the TLS trust store client-truststore.p12 does "
            + "not exist or cannot be read there");
    assertThat(result.output()).doesNotContain(STORE_PASSWORD);
    // The driver connected over TLS (the store is where spark-submit runs) and planned: the failure is the
    // executor's alone. Nothing was committed: no table, and no data file left under its location.
    assertThat(result.output()).contains("Exporting " + KS + ".rows");
    assertThat(fx.spark.sql("SHOW TABLES IN ringsweep.db").collectAsList())
        .noneMatch(r -> r.getString(1).equals("tls_not_shipped"));
    Path location = fx.warehouse.resolve("db").resolve("tls_not_shipped");
    if (Files.exists(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        assertThat(files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".parquet")).toList())
            .isEmpty();
      }
    }
  }
}
