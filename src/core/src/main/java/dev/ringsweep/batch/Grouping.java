package dev.ringsweep.batch;

/**
 * How {@link BatchMode#UNLOGGED} and {@link BatchMode#COUNTER} writers group statements into batches.
 *
 * <p>A statement's location comes from its routing information: the routing keyspace and routing key (a bound
 * statement of a prepared statement computes its routing key from the partition key values), or its routing
 * token. A statement without routing information cannot be grouped and is sent on its own.
 */
public enum Grouping {
  /** One batch per partition (same keyspace and partition key): the batch touches a single partition. */
  PARTITION_KEY,

  /**
   * One batch per replica set: statements whose partitions are stored on the same nodes (per the session's
   * {@code TokenMap}) share a batch. Fewer, larger batches than {@link #PARTITION_KEY} when partitions are small;
   * falls back to the partition key when the token map is not available.
   */
  REPLICA_SET
}
