package dev.ringsweep.internal.imports;

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
 * The limit of an import verification's reads ({@link TargetChecksum#limitSettings}): adaptive by default, backing off
 * when a page request succeeds after more than half of the operator's request timeout, judged by each piece's slowest
 * page rather than by the whole piece's time; fixed when the user set a parallelism. Run through the
 * {@link RangeExecutor} the verification reads on, with timed tasks standing in for pieces read page by page.
 */
class VerificationLimitTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<LimitChange> changes = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }


  @Test
  void should_give_an_adaptive_verification_the_request_timeout_and_a_scaled_backoff_near_it() {
    InFlightLimit.Settings settings =
        TargetChecksum.limitSettings(LimitTests.options(64, ConcurrencyMode.ADAPTIVE, Duration.ofMillis(250)));

    assertThat(settings.mode()).isEqualTo(ConcurrencyMode.ADAPTIVE);
    assertThat(settings.initial()).isEqualTo(16);
    assertThat(settings.max()).isEqualTo(64);
    assertThat(settings.requestTimeoutNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(250));
    assertThat(settings.nearTimeoutScaled()).isTrue();
  }

  @Test
  void should_keep_a_fixed_verification_limit_fixed() {
    InFlightLimit.Settings settings =
        TargetChecksum.limitSettings(LimitTests.options(8, ConcurrencyMode.FIXED, Duration.ofMillis(250)));

    assertThat(settings.mode()).isEqualTo(ConcurrencyMode.FIXED);
    assertThat(settings.initial()).isEqualTo(8);
    assertThat(settings.max()).isEqualTo(8);
  }

  @Test
  void should_back_off_by_the_slowest_page_when_a_page_nears_the_timeout() {
    // A 100 ms timeout; every piece takes 80 ms in all (several pages), its pages 10 ms each, but piece 3's slowest
    // page took 70 ms: 70% of the timeout.
    run(LimitTests.options(64, ConcurrencyMode.ADAPTIVE, Duration.ofMillis(100)), 3, true);

    assertThat(LimitTests.nearTimeout(changes)).isNotEmpty().allSatisfy(c -> {
      assertThat(c.cause()).isEqualTo(LimitChange.Cause.LATENCY_ROSE);
      assertThat(c.detail()).isEqualTo("a request took 70.0 ms, over 50% of its timeout (100.0 ms)");
      // scaled to the latency: by half at most, by 1 at least
      assertThat(c.limit()).isBetween(Math.max(1, c.previousLimit() / 2), c.previousLimit() - 1);
    });
  }

  @Test
  void should_not_back_off_when_pieces_take_long_but_each_page_is_quick() {
    // The same pieces of 80 ms in all, every page 10 ms: far from the 100 ms timeout each page request has.
    run(LimitTests.options(64, ConcurrencyMode.ADAPTIVE, Duration.ofMillis(100)), -1, true);

    assertThat(changes).isNotEmpty();
    assertThat(LimitTests.nearTimeout(changes)).isEmpty();
  }

  @Test
  void should_take_a_piece_whose_pages_are_not_timed_by_the_time_it_held_its_permit() {
    // What the pieces above would say if their pages were not timed (the sink's default): 80 ms of 100.
    run(LimitTests.options(64, ConcurrencyMode.ADAPTIVE, Duration.ofMillis(100)), -1, false);

    assertThat(LimitTests.nearTimeout(changes)).isNotEmpty();
  }

  @Test
  void should_keep_a_fixed_verification_limit_when_a_page_nears_the_timeout() {
    run(LimitTests.options(8, ConcurrencyMode.FIXED, Duration.ofMillis(100)), 3, true);

    assertThat(changes).extracting(LimitChange::cause).containsExactly(LimitChange.Cause.START);
    assertThat(changes.get(0).limit()).isEqualTo(8);
  }


  /**
   * Runs 40 pieces under a verification's limit as {@code options} set it, each done after 80 ms, with its slowest
   * page at 10 ms but piece {@code slow}'s at 70 ms; the pages' times reach the limit if {@code timed}.
   */
  private void run(OperatorOptions options, int slow, boolean timed) {
    List<TokenRange> ranges = LimitTests.ranges(40);
    RangeExecutor.Policy policy = RangeExecutor.Policy.of(options).withLimit(TargetChecksum.limitSettings(options));
    RangeExecutor.run(ranges, policy,
        range -> later(80, TimeUnit.MILLISECONDS.toNanos(ranges.indexOf(range) == slow ? 70 : 10)),
        new Sink(timed), "import-verify").join();
  }

  private CompletionStage<Long> later(long millis, long slowestPageNanos) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    timer.schedule(() -> done.complete(slowestPageNanos), millis, TimeUnit.MILLISECONDS);
    return done;
  }

  /** A sink whose results are their pieces' slowest page, in nanoseconds; told to the limit if {@code timed}. */
  private final class Sink implements RangeExecutor.Sink<Long> {
    private final boolean timed;

    Sink(boolean timed) {
      this.timed = timed;
    }

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

    @Override
    public long roundTripNanos(Long result) {
      return timed ? result : -1;
    }
  }
}
