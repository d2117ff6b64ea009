package dev.ringsweep.batch;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * An immutable snapshot of what a {@link BatchWriter} has done since it was built or its metrics were last reset.
 *
 * <p>A "batch" here is one request that was acknowledged, whatever its {@link BatchKind}: a single statement sent
 * on its own counts as a batch of one, of kind {@link BatchKind#CONCURRENT}. Percentiles come from HdrHistogram
 * with 3 significant digits: exact for batch sizes below 2048, within 0.1% for latencies (recorded in
 * microseconds). Every request sent is counted once as a batch, a retry or a failed request.
 *
 * @param batches acknowledged requests
 * @param statements statements in acknowledged requests
 * @param batchesByKind acknowledged requests by kind (every kind present, zero when none)
 * @param batchSizeP50 median statements per acknowledged request (0 when none)
 * @param batchSizeP95 95th percentile of statements per acknowledged request
 * @param batchSizeP99 99th percentile of statements per acknowledged request
 * @param latencyP50 median latency of acknowledged requests (zero when none)
 * @param latencyP95 95th percentile latency
 * @param latencyP99 99th percentile latency
 * @param failedRequests requests that failed for good (then split, or their statements reported)
 * @param failedStatements statements reported as not written
 * @param retries requests re-sent after a retryable error
 * @param fallbacks inputs that contained reads and ran as concurrent single statements
 */
public record BatchMetrics(
    long batches,
    long statements,
    Map<BatchKind, Long> batchesByKind,
    long batchSizeP50,
    long batchSizeP95,
    long batchSizeP99,
    Duration latencyP50,
    Duration latencyP95,
    Duration latencyP99,
    long failedRequests,
    long failedStatements,
    long retries,
    long fallbacks) {

  /** Copies the map so that the snapshot stays immutable, filling in absent kinds with zero. */
  public BatchMetrics {
    EnumMap<BatchKind, Long> byKind = new EnumMap<>(BatchKind.class);
    for (BatchKind kind : BatchKind.values()) {
      byKind.put(kind, batchesByKind == null ? 0L : batchesByKind.getOrDefault(kind, 0L));
    }
    batchesByKind = Collections.unmodifiableMap(byKind);
    if (latencyP50 == null || latencyP95 == null || latencyP99 == null) {
      throw new IllegalArgumentException("Invalid latency percentiles: null");
    }
  }

  /** Statements per acknowledged request; 0 when there was none. */
  public double averageBatchSize() {
    return batches == 0 ? 0 : (double) statements / batches;
  }

  /** Acknowledged requests of one kind. */
  public long batches(BatchKind kind) {
    return batchesByKind.get(kind);
  }
}
