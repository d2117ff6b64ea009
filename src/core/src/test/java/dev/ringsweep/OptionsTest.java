package dev.ringsweep;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class OptionsTest {

  private static OperatorOptions options(int splits, int parallelism, int pageSize, Duration timeout, int retries, int depth) {
    return new OperatorOptions(splits, parallelism, DefaultConsistencyLevel.LOCAL_ONE, pageSize, timeout, retries,
        Duration.ofMillis(100), depth, null);
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
  void should_reject_invalid_results() {
    assertThatThrownBy(() -> new CountResult(-1, 0, 0, Duration.ZERO, java.util.Map.of()))
        .hasMessage("Invalid row count: -1 (must be >= 0)");
    assertThatThrownBy(() -> new Progress(5, 4, 0))
        .hasMessage("Invalid progress: 5 of 4 ranges (must be 0 <= done <= total)");
  }
}
