package dev.ringsweep.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter", shared by every retry loop of the library (range queries, export pages,
 * a count's paged fallback, batch writes): the delay before retry n is {@code base × 2^(n−1)}, capped, then drawn
 * between half and all of that, so that requests that failed together do not retry together.
 */
public final class Backoff {

  private Backoff() {}

  /** {@code base × 2^(retry − 1)} for {@code retry} from 1 (a retry below 1 counts as 1), at most {@code max}. */
  public static Duration exponential(Duration base, Duration max, int retry) {
    int doublings = Math.min(Math.max(retry - 1, 0), 62);
    long nanos = base.toNanos();
    long cap = max.toNanos();
    for (int i = 0; i < doublings && nanos < cap; i++) {
      nanos = nanos > cap / 2 ? cap : nanos * 2;
    }
    return Duration.ofNanos(Math.min(nanos, cap));
  }

  /** Between half and all of {@code nanos}, at random. */
  public static long jittered(long nanos) {
    return nanos / 2 + ThreadLocalRandom.current().nextLong(nanos - nanos / 2 + 1);
  }

  /** The jittered exponential delay before {@code retry} (from 1). */
  public static Duration delay(Duration base, Duration max, int retry) {
    return Duration.ofNanos(jittered(exponential(base, max, retry).toNanos()));
  }
}
