package dev.ringsweep;

import java.util.Objects;

/**
 * A change of the number of range queries an operation keeps in flight, handed to
 * {@link ProgressListener#onLimitChanged(LimitChange)}: what the limit was, what it is now, why, and which limit.
 *
 * <p>An operation has one limit for all its requests ({@link #ALL}) when its token ranges share one replica set (one
 * node, or every node holding every range) or its limit is fixed. When an adaptive operation's ranges fall into
 * several replica sets, each replica set gets an adaptive limit of its own, so that one slow or overloaded node
 * slows only the queries it serves; their scope is the replica set, and a limit of scope {@link #ALL} (reported once,
 * at the start) caps their sum.
 *
 * @param previousLimit the limit before the change; 0 when the operation starts
 * @param limit the limit now; at least 1
 * @param cause why it changed
 * @param detail a short human-readable account of the cause (the latency measured, the error seen)
 * @param scope which limit changed: {@link #ALL}, or the replica set (its endpoints, e.g. {@code
 *     "127.0.0.1:9042@dc1, 127.0.0.2:9042@dc1"}) whose own limit it is; on Spark, whose tasks report to the driver
 *     once each, {@code "task <index>"} (a summary of that task's limits from its first to its last)
 */
public record LimitChange(int previousLimit, int limit, Cause cause, String detail, String scope) {

  /** The scope of the limit that covers all of an operation's requests. */
  public static final String ALL = "all";

  /** Why the limit changed. */
  public enum Cause {
    /** The operation started with this limit (adaptive or fixed; the detail says which). */
    START,
    /** The latency of requests held: the limit grew. */
    LATENCY_HELD,
    /**
     * The latency of requests rose above its long-run level (the servers are queueing; for writes after a timeout or
     * an overloaded replica, above the lowest round trip seen by more than a short queue, the detail says so), or a
     * write, an export's page request or a count's range query succeeded after more than half of its timeout (the
     * detail says so too; a write's or a count's limit then halves, an export's shrinks by up to half): the limit
     * shrank.
     */
    LATENCY_ROSE,
    /** A range query timed out, or a replica was overloaded or unavailable: the limit shrank (halved). */
    ERRORS,
    /**
     * A writer's replica sets met trouble together (the sign that their nodes share one bottleneck): from now on one
     * adaptive limit of scope {@link LimitChange#ALL} bounds all their writes, starting at {@code limit};
     * {@code previousLimit} is the ceiling it stands for while it lasts. The replica sets' own limits stay where they were until
     * {@link #UNPOOLED}. The detail says why and where the shared limit starts.
     */
    POOLED,
    /**
     * The replica sets that shared one limit ({@link #POOLED}) have their own limits again: no trouble came together
     * for a while. {@code previousLimit} is where the shared limit stood, {@code limit} the ceiling on the sum of the
     * replica sets' limits again.
     */
    UNPOOLED
  }

  /** Validates the figures. */
  public LimitChange {
    if (previousLimit < 0) {
      throw new IllegalArgumentException("Invalid previous limit: " + previousLimit + " (must be >= 0)");
    }
    if (limit < 1) {
      throw new IllegalArgumentException("Invalid limit: " + limit + " (must be >= 1)");
    }
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(scope, "scope");
  }

  /** A change of the limit that covers all of an operation's requests (scope {@link #ALL}). */
  public LimitChange(int previousLimit, int limit, Cause cause, String detail) {
    this(previousLimit, limit, cause, detail, ALL);
  }

  /**
   * Whether this is the limit of one replica set (not the one of {@link #ALL} requests); true as well for the
   * summary of a Spark task ({@code "task <index>"}), which is not the limit of all requests either.
   */
  public boolean isPerReplicaSet() {
    return !ALL.equals(scope);
  }

  /** Whether the limit went down. */
  public boolean isDecrease() {
    return limit < previousLimit;
  }
}
