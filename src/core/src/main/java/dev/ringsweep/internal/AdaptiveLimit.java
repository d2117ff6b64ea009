package dev.ringsweep.internal;

import com.netflix.concurrency.limits.Limit;
import com.netflix.concurrency.limits.limit.AIMDLimit;
import com.netflix.concurrency.limits.limit.Gradient2Limit;
import com.netflix.concurrency.limits.limit.VegasLimit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The adaptive limit of requests in flight: the lower of two of Netflix concurrency-limits' algorithms, each watching
 * one signal (a writer's latency algorithm changes while the cluster is in trouble: the third item).
 *
 * <ul>
 *   <li><b>Latency: {@link Gradient2Limit}.</b> It compares each query's latency with a long-run average of it and
 *       grows the limit while the ratio holds (by up to 4 per sample, smoothed), and shrinks it in proportion when
 *       latency rises, by at most half per sample. A range scan's latency depends on how much data the range holds, so
 *       a baseline that is an average over hundreds of queries (Gradient2) fits better than the single fastest query
 *       that Vegas takes as its no-load latency; and the tolerance is 2 rather than the default 1.5 (see
 *       {@link #RTT_TOLERANCE}). Gradient2 ignores errors, and its samples are successful
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
 *       costs one round of timeouts, not a doubling's worth. Since AIMD grows whenever the limit is busy, it can be
 *       up to twice a lower latency limit, and halving it would leave the limit unchanged: for range reads, trouble
 *       first brings AIMD down to the limit in force, so that it halves that. Not for writers, whose backoff is the
 *       switch to a short queue (next item): on the overloaded node, halving the limit in force on top of it gave
 *       the import 0.80x the best fixed setting's rows/s in two runs (13 and 18 timeouts), against 0.85-0.91x in
 *       three without (23-35 timeouts; a fixed 8 met 17-32 in these five runs): fewer rows/s, and timeouts within
 *       the spread of a fixed 8's.
 *   <li><b>Writes after trouble: {@link VegasLimit}.</b> Gradient2's baseline is latency's own long-run level, which
 *       follows latency up while a server queues: a writer's limit settles wherever the queue it builds stops
 *       growing, 30-40 writes on a node with two write threads. Until the cluster is in trouble that is what a bulk
 *       write wants (on a node that is not overloaded, deep queues gave up to a third more rows/s than 8 writes in
 *       flight). Once a write has timed out, found a replica overloaded or unavailable, or succeeded after more than
 *       half of its timeout ({@link InFlightLimit}), the depth of that queue is what the next stall of the node (a
 *       flush, a collection) costs: every write in flight then times out together. So from a writer's first
 *       trouble on, its latency limit is Vegas, whose baseline is the lowest round trip seen and which keeps about 8
 *       to 16 writes queued on the server ({@link #SHORT_QUEUE_MIN}), until the cluster has been calm (no such trouble)
 *       for
 *       {@link #CALM_NANOS}; then Gradient2 again. Vegas is shown the same round trips as Gradient2 from the start,
 *       so its baseline is ready when trouble comes. On that node (the harness's adaptive-overload suite, 3 runs'
 *       medians) an import met 94 timeouts with Gradient2 alone, 27 with Vegas from the start, and 17 and 35 in two
 *       runs with Vegas after trouble (the second without Vegas's probe, as here; a fixed 8: 24-28), at a fixed 8's
 *       rows/s each time (then with Vegas's default queue of 3 to 6 writes; the deeper queue it keeps now trades
 *       some of those timeouts for about a fixed 16's rows/s: {@link #SHORT_QUEUE_MIN}). But Vegas from the start
 *       cost a node that was not overloaded 15% of its rows/s (0.85x the best fixed setting, where Gradient2 gives
 *       0.92-0.96x): deep queues pay there, which is why Vegas waits for trouble. A writer with a limit per replica
 *       set keeps one short queue per replica set; while several of them meet trouble together (nodes that share a
 *       host, or a client that stalls: {@link SharedTrouble}), they share one limit instead
 *       ({@link ReplicaSetLimits#pooled()}).
 * </ul>
 *
 * <p>A writer's request that got no answer at all within its client-side timeout drops its limit to 1 rather than
 * halving it, and the limit climbs back by slow start to half the level that timed out ({@link #onClientTimeout}).
 *
 * <p>So the limit grows while latency holds, shrinks gently while latency rises and fast on trouble, and climbs back
 * linearly after trouble. A range read's limit may start where the operator's last operation of its kind left it,
 * as backed off if that one had ({@link #resumeBackedOff}, {@link #learned}, {@link LimitMemory}). Thread-safe (each
 * sample is taken under this object's lock).
 */
final class AdaptiveLimit implements Limit {

  /**
   * How much longer than their long-run level requests may take before Gradient2 stops growing the limit: 2, not the
   * default 1.5. For range reads because a range scan's latency varies with the data its range holds. For writes
   * (latency averaged over a round trip) because, now that a writer keeps a short queue (Vegas) from its first trouble
   * on, this tolerance only governs a cluster in no trouble (or calm for {@link #CALM_NANOS}), where deep queues pay.
   * Writes had 1.2 until then: it halved the overloaded node's timeouts while Gradient2 ruled there too, but held an
   * import on three nodes at 200,000 rows to 0.89x the best fixed setting's rows/s (9 runs' median, same run: 2.0 gave
   * 0.95x; 5-run trials: 0.87x against 0.93x, 3.0 no better than 2.0). With the short queue, 2.0 met 18 timeouts on the
   * overloaded node where 1.2 met 24 (a fixed 8: 14, 32: 66) at the same rows/s.
   */
  static final double RTT_TOLERANCE = 2.0;

  /**
   * How long a writer must go without trouble (a timeout, an overloaded or an unavailable replica, a write that took
   * more than half of its timeout) before its latency limit is Gradient2 again rather than Vegas: 10 s, several times
   * the interval of the stalls of a node that cannot keep up (the harness's overloaded node paused for a collection
   * of its heap every half second to second, traced in its page's notes).
   */
  static final long CALM_NANOS = TimeUnit.SECONDS.toNanos(10);

  /**
   * The writes a writer keeps queued on the server after trouble (Vegas's alpha and beta: it grows the limit while
   * fewer seem queued, shrinks it while more do): 8 to 16. Vegas's default, 3 to 6 (at the limits a writer sees),
   * kept about the fewest timeouts on the overloaded node but ran it short of work between round trips: 0.72-0.76x the
   * best fixed setting's rows/s, behind a fixed 8. In the second of two 5-run trials there (the harness's
   * adaptive-overload suite, import cases only, AMD EPYC, 2026-11-25), 8 to 16 gave 57,751 rows/s with 33 timeouts
   * where 3 to 6 gave 42,795 and 6 (fixed 8: 45,771 and 11; 16: 59,784 and 48; 32: 52,893 and 68); 10 to 20 gave
   * 60,291 and 21 in the first, 58,805 and 56 in the second. A queue this deep keeps the node busy: over three runs of
   * the whole suite and that trial, 0.89-0.97x the best fixed setting's rows/s with 26-39 timeouts, about a fixed
   * 16's (66 and more at 32 and deeper).
   */
  static final int SHORT_QUEUE_MIN = 8;

  /** See {@link #SHORT_QUEUE_MIN}. */
  static final int SHORT_QUEUE_MAX = 16;

  /**
   * Vegas's probe multiplier that stops it from probing: by default it takes the latency of every
   * {@code 30 * limit}-th round trip as its new no-load latency, which, while the writer's limit is Gradient2's and
   * the server queues, is a queued latency; Vegas then reads no queue and raises its limit to the ceiling. Without the
   * probe its baseline is the lowest round trip of the operation.
   */
  private static final int NEVER_PROBE = Integer.MAX_VALUE;

  private final Gradient2Limit latency;
  /** Writes only (null for range reads): the latency limit after trouble. */
  private final VegasLimit shortQueue;
  private final int max;
  // Guarded by this object: replaced (at the limit in force) when trouble comes while AIMD is above that limit.
  private AIMDLimit errors;
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
  // Guarded by this object (writes): after a client-side timeout, AIMD is shown every success (slow start) until it
  // reaches this limit (half the limit in force when the timeout came); 0 when not in slow start.
  private int slowStartThreshold;
  // Guarded by this object (writes): whether trouble came less than CALM_NANOS ago, and when it last came; the last
  // round trip's average latency and the lowest such average, in nanoseconds.
  private boolean troubled;
  private long troubleNanos;
  private long lastRoundRtt;
  private long lowestRoundRtt = Long.MAX_VALUE;
  // Guarded by this object: the limit right after the last backoff on trouble (0: none yet), and when it came.
  private int droppedTo;
  private long droppedNanos;

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
        .rttTolerance(RTT_TOLERANCE).build();
    this.shortQueue = latencyPerRoundTrip
        ? VegasLimit.newBuilder().initialLimit(initial).maxConcurrency(max).probeMultiplier(NEVER_PROBE)
            .alpha(SHORT_QUEUE_MIN).beta(SHORT_QUEUE_MAX).build()
        : null;
    this.max = max;
    this.errors = errorLimit(initial);
    this.limit = initial;
  }

  /** AIMD at {@code initial}, halving on trouble; its own latency threshold is off (latency is Gradient2's job). */
  private AIMDLimit errorLimit(int initial) {
    return AIMDLimit.newBuilder().initialLimit(initial).minLimit(1).maxLimit(max).backoffRatio(0.5)
        .timeout(1, TimeUnit.DAYS).build();
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
        lastRoundRtt = roundRtt / roundSamples;
        lowestRoundRtt = Math.min(lowestRoundRtt, lastRoundRtt);
        latency.onSample(startTime, lastRoundRtt, roundInflight, false);
        shortQueue.onSample(startTime, lastRoundRtt, roundInflight, false);
        if (troubled && startTime + rtt - troubleNanos > CALM_NANOS) {
          troubled = false;
        }
        roundRtt = 0;
        roundSamples = 0;
        roundInflight = 0;
      }
    }
    if (didDrop) {
      if (errors.getLimit() > limit && shortQueue == null) {
        // AIMD grows while the limit is busy, also where the latency limit holds the limit lower, up to twice the
        // limit in force: halving that would leave the limit where it was. Trouble halves the limit in force instead.
        // (A writer's backoff is the switch to a short queue; see the class comment.)
        errors = errorLimit(limit);
      }
      errors.onSample(startTime, rtt, inflight, true);
      backedOff = true;
      successesHeld = 0;
      slowStartThreshold = 0;
      if (shortQueue != null) {
        troubled = true;
        troubleNanos = startTime + rtt;
      }
    } else if (!backedOff || errors.getLimit() < slowStartThreshold || ++successesHeld >= errors.getLimit()) {
      successesHeld = 0;
      errors.onSample(startTime, rtt, inflight, false);
    }
    update();
    if (didDrop) {
      droppedTo = limit;
      droppedNanos = startTime + rtt;
    }
  }

  /**
   * A request that timed out on the client (no answer within its timeout). A range read's limit halves, as on any
   * trouble ({@link #onSample} with a drop). A writer's falls to 1, as TCP's window does when a packet's
   * retransmission timer fires, and climbs back by slow start (AIMD shown every success: doubling per round trip) to
   * half the limit that timed out, then by 1 per round trip: no answer at all within the timeout means the node has
   * stopped taking writes at this rate (a pause, a brownout), and it is still working through the writes that timed
   * out (a client-side timeout does not stop the server's work), so halving would send the next half into the same
   * queue. On the overloaded node through a brownout (the harness's adaptive-overload suite: 100 requests a second
   * for 2 s, 1 node, 200k rows, 5 runs' medians in one run each, AMD EPYC, 2026-11-26), halving met 42 timeouts at
   * 35,999 rows/s where a fixed 4 met 40 (27,596 rows/s) and a fixed 32, the fastest, 173 (36,529 rows/s); falling
   * to 1 met 29 at 38,334 rows/s where a fixed 4 met 34 and a fixed 32 160 (37,891 rows/s). The import on the same
   * node without a brownout met no timeout either way (0.97x and 0.94x the best fixed setting's rows/s).
   */
  synchronized void onClientTimeout(long startTime, long rtt, int inflight) {
    if (shortQueue == null) {
      onSample(startTime, rtt, inflight, true);
      return;
    }
    slowStartThreshold = Math.max(1, limit / 2);
    errors = errorLimit(1);
    backedOff = true;
    successesHeld = 0;
    troubled = true;
    troubleNanos = startTime + rtt;
    update();
  }

  /**
   * A request that succeeded, but after {@code fraction} of its client-side timeout, more than
   * {@link InFlightLimit#NEAR_TIMEOUT_FRACTION}, for a limit that scales its backoff to the latency (an export's pages,
   * {@link InFlightLimit.Settings#scalingNearTimeout}): the limit in force is scaled to bring that latency back to the
   * fraction ({@link #nearTimeoutLimit}), and then climbs by 1 per round trip, as after any backoff. Range reads only:
   * a writer's limit (latency per round trip) backs off as on any trouble instead ({@link #onSample} with a drop,
   * {@link InFlightLimit} sees to it): halved, and a short queue from then on.
   *
   * <p>Why pages do not halve: on a node that was easy to overload (the harness's adaptive-overload suite, 1 node,
   * 200k rows, an export of 32 writers, 2026-11-27), a page's latency crept just past half its timeout as the limit
   * climbed (0.59 of it by the median), and halving swung the limit between 2-3 and 6-7 pages in flight, about a fixed
   * 4's pace. In 20 interleaved rounds, halving took 1.02 s per export by the median, a fixed 8 0.94 s and this 0.92 s,
   * faster than a fixed 8 in 10 rounds and than halving in 14, with a median of no timeouts each way (a 133 ms
   * timeout); in 12 rounds of the harness with an 84 ms timeout, level with halving (0.96 s each), and through a
   * half-second stall of the node level in timeouts too (11 each, a fixed 4 32). On three such
   * nodes (12 interleaved rounds) it was level with halving: 1.23 s against 1.25 s, faster in 6 rounds, with a median
   * of no timeouts each way; a cut of a quarter whatever the latency had cost the export there a sixth of its pace.
   * A count's range queries still halve: their latency includes their range's own work, and in the same rounds this
   * gave the count no gain on one node (level with halving and a fixed 8) and was slower than halving in 9 of 12
   * rounds on three (by 4.5% by the median ratio).
   */
  synchronized void onNearTimeout(long startTime, long rtt, double fraction) {
    errors = errorLimit(nearTimeoutLimit(limit, fraction));
    backedOff = true;
    successesHeld = 0;
    slowStartThreshold = 0;
    update();
    droppedTo = limit;
    droppedNanos = startTime + rtt;
  }

  /**
   * The limit after a request took {@code fraction} of its timeout (see {@link #onNearTimeout}), from {@code limit}:
   * scaled by {@link InFlightLimit#NEAR_TIMEOUT_FRACTION} over {@code fraction}, as Little's law says for a server
   * whose queue is the bottleneck (latency grows with the requests in flight), but by half at most, and by 1 at least.
   */
  static int nearTimeoutLimit(int limit, double fraction) {
    double scale = Math.max(0.5, Math.min(1.0, InFlightLimit.NEAR_TIMEOUT_FRACTION / fraction));
    return Math.max(1, Math.min(limit - 1, (int) Math.floor(limit * scale)));
  }

  /**
   * Starts this limit as one that has backed off before: AIMD is then shown one success per {@code limit} successes
   * (the limit climbs by 1 per round trip) rather than every success (doubling). For a limit that resumes where an
   * earlier operation's limit backed off ({@link LimitMemory}); call before the first sample.
   */
  synchronized void resumeBackedOff() {
    backedOff = true;
    successesHeld = 0;
  }

  /**
   * What the next operation's limit of this scope should start from, at {@code nowNanos} (this operation's end): a
   * limit that backed off within {@link #CALM_NANOS} before starts where its last backoff left it (at most where it
   * is), as backed off: the level it climbed to since, by 1 per round trip, is where the next trouble was coming
   * (TCP's slow-start threshold, rather than its window). One that backed off longer ago (or resumed as backed off
   * and met no trouble) starts where it is, as backed off; one that never backed off, where it is.
   */
  synchronized LimitMemory.Learned learned(long nowNanos) {
    if (backedOff && droppedTo > 0 && nowNanos - droppedNanos <= CALM_NANOS) {
      return new LimitMemory.Learned(Math.min(limit, droppedTo), true, nowNanos);
    }
    return new LimitMemory.Learned(limit, backedOff, nowNanos);
  }

  /** Takes the lower of the latency limit in force and AIMD's, and tells the listeners if it changed. */
  private void update() {
    int next = Math.min(troubled ? shortQueue.getLimit() : latency.getLimit(), errors.getLimit());
    if (next != limit) {
      limit = next;
      listeners.forEach(listener -> listener.accept(next));
    }
  }

  /**
   * The latency of the last successful query (a writer's: round trip) and what it is judged against, in milliseconds,
   * for humans.
   */
  synchronized String latencies() {
    if (troubled) {
      return String.format(java.util.Locale.ROOT, "latency %.1f ms, lowest %.1f ms (a short queue since the last "
          + "timeout or overloaded replica)", lastRoundRtt / 1e6, lowestRoundRtt / 1e6);
    }
    return String.format(java.util.Locale.ROOT, "latency %.1f ms, long-run %.1f ms",
        latency.getLastRtt(TimeUnit.MICROSECONDS) / 1000.0, latency.getRttNoLoad(TimeUnit.MICROSECONDS) / 1000.0);
  }
}
