package dev.ringsweep.internal;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.token.RangePlan;
import java.util.Objects;

/**
 * What the count, export and import engines receive from the operator: the session, the validated options, the
 * progress listener (already wrapped so that a throwing listener cannot break an operation), the planner, and what the
 * operator's adaptive limits of range queries learned in its earlier operations ({@link LimitMemory}, one per
 * operator: the contexts derived from it share it). The engines never see the public facade.
 */
public record OperationContext(
    CqlSession session, OperatorOptions options, ProgressListener progress, RangePlanner planner,
    LimitMemory limits) {

  public OperationContext {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(options, "options");
    progress = SafeProgressListener.wrap(Objects.requireNonNull(progress, "progress"));
    Objects.requireNonNull(planner, "planner");
    Objects.requireNonNull(limits, "limits");
  }

  /** A context whose adaptive limits start afresh: the first of an operator. */
  public OperationContext(CqlSession session, OperatorOptions options, ProgressListener progress,
      RangePlanner planner) {
    this(session, options, progress, planner, new LimitMemory());
  }

  /** Plans one table with this context's options. */
  public RangePlan plan(CqlIdentifier keyspace, CqlIdentifier table) {
    return planner.plan(keyspace, table);
  }

  /** This context with range queries at {@code consistencyLevel}. */
  public OperationContext withConsistencyLevel(ConsistencyLevel consistencyLevel) {
    OperatorOptions other = options.withConsistencyLevel(consistencyLevel);
    return new OperationContext(session, other, progress, planner.withOptions(other), limits);
  }

  /** This context reporting to {@code listener}. */
  public OperationContext withProgress(ProgressListener listener) {
    return new OperationContext(session, options, listener, planner, limits);
  }
}
