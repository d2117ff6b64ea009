package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private static OperatorOptions options(int splits, int parallelism, int pageSize, Duration timeout, int retries, int depth) {
    return new OperatorOptions(splits, parallelism, ConcurrencyMode.FIXED, DefaultConsistencyLevel.LOCAL_ONE, pageSize,
        timeout, retries, Duration.ofMillis(100), depth, null);
  }

  @Test
  void should_reject_a_split_count_that_is_not_positive_naming_the_value() {
    assertThatThrownBy(() -> options(0, 8, 5000, Duration.ofSeconds(1), 3, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid split count: 0 (must be > 0)");
  }

  @Test
  void should_reject_a_negative_parallelism_naming_the_value() {
    assertThatThrownBy(() -> options(10, -2, 5000, Duration.ofSeconds(1), 3, 3))
        .hasMessage("Invalid parallelism: -2 (must be > 0)");
  }

  @Test
  void should_reject_a_zero_page_size() {
    assertThatThrownBy(() -> options(10, 8, 0, Duration.ofSeconds(1), 3, 3))
        .hasMessage("Invalid page size: 0 (must be > 0)");
  }

  @Test
  void should_reject_a_zero_request_timeout() {
    assertThatThrownBy(() -> options(10, 8, 5000, Duration.ZERO, 3, 3))
        .hasMessage("Invalid request timeout: PT0S (must be > 0)");
  }

  @Test
  void should_reject_negative_retries_and_split_depth() {
    assertThatThrownBy(() -> options(10, 8, 5000, Duration.ofSeconds(1), -1, 3))
        .hasMessage("Invalid max retries: -1 (must be >= 0)");
    assertThatThrownBy(() -> options(10, 8, 5000, Duration.ofSeconds(1), 3, -1))
        .hasMessage("Invalid max split depth: -1 (must be >= 0)");
  }

  @Test
  void should_reject_a_retry_backoff_that_is_negative_or_over_a_minute_naming_the_value() {
    assertThatThrownBy(() -> new OperatorOptions(10, 8, ConcurrencyMode.FIXED, DefaultConsistencyLevel.LOCAL_ONE, 5000,
        Duration.ofSeconds(1), 3, Duration.ofMillis(-1), 3, null))
        .hasMessage("Invalid retry backoff: PT-0.001S (must be >= 0)");
    assertThatThrownBy(() -> new OperatorOptions(10, 8, ConcurrencyMode.FIXED, DefaultConsistencyLevel.LOCAL_ONE, 5000,
        Duration.ofSeconds(1), 3, Duration.ofDays(1), 3, null))
        .hasMessage("Invalid retry backoff: PT24H (must be at most PT1M)");
    assertThat(new OperatorOptions(10, 8, ConcurrencyMode.FIXED, DefaultConsistencyLevel.LOCAL_ONE, 5000,
        Duration.ofSeconds(1), 3, OperatorOptions.MAX_RETRY_BACKOFF, 3, null).retryBackoff())
        .isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void should_reject_invalid_results() {
    assertThatThrownBy(() -> new CountResult(-1, 0, 0, Duration.ZERO, java.util.Map.of()))
        .hasMessage("Invalid row count: -1 (must be >= 0)");
    assertThatThrownBy(() -> new Progress(5, 4, 0))
        .hasMessage("Invalid progress: 5 of 4 ranges (must be 0 <= done <= total)");
  }

  @Test
  void should_reject_a_count_rate_cap_that_is_zero_negative_or_not_a_number_naming_the_value() {
    for (double bad : new double[] {0, -1, Double.NaN, 1e-4, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> CountOptions.defaults().withMaxRowsPerSecond(bad))
          .as("%s", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid read rate limit: " + bad
              + " rows per second (must be at least 0.001, or infinity for no limit)");
    }
  }

  @Test
  void should_accept_a_count_rate_cap_or_none() {
    org.assertj.core.api.Assertions.assertThat(CountOptions.defaults().isRateLimited()).isFalse();
    org.assertj.core.api.Assertions.assertThat(CountOptions.defaults().withMaxRowsPerSecond(50_000).maxRowsPerSecond())
        .isEqualTo(50_000);
  }

  @Test
  void should_start_an_adaptive_limit_at_a_quarter_of_its_ceiling_and_a_fixed_one_at_its_value() {
    OperatorOptions adaptive = new OperatorOptions(10, 64, ConcurrencyMode.ADAPTIVE,
        DefaultConsistencyLevel.LOCAL_ONE, 5000, Duration.ofSeconds(1), 3, Duration.ofMillis(100), 3, null);
    org.assertj.core.api.Assertions.assertThat(adaptive.initialParallelism()).isEqualTo(16);
    org.assertj.core.api.Assertions.assertThat(
        new OperatorOptions(10, 2, ConcurrencyMode.ADAPTIVE, DefaultConsistencyLevel.LOCAL_ONE, 5000,
            Duration.ofSeconds(1), 3, Duration.ofMillis(100), 3, null).initialParallelism()).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThat(options(10, 64, 5000, Duration.ofSeconds(1), 3, 3)
        .initialParallelism()).isEqualTo(64);
  }

  @Test
  void should_fix_the_limit_when_options_are_built_without_a_concurrency_mode() {
    OperatorOptions options = new OperatorOptions(10, 12, DefaultConsistencyLevel.LOCAL_ONE, 5000,
        Duration.ofSeconds(1), 3, Duration.ofMillis(100), 3, null);
    org.assertj.core.api.Assertions.assertThat(options.concurrency()).isEqualTo(ConcurrencyMode.FIXED);
    org.assertj.core.api.Assertions.assertThat(options.initialParallelism()).isEqualTo(12);
  }

  @Test
  void should_reject_a_split_count_timeout_retry_count_or_split_depth_beyond_its_maximum_naming_it() {
    assertThatThrownBy(() -> options(OperatorOptions.MAX_SPLIT_COUNT + 1, 8, 5000, Duration.ofSeconds(1), 3, 3))
        .hasMessage("Invalid split count: 1048577 (must be at most 1048576)");
    assertThat(options(OperatorOptions.MAX_SPLIT_COUNT, 8, 5000, Duration.ofSeconds(1), 3, 3).splitCount())
        .isEqualTo(1 << 20);
    assertThatThrownBy(() -> options(10, 8, 5000, Duration.ofMinutes(61), 3, 3))
        .hasMessage("Invalid request timeout: PT1H1M (must be at most PT1H)");
    assertThatThrownBy(() -> options(10, 8, 5000, java.time.temporal.ChronoUnit.FOREVER.getDuration(), 3, 3))
        .hasMessageStartingWith("Invalid request timeout: PT2562047788015215H30M7.999999999S (must be at most");
    assertThatThrownBy(() -> options(10, 8, 5000, Duration.ofSeconds(1), 101, 3))
        .hasMessage("Invalid max retries: 101 (must be at most 100)");
    assertThat(options(10, 8, 5000, Duration.ofSeconds(1), 100, 3).maxRetries()).isEqualTo(100);
    assertThatThrownBy(() -> options(10, 8, 5000, Duration.ofSeconds(1), 3, 33))
        .hasMessage("Invalid max split depth: 33 (must be at most 32)");
    assertThat(options(10, 8, 5000, Duration.ofSeconds(1), 3, OperatorOptions.MAX_SPLIT_DEPTH).maxSplitDepth())
        .isEqualTo(32);
  }

  @Test
  void should_reject_consistency_levels_that_cassandra_refuses_for_range_reads_naming_them() {
    for (DefaultConsistencyLevel bad : new DefaultConsistencyLevel[] {DefaultConsistencyLevel.ANY,
        DefaultConsistencyLevel.SERIAL, DefaultConsistencyLevel.LOCAL_SERIAL}) {
      assertThatThrownBy(() -> new OperatorOptions(10, 8, ConcurrencyMode.FIXED, bad, 5000, Duration.ofSeconds(1), 3,
          Duration.ofMillis(100), 3, null))
          .as(bad.name()).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("Invalid consistency level: " + bad.name() + " (range reads take ONE, TWO, THREE, QUORUM, ALL, "
              + "LOCAL_ONE, LOCAL_QUORUM or EACH_QUORUM)");
    }
    for (DefaultConsistencyLevel good : new DefaultConsistencyLevel[] {DefaultConsistencyLevel.ONE,
        DefaultConsistencyLevel.LOCAL_QUORUM, DefaultConsistencyLevel.EACH_QUORUM, DefaultConsistencyLevel.ALL}) {
      assertThat(options(10, 8, 5000, Duration.ofSeconds(1), 3, 3).withConsistencyLevel(good).consistencyLevel())
          .isEqualTo(good);
    }
  }
}
