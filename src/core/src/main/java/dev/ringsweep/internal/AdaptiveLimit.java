package dev.ringsweep.internal;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The adaptive limit of range queries in flight: the lower of two of Netflix concurrency-limits' algorithms, each
 * watching one signal.
 *
 * <ul>
 *   <li><b>Latency: {@link Gradient2Limit}.</b> It compares each query's latency with a long-run average of it and
 *       grows the limit while the ratio holds (by up to 4 per sample, smoothed), and shrinks it in proportion when
 *       latency rises, by at most half per sample. A range scan's latency depends on how much data the range holds, so
 *       a baseline that is an average over hundreds of queries (Gradient2) fits better than the single fastest query
 *       that Vegas takes as its no-load latency; and the tolerance is 2 rather than the default 1.5 for the same reason
 *       (writes: 1.2, see {@link #WRITE_RTT_TOLERANCE}). Gradient2 ignores errors, and its samples are successful
 *       queries only (an error that comes back at once would look like a fast query). Each sample moves the limit by up
 *       to a tenth, which suits range reads (tens to hundreds a second) but not writes, which come by the thousand: a
 *       few milliseconds of slower writes swung the limit from its ceiling to a few and back, thousands of times in one
 *       import. So a writer's limit shows Gradient2 one sample per round trip instead (the average latency of as many
 *       writes as the limit); on a node that was easy to overload that cut an import's timeouts from 121–216 to 2.
 *   <li><b>Errors: {@link AIMDLimit}.</b> A timeout, an overloaded or an unavailable replica halves the limit (the
 *       strongest backoff AIMD allows). Vegas also backs off on errors, but by log10(limit), 1 or 2 at the limits a
 *       cluster sees: far too slowly when a node is timing out. AIMD adds 1 for each successful query it is shown at
 *       a busy limit, which doubles the limit every round trip; that is right until the first trouble (TCP's slow
 *       start), but after a backoff it would be back at the level that timed out within one round trip, and time
 *       out again. So once it has backed off, AIMD is shown one success per {@code limit} successes: the limit
 *       then climbs by 1 per round trip (TCP's congestion avoidance), and each step above what the cluster can take
 *       costs one round of timeouts, not a doubling's worth.
 * </ul>
 *
 * <p>So the limit grows while latency holds, shrinks gently while latency rises and fast on trouble, and climbs back
 * linearly after trouble. Thread-safe (each sample is taken under this object's lock).
 */
final class AdaptiveLimit implements Limit {

  /**
   * How much longer than their long-run level range reads may take before Gradient2 stops growing the limit: 2, not
   * the default 1.5, because a range scan's latency varies with the data its range holds.
   */
  static final double READ_RTT_TOLERANCE = 2.0;

  /**
   * The same for writes, whose latency is averaged over a round trip (so steadier): 1.2. A write limit that stops
   * growing once latency is 20% above its level stays near the smallest limit that gives the full write rate, and
   * on a node that stalls (flushes, collections) fewer writes are in flight to time out together. On a node with
   * two write threads and a 30 ms client timeout (the harness's adaptive-overload suite, 200,000 rows, 3 runs), 2.0
   * gave 157 timeouts where fixed 32 gave 94; 1.2 gave 88 and 49 (fixed 32: 96 and 60) at 0.93x the best fixed
   * setting's rows/s, and the import of the unloaded node stayed within 10% of the best fixed setting.
   */
  static final double WRITE_RTT_TOLERANCE = 1.2;

  private final Gradient2Limit latency;
  private final AIMDLimit errors;
  private final List<Consumer<Integer>> listeners = new CopyOnWriteArrayList<>();
  private volatile int limit;
  private final boolean latencyPerRoundTrip;
  // Guarded by this object: the round trip's successful requests so far (latencyPerRoundTrip).
  private long roundRtt;
  private int roundSamples;
  private int roundInflight;
  // Guarded by this object: whether AIMD has backed off once, and the successes not yet shown to it since then.
  private boolean backedOff;
  private int successesHeld;

  /** A limit starting at {@code initial}, between 1 and {@code max}, taking each request's latency. */
  AdaptiveLimit(int initial, int max) {
    this(initial, max, false);
  }

  /**
   * A limit starting at {@code initial}, between 1 and {@code max}; with {@code latencyPerRoundTrip}, Gradient2 is
   * shown one latency per round trip: the average of as many successful requests as the limit, with the most that
   * were in flight among them.
   */
  AdaptiveLimit(int initial, int max, boolean latencyPerRoundTrip) {
    this.latencyPerRoundTrip = latencyPerRoundTrip;
    this.latency = Gradient2Limit.newBuilder().initialLimit(initial).minLimit(1).maxConcurrency(max)
        .rttTolerance(latencyPerRoundTrip ? WRITE_RTT_TOLERANCE : READ_RTT_TOLERANCE).build();
    // AIMD's own latency threshold would count a slow query as an error: latency is Gradient2's job.
    this.errors = AIMDLimit.newBuilder().initialLimit(initial).minLimit(1).maxLimit(max).backoffRatio(0.5)
        .timeout(1, TimeUnit.DAYS).build();
    this.limit = initial;
  }

  @Override
  public int getLimit() {
    return limit;
  }

  @Override
  public void notifyOnChange(Consumer<Integer> consumer) {
    listeners.add(consumer);
  }

  @Override
  public synchronized void onSample(long startTime, long rtt, int inflight, boolean didDrop) {
    if (!didDrop && !latencyPerRoundTrip) {
      latency.onSample(startTime, Math.max(1, rtt), inflight, false);
    } else if (!didDrop) {
      roundRtt += Math.max(1, rtt);
      roundInflight = Math.max(roundInflight, inflight);
      if (++roundSamples >= limit) {
        latency.onSample(startTime, roundRtt / roundSamples, roundInflight, false);
        roundRtt = 0;
        roundSamples = 0;
        roundInflight = 0;
      }
    }
    if (didDrop) {
      errors.onSample(startTime, rtt, inflight, true);
      backedOff = true;
      successesHeld = 0;
    } else if (!backedOff || ++successesHeld >= errors.getLimit()) {
      successesHeld = 0;
      errors.onSample(startTime, rtt, inflight, false);
    }
    int next = Math.min(latency.getLimit(), errors.getLimit());
    if (next != limit) {
      limit = next;
      listeners.forEach(listener -> listener.accept(next));
    }
  }

  /** The latency of the last successful query and its long-run level, in milliseconds, for humans. */
  String latencies() {
    return String.format(java.util.Locale.ROOT, "latency %.1f ms, long-run %.1f ms",
        latency.getLastRtt(TimeUnit.MICROSECONDS) / 1000.0, latency.getRttNoLoad(TimeUnit.MICROSECONDS) / 1000.0);
  }
}
