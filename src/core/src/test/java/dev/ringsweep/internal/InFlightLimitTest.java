package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The wiring of the limit of requests in flight, driven by hand with a fake clock: which outcomes move an adaptive
 * limit, which way, and what the listener hears (no network, no threads).
 */
class InFlightLimitTest {

  private static final long MS = 1_000_000;

  private long now = 1_000 * MS;
  private final List<LimitChange> changes = new CopyOnWriteArrayList<>();

  private InFlightLimit adaptive(int initial, int max) {
    return InFlightLimit.start(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, initial, max), changes::add,
        () -> now);
  }

  /** Takes every permit there is. */
  private static List<InFlightLimit.Permit> fill(InFlightLimit limit) {
    List<InFlightLimit.Permit> permits = new ArrayList<>();
    for (InFlightLimit.Permit p = limit.tryAcquire(); p != null; p = limit.tryAcquire()) {
      permits.add(p);
    }
    assertThat(limit.inFlight()).as("in flight after filling").isEqualTo(permits.size());
    return permits;
  }

  /** One round trip: fill the limit, let {@code latencyMs} pass, and complete every request successfully. */
  private int succeedRound(InFlightLimit limit, long latencyMs) {
    List<InFlightLimit.Permit> permits = fill(limit);
    now += latencyMs * MS;
    permits.forEach(InFlightLimit.Permit::succeeded);
    return permits.size();
  }

  @Test
  void should_announce_the_initial_limit_when_it_starts() {
    InFlightLimit limit = adaptive(4, 16);

    assertThat(limit.limit()).isEqualTo(4);
    assertThat(changes).containsExactly(new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 16"));
    assertThat(fill(limit)).hasSize(4);
    assertThat(limit.tryAcquire()).isNull();
  }

  @Test
  void should_keep_a_fixed_limit_exactly_whatever_the_errors_and_latency() {
    InFlightLimit limit = InFlightLimit.start(InFlightLimit.Settings.fixed(3), changes::add, () -> now);

    for (int round = 0; round < 20; round++) {
      List<InFlightLimit.Permit> permits = fill(limit);
      assertThat(permits).hasSize(3);
      now += (round % 2 == 0 ? 5 : 500) * MS;
      permits.forEach(p -> p.failed(new DriverTimeoutException("slow")));
    }

    assertThat(limit.limit()).isEqualTo(3);
    assertThat(changes).containsExactly(
        new LimitChange(0, 3, LimitChange.Cause.START, "fixed at 3"));
  }

  @Test
  void should_grow_while_latency_holds_up_to_the_max_and_no_further() {
    InFlightLimit limit = adaptive(4, 32);
    int peak = 0;

    for (int round = 0; round < 60; round++) {
      peak = Math.max(peak, succeedRound(limit, 10));
    }

    assertThat(limit.limit()).isEqualTo(32);
    assertThat(peak).isEqualTo(32);
    assertThat(changes.subList(1, changes.size()))
        .isNotEmpty()
        .allSatisfy(c -> {
          assertThat(c.cause()).isEqualTo(LimitChange.Cause.LATENCY_HELD);
          assertThat(c.limit()).isGreaterThan(c.previousLimit()).isLessThanOrEqualTo(32);
          assertThat(c.detail()).contains("latency 10.0 ms");
        });
  }

  @Test
  void should_halve_on_timeouts_once_per_round_trip_and_climb_back_after() {
    InFlightLimit limit = adaptive(16, 64);
    List<InFlightLimit.Permit> first = fill(limit);
    assertThat(first).hasSize(16);
    now += 50 * MS;

    // All 16 in flight together time out: one backoff, not 16 (which would leave a limit of 1).
    first.forEach(p -> p.failed(new DriverTimeoutException("timed out")));

    assertThat(limit.limit()).isEqualTo(8);
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.ERRORS)
        .containsExactly(new LimitChange(16, 8, LimitChange.Cause.ERRORS, "DriverTimeoutException: timed out"));

    // A request started after that backoff that fails again is a new round trip: halve again.
    List<InFlightLimit.Permit> second = fill(limit);
    assertThat(second).hasSize(8);
    now += 50 * MS;
    second.forEach(p -> p.failed(new NoNodeAvailableException()));
    assertThat(limit.limit()).isEqualTo(4);

    for (int round = 0; round < 20; round++) {
      succeedRound(limit, 10);
    }
    assertThat(limit.limit()).isGreaterThan(8);
    assertThat(changes.get(changes.size() - 1).cause()).isEqualTo(LimitChange.Cause.LATENCY_HELD);
    // Range reads judge latency against its long-run level after trouble too (only writers keep a short queue).
    assertThat(changes.get(changes.size() - 1).detail()).contains("long-run");
  }

  @Test
  void should_climb_by_one_per_round_trip_after_a_backoff_instead_of_doubling() {
    InFlightLimit limit = adaptive(16, 64);
    for (int round = 0; round < 3; round++) {
      succeedRound(limit, 10);
    }
    int before = limit.limit();
    List<InFlightLimit.Permit> burst = fill(limit);
    now += 50 * MS;
    burst.forEach(p -> p.failed(new DriverTimeoutException("timed out")));
    int halved = limit.limit();
    // AIMD halves its own limit, which may have been above the latency limit (the lower of the two rules).
    assertThat(halved).isLessThan(before).isGreaterThanOrEqualTo(before / 2);

    // Every request of a round trip succeeding at the same latency: before the first backoff that doubles AIMD's
    // limit (one per success); after it, one per round trip, or the limit would be back where it timed out at once.
    for (int round = 0; round < 10; round++) {
      int at = limit.limit();
      assertThat(succeedRound(limit, 10)).isEqualTo(at);
      assertThat(limit.limit()).as("limit after round %s from %s", round, at).isBetween(at, at + 1);
    }
    assertThat(limit.limit()).isEqualTo(halved + 10);
  }

  @Test
  void should_halve_the_limit_in_force_on_trouble_when_latency_holds_it_below_the_error_limit() {
    InFlightLimit limit = adaptive(8, 64);
    for (int round = 0; round < 40; round++) {
      succeedRound(limit, 10);
    }
    assertThat(limit.limit()).isEqualTo(64);
    // Latency rises: Gradient2 holds the limit well below 64, where the error limit (AIMD) stays.
    for (int round = 0; round < 10 && limit.limit() >= 32; round++) {
      succeedRound(limit, 200);
    }
    int before = limit.limit();
    assertThat(before).as("limit held by latency").isLessThan(32);
    changes.clear();

    List<InFlightLimit.Permit> burst = fill(limit);
    now += 300 * MS;
    burst.forEach(p -> p.failed(new DriverTimeoutException("timed out")));

    // Halving AIMD's own 64 would give 32, above the limit in force: the first timeout would change nothing.
    assertThat(limit.limit()).isEqualTo(before / 2);
    assertThat(changes).containsExactly(
        new LimitChange(before, before / 2, LimitChange.Cause.ERRORS, "DriverTimeoutException: timed out"));
  }

  @Test
  void should_move_at_most_once_per_round_trip_when_latency_is_taken_per_round_trip() {
    InFlightLimit limit = InFlightLimit.start(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 4, 64)
        .perRoundTrip(), changes::add, () -> now);
    changes.clear();

    for (int round = 0; round < 40; round++) {
      int before = changes.size();
      succeedRound(limit, 10);
      assertThat(changes.size() - before).as("changes in round %s", round).isLessThanOrEqualTo(1);
    }
    assertThat(limit.limit()).as("grew while latency held").isGreaterThan(8);
  }

  @Test
  void should_shrink_when_latency_rises_above_its_long_run_level() {
    InFlightLimit limit = adaptive(8, 64);
    for (int round = 0; round < 40; round++) {
      succeedRound(limit, 10);
    }
    int before = limit.limit();
    assertThat(before).isEqualTo(64);
    changes.clear();

    for (int round = 0; round < 5; round++) {
      succeedRound(limit, 200);
    }

    // Gradient2 shrinks while latency is above its long-run level, which then follows the new latency up: once it
    // has, the limit may grow again. What must hold: it went well down, and every decrease was for latency.
    assertThat(changes).isNotEmpty();
    assertThat(changes.get(0).cause()).isEqualTo(LimitChange.Cause.LATENCY_ROSE);
    assertThat(changes).extracting(LimitChange::limit).allMatch(l -> l < before).anyMatch(l -> l < before / 2);
    assertThat(changes).filteredOn(LimitChange::isDecrease)
        .allSatisfy(c -> assertThat(c.cause()).isEqualTo(LimitChange.Cause.LATENCY_ROSE));
  }

  @Test
  void should_not_move_for_errors_that_say_nothing_about_load() {
    InFlightLimit limit = adaptive(8, 64);
    List<InFlightLimit.Permit> permits = fill(limit);
    now += 10 * MS;

    permits.forEach(p -> p.failed(new IllegalArgumentException("bad query")));

    assertThat(limit.limit()).isEqualTo(8);
    assertThat(limit.inFlight()).isZero();
    assertThat(changes).hasSize(1);
  }

  @Test
  void should_reject_limits_out_of_order_naming_them() {
    assertThatThrownBy(() -> new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 10, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid limit: initial 10, max 5 (must be 1 <= initial <= max)");
    assertThatThrownBy(() -> InFlightLimit.Settings.fixed(0))
        .hasMessage("Invalid limit: initial 0, max 0 (must be 1 <= initial <= max)");
  }

  @Test
  void should_make_a_waiting_thread_wait_until_a_permit_is_given_back() throws Exception {
    InFlightLimit limit = InFlightLimit.start(InFlightLimit.Settings.fixed(1), changes::add, () -> now);
    InFlightLimit.Permit first = limit.acquire(() -> false);
    java.util.concurrent.CompletableFuture<InFlightLimit.Permit> second =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> limit.acquire(() -> false));

    Thread.sleep(300); // longer than one wait slice: the waiter must still be waiting
    assertThat(second).isNotDone();
    first.succeeded();

    InFlightLimit.Permit got = second.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(limit.inFlight()).isEqualTo(1);
    got.succeeded();
    assertThat(limit.inFlight()).isZero();
  }

  @Test
  void should_stop_waiting_for_a_permit_when_the_operation_stops() {
    InFlightLimit limit = InFlightLimit.start(InFlightLimit.Settings.fixed(1), changes::add, () -> now);
    limit.acquire(() -> false);
    java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    java.util.concurrent.CompletableFuture<InFlightLimit.Permit> waiter =
        java.util.concurrent.CompletableFuture.supplyAsync(() -> limit.acquire(stopped::get));

    stopped.set(true);

    assertThatThrownBy(() -> waiter.get(5, java.util.concurrent.TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Stopped while waiting for the limit of requests in flight");
    assertThat(limit.inFlight()).isEqualTo(1);
  }

  private InFlightLimit adaptiveWithTimeout(int initial, int max, long timeoutMs) {
    return InFlightLimit.start(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, initial, max)
        .withRequestTimeout(java.time.Duration.ofMillis(timeoutMs)), changes::add, () -> now);
  }

  @Test
  void should_halve_once_per_round_trip_when_requests_succeed_close_to_their_timeout() {
    InFlightLimit limit = adaptiveWithTimeout(16, 64, 100);

    assertThat(succeedRound(limit, 60)).isEqualTo(16); // all 16 succeed, each after 60 ms of its 100 ms

    assertThat(limit.limit()).isEqualTo(8);
    assertThat(changes).filteredOn(c -> c.cause() != LimitChange.Cause.START).containsExactly(new LimitChange(16, 8,
        LimitChange.Cause.LATENCY_ROSE, "a request took 60.0 ms, over 50% of its timeout (100.0 ms)"));
    assertThat(limit.inFlight()).as("every permit given back").isZero();

    // The next round trip, as slow: halve again.
    succeedRound(limit, 70);
    assertThat(limit.limit()).isEqualTo(4);
  }

  @Test
  void should_scale_the_limit_to_the_latency_once_per_round_trip_when_asked_to_near_the_timeout() {
    InFlightLimit limit = InFlightLimit.start(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 16, 64)
        .withRequestTimeout(java.time.Duration.ofMillis(100)).scalingNearTimeout(), changes::add, () -> now);

    assertThat(succeedRound(limit, 60)).isEqualTo(16); // all 16 succeed, each after 60 ms of its 100 ms

    // 50 ms of the 100 ms is where latency should be: 16 * 50 / 60 = 13.3.
    assertThat(limit.limit()).isEqualTo(13);
    assertThat(changes).filteredOn(c -> c.cause() != LimitChange.Cause.START).containsExactly(new LimitChange(16, 13,
        LimitChange.Cause.LATENCY_ROSE, "a request took 60.0 ms, over 50% of its timeout (100.0 ms)"));
    assertThat(limit.inFlight()).as("every permit given back").isZero();

    // The next round trip, slower: 13 * 50 / 70 = 9.3.
    succeedRound(limit, 70);
    assertThat(limit.limit()).isEqualTo(9);
    // An answer later than the timeout itself: halved, no more.
    succeedRound(limit, 150);
    assertThat(limit.limit()).isEqualTo(4);
  }

  @Test
  void should_cut_a_scaled_limit_near_the_timeout_by_half_at_most_and_by_one_at_least() {
    assertThat(AdaptiveLimit.nearTimeoutLimit(16, 0.6)).isEqualTo(13);
    assertThat(AdaptiveLimit.nearTimeoutLimit(16, 0.75)).isEqualTo(10);
    assertThat(AdaptiveLimit.nearTimeoutLimit(16, 1.0)).isEqualTo(8);
    assertThat(AdaptiveLimit.nearTimeoutLimit(16, 3.0)).as("half at most").isEqualTo(8);
    assertThat(AdaptiveLimit.nearTimeoutLimit(16, 0.51)).as("1 at least").isEqualTo(15);
    assertThat(AdaptiveLimit.nearTimeoutLimit(100, 0.501)).as("1 at least").isEqualTo(99);
    assertThat(AdaptiveLimit.nearTimeoutLimit(2, 0.55)).isEqualTo(1);
    assertThat(AdaptiveLimit.nearTimeoutLimit(1, 0.9)).as("never below 1").isEqualTo(1);
  }

  @Test
  void should_halve_a_writer_limit_near_the_timeout_even_if_asked_to_scale_it() {
    InFlightLimit limit = InFlightLimit.start(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 16, 64)
        .perRoundTrip().withRequestTimeout(java.time.Duration.ofMillis(100)).scalingNearTimeout(), changes::add,
        () -> now);

    succeedRound(limit, 60);

    assertThat(limit.limit()).isEqualTo(8);
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.LATENCY_ROSE).singleElement()
        .satisfies(c -> assertThat(c.previousLimit()).isEqualTo(16));
  }

  @Test
  void should_not_back_off_on_latency_below_half_the_timeout_nor_without_a_timeout() {
    InFlightLimit withTimeout = adaptiveWithTimeout(16, 64, 100);
    InFlightLimit withoutTimeout = adaptive(16, 64);

    for (int round = 0; round < 5; round++) {
      succeedRound(withTimeout, 45);
      succeedRound(withoutTimeout, 60);
    }

    assertThat(changes).noneMatch(c -> c.detail().contains("timeout"));
    assertThat(withTimeout.limit()).isGreaterThanOrEqualTo(16);
    assertThat(withoutTimeout.limit()).isGreaterThanOrEqualTo(16);
  }

  @Test
  void should_keep_a_fixed_limit_when_requests_come_close_to_their_timeout() {
    InFlightLimit limit = InFlightLimit.start(InFlightLimit.Settings.fixed(8)
        .withRequestTimeout(java.time.Duration.ofMillis(100)), changes::add, () -> now);

    succeedRound(limit, 90);

    assertThat(limit.limit()).isEqualTo(8);
    assertThat(changes).containsExactly(new LimitChange(0, 8, LimitChange.Cause.START, "fixed at 8"));
  }

  @Test
  void should_back_off_near_the_timeout_in_the_replica_set_of_the_slow_requests_only() {
    ReplicaSetLimits sets = ReplicaSetLimits.perReplicaSet(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 16,
        64).perRoundTrip().withRequestTimeout(java.time.Duration.ofMillis(100)), List.of("slow", "fine"),
        changes::add, () -> now);
    List<ReplicaSetLimits.Permit> slow = new ArrayList<>();
    List<ReplicaSetLimits.Permit> fine = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      slow.add(sets.tryAcquire("slow"));
      fine.add(sets.tryAcquire("fine"));
    }
    int slowBefore = sets.limit("slow");
    int fineBefore = sets.limit("fine");

    now += 5 * MS;
    fine.forEach(ReplicaSetLimits.Permit::succeeded);
    now += 55 * MS; // the slow set's requests took 60 ms of their 100 ms
    slow.forEach(ReplicaSetLimits.Permit::succeeded);

    assertThat(sets.limit("slow")).isEqualTo(slowBefore / 2);
    assertThat(sets.limit("fine")).isGreaterThanOrEqualTo(fineBefore);
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.LATENCY_ROSE).singleElement()
        .satisfies(c -> {
          assertThat(c.scope()).isEqualTo("slow");
          assertThat(c.detail()).isEqualTo("a request took 60.0 ms, over 50% of its timeout (100.0 ms)");
        });
  }

  /**
   * One round trip on a server that does two writes at a time, each in 1 ms: fill the limit, let as long pass as the
   * last of them waits (the queue the limit builds), and complete every request successfully.
   */
  private int succeedQueuedRound(InFlightLimit limit) {
    List<InFlightLimit.Permit> permits = fill(limit);
    now += Math.max(1, permits.size() / 2) * MS;
    permits.forEach(InFlightLimit.Permit::succeeded);
    return permits.size();
  }

  private InFlightLimit writer(int initial, int max) {
    return InFlightLimit.start(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, initial, max).perRoundTrip(),
        changes::add, () -> now);
  }

  /** Every request in flight times out together (one backoff). */
  private void timeOutRound(InFlightLimit limit) {
    List<InFlightLimit.Permit> timedOut = fill(limit);
    now += 30 * MS;
    timedOut.forEach(p -> p.failed(new DriverTimeoutException("timed out")));
  }

  @Test
  void should_drop_a_writers_limit_to_one_on_a_client_timeout_and_slow_start_back_to_half_of_it() {
    InFlightLimit limit = writer(32, 64);
    timeOutRound(limit);

    // No answer within the timeout: the node has stopped taking writes at this rate. One backoff for the round
    // trip, to 1, rather than a halving that would send 16 more into the same queue.
    assertThat(limit.limit()).isEqualTo(1);
    assertThat(changes).filteredOn(LimitChange::isDecrease)
        .containsExactly(new LimitChange(32, 1, LimitChange.Cause.ERRORS, "DriverTimeoutException: timed out"));

    // Slow start: every success grows AIMD's limit, so it doubles per round trip (where the latency limit, Vegas
    // here, allows) up to half the limit that timed out (16): far faster than 1 per round trip ...
    List<Integer> limits = new ArrayList<>();
    int previous = 1;
    for (int round = 0; round < 30; round++) {
      succeedQueuedRound(limit);
      int at = limit.limit();
      limits.add(at);
      assertThat(at).as("round %s: %s", round, limits).isBetween(1, previous < 16 ? 2 * previous : previous + 1);
      previous = at;
    }
    assertThat(limits.get(3)).as("after 4 round trips: %s", limits).isGreaterThan(1 + 4);
    // ... then 1 per round trip at most (checked above), past half the limit that timed out.
    assertThat(limits.get(limits.size() - 1)).as("%s", limits).isGreaterThan(16);
  }

  @Test
  void should_halve_a_writers_limit_on_a_server_timeout_and_a_readers_on_a_client_timeout() {
    InFlightLimit writer = writer(32, 64);
    List<InFlightLimit.Permit> timedOut = fill(writer);
    now += 30 * MS;
    // The coordinator answered: a replica was slow, the node still takes requests.
    timedOut.forEach(p -> p.failed(new com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException(null,
        com.datastax.oss.driver.api.core.DefaultConsistencyLevel.ONE, 0, 1,
        com.datastax.oss.driver.api.core.servererrors.WriteType.UNLOGGED_BATCH)));
    assertThat(writer.limit()).isEqualTo(16);

    InFlightLimit reader = adaptive(32, 64);
    List<InFlightLimit.Permit> reads = fill(reader);
    now += 30 * MS;
    reads.forEach(p -> p.failed(new DriverTimeoutException("timed out")));
    assertThat(reader.limit()).isEqualTo(16);
  }

  @Test
  void should_keep_a_writers_queue_short_after_trouble_and_let_it_grow_again_once_calm() {
    InFlightLimit limit = writer(16, 64);
    for (int round = 0; round < 300; round++) {
      succeedQueuedRound(limit);
    }
    // Gradient2 judges latency against its own long-run level, which follows the queue up.
    int beforeTrouble = limit.limit();
    assertThat(beforeTrouble).isGreaterThanOrEqualTo(30);
    assertThat(changes.get(changes.size() - 1).detail()).contains("long-run");

    timeOutRound(limit);
    changes.clear();
    for (int round = 0; round < 300; round++) {
      succeedQueuedRound(limit);
      if (round == 150) { // trouble again within the calm period: the queue stays short
        now += AdaptiveLimit.CALM_NANOS - 100 * MS;
        timeOutRound(limit);
      }
    }
    // Vegas keeps 8 to 16 writes queued above the lowest round trip seen (here 5 ms, at 10 in flight): a round trip
    // of n writes takes n/2 ms, so it reads n - 10 writes queued, and settles with 18 to 26 in flight.
    int troubled = limit.limit();
    assertThat(troubled).isBetween(10 + AdaptiveLimit.SHORT_QUEUE_MIN, 10 + AdaptiveLimit.SHORT_QUEUE_MAX)
        .isLessThanOrEqualTo(beforeTrouble / 2);
    assertThat(changes).filteredOn(c -> c.cause() != LimitChange.Cause.ERRORS).isNotEmpty()
        .allSatisfy(c -> assertThat(c.detail()).contains("lowest").contains("a short queue since the last"));

    now += AdaptiveLimit.CALM_NANOS;
    changes.clear();
    for (int round = 0; round < 300; round++) {
      succeedQueuedRound(limit);
    }
    assertThat(limit.limit()).isGreaterThan(troubled + 8);
    assertThat(changes).isNotEmpty().allSatisfy(c -> assertThat(c.detail()).contains("long-run"));
  }

  /**
   * One round trip of the writes of {@code sets} on one server that does two writes at a time, each in 1 ms, whatever
   * their replica set (nodes that share a host): fill every set's limit, let as long pass as the last write waits,
   * and complete them all.
   */
  private void succeedSharedRound(ReplicaSetLimits limits, List<String> sets) {
    List<ReplicaSetLimits.Permit> permits = new ArrayList<>();
    for (String set : sets) {
      for (ReplicaSetLimits.Permit p = limits.tryAcquire(set); p != null; p = limits.tryAcquire(set)) {
        permits.add(p);
      }
    }
    now += Math.max(1, permits.size() / 2) * MS;
    permits.forEach(ReplicaSetLimits.Permit::succeeded);
  }

  /** {@code rounds} of {@link #succeedSharedRound}. */
  private void succeedSharedRounds(ReplicaSetLimits limits, List<String> sets, int rounds) {
    for (int round = 0; round < rounds; round++) {
      succeedSharedRound(limits, sets);
    }
  }

  /** Every write in flight of {@code timingOut} times out at the same moment; the other sets' succeed. */
  private void stallRound(ReplicaSetLimits limits, List<String> sets, List<String> timingOut) {
    List<ReplicaSetLimits.Permit> failing = new ArrayList<>();
    List<ReplicaSetLimits.Permit> fine = new ArrayList<>();
    for (String set : sets) {
      for (ReplicaSetLimits.Permit p = limits.tryAcquire(set); p != null; p = limits.tryAcquire(set)) {
        (timingOut.contains(set) ? failing : fine).add(p);
      }
    }
    now += 30 * MS;
    fine.forEach(ReplicaSetLimits.Permit::succeeded);
    failing.forEach(p -> p.failed(new DriverTimeoutException("timed out")));
  }

  private ReplicaSetLimits writers(List<String> sets) {
    return writers(sets, 48);
  }

  private ReplicaSetLimits writers(List<String> sets, int initial) {
    return ReplicaSetLimits.perReplicaSet(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, initial, 512)
        .perRoundTrip(), sets, changes::add, () -> now);
  }

  private int sum(ReplicaSetLimits limits, List<String> sets) {
    return sets.stream().mapToInt(limits::limit).sum();
  }

  @Test
  void should_pool_replica_sets_that_time_out_together_into_one_limit_until_calm() {
    List<String> sets = List.of("a", "b", "c");
    ReplicaSetLimits limits = writers(sets);
    succeedSharedRounds(limits, sets, 300);
    stallRound(limits, sets, sets); // a stall of the shared host: all three time out at once
    assertThat(limits.pooled()).as("once may be a coincidence").isFalse();
    now += 500 * MS;
    stallRound(limits, sets, sets); // and again
    int sum = sum(limits, sets);
    changes.clear();

    assertThat(limits.pooled()).isTrue();
    assertThat(changes).singleElement().satisfies(c -> {
      assertThat(c.scope()).isEqualTo(LimitChange.ALL);
      assertThat(c.cause()).isEqualTo(LimitChange.Cause.POOLED);
      assertThat(c.limit()).as("from where the replica sets' limits stood together").isEqualTo(sum);
      assertThat(c.detail()).contains("one adaptive limit for all 3 replica sets")
          .contains("they met trouble together");
    });
    succeedSharedRounds(limits, sets, 300);
    // The shared limit moves; the replica sets' own limits wait, and every request in flight is under the shared one.
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.LATENCY_HELD).isNotEmpty()
        .allSatisfy(c -> assertThat(c.scope()).isEqualTo(LimitChange.ALL));
    assertThat(sum(limits, sets)).isEqualTo(sum);
    int shared = limits.poolLimit();
    List<ReplicaSetLimits.Permit> held = new ArrayList<>();
    for (String set : sets) {
      for (ReplicaSetLimits.Permit p = limits.tryAcquire(set); p != null; p = limits.tryAcquire(set)) {
        held.add(p);
      }
    }
    assertThat(held).hasSize(shared);
    held.forEach(ReplicaSetLimits.Permit::succeeded);

    // Calm again (no trouble together, and none of the shared limit's own, for the calm period): a limit each again.
    now += AdaptiveLimit.CALM_NANOS + 1;
    assertThat(limits.pooled()).isFalse();
    assertThat(changes.get(changes.size() - 1))
        .satisfies(c -> assertThat(c.cause()).isEqualTo(LimitChange.Cause.UNPOOLED))
        .satisfies(c -> assertThat(c.detail()).startsWith("a limit per replica set again"));
    succeedSharedRounds(limits, sets, 300);
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.LATENCY_HELD && c.isPerReplicaSet())
        .isNotEmpty();
  }

  @Test
  void should_keep_a_whole_short_queue_for_a_replica_set_that_times_out_alone() {
    List<String> sets = List.of("a", "b", "c");
    ReplicaSetLimits limits = writers(sets);
    succeedSharedRounds(limits, sets, 300);
    stallRound(limits, sets, List.of("a")); // a's node stalls alone: b's and c's carry on
    changes.clear();
    succeedSharedRounds(limits, List.of("a"), 300);
    // Alone on the server now, a's lowest round trip was 1 ms: n in flight read n - 2 queued; 8 to 16 queued.
    assertThat(limits.limit("a")).isBetween(2 + AdaptiveLimit.SHORT_QUEUE_MIN, 2 + AdaptiveLimit.SHORT_QUEUE_MAX);
    assertThat(changes).filteredOn(c -> c.scope().equals("a") && c.cause() != LimitChange.Cause.ERRORS).isNotEmpty()
        .allSatisfy(c -> assertThat(c.detail()).contains("a short queue since the last")
            .doesNotContain("met trouble together"));
  }

  @Test
  void should_pool_every_replica_set_once_two_of_them_meet_trouble_together() {
    List<String> sets = List.of("a", "b", "c");
    ReplicaSetLimits limits = writers(sets, 3);
    succeedSharedRounds(limits, sets, 300);
    for (int stall = 0; stall < SharedTrouble.WINDOWS; stall++) {
      stallRound(limits, sets, List.of("a", "b")); // a and b time out together; c's writes happen to succeed
      now += 500 * MS;
    }

    assertThat(limits.pooled()).isTrue();
    // c met no trouble of its own, but its nodes share the bottleneck: its requests go under the shared limit too.
    ReplicaSetLimits.Permit permit = limits.tryAcquire("c");
    assertThat(permit).isNotNull();
    assertThat(limits.inFlight("c")).as("not under c's own limit").isZero();
    assertThat(limits.inFlight()).isEqualTo(1);
    permit.succeeded();
  }
}
