package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.ringsweep.testing.TestCluster;
import dev.ringsweep.testing.TestClusters;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A session without schema metadata: an existing keyspace is not reported as unknown. */
class SchemaMetadataIT {

  private static final String KEYSPACE = "schema_metadata_it";

  @Test
  void should_say_the_schema_could_not_be_read_rather_than_call_an_existing_keyspace_unknown() {
    TestCluster cluster = TestClusters.single();
    try (CqlSession session = cluster.newSession()) {
      cluster.createKeyspace(session, KEYSPACE, TestCluster.simpleReplication(1));
      session.execute("CREATE TABLE IF NOT EXISTS " + KEYSPACE + ".t (k int PRIMARY KEY)");
    }
    DriverConfigLoader noSchema = DriverConfigLoader.programmaticBuilder()
        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, TestCluster.REQUEST_TIMEOUT)
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .build();
    try (CqlSession session = cluster.sessionBuilder().withConfigLoader(noSchema).build()) {
      Throwable failure = catchThrowable(() -> TokenAwareBulkOperator.builder(session).build().count(KEYSPACE, "t"));
      assertThat(failure).isNotNull();
      assertThat(failure.getMessage())
          .doesNotContain("Unknown keyspace")
          .startsWith("Cannot check keyspace " + KEYSPACE + ": the driver holds no schema metadata")
          .contains("timed out");
    }
  }
}
