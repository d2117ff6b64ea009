package dev.ringsweep.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import dev.ringsweep.ConcurrencyMode;
import dev.ringsweep.internal.RangeQuery.Interval;
import dev.ringsweep.token.TokenRange;
import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RangeQueryTest {

  @Test
  void should_query_a_plain_range_start_exclusive_end_inclusive() {
    assertThat(RangeQuery.intervals(TokenRange.of(-10, 20))).containsExactly(new Interval(-10, false, 20));
  }

  @Test
  void should_unwrap_a_range_that_wraps_around_the_ring_into_two_queries_the_second_inclusive_of_min() {
    assertThat(RangeQuery.intervals(TokenRange.of(100, -100)))
        .containsExactly(
            new Interval(100, false, Long.MAX_VALUE), new Interval(Long.MIN_VALUE, true, -100));
  }

  @Test
  void should_query_a_range_ending_on_the_origin_up_to_the_maximum_token() {
    assertThat(RangeQuery.intervals(TokenRange.of(5, Long.MIN_VALUE)))
        .containsExactly(new Interval(5, false, Long.MAX_VALUE));
  }

  @Test
  void should_include_the_minimum_token_in_a_range_that_starts_at_the_origin() {
    assertThat(RangeQuery.intervals(TokenRange.of(Long.MIN_VALUE, 7)))
        .containsExactly(new Interval(Long.MIN_VALUE, true, 7));
  }

  @Test
  void should_query_the_whole_ring_from_the_origin_as_one_inclusive_interval() {
    assertThat(RangeQuery.intervals(TokenRange.of(Long.MIN_VALUE, Long.MIN_VALUE)))
        .containsExactly(new Interval(Long.MIN_VALUE, true, Long.MAX_VALUE));
    assertThat(RangeQuery.intervals(TokenRange.of(Long.MAX_VALUE, Long.MAX_VALUE)))
        .containsExactly(new Interval(Long.MIN_VALUE, true, Long.MAX_VALUE));
  }

  @Test
  void should_query_the_whole_ring_from_any_other_token_as_two_intervals() {
    assertThat(RangeQuery.intervals(TokenRange.of(3, 3)))
        .containsExactly(new Interval(3, false, Long.MAX_VALUE), new Interval(Long.MIN_VALUE, true, 3));
  }

  @Test
  void should_cover_exactly_the_tokens_of_random_ranges() {
    Random random = new Random(42);
    for (int i = 0; i < 10_000; i++) {
      long start = random.nextLong();
      long end = random.nextInt(4) == 0 ? start : random.nextLong();
      TokenRange range = TokenRange.of(start, end);
      List<Interval> intervals = RangeQuery.intervals(range);
      BigInteger covered = BigInteger.ZERO;
      for (Interval interval : intervals) {
        covered = covered.add(size(interval));
      }
      assertThat(covered).as("tokens covered by %s", range).isEqualTo(range.size());
      // Sample tokens: each is in the range iff exactly one interval holds it.
      for (long token : new long[] {start, end, start + 1, end + 1, Long.MIN_VALUE, Long.MAX_VALUE, random.nextLong()}) {
        long holders = intervals.stream().filter(iv -> holds(iv, token)).count();
        assertThat(holders).as("intervals of %s holding %s", range, token).isEqualTo(range.contains(token) ? 1 : 0);
      }
    }
  }

  private static boolean holds(Interval interval, long token) {
    return (interval.lowInclusive() ? token >= interval.low() : token > interval.low()) && token <= interval.high();
  }

  private static BigInteger size(Interval interval) {
    BigInteger size = BigInteger.valueOf(interval.high()).subtract(BigInteger.valueOf(interval.low()));
    return interval.lowInclusive() ? size.add(BigInteger.ONE) : size;
  }

  @Test
  void should_prepare_a_range_query_under_the_operators_request_timeout_not_the_sessions() {
    SimpleStatement statement = RangeQuery.toPrepare("SELECT count(*) FROM ks.t WHERE token(k) > ? AND token(k) <= ?",
        LimitTests.options(16, ConcurrencyMode.ADAPTIVE, Duration.ofSeconds(7)));

    assertThat(statement.getQuery()).isEqualTo("SELECT count(*) FROM ks.t WHERE token(k) > ? AND token(k) <= ?");
    assertThat(statement.getTimeout()).isEqualTo(Duration.ofSeconds(7));
  }
}
