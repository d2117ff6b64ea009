package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
  void should_leave_a_variant_of_the_adaptive_default_out_of_the_fixed_settings_and_compare_it_round_by_round() {
    String variant = "count, adaptive default, a new operator for each count";
    List<Measurement> measured = List.of(measured("adaptive", 1.0), measured("fixed 4", 2.0),
        measured(variant, 0.5));
    Map<String, List<Long>> timeouts = Map.of("adaptive", List.of(10L), "fixed 4", List.of(20L),
        variant, List.of(1L));
    assertThat(AdaptiveSuite.isFixed("fixed 4")).isTrue();
    assertThat(AdaptiveSuite.isFixed(variant)).isFalse();
    assertThat(AdaptiveSuite.dominance(measured, "adaptive", timeouts, Map.of())).isEqualTo(
        "behind it in both: fixed 4; ahead of it (in both, or in one and level in the other): none; the rest: none");

    AdaptiveSuite.Rounds rounds = new AdaptiveSuite.Rounds();
    rounds.seconds().put("adaptive", List.of(1.0, 1.0, 1.0));
    rounds.timeouts().put("adaptive", List.of(10L, 10L, 10L));
    rounds.seconds().put(variant, List.of(0.5, 1.2, 0.5));
    rounds.timeouts().put(variant, List.of(1L, 1L, 12L));
    assertThat(AdaptiveSuite.variants(measured, "adaptive", List.of(variant), rounds, Map.of())).isEqualTo(
        variant + " 2,000 rows/s = 2.00× the adaptive default's, 1 timeouts (median; the adaptive default 10), faster "
            + "in 2 and fewer timeouts in 2 of 3 rounds");
  }

  @Test
  void should_count_the_rounds_a_fixed_setting_was_faster_and_those_the_adaptive_default_was_within_ten_percent() {
    AdaptiveSuite.Rounds rounds = new AdaptiveSuite.Rounds();
    rounds.seconds().put("adaptive", List.of(1.0, 1.0, 1.0, 1.0));
    // 0.95: faster, and the adaptive default within 10% of it; 0.9: exactly 10% faster (within); 0.8: not within;
    // 1.2: slower
    rounds.seconds().put("fixed 4", List.of(0.95, 0.9, 0.8, 1.2));
    rounds.seconds().put("fixed 16", List.of(1.5, 1.5, 1.5, 1.5));
    rounds.seconds().put("fixed 64", List.of(0.5, 0.5)); // missed rounds: left out
    assertThat(AdaptiveSuite.fasterRoundByRound(rounds, "adaptive", List.of("fixed 4", "fixed 16", "fixed 64")))
        .isEqualTo("fixed 4 faster in 3, the adaptive default within 10% of it in 3 of 4; "
            + "fixed 16 faster in 0, the adaptive default within 10% of it in 4 of 4");
    assertThat(AdaptiveSuite.fasterRoundByRound(rounds, "adaptive", List.of("fixed 64")))
        .isEqualTo("no fixed setting ran every round");
  }

  @Test
  void should_say_whether_a_timeout_was_measured_or_set_and_what_was_measured_either_way() {
    assertThat(AdaptiveSuite.timeoutNote(null, Duration.ofMillis(134), "--overload-read-timeout",
        "twice a lone range query")).isEqualTo("134 ms (twice a lone range query, at least 30 ms)");
    assertThat(AdaptiveSuite.timeoutNote(Duration.ofMillis(200), Duration.ofMillis(134), "--overload-read-timeout",
        "twice a lone range query")).isEqualTo(
            "200 ms (set by --overload-read-timeout; measured as twice a lone range query, it would have been 134 ms)");
  }

  @Test
  void should_leave_out_a_fixed_setting_that_did_not_complete() {
    List<Measurement> measured = List.of(measured("adaptive", 1.0), measured("fixed 256", 0.5));
    Map<String, List<Long>> timeouts = Map.of("adaptive", List.of(3L), "fixed 256", List.of(0L));

    assertThat(AdaptiveSuite.dominance(measured, "adaptive", timeouts, Map.of("fixed 256", "failed"))).isEqualTo(
        "behind it in both: none; ahead of it (in both, or in one and level in the other): none; the rest: none");
  }

  @Test
  void should_count_the_rounds_each_fixed_setting_was_ahead_of_or_behind_the_adaptive_default_in() {
    AdaptiveSuite.Rounds rounds = new AdaptiveSuite.Rounds();
    rounds.seconds().put("adaptive", List.of(1.0, 1.0, 1.0, 1.0));
    rounds.timeouts().put("adaptive", List.of(5L, 5L, 5L, 5L));
    // faster and fewer; faster, level; slower and more; level, level
    rounds.seconds().put("fixed 16", List.of(0.9, 0.9, 1.1, 1.0));
    rounds.timeouts().put("fixed 16", List.of(4L, 5L, 6L, 5L));
    // faster with more timeouts in every round
    rounds.seconds().put("fixed 64", List.of(0.8, 0.8, 0.8, 0.8));
    rounds.timeouts().put("fixed 64", List.of(50L, 60L, 70L, 80L));
    // dropped after its second round
    rounds.seconds().put("fixed 256", List.of(2.0, 2.0));
    rounds.timeouts().put("fixed 256", List.of(900L, 900L));

    assertThat(AdaptiveSuite.roundByRound(rounds, "adaptive", List.of("fixed 16", "fixed 64", "fixed 256"),
        Map.of("fixed 256", "failed"))).isEqualTo(
            "fixed 16 faster in 2, fewer timeouts in 1, ahead in both (or one and level) in 2, behind in both in 1 "
                + "of 4; fixed 64 faster in 4, fewer timeouts in 0, ahead in both (or one and level) in 0, behind in "
                + "both in 0 of 4");
    assertThat(AdaptiveSuite.roundByRound(rounds, "adaptive", List.of("fixed 256"), Map.of()))
        .isEqualTo("no fixed setting ran every round");
  }
}
