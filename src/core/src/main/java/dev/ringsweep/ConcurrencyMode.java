package dev.ringsweep;

/**
 * How many requests an operation keeps in flight: a limit that adapts to the cluster, or a fixed one.
 *
 * <p>{@link TokenAwareBulkOperator#builder(com.datastax.oss.driver.api.core.CqlSession) The builder} picks
 * {@link #ADAPTIVE} for range queries (a count's, an export's page requests, an import's verification reads) unless
 * {@link OperatorBuilder#parallelism(int)} is set, which means {@link #FIXED}: a number the user chose always wins
 * over the tool's own estimate. With several replica sets, an adaptive count, import verification or export has a
 * limit per replica set under the operation's ceiling ({@link LimitChange#scope()}), and so does an adaptive
 * {@link dev.ringsweep.batch.BatchWriter} on a cluster of several nodes. An import's writes are adaptive too unless
 * {@link dev.ringsweep.imports.ImportOptions#withMaxInFlight(int)} fixes them
 * ({@link dev.ringsweep.imports.ImportOptions#concurrency()}). A {@link dev.ringsweep.batch.BatchWriter} built by hand
 * uses the same modes for its requests in flight ({@link dev.ringsweep.batch.BatchWriterOptions#concurrency()}),
 * fixed by default.
 */
public enum ConcurrencyMode {
  /**
   * The limit starts at {@link OperatorOptions#initialParallelism()} and moves between 1 and
   * {@link OperatorOptions#parallelism()}: it grows while the latency of range queries holds, shrinks gently when
   * latency rises (the servers are queueing) and halves on timeouts and overloaded or unavailable replicas.
   */
  ADAPTIVE,
  /** Exactly {@link OperatorOptions#parallelism()} range queries in flight at most, whatever the cluster does. */
  FIXED
}
