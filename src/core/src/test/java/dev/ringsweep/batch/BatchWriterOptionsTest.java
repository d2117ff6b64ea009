package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BatchWriterOptionsTest {

  private static BatchWriterOptions with(int maxStatements, int warn, int maxBytes, int inFlight, double rate,
      int retries, Duration initial, Duration max) {
    return new BatchWriterOptions(BatchMode.UNLOGGED, Grouping.PARTITION_KEY, maxStatements, warn, maxBytes,
        inFlight, rate, retries, initial, max);
  }

  private static BatchWriterOptions valid() {
    return BatchWriterOptions.defaults();
  }

  @Test
  void should_default_to_unlogged_batches_of_100_statements_under_40_kib() {
    BatchWriterOptions options = BatchWriterOptions.defaults();
    assertThat(options.mode()).isEqualTo(BatchMode.UNLOGGED);
    assertThat(options.grouping()).isEqualTo(Grouping.PARTITION_KEY);
    assertThat(options.maxStatementsPerBatch()).isEqualTo(100);
    assertThat(options.warnStatementsPerBatch()).isEqualTo(50);
    assertThat(options.maxBatchBytes()).isEqualTo(40 * 1024);
    assertThat(options.maxInFlight()).isEqualTo(64);
    assertThat(options.isRateLimited()).isFalse();
    assertThat(options.maxRetries()).isEqualTo(3);
  }

  @Test
  void should_reject_statement_count_outside_the_protocol_range() {
    Duration ms = Duration.ofMillis(1);
    assertThatThrownBy(() -> with(0, 50, 40960, 1, 1, 0, ms, ms))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid maxStatementsPerBatch: 0 (must be between 1 and 65535)");
    assertThatThrownBy(() -> with(65536, 50, 40960, 1, 1, 0, ms, ms))
        .hasMessage("Invalid maxStatementsPerBatch: 65536 (must be between 1 and 65535)");
  }

  @Test
  void should_reject_other_out_of_range_values_naming_them() {
    Duration ms = Duration.ofMillis(1);
    assertThatThrownBy(() -> with(10, 0, 40960, 1, 1, 0, ms, ms))
        .hasMessage("Invalid warnStatementsPerBatch: 0 (must be > 0)");
    assertThatThrownBy(() -> with(10, 5, 1000, 1, 1, 0, ms, ms))
        .hasMessage("Invalid maxBatchBytes: 1000 (must be between 1024 and 268435456)");
    assertThatThrownBy(() -> with(10, 5, 40960, 0, 1, 0, ms, ms))
        .hasMessage("Invalid maxInFlight: 0 (must be between 1 and 32768)");
    assertThatThrownBy(() -> with(10, 5, 40960, 1, 0, 0, ms, ms))
        .hasMessage("Invalid maxStatementsPerSecond: 0.0 (must be > 0, or infinity for no limit)");
    assertThatThrownBy(() -> with(10, 5, 40960, 1, Double.NaN, 0, ms, ms))
        .hasMessage("Invalid maxStatementsPerSecond: NaN (must be > 0, or infinity for no limit)");
    assertThatThrownBy(() -> with(10, 5, 40960, 1, 1, -1, ms, ms))
        .hasMessage("Invalid maxRetries: -1 (must be between 0 and 100)");
    assertThatThrownBy(() -> with(10, 5, 40960, 1, 1, 0, Duration.ZERO, ms))
        .hasMessage("Invalid initialBackoff: PT0S (must be > 0)");
    assertThatThrownBy(() -> with(10, 5, 40960, 1, 1, 0, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessage("Invalid maxBackoff: PT1S (must be >= initialBackoff PT2S and at most PT1H)");
    assertThatThrownBy(() -> with(10, 5, 40960, 1, 1, 0, ms,
        java.time.temporal.ChronoUnit.FOREVER.getDuration()))
        .hasMessageStartingWith("Invalid maxBackoff: PT2562047788015215H")
        .hasMessageEndingWith("(must be >= initialBackoff " + ms + " and at most PT1H)");
    assertThatThrownBy(() -> with(10, 5, 40960, 1, 1, 0, Duration.ofHours(2), Duration.ofHours(2)))
        .hasMessage("Invalid maxBackoff: PT2H (must be >= initialBackoff PT2H and at most PT1H)");
  }

  @Test
  void should_reject_missing_mode_and_grouping() {
    BatchWriterOptions d = valid();
    assertThatThrownBy(() -> new BatchWriterOptions(null, d.grouping(), 1, 1, 2048, 1, 1, 0, d.initialBackoff(),
        d.maxBackoff())).hasMessage("Invalid mode: null (must be one of LOGGED, UNLOGGED, COUNTER, NONE)");
    assertThatThrownBy(() -> new BatchWriterOptions(d.mode(), null, 1, 1, 2048, 1, 1, 0, d.initialBackoff(),
        d.maxBackoff())).hasMessage("Invalid grouping: null (must be PARTITION_KEY or REPLICA_SET)");
  }

  @Test
  void should_double_the_backoff_up_to_its_maximum() {
    BatchWriterOptions options = with(10, 5, 40960, 1, 1, 5, Duration.ofMillis(100), Duration.ofMillis(700));
    assertThat(options.backoff(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(options.backoff(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(options.backoff(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(options.backoff(4)).isEqualTo(Duration.ofMillis(700));
    assertThat(options.backoff(100)).isEqualTo(Duration.ofMillis(700));
  }

  @Test
  void should_map_driver_batch_types_to_modes_and_back() {
    for (DefaultBatchType type : DefaultBatchType.values()) {
      assertThat(BatchMode.of(type).batchType()).contains(type);
    }
    assertThat(BatchMode.NONE.batchType()).isEmpty();
    assertThatThrownBy(() -> BatchMode.of(null))
        .hasMessage("Invalid batch type: null (must be LOGGED, UNLOGGED or COUNTER)");
  }

  @Test
  void should_reject_write_results_whose_counts_do_not_add_up() {
    assertThatThrownBy(() -> new WriteResult(10, 8, 1, 0, Duration.ZERO))
        .hasMessage("Invalid counts: written 8 + failed 1 != statements 10");
    WriteResult result = new WriteResult(10, 9, 1, 2, Duration.ofMillis(500));
    assertThat(result.allWritten()).isFalse();
    assertThat(result.statementsPerSecond()).isEqualTo(18.0);
  }
}
