package dev.ringsweep.batch;

import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.Statement;
import java.util.List;

/**
 * One request a {@link BatchWriter} will send: a batch of statements of one type, or a single statement (sent as
 * itself, not wrapped in a batch).
 *
 * @param statements the statements, in the order they were handed in; never empty
 * @param type the driver's batch type when there are two or more statements; may be null for a single one
 * @param splittable whether a failure of this request may be bisected to isolate failing statements (false for a
 *     caller's atomic unit)
 * @param idempotent whether re-sending this request is safe (every statement idempotent, none a counter update)
 * @param replicaSet the replica set that stores the request's partitions, or null when it is not known (or not
 *     looked up: a writer with a fixed limit has no use for it)
 */
record PlannedBatch(List<BatchableStatement<?>> statements, DefaultBatchType type, boolean splittable,
    boolean idempotent, ReplicaSet replicaSet) {

  /**
   * The replica set of a request, as its limit of requests in flight names it ({@link
   * dev.ringsweep.LimitChange#scope()}).
   *
   * @param name the replica set's endpoints, e.g. {@code "127.0.0.1:9042@dc1, 127.0.0.2:9042@dc1"}
   * @param ofRing how many replica sets the ring of the request's keyspace has (at least 1): the replica set's
   *     limit starts at that share of the writer's initial limit
   */
  record ReplicaSet(String name, int ofRing) {}

  /** A request whose replica set is not known. */
  PlannedBatch(List<BatchableStatement<?>> statements, DefaultBatchType type, boolean splittable,
      boolean idempotent) {
    this(statements, type, splittable, idempotent, null);
  }

  PlannedBatch {
    statements = List.copyOf(statements);
    if (statements.isEmpty()) {
      throw new IllegalArgumentException("A planned batch needs at least one statement");
    }
    if (statements.size() > 1 && type == null) {
      throw new IllegalArgumentException("A batch of " + statements.size() + " statements needs a batch type");
    }
  }

  int size() {
    return statements.size();
  }

  BatchKind kind() {
    if (statements.size() == 1) {
      return BatchKind.CONCURRENT;
    }
    switch (type) {
      case LOGGED:
        return BatchKind.LOGGED;
      case COUNTER:
        return BatchKind.COUNTER;
      default:
        return BatchKind.UNLOGGED;
    }
  }

  /** The two halves of this batch, for isolating a failing statement by bisection; needs two or more statements. */
  List<PlannedBatch> halves() {
    int middle = statements.size() / 2;
    return List.of(
        new PlannedBatch(statements.subList(0, middle), type, splittable, idempotent, replicaSet),
        new PlannedBatch(statements.subList(middle, statements.size()), type, splittable, idempotent, replicaSet));
  }

  /**
   * The statement to execute: the single statement itself (marked not idempotent when it is not, as a counter update
   * left unmarked, so that the driver neither retries nor speculatively repeats it when its default idempotence is
   * true), or a batch that carries the first statement's settings
   * (all statements of a batch share them: the planner groups by query timestamp, consistency and profile). Not
   * the statement's own timeout: driver 4.19's batch statement ignores one ({@code getTimeout()} is always null),
   * so a batch times out per its execution profile.
   */
  Statement<?> toStatement() {
    BatchableStatement<?> first = statements.get(0);
    if (statements.size() == 1) {
      return idempotent || Boolean.FALSE.equals(first.isIdempotent()) ? first : first.setIdempotent(false);
    }
    BatchStatement batch = BatchStatement.newInstance(type, statements).setIdempotent(idempotent);
    if (first.getQueryTimestamp() != Statement.NO_DEFAULT_TIMESTAMP) {
      batch = batch.setQueryTimestamp(first.getQueryTimestamp());
    }
    if (first.getConsistencyLevel() != null) {
      batch = batch.setConsistencyLevel(first.getConsistencyLevel());
    }
    if (first.getSerialConsistencyLevel() != null) {
      batch = batch.setSerialConsistencyLevel(first.getSerialConsistencyLevel());
    }
    if (first.getExecutionProfile() != null) {
      batch = batch.setExecutionProfile(first.getExecutionProfile());
    } else if (first.getExecutionProfileName() != null) {
      batch = batch.setExecutionProfileName(first.getExecutionProfileName());
    }
    return batch;
  }
}
