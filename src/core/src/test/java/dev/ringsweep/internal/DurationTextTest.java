package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Durations as typed on the command line and on spark-submit. */
class DurationTextTest {

  @Test
  void should_read_short_forms_and_iso_durations_in_any_case() {
    assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(DurationText.parse(" 30 s ")).isEqualTo(Duration.ofSeconds(30));
    assertThat(DurationText.parse("2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("0ms")).isZero();
    assertThat(DurationText.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    assertThat(DurationText.parse("pt0.25s")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void should_name_text_that_is_not_a_duration() {
    for (String bad : new String[] {"soon", "", "5", "-3s", "1.5s", "99999999999999999999h"}) {
      assertThatThrownBy(() -> DurationText.parse(bad)).as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + bad + "' is not a duration (e.g. 30s, 500ms, 2m, PT1M)");
    }
  }
}
