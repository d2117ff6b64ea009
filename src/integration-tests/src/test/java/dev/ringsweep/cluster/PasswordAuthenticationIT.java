package dev.ringsweep.cluster;

import dev.ringsweep.testing.TestClusters;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.auth.AuthenticationException;
import com.datastax.oss.driver.api.core.cql.Row;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PasswordAuthenticationIT {

  private static LocalCluster cluster;

  @BeforeAll
  static void startCluster() {
    TestClusters.assumeChildJvms("start a node with PasswordAuthenticator");
    cluster = LocalCluster.builder()
        .clusterName("auth")
        .firstHostIndex(5)
        .authentication(Authentication.PASSWORD)
        .build()
        .start();
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void should_reject_a_client_without_credentials() {
    AllNodesFailedException failure = catchThrowableOfType(AllNodesFailedException.class,
        () -> CqlSession.builder().addContactPoints(cluster.contactPoints()).withLocalDatacenter("dc1").build()
            .close());

    List<Throwable> errors = failure.getAllErrors().values().stream().flatMap(List::stream).toList();
    assertThat(errors).isNotEmpty().allSatisfy(error -> {
      assertThat(error).isInstanceOf(AuthenticationException.class);
      assertThat(error).hasMessageContaining("requires authentication");
    });
  }

  @Test
  void should_accept_the_default_superuser() {
    try (CqlSession session = CqlSession.builder()
        .addContactPoints(cluster.contactPoints())
        .withLocalDatacenter("dc1")
        .withAuthCredentials("cassandra", "cassandra")
        .build()) {
      Row row = session.execute("SELECT role, is_superuser FROM system_auth.roles WHERE role = 'cassandra'").one();
      assertThat(row).isNotNull();
      assertThat(row.getBoolean("is_superuser")).isTrue();
    }
  }
}
