package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which replica sets' troubles count as met together, for how long, and the share of a queue each then keeps. */
class SharedTroubleTest {

  private static final long MS = 1_000_000;
  private static final long T0 = 5_000 * MS;

  @Test
  void should_count_the_replica_sets_whose_troubles_fall_within_the_request_timeout() {
    SharedTrouble shared = new SharedTrouble(30 * MS);
    shared.trouble("a", T0);
    assertThat(shared.together(T0)).as("one replica set alone").isEqualTo(1);

    shared.trouble("b", T0 + 20 * MS);
    assertThat(shared.together(T0 + 20 * MS)).isEqualTo(2);
    shared.trouble("c", T0 + 40 * MS); // within 30 ms of b's, not of a's
    assertThat(shared.together(T0 + 40 * MS)).as("the most in one window so far").isEqualTo(2);
    shared.trouble("a", T0 + 45 * MS);
    assertThat(shared.together(T0 + 45 * MS)).isEqualTo(3);
  }

  @Test
  void should_not_count_troubles_further_apart_than_the_window() {
    SharedTrouble shared = new SharedTrouble(30 * MS);
    shared.trouble("a", T0);
    shared.trouble("b", T0 + 31 * MS);
    shared.trouble("c", T0 + 62 * MS);
    shared.trouble("a", T0 + 93 * MS);
    assertThat(shared.together(T0 + 93 * MS)).isEqualTo(1);
  }

  @Test
  void should_cap_the_window_at_250_ms_and_use_it_when_the_timeout_is_unknown() {
    for (SharedTrouble shared : new SharedTrouble[] {new SharedTrouble(2_000 * MS), new SharedTrouble(0)}) {
      shared.trouble("a", T0);
      shared.trouble("b", T0 + SharedTrouble.MAX_WINDOW_NANOS + 1);
      assertThat(shared.together(T0 + SharedTrouble.MAX_WINDOW_NANOS + 1)).isEqualTo(1);
      shared.trouble("c", T0 + 2 * SharedTrouble.MAX_WINDOW_NANOS);
      assertThat(shared.together(T0 + 2 * SharedTrouble.MAX_WINDOW_NANOS)).isEqualTo(2);
    }
  }

  @Test
  void should_forget_troubles_met_together_once_calm_and_start_counting_afresh() {
    SharedTrouble shared = new SharedTrouble(30 * MS);
    shared.trouble("a", T0);
    shared.trouble("b", T0);
    shared.trouble("c", T0);
    long calmEnds = T0 + AdaptiveLimit.CALM_NANOS;
    shared.trouble("a", calmEnds - 1_000 * MS); // alone: keeps the count, does not extend it
    assertThat(shared.together(calmEnds)).isEqualTo(3);
    assertThat(shared.together(calmEnds + 1)).isEqualTo(1);

    shared.trouble("b", calmEnds + 10 * MS);
    shared.trouble("c", calmEnds + 10 * MS);
    assertThat(shared.together(calmEnds + 10 * MS)).as("two now, not the three of before").isEqualTo(2);
  }

  @Test
  void should_share_a_queue_rounding_up_and_keep_at_least_one() {
    assertThat(SharedTrouble.share(8, 1)).isEqualTo(8);
    assertThat(SharedTrouble.share(8, 2)).isEqualTo(4);
    assertThat(SharedTrouble.share(8, 3)).isEqualTo(3);
    assertThat(SharedTrouble.share(16, 3)).isEqualTo(6);
    assertThat(SharedTrouble.share(1, 5)).isEqualTo(1);
    assertThat(SharedTrouble.share(16, 40)).isEqualTo(1);
  }
}
