package dev.ringsweep.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The spark suite's pure parts: the seconds each tool reports, and the verdict on the goals. */
class SparkSuiteTest {

  @Test
  void should_read_the_seconds_at_the_end_of_each_tools_result_line() {
    assertThat(SparkSuite.reportedSeconds("log line\n1000 rows in bench.data (48 token ranges, 3.4 s)\n"))
        .isEqualTo(3.4);
    assertThat(SparkSuite.reportedSeconds("exported bench.data to ringsweep.bench.data (12.0 s)")).isEqualTo(12.0);
    assertThat(SparkSuite.reportedSeconds("1000 rows imported (0 failed; count: 1000 = 1000; 7,5 s)"))
        .isEqualTo(7.5);
    assertThat(SparkSuite.reportedSeconds("no figure here")).isNaN();
  }

  @Test
  void should_say_whether_each_goal_is_met() {
    Suite suite = new Suite("spark", "t")
        .add(new Measurement("count", "SCC", Measurement.Role.BASELINE, 100, 10, 20, 900, 3, "job 8.0 s"))
        .add(new Measurement("count", "Ringsweep", Measurement.Role.CONTENDER, 100, 4, 12, 800, 3, "job 2.0 s"))
        .add(new Measurement("import", "SCC", Measurement.Role.BASELINE, 100, 10, 20, 900, 3, ""))
        .add(new Measurement("import", "Ringsweep", Measurement.Role.CONTENDER, 100, 8, 22, 800, 3, ""));

    assertThat(SparkSuite.verdict(suite, "count", 2.0)).isEqualTo("**count**: Ringsweep 2.50× SCC's rows/s (goal "
        + "2.0×: met), with 0.60× its CPU time (goal ≤ 1×: met); job time alone (without JVM and Spark start-up): "
        + "4.00×.");
    assertThat(SparkSuite.verdict(suite, "import", 1.5)).isEqualTo("**import**: Ringsweep 1.25× SCC's rows/s (goal "
        + "1.5×: **not met**), with 1.10× its CPU time (goal ≤ 1×: **not met**).");
  }

  @Test
  void should_read_the_job_seconds_of_a_note() {
    assertThat(SparkSuite.jobSecondsOf("job 12.5 s; 3 data files")).isEqualTo(12.5);
    assertThat(SparkSuite.jobSecondsOf("Cassandra CPU 3.0 s")).isNaN();
  }
}
