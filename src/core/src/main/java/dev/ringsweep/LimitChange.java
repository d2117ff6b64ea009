package dev.ringsweep;

import java.util.Objects;

/**
 * A change of the number of range queries an operation keeps in flight, handed to
 * {@link ProgressListener#onLimitChanged(LimitChange)}: what the limit was, what it is now, and why.
 *
 * @param previousLimit the limit before the change; 0 when the operation starts
 * @param limit the limit now; at least 1
 * @param cause why it changed
 * @param detail a short human-readable account of the cause (the latency measured, the error seen)
 */
public record LimitChange(int previousLimit, int limit, Cause cause, String detail) {

  /** Why the limit changed. */
  public enum Cause {
    /** The operation started with this limit (adaptive or fixed; the detail says which). */
    START,
    /** The latency of range queries held: the limit grew. */
    LATENCY_HELD,
    /** The latency of range queries rose above its long-run level (the servers are queueing): the limit shrank. */
    LATENCY_ROSE,
    /** A range query timed out, or a replica was overloaded or unavailable: the limit shrank (halved). */
    ERRORS
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
  }

  /** Whether the limit went down. */
  public boolean isDecrease() {
    return limit < previousLimit;
  }
}
