package dev.ringsweep.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.metadata.schema.TableMetadata;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;

/**
 * What the Spark tests share, made once per test JVM: the single-node test cluster, a session to it, the connection
 * value tasks use, and ONE in-process Spark session ({@code local[2,3]}: 2 cores, a task may fail twice and is
 * retried) whose Iceberg catalog {@code ringsweep} is the JDBC (SQLite) catalog of one warehouse directory, the
 * catalog Ringsweep's exports keep there.
 */
final class SparkFixture {

  static final String KS = "spark_it";

  private static SparkFixture instance;

  final TestCluster cluster;
  final CqlSession session;
  final CassandraConnection connection;
  final Path warehouse;
  final SparkSession spark;

  private SparkFixture() {
    cluster = TestClusters.single();
    session = cluster.newSession();
    cluster.createKeyspace(session, KS, TestCluster.simpleReplication(1));
    List<String> points = cluster.contactPoints().stream()
        .map(a -> a.getHostString() + ":" + a.getPort()).toList();
    connection = CassandraConnection.of(points, cluster.localDc());
    try {
      warehouse = Files.createDirectories(Path.of(System.getProperty("ringsweep.spark.warehouse",
          "target/spark-warehouse-" + ProcessHandle.current().pid()))).toAbsolutePath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    spark = SparkSession.builder()
        .master("local[2,3]")
        .appName("ringsweep-spark-it")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.datetime.java8API.enabled", "true")
        .config("spark.locality.wait", "0s")
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config("spark.sql.catalog.ringsweep", "org.apache.iceberg.spark.SparkCatalog")
        .config("spark.sql.catalog.ringsweep.type", "jdbc")
        .config("spark.sql.catalog.ringsweep.uri", "jdbc:sqlite:" + warehouse.resolve("catalog.db"))
        .config("spark.sql.catalog.ringsweep.warehouse", warehouse.toString())
        .config("spark.sql.catalog.ringsweep.cache-enabled", "false")
        .getOrCreate();
    Runtime.getRuntime().addShutdownHook(new Thread(spark::stop));
  }

  /** The fixture, made on first use. */
  static synchronized SparkFixture get() {
    if (instance == null) {
      instance = new SparkFixture();
    }
    return instance;
  }

  void execute(String cql) {
    session.execute(SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(60)));
  }

  /** Every row of a table as Cassandra returns it, values in the table's column order, by its first column. */
  Map<Object, List<Object>> rows(String keyspace, String table) {
    TableMetadata t = session.getMetadata().getKeyspace(keyspace).orElseThrow().getTable(table).orElseThrow();
    Map<Object, List<Object>> rows = new HashMap<>();
    String names = t.getColumns().keySet().stream().map(c -> c.asCql(true)).collect(Collectors.joining(", "));
    for (Row row : session.execute("SELECT " + names + " FROM " + keyspace + "." + table)) {
      Object[] values = new Object[row.getColumnDefinitions().size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = row.isNull(i) ? null : row.getObject(i);
      }
      rows.put(values[0], Arrays.asList(values));
    }
    return rows;
  }

  /** The contact point of the test cluster, for messages. */
  InetSocketAddress contactPoint() {
    return cluster.contactPoints().get(0);
  }
}
