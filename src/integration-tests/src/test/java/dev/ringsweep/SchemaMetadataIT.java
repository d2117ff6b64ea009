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

/**
 * A session without schema metadata ({@code METADATA_SCHEMA_ENABLED} false): the operation reads the schema once
 * when the keyspace or table it needs is missing, instead of calling an existing keyspace unknown.
 */
class SchemaMetadataIT {

  private static final String KEYSPACE = "schema_metadata_it";

  @Test
  void should_read_the_schema_once_rather_than_call_an_existing_keyspace_unknown() {
    TestCluster cluster = TestClusters.single();
    try (CqlSession session = cluster.newSession()) {
      cluster.createKeyspace(session, KEYSPACE, TestCluster.simpleReplication(1));
      session.execute("CREATE TABLE IF NOT EXISTS " + KEYSPACE + ".t (k int PRIMARY KEY)");
      for (int k = 0; k < 10; k++) {
        session.execute("INSERT INTO " + KEYSPACE + ".t (k) VALUES (" + k + ")");
      }
    }
    DriverConfigLoader noSchema = DriverConfigLoader.programmaticBuilder()
        .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, false)
        .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, TestCluster.REQUEST_TIMEOUT)
        .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
        .build();
    try (CqlSession session = cluster.sessionBuilder().withConfigLoader(noSchema).build()) {
      assertThat(session.getMetadata().getKeyspace(KEYSPACE)).as("no schema metadata to begin with").isEmpty();

      CountResult result = TokenAwareBulkOperator.builder(session).build().count(KEYSPACE, "t");

      assertThat(result.rows()).isEqualTo(10);
      Throwable unknown = catchThrowable(() -> TokenAwareBulkOperator.builder(session).build().count(KEYSPACE,
          "no_such_table"));
      assertThat(unknown).hasMessageStartingWith("Unknown table: " + KEYSPACE + ".no_such_table (tables in "
          + KEYSPACE + ": t)");
    }
  }
}
