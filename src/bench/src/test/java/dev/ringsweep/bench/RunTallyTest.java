package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.LimitChange;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's tally keeps its timeouts and its limits' changes, and appends the changes to its case's trace file. */
class RunTallyTest {

  @Test
  void should_append_each_round_under_one_header_with_quoted_text(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("traces").resolve(RunTally.fileName("import, adaptive default"));
    RunTally first = new RunTally();
    first.onLimitChanged(new LimitChange(0, 16, LimitChange.Cause.START, "adaptive, \"Gradient2\""));
    first.onLimitChanged(new LimitChange(16, 8, LimitChange.Cause.ERRORS, "timeout", "127.0.0.1:9042@dc1"));
    first.append(file, 0);
    RunTally second = new RunTally();
    second.onLimitChanged(new LimitChange(8, 9, LimitChange.Cause.LATENCY_HELD, "held"));
    second.append(file, 1);

    List<String> lines = Files.readAllLines(file);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo(RunTally.HEADER);
    assertThat(lines.get(1)).matches("0,\\d+,\"all\",0,16,START,\"adaptive, \"\"Gradient2\"\"\"");
    assertThat(lines.get(2)).matches("0,\\d+,\"127.0.0.1:9042@dc1\",16,8,ERRORS,\"timeout\"");
    assertThat(lines.get(3)).matches("1,\\d+,\"all\",8,9,LATENCY_HELD,\"held\"");
  }

  @Test
  void should_append_each_run_with_its_seconds_and_timeouts(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(RunTally.RUNS);
    RunTally first = new RunTally();
    first.timedOut(3);
    first.appendRun(file, "import, fixed max in flight 16", 0, 4.5);
    new RunTally().appendRun(file, "import, adaptive default", 1, 5.25);

    assertThat(Files.readAllLines(file)).containsExactly(RunTally.RUNS_HEADER,
        "\"import, fixed max in flight 16\",0,4.500,3", "\"import, adaptive default\",1,5.250,0");
  }

  @Test
  void should_count_retried_range_queries_and_bulk_timeouts() {
    RunTally tally = new RunTally();
    tally.onRetry(null, 1, new RuntimeException("timed out"));
    tally.timedOut(4);
    assertThat(tally.timeouts()).isEqualTo(5);
  }

  @Test
  void should_name_a_trace_file_after_its_case() {
    assertThat(RunTally.fileName("import through a brownout, adaptive default"))
        .isEqualTo("import-through-a-brownout-adaptive-default.csv");
    assertThat(RunTally.fileName("count, adaptive default, a new operator for each count"))
        .isEqualTo("count-adaptive-default-a-new-operator-for-each-count.csv");
  }
}
