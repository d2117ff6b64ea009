package dev.ringsweep.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The trouble (a timeout, an overloaded or unavailable replica, a write past half its timeout) that the replica sets
 * of one writer meet, and how many of them met it together, again: the evidence that their nodes share a bottleneck.
 *
 * <p>A writer on several nodes keeps an adaptive limit per replica set, and after trouble each keeps a short queue of
 * writes on its nodes ({@link AdaptiveLimit#SHORT_QUEUE_MIN} to {@link AdaptiveLimit#SHORT_QUEUE_MAX}). That is right
 * for nodes with capacities of their own. Nodes that share one (several nodes on one host, or a client that stalls)
 * add those queues up on it, and each node's writes wait on the others' work. A limit cannot tell from its own
 * requests whether its nodes share a host, but a stall shows it: the replica sets that meet trouble within
 * {@link #windowNanos} of each other (a stall times out the requests in flight on every node it stops at the same
 * moment, give or take the driver's timer tick) stalled together. Once that has happened in {@link #WINDOWS} windows
 * apart, with no {@link AdaptiveLimit#CALM_NANOS} between them, the writer's replica sets share one limit
 * ({@link ReplicaSetLimits#pooled()}) until none have met trouble together, and that limit no trouble at all, for
 * {@link AdaptiveLimit#CALM_NANOS}. Nodes whose troubles come apart (a node that flushes or collects on its own) keep
 * a limit each. Each trouble counts as shown to its limit: at most one per round trip.
 *
 * <p>Why two windows: with one, a writer with one of two nodes frozen pooled once in a few CI runs (the frozen node's
 * timeouts fell within 250 ms of a write past half its timeout on the healthy node, whose limit had grown to take the
 * frozen node's share), and the shared limit, down to 1 with the frozen node, then held the healthy node's writes too.
 * Why writes past half their timeout count, not errors only: pooling pays when it comes before the timeouts. On three
 * nodes sharing the client's two cores (the harness's adaptive-overload suite, import group, 8 interleaved rounds,
 * 2026-11-28 07:50) errors only, in two windows, pooled in 4 imports of 8 and met 185 timeouts (median), as many as
 * never pooling; near-timeouts too, in two windows, pooled in all 8 and met 25, at a fixed 16's rows/s (a fixed 16
 * met none); near-timeouts in one window, the first rule, 5 at 0.87x a fixed 16's rows/s.
 *
 * <p>Until 2026-11-28 each replica set kept its share of one short queue instead: on three nodes sharing the client's
 * two cores that left the import at 0.76-0.83x a fixed 16's rows/s with 190-245 timeouts against 10-21 (15-round
 * runs), since the queue's floor held each replica set at 6 and the writes still went to every node at once.
 * Thread-safe: called under each replica set's limit's lock and under the {@link ReplicaSetLimits}' own, it takes no
 * other.
 */
final class SharedTrouble {

  /**
   * How close together two replica sets' troubles must come to count as one stall: the request timeout, at most
   * {@link #MAX_WINDOW_NANOS}.
   */
  private final long windowNanos;

  /**
   * The widest window: 250 ms, two and a half of the driver's timer ticks (100 ms by default; a timeout fires at the
   * first tick after it is due), so a stall's timeouts on several nodes fall in one window, while troubles of
   * independent nodes under Ringsweep's default timeouts (seconds) are not lumped together.
   */
  static final long MAX_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /** In how many windows apart replica sets must meet trouble together before they count as sharing a bottleneck. */
  static final int WINDOWS = 2;

  // Guarded by this object: each replica set's last trouble; since troubles met together began (none for CALM_NANOS
  // before), in how many windows apart they came, the first of the last such window and the last such trouble, and
  // the most replica sets in one window.
  private final Map<String, Long> lastTrouble = new HashMap<>();
  private int windows;
  private long windowStartNanos;
  private long togetherNanos;
  private int most = 1;

  /** Troubles of requests that time out after {@code requestTimeoutNanos} (0: unknown, then the widest window). */
  SharedTrouble(long requestTimeoutNanos) {
    this.windowNanos = requestTimeoutNanos > 0 ? Math.min(requestTimeoutNanos, MAX_WINDOW_NANOS) : MAX_WINDOW_NANOS;
  }

  /** Replica set {@code scope} met trouble at {@code nanos}. */
  synchronized void trouble(String scope, long nanos) {
    lastTrouble.put(scope, nanos);
    int sets = 0;
    for (long at : lastTrouble.values()) {
      if (Math.abs(nanos - at) <= windowNanos) {
        sets++;
      }
    }
    if (sets > 1) {
      forgetIfCalm(nanos);
      if (windows == 0 || nanos - windowStartNanos > windowNanos) {
        windows++;
        windowStartNanos = nanos;
      }
      most = Math.max(most, sets);
      togetherNanos = nanos;
    }
  }

  /**
   * How many replica sets met trouble together (1: none, or not yet in {@link #WINDOWS} windows), in the last
   * {@link AdaptiveLimit#CALM_NANOS} before {@code nanos}: the most of them in one window since such troubles began.
   */
  synchronized int together(long nanos) {
    forgetIfCalm(nanos);
    return windows >= WINDOWS ? most : 1;
  }

  /** Forgets the windows counted so far if none came in the {@link AdaptiveLimit#CALM_NANOS} before {@code nanos}. */
  private void forgetIfCalm(long nanos) {
    if (windows > 0 && nanos - togetherNanos > AdaptiveLimit.CALM_NANOS) {
      windows = 0;
      most = 1;
    }
  }
}
