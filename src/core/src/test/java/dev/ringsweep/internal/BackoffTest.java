package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

  private static final Duration BASE = Duration.ofMillis(100);
  private static final Duration MAX = Duration.ofMillis(700);

  @Test
  void should_double_from_the_base_per_retry_up_to_the_cap() {
    assertThat(Backoff.exponential(BASE, MAX, 1)).isEqualTo(Duration.ofMillis(100));
    assertThat(Backoff.exponential(BASE, MAX, 2)).isEqualTo(Duration.ofMillis(200));
    assertThat(Backoff.exponential(BASE, MAX, 3)).isEqualTo(Duration.ofMillis(400));
    assertThat(Backoff.exponential(BASE, MAX, 4)).isEqualTo(Duration.ofMillis(700));
    assertThat(Backoff.exponential(BASE, MAX, Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void should_treat_a_retry_below_one_as_the_first_and_allow_a_zero_base() {
    assertThat(Backoff.exponential(BASE, MAX, 0)).isEqualTo(Duration.ofMillis(100));
    assertThat(Backoff.exponential(Duration.ZERO, Duration.ZERO, 5)).isEqualTo(Duration.ZERO);
    assertThat(Backoff.delay(Duration.ZERO, Duration.ZERO, 3)).isEqualTo(Duration.ZERO);
  }

  @Test
  void should_not_overflow_with_a_huge_cap() {
    Duration huge = Duration.ofNanos(Long.MAX_VALUE);
    assertThat(Backoff.exponential(Duration.ofSeconds(1), huge, 200)).isEqualTo(huge);
  }

  @Test
  void should_draw_each_delay_between_half_and_all_of_the_exponential_value() {
    for (int i = 0; i < 1000; i++) {
      assertThat(Backoff.jittered(1_000_001)).isBetween(500_000L, 1_000_001L);
      assertThat(Backoff.delay(BASE, MAX, 3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
    }
    assertThat(Backoff.jittered(1)).isBetween(0L, 1L);
  }
}
