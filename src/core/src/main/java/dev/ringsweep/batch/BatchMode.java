package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import java.util.Optional;

/**
 * How a {@link BatchWriter} turns statements into requests: one of the driver's batch types, or no batches at all.
 */
public enum BatchMode {
  /**
   * LOGGED batches: the coordinator writes the batch to the batch log first, so a batch that is accepted is applied
   * entirely, across partitions. Costs an extra round of writes on the batch-log replicas.
   */
  LOGGED(DefaultBatchType.LOGGED),

  /**
   * UNLOGGED batches, grouped by partition key (or replica set, see {@link Grouping}): atomic within one partition
   * only, cheapest per statement when many statements share a partition.
   */
  UNLOGGED(DefaultBatchType.UNLOGGED),

  /** COUNTER batches, for counter updates only (which cannot go in any other kind of batch). */
  COUNTER(DefaultBatchType.COUNTER),

  /** No batches: every statement is sent on its own, concurrently (bounded by the writer's in-flight limit). */
  NONE(null);

  private final DefaultBatchType batchType;

  BatchMode(DefaultBatchType batchType) {
    this.batchType = batchType;
  }

  /** The driver's batch type of this mode; empty for {@link #NONE}. */
  public Optional<DefaultBatchType> batchType() {
    return Optional.ofNullable(batchType);
  }

  /** The mode that writes batches of the driver's {@code type}. */
  public static BatchMode of(DefaultBatchType type) {
    if (type == null) {
      throw new IllegalArgumentException("Invalid batch type: null (must be LOGGED, UNLOGGED or COUNTER)");
    }
    switch (type) {
      case LOGGED:
        return LOGGED;
      case UNLOGGED:
        return UNLOGGED;
      case COUNTER:
        return COUNTER;
      default:
        throw new IllegalArgumentException("Invalid batch type: " + type);
    }
  }
}
