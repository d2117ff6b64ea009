package dev.ringsweep.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The trouble (a timeout, an overloaded or unavailable replica, a write close to its timeout) that the replica sets
 * of one writer meet, and how many of them met it together: the evidence that their nodes share a bottleneck.
 *
 * <p>A writer on several nodes keeps an adaptive limit per replica set, and after trouble each keeps a short queue of
 * writes on its nodes ({@link AdaptiveLimit#SHORT_QUEUE_MIN} to {@link AdaptiveLimit#SHORT_QUEUE_MAX}). That is right
 * for nodes with capacities of their own. Nodes that share one (several nodes on one host, or a client that stalls)
 * add those queues up on it: with three replica sets, three short queues, about what a fixed 32-64 writes in flight
 * keep, and a stall of the shared host times out every write of all three queues at once. A limit cannot tell from
 * its own requests whether its nodes share a host, but the stall shows it: the replica sets that meet trouble within
 * {@link #windowNanos} of each other (a stall times out the requests in flight on every node it stops at the same
 * moment, give or take the driver's timer tick) stalled together. So each replica set then keeps its share of one
 * short queue, {@code 1/together()} of it, also a replica set that met no trouble of its own yet (its nodes share the
 * bottleneck, and a deep queue there is what the next stall would time out), until no replica sets have met trouble
 * together for {@link AdaptiveLimit#CALM_NANOS}. Nodes whose troubles come apart (a node that flushes or collects on
 * its own) keep a whole short queue each, as before.
 *
 * <p>On three nodes sharing two cores with the client (the harness's adaptive-overload suite), a short queue of 4 to 8
 * per replica set for every writer had cut an import's timeouts from 163-218 to 22 at the same rows/s; this is that
 * remedy, taken only where the troubles show a shared bottleneck. There (two runs of 5, 2026-11-26) the adaptive
 * import then met 135-141 timeouts, between a fixed 32's and a fixed 64's, where it had met 1.07-1.35x a fixed 64's,
 * and through a brownout of one node about a fixed 16's, at the same rows/s within the machine's spread (the
 * three-node overload page's notes). Thread-safe: called under each replica set's limit's lock, it takes no other.
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

  // Guarded by this object: each replica set's last trouble; how many replica sets last met trouble together, and when.
  private final Map<String, Long> lastTrouble = new HashMap<>();
  private int together = 1;
  private long togetherNanos;

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
      together = expired(nanos) ? sets : Math.max(together, sets);
      togetherNanos = nanos;
    }
  }

  /**
   * How many replica sets met trouble together (at least 1), in the last {@link AdaptiveLimit#CALM_NANOS} before
   * {@code nanos}: the most of them in one window since such troubles began.
   */
  synchronized int together(long nanos) {
    if (together > 1 && expired(nanos)) {
      together = 1;
    }
    return together;
  }

  private boolean expired(long nanos) {
    return nanos - togetherNanos > AdaptiveLimit.CALM_NANOS;
  }

  /** {@code queue} shared among the replica sets that met trouble together: its share, at least 1. */
  static int share(int queue, int together) {
    return Math.max(1, (queue + together - 1) / together);
  }
}
