package dev.ringsweep.token;

import static java.lang.Long.MAX_VALUE;
import static java.lang.Long.MIN_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link TokenRange}: sizes, membership, the origin, unwrapping and validation. */
class TokenRangeTest {

  private static final BigInteger TWO_TO_64 = BigInteger.TWO.pow(64);

  @Test
  void should_treat_x_x_as_the_whole_ring_that_wraps_around() {
    TokenRange ring = TokenRange.of(5, 5);

    assertThat(ring.isFullRing()).isTrue();
    assertThat(ring.wrapsAround()).isTrue();
    assertThat(ring.size()).isEqualTo(TWO_TO_64);
    assertThat(ring.fraction()).isEqualTo(1.0);
    assertThat(List.of(MIN_VALUE, -1L, 5L, 6L, MAX_VALUE)).allMatch(ring::contains);
    assertThat(ring.unwrap()).containsExactly(TokenRange.of(5, MAX_VALUE), TokenRange.of(MIN_VALUE, 5));
    assertThat(ring.unwrap().get(0).size().add(ring.unwrap().get(1).size())).isEqualTo(TWO_TO_64);
  }

  @Test
  void should_store_every_spelling_of_the_whole_ring_at_the_origin_as_min_max() {
    TokenRange expected = TokenRange.of(MIN_VALUE, MAX_VALUE);

    assertThat(List.of(
            TokenRange.of(MIN_VALUE, MIN_VALUE), TokenRange.of(MAX_VALUE, MAX_VALUE),
            TokenRange.of(MAX_VALUE, MIN_VALUE), TokenRange.fullRing(List.of())))
        .containsOnly(expected);
    assertThat(expected.isFullRing()).isTrue();
    assertThat(expected.wrapsAround()).isFalse();
    assertThat(expected.unwrap()).containsExactly(expected);
    assertThat(expected.firstToken()).isEqualTo(MIN_VALUE);
    assertThat(expected.size()).isEqualTo(TWO_TO_64);
  }

  @Test
  void should_hold_one_token_in_a_single_token_range() {
    TokenRange range = TokenRange.of(41, 42);

    assertThat(range.size()).isEqualTo(BigInteger.ONE);
    assertThat(range.contains(42)).isTrue();
    assertThat(range.contains(41)).isFalse();
    assertThat(range.contains(43)).isFalse();
    assertThat(range.splitEvenly(1)).containsExactly(range);
  }

  @Test
  void should_end_at_max_value_without_wrapping_and_store_min_value_as_an_end_there() {
    TokenRange range = TokenRange.of(MAX_VALUE - 10, MAX_VALUE);

    assertThat(range.size()).isEqualTo(BigInteger.TEN);
    assertThat(range.wrapsAround()).isFalse();
    assertThat(range.contains(MAX_VALUE)).isTrue();
    assertThat(range.contains(MIN_VALUE)).isFalse();
    assertThat(TokenRange.of(MAX_VALUE - 10, MIN_VALUE)).isEqualTo(range);
  }

  @Test
  void should_include_the_token_min_value_in_a_range_starting_there() {
    TokenRange range = TokenRange.of(MIN_VALUE, -1);

    assertThat(range.contains(MIN_VALUE)).isTrue();
    assertThat(range.firstToken()).isEqualTo(MIN_VALUE);
    assertThat(range.size()).isEqualTo(BigInteger.TWO.pow(63));
    assertThat(range.fraction()).isEqualTo(0.5);
    assertThat(range.wrapsAround()).isFalse();
    assertThat(TokenRange.of(MAX_VALUE, -1)).isEqualTo(range);
  }

  @Test
  void should_unwrap_range_that_wraps_around_the_ring_into_two_covering_the_same_tokens() {
    TokenRange range = TokenRange.of(100, -100);

    List<TokenRange> pieces = range.unwrap();

    assertThat(range.wrapsAround()).isTrue();
    assertThat(pieces).containsExactly(TokenRange.of(100, MAX_VALUE), TokenRange.of(MIN_VALUE, -100));
    assertThat(pieces).noneMatch(TokenRange::wrapsAround);
    assertThat(pieces.get(0).size().add(pieces.get(1).size())).isEqualTo(range.size());
    assertThat(range.size()).isEqualTo(TWO_TO_64.subtract(BigInteger.valueOf(200)));
    for (long token : new long[] {MIN_VALUE, MIN_VALUE + 1, -101, -100, -99, 0, 99, 100, 101, MAX_VALUE}) {
      long holders = pieces.stream().filter(p -> p.contains(token)).count();
      assertThat(holders).as("token %s", token).isEqualTo(range.contains(token) ? 1 : 0);
    }
  }

  @Test
  void should_agree_with_a_walk_along_the_ring_for_ranges_around_the_origin() {
    // Tokens near the origin; the definition walked here: start exclusive (MIN or MAX as a start: from MIN
    // inclusive), then +1 with overflow up to the end (MIN or MAX as an end: up to MAX).
    List<Long> window = new ArrayList<>();
    for (long i = 0; i < 6; i++) {
      window.add(MAX_VALUE - 5 + i);
      window.add(MIN_VALUE + i);
    }
    for (long start : window) {
      for (long end : window) {
        TokenRange range = TokenRange.of(start, end);
        Set<Long> walked = walk(start, end);
        if (walked == null) {
          assertThat(range.size()).as("%s", range).isGreaterThan(BigInteger.valueOf(20));
          continue;
        }
        assertThat(range.size()).as("%s", range).isEqualTo(BigInteger.valueOf(walked.size()));
        for (long token : window) {
          assertThat(range.contains(token)).as("%s contains %s", range, token).isEqualTo(walked.contains(token));
        }
      }
    }
  }

  /** The tokens of (start, end] by walking the ring, or null when there are more than 20 (or it is full). */
  private static Set<Long> walk(long start, long end) {
    boolean startAtOrigin = start == MIN_VALUE || start == MAX_VALUE;
    long last = end == MIN_VALUE ? MAX_VALUE : end;
    if (startAtOrigin && last == MAX_VALUE || start == end) {
      return null;
    }
    Set<Long> tokens = new HashSet<>();
    long token = startAtOrigin ? MIN_VALUE : start + 1;
    while (tokens.size() <= 20) {
      tokens.add(token);
      if (token == last) {
        return tokens;
      }
      token++;
    }
    return null;
  }

  @Test
  void should_copy_replicas_into_an_immutable_list_and_keep_them_with_with_replicas() {
    Replica replica = new Replica(UUID.randomUUID(), "127.0.0.1:9042", "dc1");
    List<Replica> replicas = new ArrayList<>(List.of(replica));
    TokenRange range = new TokenRange(0, 10, replicas);
    replicas.clear();

    assertThat(range.replicas()).containsExactly(replica);
    assertThatThrownBy(() -> range.replicas().add(replica)).isInstanceOf(UnsupportedOperationException.class);
    assertThat(range.withReplicas(List.of()).replicas()).isEmpty();
    assertThat(range.withReplicas(List.of()).size()).isEqualTo(BigInteger.TEN);
  }

  @Test
  void should_reject_null_replicas_and_a_blank_endpoint() {
    assertThatThrownBy(() -> new TokenRange(0, 1, null))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("replicas");
    assertThatThrownBy(() -> new Replica(null, " ", "dc1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid replica endpoint: ' ' (must not be blank)");
  }
}
