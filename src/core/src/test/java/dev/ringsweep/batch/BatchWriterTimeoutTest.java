package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfig;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which execution profile's timeout a writer judges a request against (no network: a driver configuration only). */
class BatchWriterTimeoutTest {

  private final DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
      .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(2))
      .startProfile("patient")
      .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofSeconds(30))
      .endProfile()
      .build();
  private final DriverConfig config = loader.getInitialConfig();

  @AfterEach
  void close() {
    loader.close();
  }

  @Test
  void should_take_the_timeout_of_the_profile_a_statement_names() {
    SimpleStatement byName = SimpleStatement.newInstance("INSERT INTO ks.t (k) VALUES (1)")
        .setExecutionProfileName("patient");
    assertThat(BatchWriter.profileTimeout(config, byName)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void should_take_the_timeout_of_the_profile_a_statement_carries() {
    SimpleStatement carried = SimpleStatement.newInstance("INSERT INTO ks.t (k) VALUES (1)")
        .setExecutionProfile(config.getProfile("patient"));
    assertThat(BatchWriter.profileTimeout(config, carried)).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void should_give_none_for_a_statement_without_a_profile_of_its_own() {
    SimpleStatement plain = SimpleStatement.newInstance("INSERT INTO ks.t (k) VALUES (1)");
    assertThat(BatchWriter.profileTimeout(config, plain)).isNull();
  }
}
