package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.WriteType;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a writer's replica sets share one limit (their troubles show one bottleneck), and when they stop. */
class ReplicaSetLimitsPoolTest {

  private static final long MS = 1_000_000;

  private final AtomicLong clock = new AtomicLong(5_000 * MS);
  private final List<LimitChange> changes = new CopyOnWriteArrayList<>();

  /** A writer's limits (latency per round trip) for replica sets a and b, each starting at 8 of 16, ceiling 64. */
  private ReplicaSetLimits writerLimits() {
    InFlightLimit.Settings settings = new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 16, 64).perRoundTrip()
        .withRequestTimeout(java.time.Duration.ofMillis(30));
    return ReplicaSetLimits.perReplicaSet(settings, List.of("a", "b"), changes::add, clock::get);
  }

  private static WriteTimeoutException timeout() {
    return new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH);
  }

  /** a's and b's writes time out within 5 ms of each other (one window), then 100 ms pass. */
  private void timeOutTogether(ReplicaSetLimits limits) {
    limits.tryAcquire("a").failed(timeout());
    clock.addAndGet(5 * MS);
    limits.tryAcquire("b").failed(timeout());
    clock.addAndGet(100 * MS);
  }

  @Test
  void should_keep_a_limit_per_replica_set_while_only_one_meets_trouble() {
    ReplicaSetLimits limits = writerLimits();
    limits.tryAcquire("a").failed(timeout());
    clock.addAndGet(100 * MS);
    limits.tryAcquire("a").failed(timeout());
    clock.addAndGet(5 * MS);

    assertThat(limits.pooled()).isFalse();
    assertThat(limits.limit("a")).as("halved twice on its own").isEqualTo(2);
    assertThat(limits.limit("b")).isEqualTo(8);
    assertThat(limits.poolLimit()).isZero();
  }

  @Test
  void should_keep_a_limit_per_replica_set_after_trouble_met_together_only_once() {
    ReplicaSetLimits limits = writerLimits();
    timeOutTogether(limits);
    limits.tryAcquire("a").failed(timeout()); // a alone again

    assertThat(limits.pooled()).as("one window together may be a coincidence").isFalse();
    assertThat(limits.limit("a")).isEqualTo(2);
    assertThat(limits.limit("b")).isEqualTo(4);
  }

  @Test
  void should_take_writes_near_their_timeout_as_trouble_met_together_from_the_second_window_on() {
    ReplicaSetLimits limits = writerLimits();
    for (int window = 0; window < SharedTrouble.WINDOWS; window++) {
      assertThat(limits.pooled()).as("before window %d", window).isFalse();
      ReplicaSetLimits.Permit slow = limits.tryAcquire("b");
      limits.tryAcquire("a").failed(timeout());
      clock.addAndGet(20 * MS); // b's write took 20 ms of its 30 ms timeout: past half of it
      slow.succeeded();
      clock.addAndGet(100 * MS);
    }

    assertThat(limits.pooled()).isTrue();
    assertThat(changes).as("b backed off on its slow writes").anyMatch(c -> c.scope().equals("b")
        && c.cause() == LimitChange.Cause.LATENCY_ROSE && c.isDecrease());
  }

  @Test
  void should_not_count_trouble_that_a_limit_skipped_as_met_together() {
    ReplicaSetLimits limits = writerLimits();
    // b's writes all started before its first backoff: one backoff for the round trip, the rest skipped.
    List<ReplicaSetLimits.Permit> early = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      early.add(limits.tryAcquire("b"));
    }
    early.get(0).failed(timeout());
    clock.addAndGet(500 * MS);
    for (int i = 1; i < 4; i++) {
      limits.tryAcquire("a").failed(timeout()); // a's troubles, each alone in its own window but for b's skipped ones
      early.get(i).failed(timeout());
      clock.addAndGet(500 * MS);
    }

    assertThat(limits.pooled()).isFalse();
  }

  @Test
  void should_share_one_limit_from_their_sum_once_replica_sets_meet_trouble_together_and_bound_all_in_flight() {
    ReplicaSetLimits limits = writerLimits();
    timeOutTogether(limits); // one stall: a's and b's limits halve to 4, each its own
    assertThat(limits.pooled()).isFalse();
    ReplicaSetLimits.Permit early = limits.tryAcquire("b"); // taken before the pooling, still in flight after it
    limits.tryAcquire("a").failed(timeout());
    clock.addAndGet(5 * MS); // within the 30 ms window: a second stall
    limits.tryAcquire("b").failed(timeout());

    assertThat(limits.pooled()).isTrue();
    assertThat(limits.poolLimit()).as("a's 2 and b's 2").isEqualTo(4);
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.POOLED).singleElement()
        .satisfies(c -> assertThat(c.scope()).isEqualTo(LimitChange.ALL))
        .satisfies(c -> assertThat(c.detail()).contains("met trouble together"))
        .satisfies(c -> assertThat(c.previousLimit()).as("the ceiling on the sum").isEqualTo(64))
        .satisfies(c -> assertThat(c.limit()).isEqualTo(4));
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.START && !c.isPerReplicaSet())
        .as("the pooling is not an operation's start").hasSize(1);

    // The shared limit bounds every request in flight, whichever replica set, the early one included.
    List<ReplicaSetLimits.Permit> held = new ArrayList<>();
    for (String set : List.of("a", "a", "a", "b", "b")) {
      ReplicaSetLimits.Permit permit = limits.tryAcquire(set);
      if (permit != null) {
        held.add(permit);
      }
    }
    assertThat(held).hasSize(3);
    assertThat(limits.inFlight()).isEqualTo(4);
    early.succeeded();
    assertThat(limits.tryAcquire("a")).as("the early permit's room goes to any replica set").isNotNull();
  }

  @Test
  void should_give_each_replica_set_its_own_limit_again_once_calm() {
    ReplicaSetLimits limits = writerLimits();
    timeOutTogether(limits);
    timeOutTogether(limits);
    assertThat(limits.pooled()).isTrue();

    clock.addAndGet(2_000 * MS);
    limits.tryAcquire("a").failed(timeout()); // the shared limit's own trouble keeps it
    clock.addAndGet(AdaptiveLimit.CALM_NANOS - 1_000 * MS);
    assertThat(limits.pooled()).as("9 s after the shared limit's last trouble").isTrue();

    clock.addAndGet(1_000 * MS + 1);
    assertThat(limits.pooled()).isFalse();
    assertThat(limits.poolLimit()).isZero();
    assertThat(changes.get(changes.size() - 1))
        .satisfies(c -> assertThat(c.cause()).isEqualTo(LimitChange.Cause.UNPOOLED))
        .satisfies(c -> assertThat(c.limit()).as("the ceiling again").isEqualTo(64))
        .satisfies(c -> assertThat(c.detail()).startsWith("a limit per replica set again"));
    assertThat(limits.tryAcquire("a")).as("a's own limit again").isNotNull();
    assertThat(limits.inFlight("a")).isEqualTo(1);
  }

  @Test
  void should_never_pool_range_reads() {
    InFlightLimit.Settings reads = new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 8, 64);
    ReplicaSetLimits limits = ReplicaSetLimits.perReplicaSet(reads, List.of("a", "b"), changes::add, clock::get);
    timeOutTogether(limits);
    timeOutTogether(limits);

    assertThat(limits.pooled()).isFalse();
  }

  /** A writer's limits, as {@link #writerLimits()}, opened as requests come, remembering in {@code memory}. */
  private ReplicaSetLimits writerLimits(LimitMemory memory) {
    InFlightLimit.Settings settings = new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 16, 64).perRoundTrip()
        .withRequestTimeout(java.time.Duration.ofMillis(30));
    return ReplicaSetLimits.forWriter(settings, true, memory, "writer", changes::add, clock::get);
  }

  /** A writer's limits remembering in {@code memory}, whose replica sets a and b have met trouble together twice. */
  private ReplicaSetLimits pooledWriter(LimitMemory memory) {
    ReplicaSetLimits limits = writerLimits(memory);
    limits.open("a", 2);
    limits.open("b", 2);
    timeOutTogether(limits);
    timeOutTogether(limits);
    return limits;
  }

  @Test
  void should_start_a_writer_pooled_where_the_last_writer_left_its_shared_limit_and_keep_it_until_calm() {
    LimitMemory memory = new LimitMemory();
    ReplicaSetLimits first = pooledWriter(memory);
    assertThat(first.pooled()).isTrue();
    int left = first.poolLimit();
    first.remember();
    changes.clear();
    clock.addAndGet(1_000 * MS);

    ReplicaSetLimits next = writerLimits(memory);
    assertThat(next.pooled()).as("pooled before its first trouble").isTrue();
    assertThat(next.poolLimit()).isEqualTo(left);
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.POOLED && c.scope().equals(LimitChange.ALL)
        && c.detail().contains("where the last writer left it")).singleElement()
        .satisfies(c -> assertThat(c.limit()).isEqualTo(left));
    List<ReplicaSetLimits.Permit> held = new ArrayList<>();
    for (int i = 0; i < left + 2; i++) {
      ReplicaSetLimits.Permit permit = next.tryAcquire(i % 2 == 0 ? "a" : "b");
      if (permit != null) {
        held.add(permit);
      }
    }
    assertThat(held).as("the shared limit bounds both replica sets").hasSize(left);
    held.forEach(ReplicaSetLimits.Permit::succeeded);

    clock.addAndGet(AdaptiveLimit.CALM_NANOS - 1_000 * MS);
    assertThat(next.pooled()).as("9 s after its start, untroubled").isTrue();
    clock.addAndGet(1_000 * MS + 1);
    assertThat(next.pooled()).as("calm for 10 s since its start").isFalse();
  }

  @Test
  void should_start_a_writer_per_replica_set_when_the_last_writer_had_stopped_pooling() {
    LimitMemory memory = new LimitMemory();
    ReplicaSetLimits first = pooledWriter(memory);
    first.remember(); // pooled when it ended
    clock.addAndGet(AdaptiveLimit.CALM_NANOS + 1);
    ReplicaSetLimits second = writerLimits(memory);
    assertThat(second.pooled()).isTrue();
    clock.addAndGet(AdaptiveLimit.CALM_NANOS + 1);
    assertThat(second.pooled()).as("calm since its start").isFalse();
    second.remember(); // not pooled when it ended: the memory of the pool is forgotten

    ReplicaSetLimits third = writerLimits(memory);
    assertThat(third.pooled()).isFalse();
    assertThat(third.tryAcquire("a")).isNotNull();
    assertThat(third.inFlight("a")).as("a limit of its own").isEqualTo(1);
  }

  @Test
  void should_start_a_writer_afresh_without_memory_or_once_the_memory_is_older_than_its_window() {
    LimitMemory memory = new LimitMemory();
    ReplicaSetLimits first = pooledWriter(memory);
    first.remember();

    assertThat(writerLimits(null).pooled()).isFalse();
    clock.addAndGet(LimitMemory.WINDOW_NANOS + 1);
    assertThat(writerLimits(memory).pooled()).isFalse();
  }

  @Test
  void should_keep_the_writers_of_one_session_in_one_memory_and_those_of_another_apart() {
    Object session = new Object();
    assertThat(LimitMemory.ofWriters(session)).isSameAs(LimitMemory.ofWriters(session))
        .isNotSameAs(LimitMemory.ofWriters(new Object()));
  }
}
