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
}
