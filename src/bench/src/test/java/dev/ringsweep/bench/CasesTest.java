package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases run once per round in a shuffled order, must process the expected rows, and reduce to medians. */
class CasesTest {

  @Test
  void should_run_every_case_once_per_round_in_an_order_shuffled_per_round_and_repeatable() {
    List<String> order = new ArrayList<>();
    List<Cases.Case> cases = new ArrayList<>();
    for (String name : List.of("a", "b", "c", "d", "e")) {
      cases.add(new Cases.Case(name, Measurement.Role.CONTENDER, round -> {
        order.add(name + round);
        return Cases.Sample.inProcess(1, 1, "");
      }));
    }
    Cases.measure("g", cases, 4, 1, 0);
    List<String> first = List.copyOf(order);
    order.clear();
    Cases.measure("g", cases, 4, 1, 0);

    assertThat(order).as("the same order again").isEqualTo(first);
    List<List<String>> rounds = new ArrayList<>();
    for (int round = 0; round < 4; round++) {
      List<String> names = first.subList(5 * round, 5 * round + 5);
      int r = round;
      assertThat(names).as("round %s", round).allMatch(n -> n.endsWith(Integer.toString(r)));
      assertThat(names.stream().map(n -> n.substring(0, 1)).toList()).containsExactlyInAnyOrder("a", "b", "c", "d",
          "e");
      rounds.add(names.stream().map(n -> n.substring(0, 1)).toList());
    }
    assertThat(rounds.stream().distinct().count()).as("rounds in different orders").isGreaterThan(1);
  }

  @Test
  void should_run_every_case_once_untimed_before_the_measured_rounds_when_warming_up() {
    List<String> order = new ArrayList<>();
    List<Measurement> ms = Cases.measureAfterWarmUp("g", List.of(
        warmingCase("a", Measurement.Role.BASELINE, order, 10),
        warmingCase("b", Measurement.Role.CONTENDER, order, 10)), 3, 10, 0);

    assertThat(order.subList(0, 2)).as("the warm-up round first").containsExactlyInAnyOrder("a-1", "b-1");
    assertThat(order.subList(2, order.size())).containsExactlyInAnyOrder("a0", "b0", "a1", "b1", "a2", "b2");
    assertThat(ms).extracting(Measurement::runs).containsExactly(3, 3);
    assertThat(ms).extracting(Measurement::seconds).as("medians of the measured runs only").containsExactly(2.0, 2.0);
  }

  /**
   * A case that records its runs in {@code order} and takes 100 s in the warm-up round (far slower than the measured
   * ones: 1, 2 and 3 s by round), processing {@code warmUpRows} rows there and 10 in every measured round.
   */
  private static Cases.Case warmingCase(String label, Measurement.Role role, List<String> order, long warmUpRows) {
    double[] seconds = {100, 1, 2, 3}; // by round + 1
    return new Cases.Case(label, role, round -> {
      order.add(label + round);
      return Cases.Sample.inProcess(round < 0 ? warmUpRows : 10, seconds[round + 1], "");
    });
  }

  @Test
  void should_fail_when_a_warm_up_run_processes_other_than_the_expected_rows() {
    assertThatThrownBy(() -> Cases.warmUp(List.of(new Cases.Case("short", Measurement.Role.CONTENDER,
        round -> Cases.Sample.inProcess(9, 1, ""))), 10, 0, false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("short processed 9 rows in its warm-up run, expected 10");
  }

  @Test
  void should_warm_up_before_measuring_allowing_failures_and_only_report_an_incomplete_warm_up_run() {
    List<String> order = new ArrayList<>();
    java.util.Map<String, String> failed = new java.util.LinkedHashMap<>();
    List<Measurement> ms = Cases.measureAllowingFailures("g", List.of(
        warmingCase("a", Measurement.Role.BASELINE, order, 10),
        warmingCase("b", Measurement.Role.CONTENDER, order, 9)), 3, 10, 0, failed); // b incomplete in warm-up only

    assertThat(order.subList(0, 2)).as("the warm-up round first").containsExactlyInAnyOrder("a-1", "b-1");
    assertThat(order.subList(2, order.size())).containsExactlyInAnyOrder("a0", "b0", "a1", "b1", "a2", "b2");
    assertThat(failed).isEmpty();
    assertThat(ms).extracting(Measurement::runs).containsExactly(3, 3);
    assertThat(ms).extracting(Measurement::seconds).as("medians of the measured runs only").containsExactly(2.0, 2.0);
  }

  @Test
  void should_report_medians() {
    List<String> order = new ArrayList<>();
    double[] aTimes = {5, 1, 3};
    List<Measurement> ms = Cases.measure("g", List.of(
        new Cases.Case("a", Measurement.Role.BASELINE, round -> {
          order.add("a" + round);
          return new Cases.Sample(10, aTimes[round], 1, 100 + round, "note");
        }),
        new Cases.Case("b", Measurement.Role.CONTENDER, round -> {
          order.add("b" + round);
          return Cases.Sample.inProcess(10, 2, "");
        })), 3, 10, 0);
    assertThat(order).containsExactlyInAnyOrder("a0", "b0", "a1", "b1", "a2", "b2");
    assertThat(ms.get(0).seconds()).isEqualTo(3);
    assertThat(ms.get(0).peakRssMb()).isEqualTo(101);
    assertThat(ms.get(0).isBaseline()).isTrue();
    assertThat(ms.get(1).cpuSeconds()).isNaN();
    assertThat(ms.get(1).runs()).isEqualTo(3);
  }

  @Test
  void should_retry_a_failed_run_and_say_so_in_the_note() {
    int[] calls = {0};
    List<Measurement> ms = Cases.measure("g", List.of(new Cases.Case("flaky", Measurement.Role.CONTENDER, round -> {
      if (calls[0]++ == 0) {
        throw new Cases.RunFailed("flaky failed (exit code 1):\nReadFailureException: busy");
      }
      return Cases.Sample.inProcess(10, 1, "3 MiB written");
    })), 2, 10, 0);
    assertThat(calls[0]).isEqualTo(3);
    assertThat(ms.get(0).note())
        .isEqualTo("3 MiB written; 1 failed attempt(s) retried, not counted (ReadFailureException: busy)");
  }

  @Test
  void should_give_up_after_the_last_attempt() {
    assertThatThrownBy(() -> Cases.measure("g", List.of(new Cases.Case("broken", Measurement.Role.CONTENDER,
        round -> {
          throw new Cases.RunFailed("broken failed (exit code 1):\nboom");
        })), 1, 10, 0)).isInstanceOf(Cases.RunFailed.class).hasMessageContaining("boom");
  }

  @Test
  void should_fail_when_a_run_processes_other_than_the_expected_rows() {
    assertThatThrownBy(() -> Cases.measure("g", List.of(new Cases.Case("short", Measurement.Role.CONTENDER,
        round -> Cases.Sample.inProcess(9_999, 1, ""))), 1, 10_000, 0))
        .hasMessage("short processed 9,999 rows, expected 10,000");
  }

  @Test
  void should_read_the_leading_count_that_ringsweep_prints() {
    assertThat(CountSuite.leadingNumber("  7321 rows in ks.t (0.5 s)\n")).isEqualTo(7321);
    assertThat(CountSuite.leadingNumber("no number")).isEqualTo(-1);
  }

  @Test
  void should_drop_a_contender_that_fails_every_attempt_and_keep_measuring_the_others() {
    List<String> order = new ArrayList<>();
    java.util.Map<String, String> failed = new java.util.LinkedHashMap<>();
    List<Measurement> ms = Cases.measureAllowingFailures("g", List.of(
        new Cases.Case("a", Measurement.Role.BASELINE, round -> {
          order.add("a" + round);
          return Cases.Sample.inProcess(10, 1, "");
        }),
        new Cases.Case("b", Measurement.Role.CONTENDER, round -> {
          order.add("b" + round);
          if (round == 1) {
            throw new Cases.RunFailed("b failed: java.lang.IllegalStateException: Channel is closing");
          }
          return Cases.Sample.inProcess(10, 2, "");
        }),
        new Cases.Case("c", Measurement.Role.CONTENDER, round -> {
          order.add("c" + round);
          return Cases.Sample.inProcess(10, 3, "");
        })), 3, 10, 0, failed);

    assertThat(ms).extracting(Measurement::label).containsExactly("a", "c");
    assertThat(ms).allMatch(m -> m.runs() == 3);
    assertThat(failed).containsExactly(java.util.Map.entry("b", "failed in all 3 attempts of run 2 "
        + "(b failed: java.lang.IllegalStateException: Channel is closing)"));
    assertThat(order).as("b in the warm-up round and round 0, three attempts in round 1, not again")
        .filteredOn(n -> n.startsWith("b")).containsExactly("b-1", "b0", "b1", "b1", "b1");
    assertThat(order).contains("a2", "c2");
  }

  @Test
  void should_fail_the_comparison_when_its_baseline_fails_every_attempt() {
    java.util.Map<String, String> failed = new java.util.LinkedHashMap<>();
    assertThatThrownBy(() -> Cases.measureAllowingFailures("g", List.of(
        new Cases.Case("a", Measurement.Role.BASELINE, round -> {
          throw new Cases.RunFailed("a failed: boom");
        }),
        new Cases.Case("b", Measurement.Role.CONTENDER, round -> Cases.Sample.inProcess(10, 2, ""))), 1, 10, 0, failed))
        .isInstanceOf(Cases.RunFailed.class).hasMessage("a failed: boom");
  }
}
