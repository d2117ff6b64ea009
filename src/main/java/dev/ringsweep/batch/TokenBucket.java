package dev.ringsweep.batch;

import java.util.function.LongSupplier;

/**
 * The rate limit of a {@link BatchWriter}, in statements per second, without blocking anyone: a caller reserves
 * permits and is told how long to wait before using them. Reservations are paid for in order: the first goes at
 * once, each later one waits until the permits reserved before it have been "spent" at the configured rate. No burst
 * is stored up while idle, so the rate over any window is at most the limit plus one request.
 */
final class TokenBucket {

  private final double nanosPerPermit;
  private final LongSupplier clock;
  private long nextFreeNanos;

  TokenBucket(double permitsPerSecond, LongSupplier clock) {
    if (!(permitsPerSecond > 0) || Double.isInfinite(permitsPerSecond)) {
      throw new IllegalArgumentException(String.format(
          "Invalid rate: %s permits/s (must be > 0 and finite)", permitsPerSecond));
    }
    this.nanosPerPermit = 1e9 / permitsPerSecond;
    this.clock = clock;
    this.nextFreeNanos = clock.getAsLong();
  }

  /** Reserves {@code permits} permits; returns the nanoseconds to wait before using them (0: go now). */
  synchronized long reserve(int permits) {
    long now = clock.getAsLong();
    if (nextFreeNanos - now < 0) {
      nextFreeNanos = now;
    }
    long wait = nextFreeNanos - now;
    nextFreeNanos += (long) Math.ceil(permits * nanosPerPermit);
    return wait;
  }
}
