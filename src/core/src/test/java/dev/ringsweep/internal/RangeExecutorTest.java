package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.NoNodeAvailableException;
import com.datastax.oss.driver.api.core.servererrors.ReadFailureException;
import com.datastax.oss.driver.api.core.servererrors.ReadTimeoutException;
import com.datastax.oss.driver.api.core.servererrors.UnauthorizedException;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import dev.ringsweep.token.TokenRange;
import java.math.BigInteger;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The executor's bookkeeping with plain asynchronous tasks (no database involved: this is pure scheduling logic). */
class RangeExecutorTest {

  private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(4);

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  /** Records what the executor reported. */
  private static class Recorder implements RangeExecutor.Sink<Long> {
    final List<TokenRange> succeeded = new CopyOnWriteArrayList<>();
    final Map<TokenRange, Long> results = new ConcurrentHashMap<>();
    final Map<TokenRange, List<TokenRange>> finished = new ConcurrentHashMap<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    final List<LimitChange> limits = new CopyOnWriteArrayList<>();

    @Override
    public void limitChanged(LimitChange change) {
      limits.add(change);
    }

    @Override
    public long rows(Long result) {
      return result;
    }

    @Override
    public void succeeded(TokenRange planned, TokenRange piece, Long result) {
      succeeded.add(piece);
      if (result != null) {
        results.put(piece, result);
      }
    }

    @Override
    public void finished(TokenRange planned, List<TokenRange> failedPieces, Throwable failure) {
      assertThat(finished.put(planned, List.copyOf(failedPieces))).as("finished twice: %s", planned).isNull();
      if (failure != null) {
        failures.add(failure);
      }
    }
  }

  private static RangeExecutor.Policy policy(int parallelism, int retries, int splitDepth) {
    return new RangeExecutor.Policy(parallelism, retries, Duration.ofMillis(1), Duration.ofMillis(5), splitDepth);
  }

  private CompletionStage<Long> later(Long value, Throwable error) {
    CompletableFuture<Long> f = new CompletableFuture<>();
    timer.schedule(
        () -> {
          if (error != null) {
            f.completeExceptionally(error);
          } else {
            f.complete(value);
          }
        },
        2,
        TimeUnit.MILLISECONDS);
    return f;
  }

  private static List<TokenRange> ranges(int n) {
    List<TokenRange> out = new ArrayList<>();
    long step = 1_000_000;
    for (int i = 0; i < n; i++) {
      out.add(TokenRange.of(i * step, (i + 1) * step));
    }
    return out;
  }

  private Recorder run(List<TokenRange> ranges, RangeExecutor.Policy policy, Function<TokenRange, CompletionStage<Long>> task) {
    Recorder recorder = new Recorder();
    RangeExecutor.run(ranges, policy, task, recorder, "test").join();
    return recorder;
  }

  @Test
  void should_run_every_range_once_with_at_most_parallelism_in_flight() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    List<TokenRange> ranges = ranges(200);
    Recorder recorder =
        run(ranges, policy(7, 0, 0), range -> {
          peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          return later(1L, null).whenComplete((v, e) -> inFlight.decrementAndGet());
        });

    assertThat(recorder.succeeded).containsExactlyInAnyOrderElementsOf(ranges);
    assertThat(recorder.finished.keySet()).containsExactlyInAnyOrderElementsOf(ranges);
    assertThat(recorder.finished.values()).allMatch(List::isEmpty);
    assertThat(peak.get()).isBetween(1, 7);
  }

  @Test
  void should_hold_a_fixed_limit_exactly_and_announce_it_once() {
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    Map<TokenRange, Integer> attempts = new ConcurrentHashMap<>();
    List<TokenRange> ranges = ranges(200);
    Recorder recorder =
        run(ranges, policy(7, 3, 0), range -> {
          peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          // The first attempt of every third range times out (and is retried): a fixed limit must not move for it.
          boolean timeout = ranges.indexOf(range) % 3 == 0 && attempts.merge(range, 1, Integer::sum) == 1;
          Throwable error = timeout ? new DriverTimeoutException("x") : null;
          return later(error == null ? 1L : null, error).whenComplete((v, e) -> inFlight.decrementAndGet());
        });

    assertThat(recorder.succeeded).containsExactlyInAnyOrderElementsOf(ranges);
    assertThat(peak.get()).isEqualTo(7);
    assertThat(recorder.limits).containsExactly(
        new LimitChange(0, 7, LimitChange.Cause.START, "fixed at 7"));
  }

  @Test
  void should_lower_an_adaptive_limit_when_tasks_time_out_and_still_finish_every_range() {
    AtomicInteger attempts = new AtomicInteger();
    List<TokenRange> ranges = ranges(300);
    RangeExecutor.Policy policy = new RangeExecutor.Policy(
        new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, 16, 32), 5, Duration.ofMillis(1), Duration.ofMillis(5),
        0, Double.POSITIVE_INFINITY);
    // The first 40 attempts time out, as on a node that is overloaded at the start.
    Recorder recorder = run(ranges, policy, range -> attempts.incrementAndGet() <= 40
        ? later(null, new DriverTimeoutException("overloaded")) : later(1L, null));

    assertThat(recorder.succeeded).containsExactlyInAnyOrderElementsOf(ranges);
    assertThat(recorder.failures).isEmpty();
    assertThat(recorder.limits.get(0)).isEqualTo(
        new LimitChange(0, 16, LimitChange.Cause.START, "adaptive, up to 32"));
    assertThat(recorder.limits).filteredOn(c -> c.cause() == LimitChange.Cause.ERRORS)
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.limit()).isEqualTo(c.previousLimit() / 2))
        .anySatisfy(c -> assertThat(c.previousLimit()).isEqualTo(16));
    assertThat(recorder.limits).extracting(LimitChange::limit).allMatch(l -> l >= 1 && l <= 32);
  }

  @Test
  void should_hold_the_rows_per_second_cap_on_average() {
    List<TokenRange> ranges = ranges(20);
    RangeExecutor.Policy policy = policy(2, 0, 0).withMaxRowsPerSecond(200);
    long started = System.nanoTime();

    // 20 ranges of 10 rows at 200 rows/s: the rows of all but the last two ranges (in flight together at the end)
    // must be paid for before the last ones start, so at least 180 / 200 s.
    Recorder recorder = run(ranges, policy, range -> later(10L, null));

    long elapsedMs = (System.nanoTime() - started) / 1_000_000;
    assertThat(recorder.succeeded).hasSize(20);
    assertThat(elapsedMs).isBetween(880L, 5_000L);
  }

  @Test
  void should_complete_at_once_for_an_empty_plan() {
    Recorder recorder = run(List.of(), policy(2, 0, 0), range -> later(1L, null));
    assertThat(recorder.finished).isEmpty();
  }

  @Test
  void should_retry_a_range_that_timed_out_once() {
    Map<TokenRange, AtomicInteger> attempts = new ConcurrentHashMap<>();
    Recorder recorder =
        run(ranges(3), policy(2, 3, 0), range -> {
          int attempt = attempts.computeIfAbsent(range, r -> new AtomicInteger()).incrementAndGet();
          return attempt == 1 ? later(null, new DriverTimeoutException("slow")) : later(1L, null);
        });

    assertThat(recorder.succeeded).hasSize(3);
    assertThat(attempts.values()).allMatch(a -> a.get() == 2);
    assertThat(recorder.failures).isEmpty();
  }

  @Test
  void should_split_a_range_that_keeps_timing_out_until_its_pieces_succeed() {
    TokenRange planned = TokenRange.of(0, 1 << 20);
    BigInteger small = BigInteger.valueOf(1 << 17);
    Recorder recorder =
        run(List.of(planned), policy(4, 1, 3), piece ->
            piece.size().compareTo(small) > 0
                ? later(null, new DriverTimeoutException("too big"))
                : later(piece.size().longValue(), null));

    // Two splits by 4: 16 pieces of 2^16 tokens, covering the planned range exactly once.
    assertThat(recorder.succeeded).hasSize(16);
    assertThat(recorder.succeeded.stream().map(TokenRange::size).reduce(BigInteger.ZERO, BigInteger::add))
        .isEqualTo(planned.size());
    assertThat(recorder.finished).containsOnlyKeys(planned);
    assertThat(recorder.finished.get(planned)).isEmpty();
  }

  @Test
  void should_report_a_range_that_still_times_out_at_the_deepest_split() {
    TokenRange planned = TokenRange.of(0, 1 << 20);
    Recorder recorder =
        run(List.of(planned), policy(4, 0, 1), piece -> later(null, new DriverTimeoutException("always")));

    assertThat(recorder.succeeded).isEmpty();
    assertThat(recorder.finished.get(planned)).hasSize(4);
    assertThat(recorder.failures).hasSize(1).first().isInstanceOf(DriverTimeoutException.class);
  }

  @Test
  void should_give_up_on_a_fatal_error_without_retrying() {
    AtomicInteger attempts = new AtomicInteger();
    TokenRange planned = TokenRange.of(0, 100);
    Recorder recorder =
        run(List.of(planned), policy(1, 5, 3), piece -> {
          attempts.incrementAndGet();
          return later(null, new IllegalStateException("bad query"));
        });

    assertThat(attempts.get()).isEqualTo(1);
    assertThat(recorder.finished.get(planned)).containsExactly(planned);
    assertThat(recorder.failures).first().isInstanceOf(IllegalStateException.class);
  }

  @Test
  void should_retry_an_unavailable_range_then_give_up_without_splitting() {
    AtomicInteger attempts = new AtomicInteger();
    TokenRange planned = TokenRange.of(0, 1 << 20);
    Recorder recorder =
        run(List.of(planned), policy(1, 2, 3), piece -> {
          attempts.incrementAndGet();
          return later(null, new NoNodeAvailableException());
        });

    assertThat(attempts.get()).isEqualTo(3);
    assertThat(recorder.finished.get(planned)).containsExactly(planned);
  }

  @Test
  void should_treat_a_task_that_throws_as_a_failed_range() {
    TokenRange planned = TokenRange.of(0, 100);
    Recorder recorder =
        run(List.of(planned), policy(1, 0, 0), piece -> {
          throw new IllegalArgumentException("cannot bind");
        });
    assertThat(recorder.finished.get(planned)).containsExactly(planned);
  }

  @Test
  void should_retry_timeouts_and_unreachable_nodes_but_not_request_errors() {
    assertThat(Errors.isRetryable(new DriverTimeoutException("slow"))).isTrue();
    assertThat(Errors.isRetryable(new CompletionException(new NoNodeAvailableException()))).isTrue();
    assertThat(Errors.isRetryable(new UnauthorizedException(null, "User u has no SELECT permission")))
        .isFalse();
    assertThat(Errors.isRetryable(new IllegalStateException("bad query"))).isFalse();
  }

  @Test
  void should_run_the_fallback_for_a_piece_that_times_out_at_every_split_depth_and_report_its_result() {
    TokenRange planned = TokenRange.of(0, 1 << 20);
    long hot = 5; // a token every split keeps in one piece, as a huge partition would be
    List<TokenRange> fellBack = new CopyOnWriteArrayList<>();
    List<TokenRange> fallbackRuns = new CopyOnWriteArrayList<>();
    Recorder recorder = new Recorder() {
      @Override
      public void fallingBack(TokenRange piece) {
        fellBack.add(piece);
      }
    };

    RangeExecutor.run(List.of(planned), policy(4, 1, 2),
        piece -> piece.contains(hot) ? later(null, serverTimeout()) : later(1L, null),
        piece -> {
          fallbackRuns.add(piece);
          return later(1_000L, null);
        },
        recorder, "test").join();

    // Split twice (only the piece holding the hot token each time): 3 + 3 pieces succeeded, and the hot one of the
    // last split fell back, once, with its result reported; together they cover the planned range exactly once.
    assertThat(recorder.succeeded).hasSize(7);
    assertThat(recorder.succeeded.stream().map(TokenRange::size).reduce(BigInteger.ZERO, BigInteger::add))
        .isEqualTo(planned.size());
    assertThat(fellBack).hasSize(1).allMatch(piece -> piece.contains(hot));
    assertThat(fallbackRuns).isEqualTo(fellBack);
    assertThat(recorder.results.get(fellBack.get(0))).isEqualTo(1_000L);
    assertThat(recorder.finished.get(planned)).isEmpty();
    assertThat(recorder.failures).isEmpty();
  }

  @Test
  void should_run_a_fallback_once_and_fail_the_piece_when_it_fails_too() {
    TokenRange planned = TokenRange.of(0, 2); // too small to split
    AtomicInteger fallbackRuns = new AtomicInteger();
    Recorder recorder = new Recorder();
    ReadTimeoutException fallbackError = serverTimeout();

    RangeExecutor.run(List.of(planned), policy(2, 2, 3),
        piece -> later(null, serverTimeout()),
        piece -> {
          fallbackRuns.incrementAndGet();
          return later(null, fallbackError);
        },
        recorder, "test").join();

    assertThat(fallbackRuns.get()).isEqualTo(1);
    assertThat(recorder.finished.get(planned)).containsExactly(planned);
    assertThat(recorder.failures).singleElement().isSameAs(fallbackError);
  }

  /**
   * Cassandra 4.0+ answers a read failure for an unnamed reason when the coordinator's own local read was aborted at
   * the server's timeout (it races the coordinator's {@code ReadTimeoutException}): that too makes a piece fall back.
   */
  @Test
  void should_fall_back_after_a_read_failure_the_server_gave_no_reason_for() {
    TokenRange planned = TokenRange.of(0, 2); // too small to split
    AtomicInteger fallbackRuns = new AtomicInteger();
    Recorder recorder = new Recorder();

    RangeExecutor.run(List.of(planned), policy(2, 1, 3),
        piece -> later(null, new ReadFailureException(null, DefaultConsistencyLevel.LOCAL_ONE, 0, 1, 1, false,
            Map.of(InetAddress.getLoopbackAddress(), Errors.REASON_UNKNOWN))),
        piece -> {
          fallbackRuns.incrementAndGet();
          return later(5L, null);
        },
        recorder, "test").join();

    assertThat(fallbackRuns.get()).isEqualTo(1);
    assertThat(recorder.results).containsExactly(Map.entry(planned, 5L));
    assertThat(recorder.finished.get(planned)).isEmpty();
    assertThat(recorder.failures).isEmpty();
  }

  @Test
  void should_not_fall_back_after_client_side_timeouts_which_say_the_node_is_in_trouble() {
    TokenRange planned = TokenRange.of(0, 2);
    AtomicInteger fallbackRuns = new AtomicInteger();
    Recorder recorder = new Recorder();

    RangeExecutor.run(List.of(planned), policy(2, 1, 3),
        piece -> later(null, new DriverTimeoutException("no answer")),
        piece -> {
          fallbackRuns.incrementAndGet();
          return later(5L, null);
        },
        recorder, "test").join();

    assertThat(fallbackRuns.get()).isZero();
    assertThat(recorder.finished.get(planned)).containsExactly(planned);
  }

  /** What the server answers when a read takes longer than its timeout. */
  private static ReadTimeoutException serverTimeout() {
    return new ReadTimeoutException(null, DefaultConsistencyLevel.LOCAL_ONE, 0, 1, false);
  }

  private static RangeExecutor.Policy adaptive(int initial, int max, int retries) {
    return new RangeExecutor.Policy(new InFlightLimit.Settings(ConcurrencyMode.ADAPTIVE, initial, max), retries,
        Duration.ofMillis(1), Duration.ofMillis(5), 0, Double.POSITIVE_INFINITY);
  }

  private Recorder runGrouped(List<TokenRange> ranges, RangeExecutor.Policy policy,
      Function<TokenRange, String> groupOf, Function<TokenRange, CompletionStage<Long>> task) {
    Recorder recorder = new Recorder();
    RangeExecutor.run(ranges, policy, task, null, recorder, "test", groupOf).join();
    return recorder;
  }

  @Test
  void should_give_each_replica_set_its_own_adaptive_limit_under_the_ceiling() {
    List<TokenRange> ranges = ranges(300);
    Function<TokenRange, String> groupOf = r -> "node" + (ranges.indexOf(r) % 3);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();

    Recorder recorder = runGrouped(ranges, adaptive(12, 24, 0), groupOf, range -> {
      peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      return later(1L, null).whenComplete((v, e) -> inFlight.decrementAndGet());
    });

    assertThat(recorder.succeeded).containsExactlyInAnyOrderElementsOf(ranges);
    assertThat(recorder.limits.subList(0, 4)).containsExactly(
        new LimitChange(0, 24, LimitChange.Cause.START, "adaptive per replica set (3 replica sets), at most 24 in all"),
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 24", "node0"),
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 24", "node1"),
        new LimitChange(0, 4, LimitChange.Cause.START, "adaptive, up to 24", "node2"));
    // The ceiling is fixed; only the replica sets' limits move.
    assertThat(recorder.limits).filteredOn(c -> !c.isPerReplicaSet()).hasSize(1);
    assertThat(peak.get()).isBetween(1, 24);
  }

  @Test
  void should_lower_only_the_limit_of_the_replica_set_that_times_out() {
    List<TokenRange> ranges = ranges(300);
    Function<TokenRange, String> groupOf = r -> ranges.indexOf(r) % 2 == 0 ? "slow" : "fine";
    AtomicInteger slowAttempts = new AtomicInteger();

    // The first 30 attempts on the slow replica set time out; the other never fails.
    Recorder recorder = runGrouped(ranges, adaptive(16, 32, 10), groupOf, range -> {
      boolean slow = groupOf.apply(range).equals("slow");
      return slow && slowAttempts.incrementAndGet() <= 30
          ? later(null, new DriverTimeoutException("overloaded")) : later(1L, null);
    });

    assertThat(recorder.succeeded).containsExactlyInAnyOrderElementsOf(ranges);
    assertThat(recorder.failures).isEmpty();
    List<LimitChange> errors =
        recorder.limits.stream().filter(c -> c.cause() == LimitChange.Cause.ERRORS).toList();
    assertThat(errors).isNotEmpty().allSatisfy(c -> {
      assertThat(c.scope()).isEqualTo("slow");
      assertThat(c.limit()).isEqualTo(c.previousLimit() / 2);
      assertThat(c.detail()).isEqualTo("DriverTimeoutException: overloaded");
    });
    // The other replica set never met an error: its limit only followed its own latency (real timers here).
    assertThat(recorder.limits).filteredOn(c -> c.scope().equals("fine"))
        .isNotEmpty().noneMatch(c -> c.cause() == LimitChange.Cause.ERRORS);
  }

  @Test
  void should_not_starve_a_replica_set_whose_limit_has_room_behind_one_that_is_full() throws Exception {
    // Two replica sets; the first's ranges never finish until released, so its limit fills: the second's ranges
    // must still all run (they are not stuck behind the first's queue).
    List<TokenRange> ranges = ranges(40);
    Function<TokenRange, String> groupOf = r -> ranges.indexOf(r) < 20 ? "stuck" : "free";
    CompletableFuture<Void> release = new CompletableFuture<>();
    List<TokenRange> freeDone = new CopyOnWriteArrayList<>();
    Recorder recorder = new Recorder();

    CompletableFuture<Void> done = RangeExecutor.run(ranges, adaptive(8, 8, 0), range -> {
      if (groupOf.apply(range).equals("stuck")) {
        return release.thenApply(v -> 1L);
      }
      return later(1L, null).whenComplete((v, e) -> freeDone.add(range));
    }, null, recorder, "test", groupOf);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (freeDone.size() < 20 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(freeDone).hasSize(20);
    assertThat(done).isNotDone();
    release.complete(null);
    done.join();
    assertThat(recorder.succeeded).containsExactlyInAnyOrderElementsOf(ranges);
  }

  @Test
  void should_keep_one_fixed_limit_for_all_replica_sets_when_the_user_fixed_it() {
    List<TokenRange> ranges = ranges(60);
    Recorder recorder = runGrouped(ranges, policy(5, 0, 0), r -> "node" + (ranges.indexOf(r) % 3),
        range -> later(1L, null));

    assertThat(recorder.succeeded).hasSize(60);
    assertThat(recorder.limits).containsExactly(new LimitChange(0, 5, LimitChange.Cause.START, "fixed at 5"));
  }
}
