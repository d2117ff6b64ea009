package dev.ringsweep.internal;

import java.util.function.LongSupplier;

/**
 * A rate limit (the BatchWriter's statements per second, an export's rows or bytes per second), without blocking
 * anyone: a caller reserves
 * permits and is told how long to wait before using them. Reservations are paid for in order: the first goes at
 * once, each later one waits until the permits reserved before it have been "spent" at the configured rate. No burst
 * is stored up while idle, so the rate over any window is at most the limit plus one request.
 */
public final class TokenBucket {

  private final double nanosPerPermit;
  private final LongSupplier clock;
  private long nextFreeNanos;

  /**
   * A limit of {@code permitsPerSecond}, measured on {@code clock} (nanoseconds).
   *
   * @throws IllegalArgumentException if the rate is not positive and finite
   */
  public TokenBucket(double permitsPerSecond, LongSupplier clock) {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException(String.format(
          "Invalid rate: %s permits/s (must be > 0 and finite)", permitsPerSecond));
    }
    this.nanosPerPermit = 1e9 / permitsPerSecond;
    this.clock = clock;
    this.nextFreeNanos = clock.getAsLong();
  }

  /** Reserves {@code permits} permits; returns the nanoseconds to wait before using them (0: go now). */
  public synchronized long reserve(long permits) {
    long now = clock.getAsLong();
    if (nextFreeNanos - now < 0) {
      nextFreeNanos = now;
    }
    long wait = nextFreeNanos - now;
    nextFreeNanos += (long) Math.ceil(permits * nanosPerPermit);
    return wait;
  }
}
