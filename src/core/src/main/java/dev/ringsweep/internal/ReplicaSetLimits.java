package dev.ringsweep.internal;

import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The limits of requests in flight of an operation whose requests each go to one replica set: either one limit for
 * all of them ({@link #single}), or an adaptive limit per replica set under a fixed ceiling on their sum
 * ({@link #perReplicaSet}), so that a node that slows down or times out lowers only the limit of the requests it
 * serves. A request holds a {@link Permit} of its replica set's limit and one of the ceiling; a caller that waits
 * ({@link #acquire}) waits for its replica set's permit first and only then for the ceiling's, so it never holds a
 * permit of the ceiling, which the other replica sets need, while a slow replica set makes it wait.
 *
 * <p>Each replica set's limit starts at an even share of the initial limit and may grow up to the ceiling. Replica
 * sets known at the start get their limit then; another gets one when it is first {@link #open opened} (or first
 * asked for: then with the share of a lone replica set). Thread-safe; every start and change of a limit goes to the
 * listener, with the replica set as its {@link LimitChange#scope()}. A writer's replica sets that meet trouble
 * together, again, share one adaptive limit until calm ({@link #pooled()}, {@link SharedTrouble}). Limits given a
 * {@link LimitMemory} start where the last operation of their kind left them, and {@link #remember} what they learned
 * for the next.
 */
public final class ReplicaSetLimits {

  private final InFlightLimit all;
  private final InFlightLimit.Settings settings;
  private final Consumer<LimitChange> changes;
  private final LongSupplier clock;
  /** The limit of each replica set; empty when {@link #all} is the only limit. */
  private final Map<String, InFlightLimit> sets = new ConcurrentHashMap<>();
  private final boolean perReplicaSet;
  /**
   * The troubles of the replica sets' limits, to see whether they met them together: a writer's limits per replica
   * set only (null otherwise; range reads do not share their limits' troubles).
   */
  private final SharedTrouble shared;
  /**
   * Writers only: the one adaptive limit the replica sets share while their troubles show one bottleneck
   * ({@link #pooled()}); null when they are not pooled. Guarded by this object.
   */
  private InFlightLimit pool;
  /** When {@link #pool} began (nanoseconds); it lasts at least {@link AdaptiveLimit#CALM_NANOS}. Guarded by this. */
  private long poolSinceNanos;
  /**
   * The scope under which a writer's {@link LimitMemory} holds the shared limit its replica sets were pooled under
   * when it ended; nothing there when they were not pooled.
   */
  static final String POOLED = "replica sets pooled";
  /** What earlier operations of {@link #kind} learned, for the adaptive limits to start from; null: start afresh. */
  private final LimitMemory memory;
  private final String kind;

  private ReplicaSetLimits(InFlightLimit all, InFlightLimit.Settings settings, boolean perReplicaSet,
      LimitMemory memory, String kind, Consumer<LimitChange> changes, LongSupplier clock) {
    this.all = all;
    this.memory = memory;
    this.kind = kind;
    this.settings = settings;
    this.perReplicaSet = perReplicaSet;
    this.changes = changes;
    this.clock = clock;
    this.shared = perReplicaSet && settings.latencyPerRoundTrip() ? new SharedTrouble(settings.requestTimeoutNanos())
        : null;
  }

  /** One limit for all requests, whatever their replica set, as {@code settings} say. */
  public static ReplicaSetLimits single(InFlightLimit.Settings settings, Consumer<LimitChange> changes,
      LongSupplier clock) {
    return single(settings, null, null, changes, clock);
  }

  /** As {@link #single(InFlightLimit.Settings, Consumer, LongSupplier)}, starting from {@code memory}. */
  private static ReplicaSetLimits single(InFlightLimit.Settings settings, LimitMemory memory, String kind,
      Consumer<LimitChange> changes, LongSupplier clock) {
    InFlightLimit one = InFlightLimit.resume(settings, LimitChange.ALL, null, InFlightLimit.startDetail(settings),
        recall(memory, kind, LimitChange.ALL, clock), kind, changes, clock);
    return new ReplicaSetLimits(one, settings, false, memory, kind, changes, clock);
  }

  /**
   * An adaptive limit per replica set, up to {@code settings.max()} each, under a fixed ceiling of
   * {@code settings.max()} on their sum; the replica sets of {@code known} start now, at an even share of
   * {@code settings.initial()} (at least 1).
   */
  public static ReplicaSetLimits perReplicaSet(InFlightLimit.Settings settings, Collection<String> known,
      Consumer<LimitChange> changes, LongSupplier clock) {
    return perReplicaSet(settings, known, null, null, changes, clock);
  }

  /**
   * A writer's limits: per replica set ({@link #perReplicaSet}, replica sets opened as they are first asked for) when
   * {@code perReplicaSet} is true and {@code settings} are adaptive, else one for all ({@link #single}); each adaptive
   * limit starting where the last writer of {@code memory} left the limit of its scope ({@link LimitMemory#ofWriters};
   * null: afresh). If that writer's replica sets were {@link #pooled()} when it ended, this one's start pooled, at the
   * level the shared limit was left at, and stay so for at least {@link AdaptiveLimit#CALM_NANOS}: the evidence that
   * the nodes share one bottleneck was met then, and meeting it again costs the bursts of timeouts that pooling is
   * there to spare.
   */
  public static ReplicaSetLimits forWriter(InFlightLimit.Settings settings, boolean perReplicaSet, LimitMemory memory,
      String kind, Consumer<LimitChange> changes, LongSupplier clock) {
    if (!perReplicaSet || settings.mode() != ConcurrencyMode.ADAPTIVE) {
      return single(settings, memory, kind, changes, clock);
    }
    ReplicaSetLimits limits = perReplicaSet(settings, List.of(), memory, kind, changes, clock);
    LimitMemory.Learned pooled = recall(memory, kind, POOLED, clock);
    if (pooled != null && limits.shared != null) {
      long now = clock.getAsLong();
      limits.startPool(pooled.limit(), String.format(java.util.Locale.ROOT, "one adaptive limit for all replica "
          + "sets, %s: its replica sets had met trouble together (one bottleneck)", pooled.describe(kind, now)), now);
    }
    return limits;
  }

  private static ReplicaSetLimits perReplicaSet(InFlightLimit.Settings settings, Collection<String> known,
      LimitMemory memory, String kind, Consumer<LimitChange> changes, LongSupplier clock) {
    Set<String> names = new LinkedHashSet<>(known);
    InFlightLimit ceiling = InFlightLimit.start(InFlightLimit.Settings.fixed(settings.max()), LimitChange.ALL,
        names.isEmpty()
            ? String.format("adaptive per replica set, at most %s in all", settings.max())
            : String.format("adaptive per replica set (%s replica sets), at most %s in all", names.size(),
                settings.max()),
        changes, clock);
    ReplicaSetLimits limits = new ReplicaSetLimits(ceiling, settings, true, memory, kind, changes, clock);
    for (String name : names) {
      limits.open(name, names.size());
    }
    return limits;
  }

  /**
   * As a count decides: an adaptive limit per replica set when {@code settings} are adaptive and {@code sets} holds
   * more than one replica set; one limit otherwise (a fixed limit, or a single replica set).
   */
  public static ReplicaSetLimits of(InFlightLimit.Settings settings, Collection<String> sets,
      Consumer<LimitChange> changes, LongSupplier clock) {
    return of(settings, sets, null, null, changes, clock);
  }

  /**
   * As {@link #of(InFlightLimit.Settings, Collection, Consumer, LongSupplier)}, each adaptive limit starting where
   * the last operation of {@code kind} (e.g. "count") left the limit of its scope, if {@code memory} still holds that
   * ({@link LimitMemory}; null: every limit starts afresh).
   */
  public static ReplicaSetLimits of(InFlightLimit.Settings settings, Collection<String> sets, LimitMemory memory,
      String kind, Consumer<LimitChange> changes, LongSupplier clock) {
    return settings.mode() == ConcurrencyMode.ADAPTIVE && new LinkedHashSet<>(sets).size() > 1
        ? perReplicaSet(settings, sets, memory, kind, changes, clock)
        : single(settings, memory, kind, changes, clock);
  }

  /** What {@code memory} (null: none) holds of the limit of {@code scope} for operations of {@code kind}, or null. */
  private static LimitMemory.Learned recall(LimitMemory memory, String kind, String scope, LongSupplier clock) {
    return memory == null ? null : memory.recall(kind, scope, clock.getAsLong());
  }

  /**
   * Remembers in the {@link LimitMemory} these limits were given (if any) where each adaptive limit is now: called
   * when their operation ends, for the next operation of its kind to start from.
   */
  public void remember() {
    if (memory == null) {
      return;
    }
    if (perReplicaSet) {
      sets.values().forEach(limit -> limit.rememberIn(memory, kind));
      synchronized (this) {
        if (pooled()) { // as the replica sets' troubles say now
          pool.rememberIn(memory, kind, POOLED);
        } else {
          memory.forget(kind, POOLED);
        }
      }
    } else {
      all.rememberIn(memory, kind);
    }
  }

  /** Whether each replica set has a limit of its own (else one limit covers everything). */
  public boolean isPerReplicaSet() {
    return perReplicaSet;
  }

  /**
   * Starts the limit of replica set {@code name}, if it has none yet, at its share of the initial limit: one of
   * {@code setsInRing} replica sets. Does nothing when there is one limit for all.
   */
  public void open(String name, int setsInRing) {
    if (perReplicaSet) {
      sets.computeIfAbsent(name, n -> {
        int initial = Math.max(1, settings.initial() / Math.max(1, setsInRing));
        return InFlightLimit.resume(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, initial, settings.max(),
            settings.latencyPerRoundTrip(), settings.requestTimeoutNanos(), settings.nearTimeoutScaled()), n, shared,
            InFlightLimit.startDetail(settings), recall(memory, kind, n, clock), kind, changes, clock);
      });
    }
  }

  /** The limit of replica set {@code name} (null when there is one limit for all); started if need be. */
  private InFlightLimit limitOf(String name) {
    if (!perReplicaSet) {
      return null;
    }
    InFlightLimit limit = sets.get(name);
    if (limit == null) {
      open(name, 1);
      limit = sets.get(name);
    }
    return limit;
  }

  /**
   * The limit of replica set {@code name} now (0 if it has none yet), or the one limit's when there is one for all.
   */
  public int limit(String name) {
    if (!perReplicaSet) {
      return all.limit();
    }
    InFlightLimit limit = sets.get(name);
    return limit == null ? 0 : limit.limit();
  }

  /** Requests of replica set {@code name} in flight now (all requests when there is one limit). */
  public int inFlight(String name) {
    if (!perReplicaSet) {
      return all.inFlight();
    }
    InFlightLimit limit = sets.get(name);
    return limit == null ? 0 : limit.inFlight();
  }

  /** Requests in flight now, all replica sets together. */
  public int inFlight() {
    return all.inFlight();
  }

  /** The ceiling on the sum when per replica set, else the one limit. */
  public int ceiling() {
    return all.limit();
  }

  /**
   * Whether a writer's replica sets share one adaptive limit now, rather than each keeping its own: from the moment
   * several of them have met trouble together a second time ({@link SharedTrouble}: their nodes share one bottleneck,
   * such as one host's cores) until the replica sets have met no trouble together, and the shared limit none at
   * all, for {@link AdaptiveLimit#CALM_NANOS}. Always false for range reads and for one limit for all.
   *
   * <p>Why: on nodes that share one host, limits per replica set keep every node busy at once, which is what
   * independent nodes want and what a shared host cannot give; each node's queue then waits on the others' work, and
   * its stalls time out all of them. On three nodes sharing the client's two cores (the harness's adaptive-overload
   * suite, 200k rows, import group, 12 interleaved rounds, 2026-11-28), limits per replica set met 72 timeouts (median)
   * at 0.90x a fixed 16's rows/s, and a fixed 5 per replica set (15 in all) 33 at 0.83x, where one adaptive limit for
   * all met none at 0.94x (a fixed 16: 1, a fixed 8: none at 0.89x). Pooling on trouble met together in one window
   * (10 rounds, same day) met 1 timeout at 0.96x a fixed 16's rows/s (none), and through a brownout of one node 57
   * at 1.02x the best fixed setting's (a fixed 16: 115); in two windows, as now ({@link SharedTrouble#WINDOWS}; 8
   * rounds, same day, a busier machine), 25 at 0.99x a fixed 16's (none), where pooling on errors only met 185.
   * Replica sets whose troubles come apart (independent nodes) keep a limit each; a stall of the client
   * itself also pools them, for as long as such stalls go on. The shared limit starts where the replica sets' limits
   * stood together (their sum), as backed off, and requests then start in the order they were queued (see
   * {@code RequestExecutor}); each change goes to the listener with the scope {@link LimitChange#ALL}, its start as
   * {@link LimitChange.Cause#POOLED} and its end as {@link LimitChange.Cause#UNPOOLED}.
   */
  public synchronized boolean pooled() {
    if (shared == null) {
      return false;
    }
    long now = clock.getAsLong();
    boolean together = shared.together(now) > 1;
    if (pool == null && together) {
      int sum = sets.values().stream().mapToInt(InFlightLimit::limit).sum();
      startPool(sum, String.format(java.util.Locale.ROOT,
          "one adaptive limit for all %d replica sets, from %d: they met trouble together (one bottleneck)",
          sets.size(), sum), now);
    } else if (pool != null && !together && !pool.troubledWithin(AdaptiveLimit.CALM_NANOS, now)
        && now - poolSinceNanos > AdaptiveLimit.CALM_NANOS) {
      int per = Math.max(1, pool.limit() / Math.max(1, sets.size()));
      changes.accept(new LimitChange(pool.limit(), all.limit(), LimitChange.Cause.UNPOOLED, String.format(
          java.util.Locale.ROOT, "a limit per replica set again (the shared one stood at %d, about %d each): no "
              + "trouble met together for %d s", pool.limit(), per, AdaptiveLimit.CALM_NANOS / 1_000_000_000L),
          LimitChange.ALL));
      pool = null;
    }
    return pool != null;
  }

  /** Starts the one limit the replica sets share, at {@code initial}, at {@code now}; its start says {@code detail}. */
  private synchronized void startPool(int initial, String detail, long now) {
    pool = InFlightLimit.pool(settings, initial, all.limit(), LimitChange.ALL, detail, changes, clock);
    poolSinceNanos = now;
  }

  /** The limit the replica sets share while {@link #pooled()}, else 0. */
  public synchronized int poolLimit() {
    return pool == null ? 0 : pool.limit();
  }

  /**
   * A permit for one more request to replica set {@code name}, without waiting; null when its limit or the ceiling
   * is reached. While the replica sets are {@link #pooled()}, the shared limit stands for the replica set's own, and
   * it bounds every request in flight (also those that took a replica set's permit before the pooling began).
   */
  public Permit tryAcquire(String name) {
    if (pooled()) {
      InFlightLimit shared;
      synchronized (this) {
        shared = pool;
      }
      if (shared == null || all.inFlight() >= shared.limit()) {
        return null;
      }
      InFlightLimit.Permit poolPermit = shared.tryAcquire();
      if (poolPermit == null) {
        return null;
      }
      InFlightLimit.Permit allPermit = all.tryAcquire();
      if (allPermit == null) {
        poolPermit.ignored();
        return null;
      }
      return new Permit(poolPermit, allPermit);
    }
    InFlightLimit own = limitOf(name);
    InFlightLimit.Permit setPermit = null;
    if (own != null) {
      setPermit = own.tryAcquire();
      if (setPermit == null) {
        return null;
      }
    }
    InFlightLimit.Permit allPermit = all.tryAcquire();
    if (allPermit == null) {
      if (setPermit != null) {
        setPermit.ignored();
      }
      return null;
    }
    return new Permit(setPermit, allPermit);
  }

  /**
   * A permit for one more request to replica set {@code name}, waiting as long as its limit, then the ceiling, is
   * reached: no permit of the ceiling is held while the replica set's limit makes the caller wait.
   *
   * @param stopped whether the operation is stopping: waiting then ends with an {@link IllegalStateException}
   * @throws IllegalStateException if {@code stopped} turns true or the thread is interrupted while it waits
   */
  public Permit acquire(String name, BooleanSupplier stopped) {
    InFlightLimit own = limitOf(name);
    InFlightLimit.Permit setPermit = own == null ? null : own.acquire(stopped);
    InFlightLimit.Permit allPermit;
    try {
      allPermit = all.acquire(stopped);
    } catch (RuntimeException e) {
      if (setPermit != null) {
        setPermit.ignored();
      }
      throw e;
    }
    return new Permit(setPermit, allPermit);
  }

  /** One request in flight, holding its replica set's permit (if it has a limit of its own) and the ceiling's. */
  public static final class Permit {
    private final InFlightLimit.Permit set;
    private final InFlightLimit.Permit all;

    private Permit(InFlightLimit.Permit set, InFlightLimit.Permit all) {
      this.set = set;
      this.all = all;
    }

    /** The request succeeded: its latency is a sample of its replica set's load. */
    public void succeeded() {
      succeeded(-1, -1);
    }

    /**
     * The request succeeded after a round trip of {@code roundTripNanos} on the wire (-1: the time the permit was
     * held), with a timeout of its own of {@code timeoutNanos} (-1: the settings'), see
     * {@link InFlightLimit.Permit#succeeded(long, long)}.
     */
    public void succeeded(long roundTripNanos, long timeoutNanos) {
      if (set != null) {
        set.succeeded(roundTripNanos, timeoutNanos);
      }
      all.succeeded(roundTripNanos, timeoutNanos);
    }

    /**
     * An attempt of the request failed with {@code error} and it will be tried again, under this permit or under a
     * new one once this one is {@link #ignored() given back} (see {@link InFlightLimit.Permit#attemptFailed}).
     */
    public void attemptFailed(Throwable error) {
      if (set != null) {
        set.attemptFailed(error);
      }
      all.attemptFailed(error);
    }

    /** The request failed with {@code error} (see {@link InFlightLimit.Permit#failed}). */
    public void failed(Throwable error) {
      if (set != null) {
        set.failed(error);
      }
      all.failed(error);
    }

    /** The request's outcome says nothing about the cluster's load. */
    public void ignored() {
      if (set != null) {
        set.ignored();
      }
      all.ignored();
    }
  }
}
