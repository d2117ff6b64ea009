package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class DriverSettingsTest {

  @Test
  void should_tick_the_driver_timer_within_a_tenth_of_a_timeout_under_a_second() {
    assertThat(DriverSettings.timerTick(Duration.ofSeconds(30))).isEqualTo(Duration.ofMillis(100));
    assertThat(DriverSettings.timerTick(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(100));
    assertThat(DriverSettings.timerTick(Duration.ofMillis(500))).isEqualTo(Duration.ofMillis(50));
    assertThat(DriverSettings.timerTick(Duration.ofMillis(250))).isEqualTo(Duration.ofMillis(25));
    assertThat(DriverSettings.timerTick(Duration.ofMillis(30))).isEqualTo(Duration.ofMillis(10));
    assertThat(DriverSettings.timerTick(Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void should_set_the_request_timeout_and_its_timer_tick_in_the_configuration() {
    try (DriverConfigLoader loader =
        DriverSettings.requestTimeout(DriverConfigLoader.programmaticBuilder(), Duration.ofMillis(200)).build()) {
      DriverExecutionProfile profile = loader.getInitialConfig().getDefaultProfile();
      assertThat(profile.getDuration(DefaultDriverOption.REQUEST_TIMEOUT)).isEqualTo(Duration.ofMillis(200));
      assertThat(profile.getDuration(DefaultDriverOption.NETTY_TIMER_TICK_DURATION)).isEqualTo(Duration.ofMillis(20));
    }
  }

  @Test
  void should_warn_only_when_the_session_ticks_too_slowly_for_the_timeout_naming_both() {
    assertThat(DriverSettings.lateTimeoutWarning(Duration.ofMillis(100), Duration.ofSeconds(30))).isNull();
    assertThat(DriverSettings.lateTimeoutWarning(Duration.ofMillis(10), Duration.ofMillis(30))).isNull();
    assertThat(DriverSettings.lateTimeoutWarning(Duration.ofMillis(100), Duration.ofMillis(30)))
        .isEqualTo("Request timeout 30 ms: the session's driver looks for timed-out requests every 100 ms "
            + "(advanced.netty.timer.tick-duration), so a request may time out up to 100 ms late; a tick of 10 ms "
            + "(DriverSettings.requestTimeout sets it) would keep it within a tenth");
  }

  @Test
  void should_refuse_a_request_timeout_that_is_not_positive_or_longer_than_an_hour_naming_it() {
    for (Duration bad : new Duration[] {Duration.ZERO, Duration.ofSeconds(-1), Duration.ofHours(2),
        java.time.temporal.ChronoUnit.FOREVER.getDuration()}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> DriverSettings.requestTimeout(DriverConfigLoader.programmaticBuilder(), bad))
          .as(String.valueOf(bad)).isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("Invalid request timeout: " + bad + " (must be ");
    }
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> DriverSettings.requestTimeout(DriverConfigLoader.programmaticBuilder(), null))
        .hasMessage("Invalid request timeout: null (must be > 0)");
  }

  @Test
  void should_refuse_tls_settings_the_driver_could_not_use_naming_them_but_never_a_password() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverSettings.tls(
            DriverConfigLoader.programmaticBuilder(), " ", null, null, null, true))
        .hasMessage("Invalid TLS setting: trust store path ' ' (must not be blank)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverSettings.tls(
            DriverConfigLoader.programmaticBuilder(), null, "trust-secret", null, null, true))
        .hasMessage("Invalid TLS setting: a trust store password without a trust store path (give both, or neither)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverSettings.tls(
            DriverConfigLoader.programmaticBuilder(), "/t.p12", "trust-secret", "/k.p12", null, true))
        .hasMessage("Missing TLS setting: the password of key store /k.p12 (a key store's client key cannot be read "
            + "without it)");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DriverSettings.tls(
            DriverConfigLoader.programmaticBuilder(), "/t.p12", "trust-secret", null, "key-secret", true))
        .hasMessageNotContaining("key-secret")
        .hasMessage("Invalid TLS setting: a key store password without a key store path (give both, or neither)");
    // A trust store without a password (e.g. a JKS one read without integrity check) is the driver's to take.
    try (DriverConfigLoader loader = DriverSettings.tls(DriverConfigLoader.programmaticBuilder(), "/t.jks", null,
        null, null, true).build()) {
      assertThat(loader.getInitialConfig().getDefaultProfile().getString(DefaultDriverOption.SSL_TRUSTSTORE_PATH))
          .isEqualTo("/t.jks");
    }
  }
}
