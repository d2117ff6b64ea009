package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MetricsRecorderTest {

  private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  @Test
  void should_start_at_zero() {
    BatchMetrics metrics = new MetricsRecorder().snapshot();
    assertThat(metrics.batches()).isZero();
    assertThat(metrics.averageBatchSize()).isZero();
    assertThat(metrics.batchSizeP99()).isZero();
    assertThat(metrics.latencyP99()).isEqualTo(Duration.ZERO);
    assertThat(metrics.batchesByKind()).containsOnlyKeys(BatchKind.values()).doesNotContainValue(1L);
  }

  @Test
  void should_count_batches_statements_and_kinds_exactly() {
    MetricsRecorder recorder = new MetricsRecorder();
    recorder.onBatchWritten(BatchKind.UNLOGGED, 10, MS);
    recorder.onBatchWritten(BatchKind.UNLOGGED, 4, MS);
    recorder.onBatchWritten(BatchKind.LOGGED, 7, MS);
    recorder.onBatchWritten(BatchKind.CONCURRENT, 1, MS);
    recorder.onRetry(BatchKind.LOGGED, 7, 1, null);
    recorder.onBatchFailed(BatchKind.UNLOGGED, 8, null);
    recorder.onStatementsFailed(1, null);
    recorder.onFallbackToConcurrent(3);
    BatchMetrics metrics = recorder.snapshot();
    assertThat(metrics.batches()).isEqualTo(4);
    assertThat(metrics.statements()).isEqualTo(22);
    assertThat(metrics.averageBatchSize()).isEqualTo(5.5);
    assertThat(metrics.batches(BatchKind.UNLOGGED)).isEqualTo(2);
    assertThat(metrics.batches(BatchKind.LOGGED)).isEqualTo(1);
    assertThat(metrics.batches(BatchKind.COUNTER)).isZero();
    assertThat(metrics.batches(BatchKind.CONCURRENT)).isEqualTo(1);
    assertThat(metrics.retries()).isEqualTo(1);
    assertThat(metrics.failedRequests()).isEqualTo(1);
    assertThat(metrics.failedStatements()).isEqualTo(1);
    assertThat(metrics.fallbacks()).isEqualTo(1);
  }

  @Test
  void should_compute_size_percentiles_exactly_and_latency_percentiles_within_precision() {
    MetricsRecorder recorder = new MetricsRecorder();
    // sizes 1..100, latencies 1..100 ms
    for (int i = 1; i <= 100; i++) {
      recorder.onBatchWritten(BatchKind.UNLOGGED, i, i * MS);
    }
    BatchMetrics metrics = recorder.snapshot();
    assertThat(metrics.batchSizeP50()).isEqualTo(50);
    assertThat(metrics.batchSizeP95()).isEqualTo(95);
    assertThat(metrics.batchSizeP99()).isEqualTo(99);
    assertThat(metrics.latencyP50().toNanos() / 1e6).isCloseTo(50, within(50 * 0.001));
    assertThat(metrics.latencyP95().toNanos() / 1e6).isCloseTo(95, within(95 * 0.001));
    assertThat(metrics.latencyP99().toNanos() / 1e6).isCloseTo(99, within(99 * 0.001));
  }

  @Test
  void should_reset_everything_and_leave_earlier_snapshots_alone() {
    MetricsRecorder recorder = new MetricsRecorder();
    recorder.onBatchWritten(BatchKind.COUNTER, 3, MS);
    recorder.onRetry(BatchKind.COUNTER, 3, 1, null);
    BatchMetrics before = recorder.snapshot();
    recorder.reset();
    BatchMetrics after = recorder.snapshot();
    assertThat(after.batches()).isZero();
    assertThat(after.retries()).isZero();
    assertThat(after.batches(BatchKind.COUNTER)).isZero();
    assertThat(after.batchSizeP50()).isZero();
    assertThat(before.batches()).isEqualTo(1);
    assertThat(before.batches(BatchKind.COUNTER)).isEqualTo(1);
    assertThat(before.batchSizeP50()).isEqualTo(3);
  }
}
