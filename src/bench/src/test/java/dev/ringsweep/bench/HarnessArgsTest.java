package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ringsweep.cluster.CpuList;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness's arguments: defaults, and errors that name the argument and value. */
class HarnessArgsTest {

  @Test
  void should_default_to_every_suite_on_one_node_with_a_million_rows() {
    HarnessArgs a = HarnessArgs.parse();
    assertThat(a.suites()).containsExactly("count", "batch", "export", "import", "types", "scaling");
    assertThat(a.nodes()).isEqualTo(1);
    assertThat(a.rows()).isEqualTo(1_000_000);
    assertThat(a.scalingRows()).containsExactly(1_000_000L, 5_000_000L);
    assertThat(a.out()).isEqualTo(Path.of("benchmarks", "results", "1node-1M"));
  }

  @Test
  void should_parse_every_argument() {
    HarnessArgs a = HarnessArgs.parse("--suites", "export,count", "--nodes", "3", "--rows", "20000", "--subnet",
        "4", "--runs", "1", "--scaling-rows", "20000,40000", "--scaling-runs", "2", "--formats", "CSV,json",
        "--scaling-format", "csv", "--scaling-ops", "export,count", "--child-heap", "768m", "--vnodes", "8", "--out",
        "x", "--client-cpus", "0-1", "--node-cpus", "2:3:4-5", "--node-gc-pause-goal", "10",
        "--overload-groups", "export-brownout,count", "--overload-read-timeout", "200", "--overload-write-timeout",
        "1_000");
    assertThat(a).isEqualTo(new HarnessArgs(List.of("export", "count"), 3, 20_000, 4, 1, List.of(20_000L, 40_000L),
        2, List.of("csv", "json"), "csv", List.of("export", "count"), "768m", 8, Path.of("x"), "local[2]",
        CpuList.parse("0-1"), List.of(CpuList.parse("2"), CpuList.parse("3"), CpuList.parse("4-5")), 10,
        List.of("count", "export-brownout"), 200, 1_000));
    assertThat(a.pinned()).isTrue();
  }

  @Test
  void should_run_every_overload_group_by_default_and_only_the_named_ones_in_the_suite_order() {
    assertThat(HarnessArgs.parse("--suites", "adaptive-overload").overloadGroups())
        .containsExactly("count", "export", "import", "import-brownout", "export-brownout");
    assertThat(HarnessArgs.parse("--overload-groups", "Export-Brownout, export").overloadGroups())
        .containsExactly("export", "export-brownout");
    assertThatThrownBy(() -> HarnessArgs.parse("--overload-groups", "export,scan"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --overload-groups: 'scan' (choose from [count, export, import, import-brownout, "
            + "export-brownout])");
  }

  @Test
  void should_measure_the_overload_timeouts_by_default_and_take_only_values_the_suite_can_honour() {
    HarnessArgs measured = HarnessArgs.parse("--suites", "adaptive-overload");
    assertThat(measured.overloadReadTimeoutMillis()).isZero();
    assertThat(measured.overloadWriteTimeoutMillis()).isZero();
    HarnessArgs bounds = HarnessArgs.parse("--overload-read-timeout", "30", "--overload-write-timeout", "60000");
    assertThat(bounds.overloadReadTimeoutMillis()).isEqualTo(30);
    assertThat(bounds.overloadWriteTimeoutMillis()).isEqualTo(60_000);
    assertThat(HarnessArgs.parse("--overload-read-timeout", "0").overloadReadTimeoutMillis()).isZero();
    assertThatThrownBy(() -> HarnessArgs.parse("--overload-read-timeout", "29"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --overload-read-timeout: 29 (milliseconds, must be 0 to measure it, or in 30..60000)");
    assertThatThrownBy(() -> HarnessArgs.parse("--overload-write-timeout", "-5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --overload-write-timeout: -5 (milliseconds, must be 0 to measure it, or in 30..60000)");
    assertThatThrownBy(() -> HarnessArgs.parse("--overload-write-timeout", "99999999999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --overload-write-timeout: 2147483647 (milliseconds, must be 0 to measure it, or in "
            + "30..60000)");
    assertThatThrownBy(() -> HarnessArgs.parse("--overload-read-timeout", "200ms"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --overload-read-timeout: '200ms' (expected an integer)");
  }

  @Test
  void should_default_the_nodes_pause_goal_and_put_runs_with_another_in_a_directory_of_their_own() {
    assertThat(HarnessArgs.parse("--rows", "200000").nodeGcPauseMillis()).isEqualTo(300);
    HarnessArgs shortPauses = HarnessArgs.parse("--suites", "adaptive-overload", "--rows", "200000",
        "--node-gc-pause-goal", "10");
    assertThat(shortPauses.out()).isEqualTo(Path.of("benchmarks", "results", "adaptive-overload-1node-200k-gc10ms"));
    assertThatThrownBy(() -> HarnessArgs.parse("--node-gc-pause-goal", "0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --node-gc-pause-goal: 0 (milliseconds, must be in 1..10000)");
    assertThatThrownBy(() -> HarnessArgs.parse("--node-gc-pause-goal", "99999999999"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid --node-gc-pause-goal: 2147483647 (milliseconds, must be in 1..10000)");
  }

  @Test
  void should_pin_nothing_by_default_and_put_pinned_runs_in_a_directory_of_their_own() {
    HarnessArgs shared = HarnessArgs.parse("--suites", "adaptive-overload", "--rows", "200000");
    assertThat(shared.clientCpus()).isNull();
    assertThat(shared.nodeCpus()).isEmpty();
    assertThat(shared.pinned()).isFalse();
    HarnessArgs pinned = HarnessArgs.parse("--suites", "adaptive-overload", "--rows", "200000", "--client-cpus", "0",
        "--node-cpus", "1");
    assertThat(pinned.out()).isEqualTo(Path.of("benchmarks", "results", "adaptive-overload-1node-200k-pinned"));
    assertThat(HarnessArgs.parse("--client-cpus", "0").pinned()).isFalse();
    assertThat(HarnessArgs.parse("--client-cpus", "0").out()).isEqualTo(Path.of("benchmarks", "results", "1node-1M"));
  }

  @Test
  void should_reject_cpu_lists_that_overlap_or_do_not_match_the_nodes() {
    assertThatThrownBy(() -> HarnessArgs.parse("--client-cpus", "0,x"))
        .hasMessage("Invalid --client-cpus: '0,x' ('x' is neither a CPU number nor a range such as 4-7)");
    assertThatThrownBy(() -> HarnessArgs.parse("--nodes", "3", "--node-cpus", "1:2"))
        .hasMessage("Invalid --node-cpus: 1:2 (2 CPU lists for 3 node(s): give one list for all nodes, or one per "
            + "node, separated by ':')");
    assertThatThrownBy(() -> HarnessArgs.parse("--nodes", "3", "--node-cpus", "1-2:2:3"))
        .hasMessage("Invalid --node-cpus: 1-2:2:3 (1-2 and 2 overlap: give each node CPUs of its own, or one list "
            + "for all)");
    assertThatThrownBy(() -> HarnessArgs.parse("--client-cpus", "0-1", "--node-cpus", "1"))
        .hasMessage("Invalid --client-cpus: 0-1 (overlaps --node-cpus 1: the client and the nodes get CPUs of their "
            + "own)");
  }

  @Test
  void should_scale_from_the_row_count_when_it_exceeds_the_default_sizes() {
    assertThat(HarnessArgs.parse("--rows", "2000000").scalingRows()).containsExactly(2_000_000L, 10_000_000L);
  }

  @Test
  void should_run_the_spark_suite_only_when_named_into_a_directory_of_its_own() {
    assertThat(HarnessArgs.parse().suites()).doesNotContain("spark");
    HarnessArgs a = HarnessArgs.parse("--suites", "spark", "--rows", "500000", "--spark-master", "local[4]");
    assertThat(a.suites()).containsExactly("spark");
    assertThat(a.sparkMaster()).isEqualTo("local[4]");
    assertThat(a.out()).isEqualTo(Path.of("benchmarks", "results", "spark-1node-500k"));
    assertThat(HarnessArgs.parse("--suites", "count,spark").out()).isEqualTo(Path.of("benchmarks", "results",
        "1node-1M"));
  }

  @Test
  void should_reject_a_spark_master_that_is_not_local() {
    assertThatThrownBy(() -> HarnessArgs.parse("--suites", "spark", "--spark-master", "spark://h:7077"))
        .hasMessage("Invalid --spark-master: spark://h:7077 (must be local[N]: the child's CPU time is then the "
            + "executors')");
  }

  @Test
  void should_reject_a_node_count_other_than_one_or_three() {
    assertThatThrownBy(() -> HarnessArgs.parse("--nodes", "2"))
        .hasMessage("Invalid --nodes: 2 (must be 1 or 3)");
  }

  @Test
  void should_name_an_unknown_suite_and_list_the_valid_ones() {
    assertThatThrownBy(() -> HarnessArgs.parse("--suites", "count,speed"))
        .hasMessage("Invalid --suites: 'speed' (choose from [count, batch, export, import, types, scaling, spark, adaptive, "
            + "adaptive-overload])");
  }

  @Test
  void should_run_the_adaptive_suite_only_when_named() {
    assertThat(HarnessArgs.parse().suites()).doesNotContain("adaptive");
    assertThat(HarnessArgs.parse("--suites", "adaptive").suites()).containsExactly("adaptive");
  }

  @Test
  void should_run_the_overload_suite_alone_into_a_directory_of_its_own() {
    assertThat(HarnessArgs.parse().suites()).doesNotContain("adaptive-overload");
    assertThat(HarnessArgs.parse("--suites", "adaptive-overload", "--rows", "200000").out())
        .isEqualTo(java.nio.file.Path.of("benchmarks", "results", "adaptive-overload-1node-200k"));
    assertThatThrownBy(() -> HarnessArgs.parse("--suites", "adaptive,adaptive-overload"))
        .hasMessage("Invalid --suites: adaptive,adaptive-overload (adaptive-overload starts its nodes with two read "
            + "and two write threads, so it runs alone)");
  }

  @Test
  void should_name_a_value_that_is_not_a_number() {
    assertThatThrownBy(() -> HarnessArgs.parse("--rows", "lots"))
        .hasMessage("Invalid --rows: 'lots' (expected an integer)");
  }

  @Test
  void should_reject_scaling_sizes_that_do_not_grow_or_start_below_the_table() {
    assertThatThrownBy(() -> HarnessArgs.parse("--scaling-rows", "5000000,1000000"))
        .hasMessage("Invalid --scaling-rows: [5000000, 1000000] (must grow)");
    assertThatThrownBy(() -> HarnessArgs.parse("--rows", "2000000", "--scaling-rows", "1000000,5000000"))
        .hasMessageStartingWith("Invalid --scaling-rows: [1000000, 5000000] (must start at --rows, 2000000");
  }

  @Test
  void should_reject_an_unknown_argument_or_a_missing_value() {
    assertThatThrownBy(() -> HarnessArgs.parse("--fast", "yes")).hasMessageStartingWith("Unknown argument: --fast.");
    assertThatThrownBy(() -> HarnessArgs.parse("--rows")).hasMessageStartingWith("Missing value for --rows.");
  }

  @Test
  void should_reject_a_malformed_child_heap() {
    assertThatThrownBy(() -> HarnessArgs.parse("--child-heap", "lots"))
        .hasMessage("Invalid --child-heap: lots (e.g. 1g or 768m)");
  }

  @Test
  void should_label_row_counts_shortly() {
    assertThat(HarnessArgs.label(1_000_000)).isEqualTo("1M");
    assertThat(HarnessArgs.label(1_500_000)).isEqualTo("1.5M");
    assertThat(HarnessArgs.label(20_000)).isEqualTo("20k");
    assertThat(HarnessArgs.label(1234)).isEqualTo("1234");
  }
}
