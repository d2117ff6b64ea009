package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several runs' rounds of one group, taken together ({@link PooledRuns}). */
class PooledRunsTest {

  private static final String ADAPTIVE = "import, adaptive default";
  private static final String FIXED_4 = "import, fixed max in flight 4";
  private static final String FIXED_32 = "import, fixed max in flight 32";

  @Test
  void should_weigh_each_round_against_its_own_runs_best_fixed_setting_and_pair_rounds_within_a_run(
      @TempDir Path dir) throws IOException {
    // A quiet run: a fixed 32 is its best fixed setting (4 s).
    Path quiet = runs(dir.resolve("quiet.csv"),
        row(FIXED_4, 0, 8, 0), row(FIXED_4, 1, 8, 0), row(FIXED_4, 2, 8, 0),
        row(FIXED_32, 0, 4, 10), row(FIXED_32, 1, 4, 20), row(FIXED_32, 2, 4, 30),
        row(ADAPTIVE, 0, 4.0, 0), row(ADAPTIVE, 1, 5.0, 2), row(ADAPTIVE, 2, 3.2, 1),
        row("import, adaptive default, a variant", 0, 4, 0), row("count, adaptive default", 0, 1, 99));
    // A busy one, twice as slow: its best fixed setting is a fixed 32 at a median of 9 s.
    Path busy = runs(dir.resolve("busy.csv"),
        row(FIXED_4, 0, 16, 0), row(FIXED_4, 1, 16, 1),
        row(FIXED_32, 0, 8, 5), row(FIXED_32, 1, 10, 5),
        row(ADAPTIVE, 0, 9, 0), row(ADAPTIVE, 1, 18, 0));
    Map<String, Map<String, Map<Integer, PooledRuns.Round>>> runs = new LinkedHashMap<>();
    runs.put("quiet", PooledRuns.read(quiet, "import,"));
    runs.put("busy", PooledRuns.read(busy, "import,"));

    PooledRuns.Result result = PooledRuns.pool("import,", runs);

    assertThat(result.runs()).isEqualTo(2);
    assertThat(result.cases()).extracting(PooledRuns.Pooled::label)
        .containsExactly(ADAPTIVE, "import, adaptive default, a variant", FIXED_4, FIXED_32);
    PooledRuns.Pooled adaptive = result.cases().get(0);
    assertThat(adaptive.runs()).isEqualTo(2);
    // 4/4, 4/5, 4/3.2, then 9/9 and 9/18.
    assertThat(adaptive.shares()).containsExactly(1.0, 0.8, 1.25, 1.0, 0.5);
    assertThat(adaptive.medianShare()).isEqualTo(1.0);
    assertThat(adaptive.medianTimeouts()).isEqualTo(0.0);
    assertThat(adaptive.meanTimeouts()).isCloseTo(0.6, within(1e-9));
    assertThat(adaptive.roundsWithout()).isEqualTo(3);
    assertThat(result.cases().get(1).runs()).isEqualTo(1);
    assertThat(result.cases().get(2).shares()).containsExactly(0.5, 0.5, 0.5, 9 / 16.0, 9 / 16.0);
    assertThat(result.cases().get(3).medianTimeouts()).isEqualTo(10.0);

    assertThat(result.paired()).containsExactly(
        // Level once (8 s, no timeouts either), more timeouts but faster once in each run.
        new PooledRuns.Paired(FIXED_4, 5, 1, 2, 0, 0),
        // Level in time with more timeouts, faster three times with more timeouts, behind in both once.
        new PooledRuns.Paired(FIXED_32, 5, 3, 0, 0, 1));
    assertThat(PooledRuns.page("import,", result)).contains("# import pooled over 2 runs")
        .contains("| " + ADAPTIVE + " | 2 | 5 | 1.000 | 0.0 | 0.6 | 3 |")
        .contains("| " + FIXED_32 + " | 5 | 3 | 0 | 0 | 1 |");
  }

  @Test
  void should_refuse_a_file_that_is_not_a_runs_csv_of_the_harness_naming_it(@TempDir Path dir) throws IOException {
    Path traces = Files.writeString(dir.resolve("import-adaptive-default.csv"), RunTally.HEADER + "\n");

    assertThatThrownBy(() -> PooledRuns.read(traces, "import,")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(traces.toString()).hasMessageContaining(RunTally.RUNS_HEADER);
  }

  @Test
  void should_refuse_a_run_without_a_fixed_setting_to_compare_with(@TempDir Path dir) throws IOException {
    Path only = runs(dir.resolve("only.csv"), row(ADAPTIVE, 0, 4, 0));

    assertThatThrownBy(() -> PooledRuns.pool("import,", Map.of("only", PooledRuns.read(only, "import,"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No fixed setting of 'import,' in only");
  }

  private static String row(String label, int round, double seconds, long timeouts) {
    return String.format(java.util.Locale.ROOT, "\"%s\",%d,%.3f,%d", label, round, seconds, timeouts);
  }

  private static Path runs(Path file, String... rows) throws IOException {
    return Files.write(file, java.util.stream.Stream.concat(java.util.stream.Stream.of(RunTally.RUNS_HEADER),
        java.util.Arrays.stream(rows)).toList());
  }
}
