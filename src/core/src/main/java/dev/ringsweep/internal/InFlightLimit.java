package dev.ringsweep.internal;

import com.netflix.concurrency.limits.Limiter;
import com.netflix.concurrency.limits.limit.FixedLimit;
import com.netflix.concurrency.limits.limiter.SimpleLimiter;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import dev.ringsweep.OperatorOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The limit of requests in flight of one operation, fixed or adaptive ({@link AdaptiveLimit}), on top of Netflix
 * concurrency-limits' {@link SimpleLimiter}: an asynchronous caller takes a {@link Permit} without ever waiting
 * ({@link #tryAcquire()}: none when the limit is reached), a thread that reads synchronously waits for one
 * ({@link #acquire}); either gives it back with the request's outcome, which wakes the threads waiting.
 * Thread-safe; the listener is called under this object's lock, so it must be quick. Every change of the limit goes
 * to a listener with its cause.
 *
 * <p>Errors are judged by {@link Errors#classify}: timeouts, overloaded and unavailable replicas are the cluster's
 * trouble and lower an adaptive limit; other errors say nothing about load and are ignored. Only one backoff is taken
 * per round trip, as TCP does: when a burst of queries that were all in flight together times out, the first error
 * halves the limit (a writer's request that got no answer within its client-side timeout drops it to 1, see
 * {@link AdaptiveLimit#onClientTimeout}) and the errors of queries started before that are ignored; otherwise a
 * single stall would drive the limit from its ceiling to 1 by halvings. A request that is retried shows its first
 * attempt's trouble at once ({@link Permit#attemptFailed}), not when it is finally done.
 *
 * <p>A request that succeeds after more than {@link #NEAR_TIMEOUT_FRACTION} of its client-side timeout
 * ({@link Settings#withRequestTimeout}) is taken as the warning it is: the requests queued behind it will time out
 * if the limit holds. An adaptive limit then backs off, once per round trip (cause
 * {@link LimitChange.Cause#LATENCY_ROSE}), before the timeouts and their retries come: halved, as on a timeout; or,
 * for an export's pages ({@link Settings#scalingNearTimeout}), scaled by half the timeout over the request's latency,
 * by half at most and by 1 at least ({@link AdaptiveLimit#onNearTimeout}). The latency algorithm does not
 * do this by itself: it compares latency with its own long-run level, which creeps up while a server queues, and
 * knows nothing of the timeout. Writers ({@code BatchWriter}) set it: on a node that was easy to overload, an
 * adaptive import met 189 timeouts (3 runs' median) without it and 128 with it, at the same speed within the
 * machine's spread. An export's page requests set it too (a page's latency is bounded by its page size): there an
 * export of 32 writers met 3 and 6 timeouts without it and none in four runs with it, at the same speed within the
 * machine's spread. A count's range queries set it too (their latency grows with the data a range holds, but the
 * planner splits ranges in proportion to their size): on three nodes made easy to overload, where each count lasts a
 * few round trips, its replica sets climbed together until latency neared the timeout, and met 30-156 timeouts in
 * five counts; with it, 0 and 5 (a fixed 16: none), at 1.15x and 1.00x the best fixed setting's rows/s. With
 * Ringsweep's default timeouts (seconds) against millisecond requests it never fires.
 */
public final class InFlightLimit {

  private static final Logger LOG = LoggerFactory.getLogger(InFlightLimit.class);
  /** How long {@link #acquire} waits at a time before it checks again whether the operation is stopping. */
  private static final Duration WAIT_SLICE = Duration.ofMillis(200);

  /**
   * How the limit is set: fixed at {@code max}, or adaptive from {@code initial} up to {@code max}; an adaptive limit
   * of short requests arriving by the thousand per second (writes) takes its latency per round trip
   * ({@code latencyPerRoundTrip}, see {@link AdaptiveLimit}), one of range reads per request. With a positive
   * {@code requestTimeoutNanos} (the client-side timeout of the requests), an adaptive limit also backs off when a
   * request succeeds but took more than {@link #NEAR_TIMEOUT_FRACTION} of that timeout (see {@link InFlightLimit}):
   * halved, or with {@code nearTimeoutScaled} scaled to that latency ({@link AdaptiveLimit#onNearTimeout}).
   */
  public record Settings(ConcurrencyMode mode, int initial, int max, boolean latencyPerRoundTrip,
      long requestTimeoutNanos, boolean nearTimeoutScaled) {

    /** Validates the limits. */
    public Settings {
      if (max < 1 || initial < 1 || initial > max) {
        throw new IllegalArgumentException(
            String.format("Invalid limit: initial %s, max %s (must be 1 <= initial <= max)", initial, max));
      }
      if (requestTimeoutNanos < 0) {
        throw new IllegalArgumentException("Invalid request timeout: " + requestTimeoutNanos + " ns (must be >= 0)");
      }
    }

    /** Settings whose adaptive limit takes each request's latency and knows no request timeout. */
    public Settings(ConcurrencyMode mode, int initial, int max) {
      this(mode, initial, max, false, 0, false);
    }

    /** The same settings, taking latency per round trip (the average of as many requests as the limit). */
    public Settings perRoundTrip() {
      return new Settings(mode, initial, max, true, requestTimeoutNanos, nearTimeoutScaled);
    }

    /**
     * The same settings for requests that time out after {@code timeout} on the client: an adaptive limit backs off
     * when one of them takes more than {@link #NEAR_TIMEOUT_FRACTION} of it.
     */
    public Settings withRequestTimeout(Duration timeout) {
      return new Settings(mode, initial, max, latencyPerRoundTrip, Math.max(0, timeout.toNanos()), nearTimeoutScaled);
    }

    /**
     * The same settings, an adaptive limit backing off near the request timeout by as much as the latency says rather
     * than by half ({@link AdaptiveLimit#onNearTimeout}): for requests whose latency is mostly queueing, an export's
     * pages. Ignored for latency per round trip (writers halve, and keep a short queue from then on).
     */
    public Settings scalingNearTimeout() {
      return new Settings(mode, initial, max, latencyPerRoundTrip, requestTimeoutNanos, true);
    }

    /** The same settings, an adaptive limit starting at {@code initial}. */
    Settings withInitial(int initial) {
      return new Settings(mode, initial, max, latencyPerRoundTrip, requestTimeoutNanos, nearTimeoutScaled);
    }

    /** A fixed limit of {@code n}. */
    public static Settings fixed(int n) {
      return new Settings(ConcurrencyMode.FIXED, n, n);
    }

    /** The limit of range queries {@code options} set. */
    public static Settings of(OperatorOptions options) {
      return new Settings(options.concurrency(), options.initialParallelism(), options.parallelism());
    }
  }

  /**
   * The part of the request timeout that a successful request may take before an adaptive limit backs off: a half.
   */
  public static final double NEAR_TIMEOUT_FRACTION = 0.5;

  private final Settings settings;
  private final SimpleLimiter<Void> limiter;
  /** Notified whenever a permit is given back: the threads waiting in {@link #acquire} try again. */
  private final Object released = new Object();
  private final AdaptiveLimit adaptive;
  private final Consumer<LimitChange> changes;
  private final LongSupplier clock;
  private final String scope;
  /**
   * A writer's adaptive limit of one of several replica sets only (else null): the troubles of the writer's replica
   * sets, told of each trouble shown to this limit ({@link SharedTrouble}).
   */
  private final SharedTrouble shared;
  // Guarded by this object: each outcome is applied, compared and reported atomically.
  private long lastBackoffNanos;
  private boolean backedOff;
  // Guarded by this object: when trouble was last shown to the limit, whether or not it lowered it.
  private boolean troubled;
  private long lastTroubleNanos;

  private InFlightLimit(Settings settings, String scope, SharedTrouble shared, Consumer<LimitChange> changes,
      LongSupplier clock) {
    this.settings = settings;
    this.scope = scope;
    this.adaptive = settings.mode() == ConcurrencyMode.ADAPTIVE
        ? new AdaptiveLimit(settings.initial(), settings.max(), settings.latencyPerRoundTrip())
        : null;
    this.shared = adaptive != null && settings.latencyPerRoundTrip() ? shared : null;
    this.limiter = SimpleLimiter.newBuilder()
        .limit(adaptive != null ? adaptive : FixedLimit.of(settings.max()))
        .nanoClock(clock)
        .build();
    this.changes = changes;
    this.clock = clock;
  }

  /**
   * A limit as {@code settings} say, reporting its start and every change to {@code changes}, timed by
   * {@code clock} (nanoseconds).
   */
  public static InFlightLimit start(Settings settings, Consumer<LimitChange> changes, LongSupplier clock) {
    return start(settings, LimitChange.ALL, startDetail(settings), changes, clock);
  }

  /** What a limit as {@code settings} say tells its listener when it starts: "fixed at 16", "adaptive, up to 64". */
  static String startDetail(Settings settings) {
    return settings.mode() == ConcurrencyMode.FIXED ? "fixed at " + settings.max()
        : "adaptive, up to " + settings.max();
  }

  /**
   * A limit as {@code settings} say, of the requests of {@code scope} (see {@link LimitChange#scope()}), reporting
   * its start (with {@code startDetail}) and every change to {@code changes}, timed by {@code clock} (nanoseconds).
   */
  public static InFlightLimit start(Settings settings, String scope, String startDetail,
      Consumer<LimitChange> changes, LongSupplier clock) {
    return start(settings, scope, null, startDetail, changes, clock);
  }

  /**
   * As {@link #start(Settings, String, String, Consumer, LongSupplier)}, for one of several replica sets whose
   * troubles go to {@code shared} (null: none), see {@link SharedTrouble}.
   */
  static InFlightLimit start(Settings settings, String scope, SharedTrouble shared, String startDetail,
      Consumer<LimitChange> changes, LongSupplier clock) {
    InFlightLimit limit = new InFlightLimit(settings, scope, shared, changes, clock);
    changes.accept(new LimitChange(0, limit.limit(), LimitChange.Cause.START, startDetail, scope));
    return limit;
  }

  /**
   * As {@link #start(Settings, String, SharedTrouble, String, Consumer, LongSupplier)}, for an adaptive limit that
   * resumes where an earlier operation's limit of the same scope ended ({@code learned}, see {@link LimitMemory}):
   * it starts at that level (within 1 and {@code settings.max()}) rather than {@code settings.initial()}, as backed
   * off if that one had; {@code kind} names the operations for the start's detail. A fixed limit ignores it.
   */
  static InFlightLimit resume(Settings settings, String scope, SharedTrouble shared, String startDetail,
      LimitMemory.Learned learned, String kind, Consumer<LimitChange> changes, LongSupplier clock) {
    if (learned == null || settings.mode() != ConcurrencyMode.ADAPTIVE) {
      return start(settings, scope, shared, startDetail, changes, clock);
    }
    int initial = Math.max(1, Math.min(settings.max(), learned.limit()));
    InFlightLimit limit = new InFlightLimit(settings.withInitial(initial), scope, shared, changes, clock);
    if (learned.backedOff()) {
      limit.adaptive.resumeBackedOff();
    }
    changes.accept(new LimitChange(0, limit.limit(), LimitChange.Cause.START,
        startDetail + ", " + learned.describe(kind, clock.getAsLong()), scope));
    return limit;
  }

  /**
   * An adaptive limit as {@code settings} say, starting at {@code initial} (within 1 and {@code settings.max()}) as one
   * that has backed off before (it climbs by 1 per round trip, not by doubling): the one limit that a writer's replica
   * sets share while their troubles show one bottleneck ({@link ReplicaSetLimits#pooled()}), which starts from where
   * their own limits stood. Its start goes to {@code changes} as a change of cause {@link LimitChange.Cause#POOLED}
   * from {@code ceiling} (the limit of all requests it stands for), with {@code startDetail}.
   */
  static InFlightLimit pool(Settings settings, int initial, int ceiling, String scope, String startDetail,
      Consumer<LimitChange> changes, LongSupplier clock) {
    Settings adaptive = new Settings(ConcurrencyMode.ADAPTIVE, Math.max(1, Math.min(settings.max(), initial)),
        settings.max(), settings.latencyPerRoundTrip(), settings.requestTimeoutNanos(), settings.nearTimeoutScaled());
    InFlightLimit limit = new InFlightLimit(adaptive, scope, null, changes, clock);
    limit.adaptive.resumeBackedOff();
    changes.accept(new LimitChange(ceiling, limit.limit(), LimitChange.Cause.POOLED, startDetail, scope));
    return limit;
  }

  /**
   * Whether this limit was shown trouble (a timeout, an overloaded or unavailable replica, a request near its timeout)
   * at most {@code calmNanos} before {@code nowNanos}, whether or not it lowered the limit.
   */
  synchronized boolean troubledWithin(long calmNanos, long nowNanos) {
    return troubled && nowNanos - lastTroubleNanos <= calmNanos;
  }

  /** Remembers in {@code memory} where this limit is now, as the end of an operation of {@code kind}, if adaptive. */
  void rememberIn(LimitMemory memory, String kind) {
    rememberIn(memory, kind, scope);
  }

  /** As {@link #rememberIn(LimitMemory, String)}, under {@code scope} rather than this limit's own. */
  void rememberIn(LimitMemory memory, String kind, String scope) {
    if (adaptive != null) {
      memory.remember(kind, scope, adaptive.learned(clock.getAsLong()));
    }
  }

  /** The limit now. */
  public int limit() {
    return limiter.getLimit();
  }

  /** Requests in flight now. */
  public int inFlight() {
    return limiter.getInflight();
  }

  /** A permit for one more request, or null when the limit is reached. */
  public Permit tryAcquire() {
    Optional<Limiter.Listener> listener = limiter.acquire(null);
    return listener.map(l -> new Permit(l, clock.getAsLong(), limiter.getInflight())).orElse(null);
  }

  /**
   * A permit for one more request, waiting as long as the limit is reached.
   *
   * @param stopped whether the operation is stopping: waiting then ends with an {@link IllegalStateException}
   * @throws IllegalStateException if {@code stopped} turns true or the thread is interrupted while it waits
   */
  public Permit acquire(BooleanSupplier stopped) {
    synchronized (released) {
      while (!stopped.getAsBoolean()) {
        Permit permit = tryAcquire();
        if (permit != null) {
          return permit;
        }
        try {
          released.wait(WAIT_SLICE.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("Interrupted while waiting for the limit of requests in flight", e);
        }
      }
    }
    throw new IllegalStateException("Stopped while waiting for the limit of requests in flight");
  }

  /** One request in flight; give it back exactly once, with its outcome. */
  public final class Permit {
    private final Limiter.Listener listener;
    private final long started;
    /** Requests in flight when this one took its permit, itself included. */
    private final int inflight;
    /** Whether an attempt's trouble was already shown to the limit ({@link #attemptFailed}); guarded by the limit. */
    private boolean troubleShown;

    private Permit(Limiter.Listener listener, long started, int inflight) {
      this.listener = listener;
      this.started = started;
      this.inflight = inflight;
    }

    /**
     * The request succeeded: its latency is a sample of the cluster's load. If it took more than
     * {@link #NEAR_TIMEOUT_FRACTION} of the request timeout, an adaptive limit backs off (see {@link InFlightLimit}).
     */
    public void succeeded() {
      succeeded(-1, -1);
    }

    /**
     * As {@link #succeeded()}, for a request that held this permit longer than it was on the wire (it waited for a
     * rate limit, or for a retry's backoff), or whose timeout is its own: {@code roundTripNanos} is its own round
     * trip, from send to answer, the longest if it took several (-1: the time the permit was held). That, not the time
     * the permit was held, is the latency the adaptive limit learns from and compares with the request timeout: a
     * write that waited a second for a rate limit and then took 2 ms says nothing of the cluster's load.
     * {@code timeoutNanos} is the request's own client-side timeout (-1: the settings' request timeout); it counts
     * only for limits whose settings have a request timeout.
     */
    public void succeeded(long roundTripNanos, long timeoutNanos) {
      if (adaptive != null && settings.requestTimeoutNanos() > 0) {
        long latency = roundTripNanos >= 0 ? roundTripNanos : clock.getAsLong() - started;
        long timeout = timeoutNanos > 0 ? timeoutNanos : settings.requestTimeoutNanos();
        if (latency > timeout * NEAR_TIMEOUT_FRACTION) {
          double fraction = latency / (double) timeout;
          backOff(!settings.nearTimeoutScaled() || settings.latencyPerRoundTrip() ? listener::onDropped : () -> {
            listener.onIgnore();
            adaptive.onNearTimeout(started, latency, fraction);
          }, LimitChange.Cause.LATENCY_ROSE, String.format(java.util.Locale.ROOT,
              "a request took %.1f ms, over %.0f%% of its timeout (%.1f ms)", latency / 1e6,
              100 * NEAR_TIMEOUT_FRACTION, timeout / 1e6));
          return;
        }
      }
      synchronized (InFlightLimit.this) {
        int before = limit();
        if (adaptive != null && roundTripNanos >= 0) {
          // The limiter would time the sample from the permit's start: give the permit back without one, and give
          // the limit the round trip itself.
          listener.onIgnore();
          adaptive.onSample(started, roundTripNanos, inflight, false);
        } else {
          listener.onSuccess();
        }
        int after = limit();
        if (after != before) {
          report(before, after, after > before ? LimitChange.Cause.LATENCY_HELD : LimitChange.Cause.LATENCY_ROSE,
              adaptive.latencies());
        }
      }
      wakeWaiters();
    }

    /**
     * An attempt of the request failed with {@code error} and the request will be tried again under this permit: a
     * timeout, an overloaded or unavailable replica lowers an adaptive limit now (once per round trip, as
     * {@link #failed} would), while the permit stays held. A request that waits for its retry's backoff and then for
     * its retry would otherwise tell the limit of the trouble only when it is done, and until then the limit would
     * keep starting new requests at the level that just timed out, on a server still busy with the requests that
     * timed out (a client-side timeout does not stop the server's work). Once shown, the trouble is not shown again:
     * the request's final outcome then only gives the permit back ({@link #ignored()} does so at once, for a caller
     * that waits for its retry without the permit and takes a new one for it). Does nothing for a fixed limit.
     */
    public void attemptFailed(Throwable error) {
      if (adaptive == null || Errors.classify(error) == Errors.Kind.FATAL) {
        return;
      }
      synchronized (InFlightLimit.this) {
        if (!troubleShown) {
          troubleShown = true;
          // The permit stays held: the limit is shown the drop without the limiter's release.
          backOffLocked(() -> drop(error), LimitChange.Cause.ERRORS, describe(error));
        }
      }
    }

    /**
     * The request failed with {@code error}: a timeout, an overloaded or unavailable replica lowers an adaptive
     * limit (once per round trip, and not again if an {@link #attemptFailed attempt's} trouble was already shown);
     * any other error is ignored.
     */
    public void failed(Throwable error) {
      Errors.Kind kind = Errors.classify(error);
      boolean shown;
      synchronized (InFlightLimit.this) {
        shown = troubleShown;
      }
      if (kind == Errors.Kind.FATAL || shown) {
        listener.onIgnore();
        wakeWaiters();
        return;
      }
      // A writer's client-side timeout is not a plain drop sample (see drop): the permit goes back without one.
      backOff(adaptive != null && isClientTimeout(error) ? () -> {
        listener.onIgnore();
        drop(error);
      } : listener::onDropped, LimitChange.Cause.ERRORS, describe(error));
    }

    /** Shows the adaptive limit this request's trouble, {@code error}, as a drop (see {@link AdaptiveLimit}). */
    private void drop(Throwable error) {
      long rtt = clock.getAsLong() - started;
      if (isClientTimeout(error)) {
        adaptive.onClientTimeout(started, rtt, inflight);
      } else {
        adaptive.onSample(started, rtt, inflight, true);
      }
    }

    /**
     * Gives the permit back as a drop with {@code drop} (the limit backs off), unless a backoff was taken after this
     * request started (one per round trip): then without a sample.
     */
    private void backOff(Runnable drop, LimitChange.Cause cause, String detail) {
      synchronized (InFlightLimit.this) {
        if (!backOffLocked(drop, cause, detail)) {
          listener.onIgnore();
        }
      }
      wakeWaiters();
    }

    /**
     * Under the limit's lock: unless a backoff was taken after this request started (one per round trip), shows the
     * limit a drop with {@code drop} and records and reports the backoff; false if it was skipped.
     */
    private boolean backOffLocked(Runnable drop, LimitChange.Cause cause, String detail) {
      if (backedOff && started - lastBackoffNanos < 0) {
        return false;
      }
      int before = limit();
      drop.run();
      troubled = true;
      lastTroubleNanos = clock.getAsLong();
      if (shared != null) {
        shared.trouble(scope, lastTroubleNanos);
      }
      int after = limit();
      if (after < before) {
        lastBackoffNanos = clock.getAsLong();
        backedOff = true;
      }
      if (after != before) {
        report(before, after, cause, detail);
      }
      return true;
    }

    /** The request's outcome says nothing about the cluster's load (e.g. a fallback that paced itself). */
    public void ignored() {
      listener.onIgnore();
      wakeWaiters();
    }
  }

  /** Whether {@code error} is a request that got no answer within its client-side timeout. */
  private static boolean isClientTimeout(Throwable error) {
    return Errors.unwrap(error) instanceof com.datastax.oss.driver.api.core.DriverTimeoutException;
  }

  private static String describe(Throwable error) {
    Throwable e = Errors.unwrap(error);
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private void wakeWaiters() {
    synchronized (released) {
      released.notifyAll();
    }
  }

  private void report(int before, int after, LimitChange.Cause cause, String detail) {
    LOG.debug("Limit of requests in flight ({}) {} -> {} ({}: {})", scope, before, after, cause, detail);
    changes.accept(new LimitChange(before, after, cause, detail, scope));
  }

  @Override
  public String toString() {
    return settings.mode() + " limit " + limit() + " (max " + settings.max() + ") of " + scope;
  }
}
