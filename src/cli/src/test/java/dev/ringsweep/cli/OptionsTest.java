package dev.ringsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine;


/** Parsing of the connection and operator options, without a cluster. */
class OptionsTest {

  /** A bare command that carries the mixins under test. */
  @Command(name = "probe")
  static final class Probe {
    @Mixin ConnectionOptions connection;
    @Mixin OperatorOptions operator;
  }

  private static Probe parse(String... args) {
    Probe probe = new Probe();
    new CommandLine(probe).parseArgs(args);
    return probe;
  }

  @Test
  void should_default_the_port_of_a_contact_point_to_9042() {
    Probe probe = parse("-c", "10.1.2.3,db.example:19042, [::1]:9043,[fe80::1],::2");
    assertThat(probe.connection.contactPoints()).containsExactly(
        InetSocketAddress.createUnresolved("10.1.2.3", 9042),
        InetSocketAddress.createUnresolved("db.example", 19042),
        InetSocketAddress.createUnresolved("::1", 9043),
        InetSocketAddress.createUnresolved("fe80::1", 9042),
        InetSocketAddress.createUnresolved("::2", 9042));
  }

  @Test
  void should_reject_a_contact_point_without_a_host() {
    assertThatThrownBy(() -> parse("-c", ":9042"))
        .hasMessage("Invalid value for option '--contact-points': ':9042' "
            + "(no host; expected HOST[:PORT], e.g. 127.0.0.1:9042)");
  }

  @Test
  void should_read_the_password_from_the_environment_when_not_prompted() {
    Probe probe = parse("-u", "alice");
    probe.connection.environment = Map.of("RINGSWEEP_PASSWORD", "s3cret")::get;
    assertThat(probe.connection.username()).contains("alice");
    assertThat(probe.connection.password()).contains("s3cret");
  }

  @Test
  void should_prompt_for_the_password_with_p_once_on_the_terminal() {
    Probe probe = parse("-u", "bob", "-p");
    probe.connection.environment = Map.of("RINGSWEEP_PASSWORD", "from-env")::get;
    List<String> prompts = new ArrayList<>();
    probe.connection.prompt = prompt -> {
      prompts.add(prompt);
      return "pr0mpted".toCharArray();
    };

    assertThat(probe.connection.password()).contains("pr0mpted");
    assertThat(probe.connection.password()).contains("pr0mpted");
    assertThat(prompts).containsExactly("Password of bob: ");
    assertThat(probe.connection.toString()).doesNotContain("pr0mpted");
  }

  @Test
  void should_refuse_to_prompt_without_a_terminal_rather_than_echo_the_password() {
    Probe probe = parse("-u", "bob", "-p");
    probe.connection.prompt = prompt -> null; // System.console() is null: input or output redirected

    assertThatThrownBy(() -> probe.connection.password())
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Cannot prompt for the password (-p): there is no terminal (standard input or output is "
            + "redirected); set RINGSWEEP_PASSWORD instead");
  }

  @Test
  void should_refuse_a_user_without_a_password_before_connecting() {
    Probe probe = parse("-c", "127.0.0.1:1", "-u", "bob");
    probe.connection.environment = Map.<String, String>of()::get;

    assertThatThrownBy(() -> probe.connection.connect(Duration.ofSeconds(1)))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Missing password of user bob: give -p to be prompted for it, or set RINGSWEEP_PASSWORD");
  }

  @Test
  void should_refuse_p_without_a_user_name_rather_than_ignore_it() {
    Probe probe = parse("-c", "127.0.0.1:1", "-p");
    probe.connection.prompt = prompt -> "pr0mpted".toCharArray();

    assertThatThrownBy(() -> probe.connection.connect(Duration.ofSeconds(1)))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessage("Missing user name for the password of -p: give -u USER, or set RINGSWEEP_USERNAME");
  }

  @Test
  void should_never_show_the_password_in_its_description() {
    Probe probe = parse("-u", "alice");
    probe.connection.environment = Map.of("RINGSWEEP_PASSWORD", "s3cret")::get;
    assertThat(probe.connection.toString()).contains("alice").doesNotContain("s3cret");
  }

  @Test
  void should_name_a_tls_store_that_is_not_there_or_has_no_password_before_connecting() throws Exception {
    java.nio.file.Path store = java.nio.file.Files.createTempFile("truststore", ".p12");
    try {
      Probe missing = parse("-c", "127.0.0.1", "--truststore", store + ".nope");
      assertThatThrownBy(() -> missing.connection.connect(Duration.ofSeconds(1)))
          .hasMessage("Invalid value for option '--truststore': '" + store + ".nope' (no such file, or it cannot "
              + "be read)");

      Probe noPassword = parse("-c", "127.0.0.1", "--truststore", store.toString());
      noPassword.connection.environment = Map.<String, String>of()::get;
      assertThatThrownBy(() -> noPassword.connection.connect(Duration.ofSeconds(1)))
          .hasMessage("Missing password of --truststore " + store + " (set the environment variable "
              + "RINGSWEEP_TRUSTSTORE_PASSWORD)");

      Probe keyNoPassword = parse("-c", "127.0.0.1", "--keystore", store.toString());
      keyNoPassword.connection.environment = Map.<String, String>of()::get;
      assertThatThrownBy(() -> keyNoPassword.connection.connect(Duration.ofSeconds(1)))
          .hasMessage("Missing password of --keystore " + store + " (set the environment variable "
              + "RINGSWEEP_KEYSTORE_PASSWORD)");

      Probe hostnameOnly = parse("-c", "127.0.0.1", "--no-hostname-validation");
      assertThatThrownBy(() -> hostnameOnly.connection.connect(Duration.ofSeconds(1)))
          .hasMessage("Invalid option --no-hostname-validation without --truststore or --keystore (it applies to "
              + "TLS connections only)");
    } finally {
      java.nio.file.Files.deleteIfExists(store);
    }
  }

  @Test
  void should_keep_the_library_default_timeout_unless_given() {
    assertThat(parse().operator.timeout()).isEqualTo(OperatorOptions.DEFAULT_TIMEOUT);
    assertThat(parse("--timeout", "2m").operator.timeout()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void should_keep_the_library_retries_unless_given() {
    assertThat(parse().operator.maxRetries()).isEmpty();
    assertThat(parse().operator.retryBackoff()).isEmpty();
    Probe probe = parse("--max-retries", "0", "--retry-backoff", "2s");
    assertThat(probe.operator.maxRetries()).contains(0);
    assertThat(probe.operator.retryBackoff()).contains(Duration.ofSeconds(2));
    assertThat(parse("--retry-backoff", "0ms").operator.retryBackoff()).contains(Duration.ZERO);
    assertThat(parse("--retry-backoff", "1m").operator.retryBackoff()).contains(Duration.ofMinutes(1));
  }

  @Test
  void should_name_a_negative_retry_count_or_a_backoff_out_of_range() {
    assertThatThrownBy(() -> parse("--max-retries", "-1"))
        .hasMessage("Invalid value for option '--max-retries': -1 (must be 0 to 100)");
    assertThatThrownBy(() -> parse("--max-retries", "101"))
        .hasMessage("Invalid value for option '--max-retries': 101 (must be 0 to 100)");
    assertThat(parse("--max-retries", "100").operator.maxRetries()).contains(100);
    assertThatThrownBy(() -> parse("--splits", "2000000"))
        .hasMessage("Invalid value for option '--splits': 2000000 (must be 1 to 1048576)");
    assertThatThrownBy(() -> parse("--retry-backoff", "2h"))
        .hasMessage("Invalid value for option '--retry-backoff': PT2H (must be 0 to PT1M)");
    assertThatThrownBy(() -> parse("--retry-backoff", "-PT1S"))
        .hasMessage("Invalid value for option '--retry-backoff': PT-1S (must be 0 to PT1M)");
  }

  @Test
  void should_remember_limits_from_one_operation_to_the_next_unless_told_not_to() {
    assertThat(parse().operator.rememberLimits()).isTrue();
    assertThat(parse("--no-remember-limits").operator.rememberLimits()).isFalse();
  }

  @Test
  void should_parse_short_and_iso_durations() {
    OperatorOptions.DurationConverter converter = new OperatorOptions.DurationConverter();
    assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(converter.convert("pt5s")).isEqualTo(Duration.ofSeconds(5));
    assertThatThrownBy(() -> converter.convert("soon")).isInstanceOf(TypeConversionException.class)
        .hasMessage("'soon' is not a duration (e.g. 30s, 500ms, 2m, PT1M)");
  }
}
