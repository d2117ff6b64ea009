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
        .hasMessage("Invalid contact point: '127.0.0.1' (must be host:port without blanks, e.g. 127.0.0.1:9042)");
    for (String padded : new String[] {" b:9042", "a:9042 ", " :9042", "   "}) {
      assertThatThrownBy(() -> CassandraConnection.of(List.of("a:9042", padded), "dc1")).as("'%s'", padded)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid contact point: '" + padded + "' (must be host:port without blanks, e.g. "
              + "127.0.0.1:9042)");
    }
    assertThatThrownBy(() -> CassandraConnection.of(List.of("127.0.0.1:9042"), "dc1").withCredentials(" ", "pw"))
        .hasMessage("Invalid user name: ' ' (must not be blank)");
    assertThatThrownBy(() -> CassandraConnection.of(List.of("127.0.0.1:9042"), "dc1")
        .withRequestTimeout(java.time.Duration.ofHours(2)))
        .hasMessage("Invalid request timeout: PT2H (must be > 0 and at most PT1H)");
    assertThatThrownBy(() -> new CassandraConnection.Tls("/t.jks", "trust-pass", "/k.jks", null, true))
        .hasMessageStartingWith("Missing TLS setting: the password of key store /k.jks");
    assertThatThrownBy(() -> new CassandraConnection.Tls(null, "trust-pass", null, null, true))
        .hasMessage("Invalid TLS setting: a trust store password without a trust store path (give both, or neither)")
        .hasMessageNotContaining("trust-pass");
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
