package dev.ringsweep.internal;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What adaptive limits learned, kept from one operation to the next (an operator's range queries, one memory per
 * operator; the writers of one session, {@link #ofWriters}): where each limit
 * should start next and whether it had backed off (its level when its operation ended, or, if it backed off on trouble
 * in the last {@link AdaptiveLimit#CALM_NANOS} of it, the level that last backoff left it at: TCP's slow-start
 * threshold rather than its window, since the level a limit climbed to since is where the next trouble was coming), by
 * kind of operation (a count, an export's page requests, an import's check of the target, a writer) and replica set,
 * and for a writer whether its replica sets ended sharing one limit ({@code ReplicaSetLimits.forWriter}). The next
 * operation of that kind starts each replica set's limit there rather than at its share of the initial limit, and one
 * that had backed off starts as backed off (growing by 1 per round trip rather than doubling), as TCP shares what one
 * connection learned of a path with the next (RFC 9040, "TCP Control Block Interdependence": the congestion window and
 * slow-start threshold of a closed connection seed a new one to the same host).
 *
 * <p>Why: an operation that lasts a few round trips spends them climbing from its initial limit, and on a cluster that
 * cannot take that climb every operation meets the same timeouts at the same point of it. On three nodes sharing two
 * cores with the client (the harness's adaptive-overload suite), each count of 200,000 rows took under half a second,
 * started each of its three replica sets at 5 and climbed them to about 18 each within 0.3 s, past what the nodes
 * could answer within the timeout, every count again.
 *
 * <p>What is learned expires after {@link #WINDOW_NANOS} (the cluster may have changed since; an operator idle that
 * long starts afresh), and is never more than the next operation's own ceiling. Only adaptive limits learn; a fixed
 * limit ignores it. Thread-safe.
 */
public final class LimitMemory {

  /**
   * How long a limit's level is remembered after its operation ended: 60 s. Longer than the pause between the
   * operations of a job that runs them one after another; short enough that a cluster that has since changed (a node
   * back, a compaction over) is not held to what it could take then.
   */
  static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(60);

  /**
   * Where a limit should start next (see the class comment), whether it had backed off on trouble (a timeout, an
   * overloaded or unavailable replica), and when its operation ended (nanoseconds, on the clock of the limits).
   */
  record Learned(int limit, boolean backedOff, long atNanos) {

    /** Validates the limit. */
    Learned {
      if (limit < 1) {
        throw new IllegalArgumentException("Invalid learned limit: " + limit + " (must be >= 1)");
      }
    }

    /** How this limit starts from what was learned, for humans: "from 9, where the last count left it 0.4 s ago". */
    String describe(String kind, long nowNanos) {
      return String.format(Locale.ROOT, "from %d, where the last %s left it %.1f s ago%s", limit, kind,
          (nowNanos - atNanos) / 1e9, backedOff ? " after trouble (so it grows by 1 per round trip)" : "");
    }
  }

  private final Map<String, Learned> learned = new ConcurrentHashMap<>();
  /** Whether this memory keeps anything ({@link #none()} keeps nothing). */
  private final boolean keeps;

  /** An empty memory that keeps what it is told. */
  public LimitMemory() {
    this(true);
  }

  private LimitMemory(boolean keeps) {
    this.keeps = keeps;
  }

  /**
   * A memory that keeps nothing: every limit given it starts afresh and leaves nothing for the next (an operator or a
   * writer asked not to remember its limits).
   */
  public static LimitMemory none() {
    return new LimitMemory(false);
  }

  /** Whether this memory keeps what it is told (false for {@link #none()}). */
  public boolean keeps() {
    return keeps;
  }

  /** The memory of the writers of each session ({@link #ofWriters}), held no longer than the session is. */
  private static final Map<Object, LimitMemory> WRITERS = Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * What the adaptive limits of the writers on {@code session} learned: one memory per session, for as long as the
   * session is reachable. A writer (a {@code BatchWriter}, an import's) starts where the last writer on the same
   * session left its limits, within {@link #WINDOW_NANOS}: the writes of a job that imports one file after another,
   * or of the tasks of one Spark executor (which share a session per connection), go to the same nodes, so what one
   * writer learned of their load is where the next should start, rather than climbing into the same timeouts again.
   * Range reads keep theirs per operator ({@code OperationContext}).
   */
  public static LimitMemory ofWriters(Object session) {
    return WRITERS.computeIfAbsent(java.util.Objects.requireNonNull(session, "session"), s -> new LimitMemory());
  }

  /**
   * What the last operation of {@code kind} learned of the limit of {@code scope}, if it ended within
   * {@link #WINDOW_NANOS} of {@code nowNanos}; else null.
   */
  Learned recall(String kind, String scope, long nowNanos) {
    Learned last = learned.get(key(kind, scope));
    return last == null || nowNanos - last.atNanos() > WINDOW_NANOS ? null : last;
  }

  /** Remembers what an operation of {@code kind} learned of the limit of {@code scope}. */
  void remember(String kind, String scope, Learned what) {
    if (keeps) {
      learned.put(key(kind, scope), what);
    }
  }

  /** Forgets what was learned of the limit of {@code scope} for operations of {@code kind}, if anything. */
  void forget(String kind, String scope) {
    learned.remove(key(kind, scope));
  }

  private static String key(String kind, String scope) {
    return kind + '\u0000' + scope;
  }

  @Override
  public String toString() {
    if (!keeps) {
      return "LimitMemory[none]";
    }
    return "LimitMemory" + learned.keySet().stream().map(k -> k.replace('\u0000', '/')).toList();
  }
}
