package dev.ringsweep.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Connection settings: missing or wrong ones named, passwords never shown. No network. */
class CassandraConnectionTest {

  @Test
  void should_refuse_missing_connection_settings_naming_them() {
    assertThatThrownBy(() -> CassandraConnection.of(List.of(), "dc1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Missing connection setting: contact points (at least one host:port, e.g. 127.0.0.1:9042)");
    assertThatThrownBy(() -> CassandraConnection.of(List.of("127.0.0.1:9042"), " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Missing connection setting: local data center");
    assertThatThrownBy(() -> CassandraConnection.of(List.of("127.0.0.1"), "dc1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid contact point: '127.0.0.1' (must be host:port, e.g. 127.0.0.1:9042)");
    assertThatThrownBy(() -> CassandraConnection.of(List.of("127.0.0.1:99999"), "dc1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the port must be 1-65535");
    assertThatThrownBy(() -> new CassandraConnection(List.of("127.0.0.1:9042"), "dc1", "reader", null, null,
        CassandraConnection.DEFAULT_REQUEST_TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid credentials: user name 'reader', password missing (give both or neither)");
  }

  @Test
  void should_never_show_a_password() {
    CassandraConnection connection = CassandraConnection.of(List.of("127.0.0.1:9042"), "dc1")
        .withCredentials("reader", "s3cret-pass")
        .withTls(new CassandraConnection.Tls("/t.jks", "trust-pass", "/k.jks", "key-pass", false));

    assertThat(connection.toString()).contains("reader", "/t.jks", "/k.jks")
        .doesNotContain("s3cret-pass").doesNotContain("trust-pass").doesNotContain("key-pass");
  }
}
