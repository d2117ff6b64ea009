package dev.ringsweep.batch;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The listener behind {@link BatchWriter#metrics()}: counts events and records batch sizes and latencies in
 * HdrHistograms. One lock guards everything, so a snapshot is consistent (its counts and histograms agree); the
 * events it records are per request, far rarer than the cost of an uncontended lock.
 */
final class MetricsRecorder implements BatchListener {

  private static final long MAX_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);
  private static final int SIGNIFICANT_DIGITS = 3;

  private final Histogram sizes = new Histogram(1, BatchWriterOptions.PROTOCOL_MAX_STATEMENTS, SIGNIFICANT_DIGITS);
  private final Histogram latencies = new Histogram(1, MAX_LATENCY_MICROS, SIGNIFICANT_DIGITS);
  private final long[] batchesByKind = new long[BatchKind.values().length];
  private long batches;
  private long statements;
  private long failedRequests;
  private long failedStatements;
  private long retries;
  private long fallbacks;

  @Override
  public synchronized void onBatchWritten(BatchKind kind, int size, long latencyNanos) {
    batches++;
    statements += size;
    batchesByKind[kind.ordinal()]++;
    sizes.recordValue(clamp(size, 1, BatchWriterOptions.PROTOCOL_MAX_STATEMENTS));
    latencies.recordValue(clamp(TimeUnit.NANOSECONDS.toMicros(latencyNanos), 1, MAX_LATENCY_MICROS));
  }

  @Override
  public synchronized void onRetry(BatchKind kind, int size, int retry, Throwable cause) {
    retries++;
  }

  @Override
  public synchronized void onBatchFailed(BatchKind kind, int size, Throwable cause) {
    failedRequests++;
  }

  @Override
  public synchronized void onStatementsFailed(int count, Throwable cause) {
    failedStatements += count;
  }

  @Override
  public synchronized void onFallbackToConcurrent(int count) {
    fallbacks++;
  }

  synchronized BatchMetrics snapshot() {
    Map<BatchKind, Long> byKind = new EnumMap<>(BatchKind.class);
    for (BatchKind kind : BatchKind.values()) {
      byKind.put(kind, batchesByKind[kind.ordinal()]);
    }
    return new BatchMetrics(batches, statements, byKind,
        sizes.getValueAtPercentile(50), sizes.getValueAtPercentile(95), sizes.getValueAtPercentile(99),
        micros(latencies.getValueAtPercentile(50)), micros(latencies.getValueAtPercentile(95)),
        micros(latencies.getValueAtPercentile(99)), failedRequests, failedStatements, retries, fallbacks);
  }

  synchronized void reset() {
    sizes.reset();
    latencies.reset();
    java.util.Arrays.fill(batchesByKind, 0);
    batches = 0;
    statements = 0;
    failedRequests = 0;
    failedStatements = 0;
    retries = 0;
    fallbacks = 0;
  }

  private static Duration micros(long value) {
    return Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(value));
  }

  private static long clamp(long value, long min, long max) {
    return Math.max(min, Math.min(max, value));
  }
}
