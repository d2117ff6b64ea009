package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.export.ExportOptions;
import dev.ringsweep.iceberg.ExportTargets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Connection settings that cannot work, against the real single-node cluster: each is named on the driver before any
 * task starts, and nothing is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkBadInputIT {

  private static final String KS = SparkFixture.KS;

  private SparkFixture fx;
  private final AtomicInteger attempts = new AtomicInteger();

  @BeforeAll
  void setUp() {
    fx = SparkFixture.get();
    fx.execute("CREATE TABLE IF NOT EXISTS " + KS + ".bad_input (k int PRIMARY KEY, v int)");
  }

  @BeforeEach
  void countAttempts() {
    attempts.set(0);
    ExportJob.attemptHook = (partition, attempt) -> attempts.incrementAndGet();
  }

  @AfterEach
  void clearHook() {
    ExportJob.attemptHook = null;
  }

  @Test
  void should_name_contact_points_that_cannot_be_reached_before_any_task() {
    String nowhere = fx.contactPoint().getHostString().replaceFirst("\\.\\d+$", ".250") + ":"
        + fx.contactPoint().getPort();
    Path out = fx.warehouse.getParent().resolve("bad-input-unreachable");
    CassandraConnection unreachable = CassandraConnection.of(List.of(nowhere), fx.cluster.localDc());

    assertThatThrownBy(() -> RingsweepSpark.on(fx.spark, unreachable).exportToParquet(KS, "bad_input",
        ExportTargets.parquet(out), ExportOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Cannot connect to Cassandra at contact points [" + nowhere + "]");

    assertThat(attempts.get()).isZero();
    assertThat(out).doesNotExist();
  }

  @Test
  void should_name_a_tls_store_missing_where_the_session_opens_without_its_password() {
    Path out = fx.warehouse.getParent().resolve("bad-input-tls");
    String store = fx.warehouse.getParent().resolve("no-such-truststore.jks").toString();
    CassandraConnection tls = CassandraConnection.of(fx.connection.contactPoints(), fx.cluster.localDc())
        .withTls(new CassandraConnection.Tls(store, "s3cret-store-pw", null, null, false));

    assertThatThrownBy(() -> RingsweepSpark.on(fx.spark, tls).exportToParquet(KS, "bad_input",
        ExportTargets.parquet(out), ExportOptions.defaults()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("Missing connection setting on the Spark driver: the TLS trust store " + store
            + " does not exist or cannot be read there")
        .hasMessageNotContaining("s3cret-store-pw");

    assertThat(attempts.get()).isZero();
    assertThat(out).doesNotExist();
  }

  @Test
  void should_name_a_local_data_center_the_cluster_does_not_have_before_any_task() {
    Path out = fx.warehouse.getParent().resolve("bad-input-dc");
    CassandraConnection wrongDc = CassandraConnection.of(fx.connection.contactPoints(), "no_such_dc");

    assertThatThrownBy(() -> RingsweepSpark.on(fx.spark, wrongDc).exportToParquet(KS, "bad_input",
        ExportTargets.parquet(out), ExportOptions.defaults()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid connection setting: local data center 'no_such_dc' (the cluster at "
            + fx.connection.contactPoints() + " has the data centers [" + fx.cluster.localDc() + "])");

    assertThat(attempts.get()).isZero();
    assertThat(out).doesNotExist();
  }
}
