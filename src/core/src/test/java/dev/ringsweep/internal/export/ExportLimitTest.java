package dev.ringsweep.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.ProgressListener;
import dev.ringsweep.internal.InFlightLimit;
import dev.ringsweep.internal.LimitMemory;
import dev.ringsweep.internal.ReplicaSetLimits;
import dev.ringsweep.token.TokenRange;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The limits of an export's page requests in flight: adaptive by default, one per replica set of the planned
 * ranges under the export's ceiling, fixed when the user set a parallelism. The writers take permits as
 * {@code RangeReader} does: {@code tryAcquire} for a page asked for ahead, {@code acquire} for the page needed now.
 */
class ExportLimitTest {

  private final List<LimitChange> changes = new CopyOnWriteArrayList<>();
  private final ProgressListener progress = new ProgressListener() {
    @Override
    public void onProgress(dev.ringsweep.Progress p) {}

    @Override
    public void onLimitChanged(LimitChange change) {
      changes.add(change);
    }
  };

  /** {@code perSet} planned ranges on each of the replica sets {@code sets}, as the export queues them. */
  private static List<ExportWorkers.Item> items(int perSet, String... sets) {
    List<ExportWorkers.Item> items = new ArrayList<>();
    long step = 1_000_000;
    for (int i = 0; i < perSet * sets.length; i++) {
      TokenRange range = TokenRange.of(i * step, (i + 1) * step);
      items.add(new ExportWorkers.Item(range, List.of(range)));
    }
    return items;
  }

  /** The replica set of the planned ranges of {@link #items}: in turn over {@code sets}. */
  private static Function<TokenRange, String> setsOf(String... sets) {
    return range -> sets[(int) (range.start() / 1_000_000 % sets.length)];
  }

  private ReplicaSetLimits limits(int parallelism, ConcurrencyMode mode, int writers, String... sets) {
    return ExportWorkers.limits(options(parallelism, mode), writers, items(4, sets), setsOf(sets), progress);
  }

  private static OperatorOptions options(int parallelism, ConcurrencyMode mode) {
    return options(parallelism, mode, Duration.ofSeconds(30));
  }

  private static OperatorOptions options(int parallelism, ConcurrencyMode mode, Duration requestTimeout) {
    return new OperatorOptions(64, parallelism, mode, DefaultConsistencyLevel.LOCAL_ONE, 5000, requestTimeout,
        3, Duration.ofMillis(100), 3, null);
  }

  @Test
  void should_adapt_up_to_two_pages_per_writer_when_the_ceiling_is_higher() {
    InFlightLimit.Settings settings = ExportWorkers.limitSettings(options(64, ConcurrencyMode.ADAPTIVE), 4);

    assertThat(settings).isEqualTo(
        new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 8, 8).withRequestTimeout(Duration.ofSeconds(30))
            .scalingNearTimeout());
  }

  @Test
  void should_adapt_up_to_the_operators_ceiling_when_it_is_lower_than_the_writers_can_use() {
    InFlightLimit.Settings settings = ExportWorkers.limitSettings(options(16, ConcurrencyMode.ADAPTIVE), 16);

    assertThat(settings).isEqualTo(
        new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 4, 16).withRequestTimeout(Duration.ofSeconds(30))
            .scalingNearTimeout());
  }

  @Test
  void should_keep_a_parallelism_the_user_fixed_whatever_the_writers() {
    assertThat(ExportWorkers.limitSettings(options(256, ConcurrencyMode.FIXED), 2))
        .isEqualTo(InFlightLimit.Settings.fixed(256));
    assertThat(ExportWorkers.limitSettings(options(1, ConcurrencyMode.FIXED), 8))
        .isEqualTo(InFlightLimit.Settings.fixed(1));
  }

  @Test
  void should_give_each_replica_set_its_own_adaptive_limit_from_an_even_share_under_the_ceiling() {
    // 64 parallelism, 4 writers: a ceiling of 8 and an initial limit of 8, shared by 2 replica sets.
    ReplicaSetLimits limits = limits(64, ConcurrencyMode.ADAPTIVE, 4, "a", "b");

    assertThat(limits.isPerReplicaSet()).isTrue();
    assertThat(changes).containsExactly(
        new LimitChange(0, 8, LimitChange.Cause.START, "adaptive per replica set (2 replica sets), at most 8 in all"),
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 8", "a"),
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 8", "b"));
  }

  @Test
  void should_start_an_export_of_the_same_operator_where_its_last_export_left_each_replica_sets_limit() {
    LimitMemory memory = new LimitMemory();
    OperatorOptions options = options(64, ConcurrencyMode.ADAPTIVE);
    ReplicaSetLimits first = ExportWorkers.limits(options, 16, items(4, "a", "b"), setsOf("a", "b"), memory,
        progress);
    // Replica set a's pages time out together: its limit halves; b's is untouched.
    List<ReplicaSetLimits.Permit> permits = new ArrayList<>();
    for (ReplicaSetLimits.Permit p = first.tryAcquire("a"); p != null; p = first.tryAcquire("a")) {
      permits.add(p);
    }
    permits.forEach(p -> p.failed(new DriverTimeoutException("timed out")));
    assertThat(first.limit("a")).isEqualTo(4);
    first.remember();
    changes.clear();

    ReplicaSetLimits second = ExportWorkers.limits(options, 16, items(4, "a", "b"), setsOf("a", "b"), memory,
        progress);

    assertThat(second.limit("a")).isEqualTo(4);
    assertThat(second.limit("b")).isEqualTo(8);
    assertThat(changes).filteredOn(c -> c.scope().equals("a")).singleElement()
        .satisfies(c -> assertThat(c.detail()).startsWith("adaptive, up to 32, from 4, where the last export left it")
            .endsWith("after trouble (so it grows by 1 per round trip)"));
    // A count of the same operator learned nothing from the export.
    assertThat(ReplicaSetLimits.of(ExportWorkers.limitSettings(options, 16), List.of("a", "b"), memory, "count",
        c -> { }, System::nanoTime).limit("a")).isEqualTo(8);
  }

  @Test
  void should_keep_one_adaptive_limit_when_every_range_has_the_same_replicas() {
    ReplicaSetLimits limits = limits(64, ConcurrencyMode.ADAPTIVE, 4, "a");

    assertThat(limits.isPerReplicaSet()).isFalse();
    assertThat(changes).containsExactly(new LimitChange(0, 8, LimitChange.Cause.START, "adaptive, up to 8"));
  }

  @Test
  void should_keep_one_fixed_limit_for_all_replica_sets_when_the_user_fixed_the_parallelism() {
    ReplicaSetLimits limits = limits(3, ConcurrencyMode.FIXED, 4, "a", "b", "c");

    assertThat(limits.isPerReplicaSet()).isFalse();
    assertThat(changes).containsExactly(new LimitChange(0, 3, LimitChange.Cause.START, "fixed at 3"));
    // One limit: three pages of any replica sets fill it.
    assertThat(limits.tryAcquire("a")).isNotNull();
    assertThat(limits.tryAcquire("b")).isNotNull();
    assertThat(limits.tryAcquire("c")).isNotNull();
    assertThat(limits.tryAcquire("a")).isNull();
    assertThat(limits.tryAcquire("b")).isNull();
  }

  @Test
  void should_lower_only_the_limit_of_the_replica_set_whose_pages_time_out() {
    // 64 writers and parallelism: each of 2 replica sets starts at 8, under a ceiling of 64.
    ReplicaSetLimits limits = limits(64, ConcurrencyMode.ADAPTIVE, 32, "slow", "fine");
    List<ReplicaSetLimits.Permit> slow = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      slow.add(limits.tryAcquire("slow"));
    }
    ReplicaSetLimits.Permit fine = limits.tryAcquire("fine");

    slow.forEach(p -> p.failed(new DriverTimeoutException("timed out")));
    fine.succeeded();

    assertThat(limits.limit("slow")).isEqualTo(4);
    assertThat(limits.limit("fine")).isEqualTo(8);
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.ERRORS).containsExactly(
        new LimitChange(8, 4, LimitChange.Cause.ERRORS, "DriverTimeoutException: timed out", "slow"));
  }

  @Test
  void should_never_let_the_pages_in_flight_of_all_replica_sets_exceed_the_ceiling() {
    // A ceiling of 8; each of 4 replica sets starts at 2 and may grow up to 8.
    ReplicaSetLimits limits = limits(64, ConcurrencyMode.ADAPTIVE, 4, "a", "b", "c", "d");
    List<ReplicaSetLimits.Permit> held = new ArrayList<>();
    String[] sets = {"a", "b", "c", "d"};
    // Grow every replica set's limit with fast successes at a full limit, then fill them all at once.
    for (int round = 0; round < 50; round++) {
      for (String set : sets) {
        List<ReplicaSetLimits.Permit> burst = new ArrayList<>();
        for (ReplicaSetLimits.Permit p; (p = limits.tryAcquire(set)) != null; ) {
          burst.add(p);
        }
        burst.forEach(ReplicaSetLimits.Permit::succeeded);
      }
    }
    assertThat(sets).as("the replica sets' limits grew past their share").anyMatch(s -> limits.limit(s) > 2);
    for (int i = 0; i < 100; i++) {
      ReplicaSetLimits.Permit p = limits.tryAcquire(sets[i % sets.length]);
      if (p != null) {
        held.add(p);
      }
    }

    assertThat(held).hasSize(8);
    assertThat(limits.inFlight()).isEqualTo(8);
    assertThat(limits.ceiling()).isEqualTo(8);
  }

  @Test
  void should_let_a_writer_read_a_replica_set_with_room_while_another_waits_for_a_full_one() throws Exception {
    // A ceiling of 8; "full" and "free" start at 4 each.
    ReplicaSetLimits limits = limits(64, ConcurrencyMode.ADAPTIVE, 4, "full", "free");
    List<ReplicaSetLimits.Permit> full = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      full.add(limits.acquire("full", () -> false));
    }
    // A writer needs a page of the full replica set: it waits...
    CompletableFuture<ReplicaSetLimits.Permit> waiting =
        CompletableFuture.supplyAsync(() -> limits.acquire("full", () -> false));
    Thread.sleep(100);
    assertThat(waiting).isNotDone();

    // ... holding no permit of the ceiling: the other replica set still gets all of its 4, at once.
    List<ReplicaSetLimits.Permit> free = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      CompletableFuture<ReplicaSetLimits.Permit> page =
          CompletableFuture.supplyAsync(() -> limits.acquire("free", () -> false));
      free.add(page.get(1, TimeUnit.SECONDS));
    }
    assertThat(limits.inFlight()).isEqualTo(8);
    assertThat(limits.inFlight("free")).isEqualTo(4);
    assertThat(waiting).isNotDone();

    // A page of the full replica set ends (freeing a permit of it and one of the ceiling): the writer goes on.
    full.get(0).succeeded();
    assertThat(waiting.get(5, TimeUnit.SECONDS)).isNotNull();
    assertThat(limits.inFlight("full")).isEqualTo(4);
    assertThat(limits.inFlight()).isEqualTo(8);
  }

  @Test
  void should_stop_waiting_for_a_full_replica_set_when_the_export_stops() {
    ReplicaSetLimits limits = limits(64, ConcurrencyMode.ADAPTIVE, 4, "full", "free");
    for (int i = 0; i < 4; i++) {
      limits.acquire("full", () -> false);
    }
    java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
    CompletableFuture<ReplicaSetLimits.Permit> waiting =
        CompletableFuture.supplyAsync(() -> limits.acquire("full", stopped::get));
    stopped.set(true);

    assertThat(waiting).failsWithin(5, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withCauseInstanceOf(IllegalStateException.class);
    assertThat(limits.inFlight()).isEqualTo(4);
  }

  @Test
  void should_halve_an_adaptive_limit_at_most_when_a_page_succeeds_after_its_whole_request_timeout()
      throws Exception {
    // A 10 ms request timeout: a page that took 30 ms came late, though it succeeded. Scaled to its latency, the limit
    // would be a sixth; it goes down by half at most.
    ReplicaSetLimits limits = slowPage(options(64, ConcurrencyMode.ADAPTIVE, Duration.ofMillis(10)));

    assertThat(limits.limit("a")).isEqualTo(4);
    assertThat(changes).filteredOn(c -> c.cause() == LimitChange.Cause.LATENCY_ROSE).singleElement()
        .satisfies(c -> {
          assertThat(c.previousLimit()).isEqualTo(8);
          assertThat(c.limit()).isEqualTo(4);
          assertThat(c.detail()).startsWith("a request took ").endsWith(", over 50% of its timeout (10.0 ms)");
        });
  }

  @Test
  void should_keep_a_fixed_limit_when_a_page_succeeds_after_more_than_half_of_the_request_timeout()
      throws Exception {
    ReplicaSetLimits limits = slowPage(options(8, ConcurrencyMode.FIXED, Duration.ofMillis(10)));

    assertThat(limits.limit("a")).isEqualTo(8);
    assertThat(changes).extracting(LimitChange::cause).containsExactly(LimitChange.Cause.START);
  }

  /** The limits of an export of 4 writers under {@code options}, after one page that took 30 ms and succeeded. */
  private ReplicaSetLimits slowPage(OperatorOptions options) throws InterruptedException {
    ReplicaSetLimits limits = ExportWorkers.limits(options, 4, items(4, "a"), setsOf("a"), progress);
    ReplicaSetLimits.Permit page = limits.tryAcquire("a");
    Thread.sleep(30);
    page.succeeded();
    return limits;
  }
}
