package dev.ringsweep.internal.count;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.LimitChange;
import dev.ringsweep.OperatorOptions;
import dev.ringsweep.internal.InFlightLimit;
import dev.ringsweep.internal.LimitTests;
import dev.ringsweep.internal.RangeExecutor;
import dev.ringsweep.token.TokenRange;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limit of a count's range queries in flight: adaptive by default, backing off when a range query succeeds after
 * more than half of the operator's request timeout; fixed when the user set a parallelism. Run through the
 * {@link RangeExecutor} a count runs its range queries on, with timed tasks standing in for the queries.
 */
class CountLimitTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<LimitChange> changes = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }


  @Test
  void should_give_an_adaptive_count_the_request_timeout_to_back_off_near() {
    InFlightLimit.Settings settings =
        CountOperation.limitSettings(LimitTests.options(64, ConcurrencyMode.ADAPTIVE, Duration.ofMillis(250)));

    assertThat(settings.mode()).isEqualTo(ConcurrencyMode.ADAPTIVE);
    assertThat(settings.max()).isEqualTo(64);
    assertThat(settings.requestTimeoutNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
  }

  @Test
  void should_halve_an_adaptive_count_limit_when_a_range_query_succeeds_after_more_than_half_of_the_timeout() {
    // A 40 ms request timeout; the fourth range query takes 60 ms and succeeds: nearly a timeout.
    run(LimitTests.options(64, ConcurrencyMode.ADAPTIVE, Duration.ofMillis(40)), 3);

    assertThat(LimitTests.nearTimeout(changes)).isNotEmpty().allSatisfy(c -> {
      assertThat(c.cause()).isEqualTo(LimitChange.Cause.LATENCY_ROSE);
      assertThat(c.limit()).isEqualTo(Math.max(1, c.previousLimit() / 2));
      assertThat(c.detail()).endsWith(", over 50% of its timeout (40.0 ms)");
    });
  }

  @Test
  void should_not_back_off_a_count_whose_range_queries_stay_well_under_the_timeout() {
    // The same queries under the default 30 s timeout: the slow one is far from it.
    run(LimitTests.options(64, ConcurrencyMode.ADAPTIVE, Duration.ofSeconds(30)), 3);

    assertThat(changes).isNotEmpty();
    assertThat(LimitTests.nearTimeout(changes)).isEmpty();
  }

  @Test
  void should_keep_a_fixed_count_limit_when_a_range_query_nears_the_timeout() {
    run(LimitTests.options(8, ConcurrencyMode.FIXED, Duration.ofMillis(40)), 3);

    assertThat(changes).extracting(LimitChange::cause).containsExactly(LimitChange.Cause.START);
    assertThat(changes.get(0).limit()).isEqualTo(8);
  }

  /**
   * Runs 40 ranges under a count's limit as {@code options} set it, each answered after 1 ms but range
   * {@code slow}, after 60 ms.
   */
  private void run(OperatorOptions options, int slow) {
    List<TokenRange> ranges = LimitTests.ranges(40);
    RangeExecutor.Policy policy = RangeExecutor.Policy.of(options).withLimit(CountOperation.limitSettings(options));
    RangeExecutor.run(ranges, policy, range -> later(ranges.indexOf(range) == slow ? 60 : 1), new Sink(), "count")
        .join();
  }

  private CompletionStage<Long> later(long millis) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    timer.schedule(() -> done.complete(1L), millis, TimeUnit.MILLISECONDS);
    return done;
  }

  private final class Sink implements RangeExecutor.Sink<Long> {
    @Override
    public void succeeded(TokenRange planned, TokenRange piece, Long result) {}

    @Override
    public void finished(TokenRange planned, List<TokenRange> failedPieces, Throwable failure) {
      assertThat(failure).isNull();
    }

    @Override
    public void limitChanged(LimitChange change) {
      changes.add(change);
    }
  }
}
