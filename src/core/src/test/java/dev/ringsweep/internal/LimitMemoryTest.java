package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * An operator's adaptive limits of range queries starting where its last operation of the same kind left them
 * ({@link LimitMemory}), driven by hand with a fake clock (no network, no threads).
 */
class LimitMemoryTest {

  private static final long MS = 1_000_000;
  private static final List<String> SETS = List.of("a", "b", "c");

  private long now = 1_000 * MS;
  private final List<LimitChange> changes = new CopyOnWriteArrayList<>();
  private final LimitMemory memory = new LimitMemory();

  private ReplicaSetLimits count(int initial, int max) {
    return ReplicaSetLimits.of(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, initial, max), SETS, memory,
        "count", changes::add, () -> now);
  }

  /** One round trip in every replica set: fill its limit, let {@code latencyMs} pass, complete every request. */
  private void succeedRound(ReplicaSetLimits limits, long latencyMs) {
    List<ReplicaSetLimits.Permit> permits = new ArrayList<>();
    for (String set : SETS) {
      for (ReplicaSetLimits.Permit p = limits.tryAcquire(set); p != null; p = limits.tryAcquire(set)) {
        permits.add(p);
      }
    }
    now += latencyMs * MS;
    permits.forEach(ReplicaSetLimits.Permit::succeeded);
  }

  /** Every request in flight in replica set {@code set} times out together (one backoff). */
  private void timeOutRound(ReplicaSetLimits limits, String set) {
    List<ReplicaSetLimits.Permit> permits = new ArrayList<>();
    for (ReplicaSetLimits.Permit p = limits.tryAcquire(set); p != null; p = limits.tryAcquire(set)) {
      permits.add(p);
    }
    now += 30 * MS;
    permits.forEach(p -> p.failed(new DriverTimeoutException("timed out")));
  }

  private List<LimitChange> starts() {
    return changes.stream().filter(c -> c.cause() == LimitChange.Cause.START && !c.scope().equals(LimitChange.ALL))
        .toList();
  }

  @Test
  void should_start_each_replica_set_where_the_last_operation_of_its_kind_left_it() {
    ReplicaSetLimits first = count(12, 64);
    assertThat(SETS).allSatisfy(set -> assertThat(first.limit(set)).isEqualTo(4));
    for (int round = 0; round < 5; round++) {
      succeedRound(first, 10);
    }
    timeOutRound(first, "b");
    int a = first.limit("a");
    int b = first.limit("b");
    assertThat(a).as("grown while latency held").isGreaterThan(4);
    assertThat(b).as("backed off").isLessThan(a);
    first.remember();
    changes.clear();
    now += 500 * MS;

    ReplicaSetLimits second = count(12, 64);

    assertThat(second.limit("a")).isEqualTo(a);
    assertThat(second.limit("b")).isEqualTo(b);
    assertThat(starts()).filteredOn(c -> c.scope().equals("a")).singleElement()
        .satisfies(c -> assertThat(c.detail()).isEqualTo(
            "adaptive, up to 64, from " + a + ", where the last count left it 0.5 s ago"));
    assertThat(starts()).filteredOn(c -> c.scope().equals("b")).singleElement()
        .satisfies(c -> assertThat(c.detail()).endsWith("after trouble (so it grows by 1 per round trip)"));
  }

  @Test
  void should_start_every_operation_afresh_with_a_memory_that_keeps_nothing() {
    LimitMemory none = LimitMemory.none();
    ReplicaSetLimits first = ReplicaSetLimits.of(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 12, 64), SETS,
        none, "count", changes::add, () -> now);
    for (int round = 0; round < 5; round++) {
      succeedRound(first, 10);
    }
    timeOutRound(first, "b");
    assertThat(first.limit("a")).as("grown while latency held").isGreaterThan(4);
    first.remember();
    changes.clear();
    now += 500 * MS;

    ReplicaSetLimits second = ReplicaSetLimits.of(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 12, 64), SETS,
        none, "count", changes::add, () -> now);

    assertThat(none.keeps()).isFalse();
    assertThat(SETS).allSatisfy(set -> assertThat(second.limit(set)).as(set).isEqualTo(4));
    assertThat(starts()).hasSize(SETS.size()).allSatisfy(c -> assertThat(c.detail()).isEqualTo("adaptive, up to 64"));
  }

  @Test
  void should_resume_a_limit_that_had_backed_off_growing_by_one_per_round_trip_and_a_fresh_one_by_doubling() {
    ReplicaSetLimits first = count(12, 64);
    timeOutRound(first, "b");
    int b = first.limit("b");
    first.remember();
    ReplicaSetLimits second = count(12, 64);
    assertThat(second.limit("b")).isEqualTo(b);

    // AIMD caps the limit after trouble at +1 per round trip; without trouble (a, c) it is not what holds them.
    for (int round = 0; round < 4; round++) {
      int at = second.limit("b");
      succeedRound(second, 10);
      assertThat(second.limit("b")).as("b after round %s from %s", round, at).isBetween(at, at + 1);
    }
    assertThat(second.limit("a")).as("a, which met no trouble").isGreaterThan(second.limit("b"));
  }

  @Test
  void should_start_a_limit_that_met_trouble_lately_where_its_last_backoff_left_it_not_where_it_climbed_since() {
    ReplicaSetLimits first = count(12, 64);
    timeOutRound(first, "b");
    int droppedTo = first.limit("b");
    for (int round = 0; round < 4; round++) {
      succeedRound(first, 10);
    }
    assertThat(first.limit("b")).as("climbed by 1 per round trip").isEqualTo(droppedTo + 4);
    first.remember();

    ReplicaSetLimits second = count(12, 64);
    assertThat(second.limit("b")).isEqualTo(droppedTo);

    // A backoff longer ago than the calm period before the end: where the limit climbed to since, as backed off.
    timeOutRound(second, "b");
    int droppedAgain = second.limit("b");
    for (int round = 0; round < 4; round++) {
      succeedRound(second, 10);
    }
    now += AdaptiveLimit.CALM_NANOS + MS;
    int climbed = second.limit("b");
    assertThat(climbed).isGreaterThan(droppedAgain);
    second.remember();
    changes.clear();

    ReplicaSetLimits third = count(12, 64);
    assertThat(third.limit("b")).isEqualTo(climbed);
    assertThat(starts()).filteredOn(c -> c.scope().equals("b")).singleElement()
        .satisfies(c -> assertThat(c.detail()).endsWith("after trouble (so it grows by 1 per round trip)"));
  }

  @Test
  void should_start_afresh_once_what_was_learned_is_older_than_the_window() {
    ReplicaSetLimits first = count(12, 64);
    for (int round = 0; round < 5; round++) {
      succeedRound(first, 10);
    }
    assertThat(first.limit("a")).isGreaterThan(4);
    first.remember();
    now += LimitMemory.WINDOW_NANOS + MS;
    changes.clear();

    ReplicaSetLimits second = count(12, 64);

    assertThat(SETS).allSatisfy(set -> assertThat(second.limit(set)).isEqualTo(4));
    assertThat(starts()).hasSize(3).allSatisfy(c -> assertThat(c.detail()).isEqualTo("adaptive, up to 64"));
  }

  @Test
  void should_keep_what_each_kind_learned_apart_and_never_start_above_the_ceiling() {
    ReplicaSetLimits first = count(12, 64);
    for (int round = 0; round < 8; round++) {
      succeedRound(first, 10);
    }
    int a = first.limit("a");
    assertThat(a).isGreaterThan(8);
    first.remember();

    ReplicaSetLimits otherKind = ReplicaSetLimits.of(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 12, 64),
        SETS, memory, "import-verify", changes::add, () -> now);
    assertThat(otherKind.limit("a")).isEqualTo(4);

    ReplicaSetLimits lowerCeiling = count(8, 8);
    assertThat(lowerCeiling.limit("a")).isEqualTo(8);
  }

  @Test
  void should_leave_a_fixed_limit_fixed_and_learn_nothing_from_it() {
    ReplicaSetLimits first = count(12, 64);
    for (int round = 0; round < 5; round++) {
      succeedRound(first, 10);
    }
    first.remember();

    ReplicaSetLimits fixed = ReplicaSetLimits.of(InFlightLimit.Settings.fixed(16), SETS, memory, "count",
        changes::add, () -> now);
    assertThat(fixed.isPerReplicaSet()).isFalse();
    assertThat(fixed.ceiling()).isEqualTo(16);
    fixed.remember();
    assertThat(memory.recall("count", LimitChange.ALL, now)).isNull();
  }

  @Test
  void should_resume_the_one_limit_of_an_operation_on_a_single_replica_set() {
    InFlightLimit.Settings settings = new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 4, 64);
    ReplicaSetLimits first = ReplicaSetLimits.of(settings, List.of("a"), memory, "count", changes::add, () -> now);
    assertThat(first.isPerReplicaSet()).isFalse();
    for (int round = 0; round < 5; round++) {
      List<ReplicaSetLimits.Permit> permits = new ArrayList<>();
      for (ReplicaSetLimits.Permit p = first.tryAcquire("a"); p != null; p = first.tryAcquire("a")) {
        permits.add(p);
      }
      now += 10 * MS;
      permits.forEach(ReplicaSetLimits.Permit::succeeded);
    }
    int learned = first.ceiling();
    assertThat(learned).isGreaterThan(4);
    first.remember();

    ReplicaSetLimits second = ReplicaSetLimits.of(settings, List.of("a"), memory, "count", changes::add, () -> now);

    assertThat(second.ceiling()).isEqualTo(learned);
  }
}
