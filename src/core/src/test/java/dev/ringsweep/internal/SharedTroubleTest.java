package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which replica sets' troubles count as met together, when that is evidence enough, and for how long. */
class SharedTroubleTest {

  private static final long MS = 1_000_000;
  private static final long T0 = 5_000 * MS;

  @Test
  void should_count_the_replica_sets_that_meet_trouble_together_only_from_the_second_window_on() {
    SharedTrouble shared = new SharedTrouble(30 * MS);
    shared.trouble("a", T0);
    assertThat(shared.together(T0)).as("one replica set alone").isEqualTo(1);
    shared.trouble("b", T0 + 20 * MS);
    assertThat(shared.together(T0 + 20 * MS)).as("together once: could be a coincidence").isEqualTo(1);
    shared.trouble("a", T0 + 25 * MS);
    assertThat(shared.together(T0 + 25 * MS)).as("still the first window").isEqualTo(1);

    shared.trouble("a", T0 + 500 * MS);
    shared.trouble("b", T0 + 510 * MS);
    assertThat(shared.together(T0 + 510 * MS)).as("together again, in a window of its own").isEqualTo(2);
    shared.trouble("c", T0 + 535 * MS); // within 30 ms of b's, not of a's
    assertThat(shared.together(T0 + 535 * MS)).as("the most in one window so far").isEqualTo(2);
    shared.trouble("a", T0 + 540 * MS);
    assertThat(shared.together(T0 + 540 * MS)).isEqualTo(3);
  }

  @Test
  void should_not_count_troubles_further_apart_than_the_window() {
    SharedTrouble shared = new SharedTrouble(30 * MS);
    for (int round = 0; round < 5; round++) {
      long at = T0 + round * 1_000 * MS;
      shared.trouble("a", at);
      shared.trouble("b", at + 31 * MS);
      shared.trouble("c", at + 62 * MS);
      assertThat(shared.together(at + 62 * MS)).as("round %d", round).isEqualTo(1);
    }
  }

  @Test
  void should_cap_the_window_at_250_ms_and_use_it_when_the_timeout_is_unknown() {
    long window = SharedTrouble.MAX_WINDOW_NANOS;
    for (SharedTrouble shared : new SharedTrouble[] {new SharedTrouble(2_000 * MS), new SharedTrouble(0)}) {
      shared.trouble("a", T0);
      shared.trouble("b", T0 + window + 1);
      shared.trouble("a", T0 + 3 * window);
      shared.trouble("b", T0 + 4 * window + 1);
      assertThat(shared.together(T0 + 4 * window + 1)).as("never within 250 ms").isEqualTo(1);

      shared.trouble("a", T0 + 8 * window);
      shared.trouble("b", T0 + 9 * window);
      shared.trouble("a", T0 + 12 * window);
      shared.trouble("b", T0 + 13 * window);
      assertThat(shared.together(T0 + 13 * window)).isEqualTo(2);
    }
  }

  @Test
  void should_take_trouble_met_together_for_longer_than_one_window_as_two() {
    SharedTrouble shared = new SharedTrouble(30 * MS);
    shared.trouble("a", T0);
    shared.trouble("b", T0 + 20 * MS); // the first window begins
    shared.trouble("a", T0 + 40 * MS);
    assertThat(shared.together(T0 + 40 * MS)).as("within the first window").isEqualTo(1);
    shared.trouble("b", T0 + 55 * MS);
    assertThat(shared.together(T0 + 55 * MS)).as("a second window began 35 ms after the first").isEqualTo(2);
  }

  @Test
  void should_forget_trouble_met_together_once_calm_and_start_counting_afresh() {
    SharedTrouble shared = new SharedTrouble(30 * MS);
    shared.trouble("a", T0);
    shared.trouble("b", T0);
    shared.trouble("c", T0);
    shared.trouble("a", T0 + 500 * MS);
    shared.trouble("b", T0 + 500 * MS);
    long calmEnds = T0 + 500 * MS + AdaptiveLimit.CALM_NANOS;
    shared.trouble("a", calmEnds - 1_000 * MS); // alone: keeps the count, does not extend it
    assertThat(shared.together(calmEnds)).isEqualTo(3);
    assertThat(shared.together(calmEnds + 1)).isEqualTo(1);

    shared.trouble("b", calmEnds + 10 * MS);
    shared.trouble("c", calmEnds + 10 * MS);
    assertThat(shared.together(calmEnds + 10 * MS)).as("one window since the calm").isEqualTo(1);
    shared.trouble("b", calmEnds + 510 * MS);
    shared.trouble("c", calmEnds + 510 * MS);
    assertThat(shared.together(calmEnds + 510 * MS)).as("two now, not the three of before").isEqualTo(2);
  }

  @Test
  void should_not_count_two_windows_a_calm_apart() {
    SharedTrouble shared = new SharedTrouble(30 * MS);
    shared.trouble("a", T0);
    shared.trouble("b", T0);
    long later = T0 + AdaptiveLimit.CALM_NANOS + 1;
    shared.trouble("a", later);
    shared.trouble("b", later);
    assertThat(shared.together(later)).isEqualTo(1);
  }
}
