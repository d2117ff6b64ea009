package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AdaptiveSuiteTest {

  private static Measurement measured(String label, double seconds) {
    return new Measurement("g", label, label.equals("adaptive") ? Measurement.Role.BASELINE
        : Measurement.Role.CONTENDER, 1_000, seconds, Double.NaN, Double.NaN, 5, "");
  }

  @Test
  void should_sort_fixed_settings_by_whether_the_adaptive_default_is_ahead_of_them_in_both_measures() {
    // adaptive: 1,000 rows/s, 10 timeouts (medians over its runs)
    List<Measurement> measured = List.of(measured("adaptive", 1.0), measured("fixed 4", 2.0),
        measured("fixed 16", 0.9), measured("fixed 32", 1.0), measured("fixed 64", 0.8), measured("fixed 8", 1.0));
    Map<String, List<Long>> timeouts = Map.of("adaptive", List.of(9L, 10L, 11L), "fixed 4", List.of(20L),
        "fixed 16", List.of(5L), "fixed 32", List.of(10L), "fixed 64", List.of(30L), "fixed 8", List.of(8L));

    assertThat(AdaptiveSuite.dominance(measured, "adaptive", timeouts, Map.of())).isEqualTo(
        "behind it in both: fixed 4; ahead of it (in both, or in one and level in the other): fixed 16, fixed 8; "
            + "the rest: fixed 32, fixed 64");
  }

  @Test
  void should_leave_out_a_fixed_setting_that_did_not_complete() {
    List<Measurement> measured = List.of(measured("adaptive", 1.0), measured("fixed 256", 0.5));
    Map<String, List<Long>> timeouts = Map.of("adaptive", List.of(3L), "fixed 256", List.of(0L));

    assertThat(AdaptiveSuite.dominance(measured, "adaptive", timeouts, Map.of("fixed 256", "failed"))).isEqualTo(
        "behind it in both: none; ahead of it (in both, or in one and level in the other): none; the rest: none");
  }
}
