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

  /** A writer's limits (latency per round trip) for replica sets a and b, each starting at 4 of 8, ceiling 64. */
  private ReplicaSetLimits writerLimits() {
    InFlightLimit.Settings settings = new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 8, 64).perRoundTrip()
        .withRequestTimeout(java.time.Duration.ofMillis(30));
    return ReplicaSetLimits.perReplicaSet(settings, List.of("a", "b"), changes::add, clock::get);
  }

  private static WriteTimeoutException timeout() {
    return new WriteTimeoutException(null, DefaultConsistencyLevel.ONE, 0, 1, WriteType.UNLOGGED_BATCH);
  }

  @Test
  void should_keep_a_limit_per_replica_set_while_only_one_meets_trouble() {
    ReplicaSetLimits limits = writerLimits();
    limits.tryAcquire("a").failed(timeout());
    clock.addAndGet(5 * MS);

    assertThat(limits.pooled()).isFalse();
    assertThat(limits.limit("a")).as("halved on its own").isEqualTo(2);
    assertThat(limits.limit("b")).isEqualTo(4);
    assertThat(limits.poolLimit()).isZero();
  }

  @Test
  void should_share_one_limit_from_their_sum_once_replica_sets_meet_trouble_together_and_bound_all_in_flight() {
    ReplicaSetLimits limits = writerLimits();
    ReplicaSetLimits.Permit early = limits.tryAcquire("b"); // taken before the pooling, still in flight after it
    limits.tryAcquire("a").failed(timeout());
    clock.addAndGet(5 * MS); // within the 30 ms window: one stall
    limits.tryAcquire("b").failed(timeout());

    assertThat(limits.pooled()).isTrue();
    assertThat(limits.poolLimit()).as("a's 2 and b's 2").isEqualTo(4);
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.START && c.scope().equals(LimitChange.ALL)
        && c.detail().contains("met trouble together")).singleElement()
        .satisfies(c -> assertThat(c.limit()).isEqualTo(4));

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
    limits.tryAcquire("a").failed(timeout());
    limits.tryAcquire("b").failed(timeout());
    assertThat(limits.pooled()).isTrue();

    clock.addAndGet(2_000 * MS);
    limits.tryAcquire("a").failed(timeout()); // the shared limit's own trouble keeps it
    clock.addAndGet(AdaptiveLimit.CALM_NANOS - 1_000 * MS);
    assertThat(limits.pooled()).as("9 s after the shared limit's last trouble").isTrue();

    clock.addAndGet(1_000 * MS + 1);
    assertThat(limits.pooled()).isFalse();
    assertThat(limits.poolLimit()).isZero();
    assertThat(changes.get(changes.size() - 1).detail()).startsWith("a limit per replica set again");
    assertThat(limits.tryAcquire("a")).as("a's own limit again").isNotNull();
    assertThat(limits.inFlight("a")).isEqualTo(1);
  }

  @Test
  void should_never_pool_range_reads() {
    InFlightLimit.Settings reads = new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 8, 64);
    ReplicaSetLimits limits = ReplicaSetLimits.perReplicaSet(reads, List.of("a", "b"), changes::add, clock::get);
    limits.tryAcquire("a").failed(timeout());
    limits.tryAcquire("b").failed(timeout());

    assertThat(limits.pooled()).isFalse();
  }
}
