package dev.ringsweep.token;

import static java.lang.Long.MAX_VALUE;
import static java.lang.Long.MIN_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Unit tests of {@link TokenRange#splitEvenly(int)}. */
class TokenRangeSplitEvenlyTest {

  private static final List<Replica> REPLICAS = List.of(new Replica(UUID.randomUUID(), "127.0.0.1:9042", "dc1"));

  @Test
  void should_split_range_into_contiguous_pieces_whose_sizes_differ_by_at_most_one() {
    TokenRange range = new TokenRange(0, 100, REPLICAS);

    List<TokenRange> pieces = range.splitEvenly(7);

    // 100 = 7 × 14 + 2: floor(k × 100 / 7) gives cuts 14, 28, 42, 57, 71, 85.
    assertThat(pieces).containsExactly(
        new TokenRange(0, 14, REPLICAS), new TokenRange(14, 28, REPLICAS), new TokenRange(28, 42, REPLICAS),
        new TokenRange(42, 57, REPLICAS), new TokenRange(57, 71, REPLICAS), new TokenRange(71, 85, REPLICAS),
        new TokenRange(85, 100, REPLICAS));
  }

  @Test
  void should_split_the_whole_ring_exactly() {
    TokenRange ring = TokenRange.fullRing(REPLICAS);
    BigInteger twoTo64 = BigInteger.TWO.pow(64);

    List<TokenRange> pieces = ring.splitEvenly(3);

    // Piece k ends at MIN + floor((k + 1) × 2^64 / 3) - 1.
    assertThat(pieces).hasSize(3);
    for (int k = 0; k < 3; k++) {
      BigInteger end = BigInteger.valueOf(MIN_VALUE)
          .add(twoTo64.multiply(BigInteger.valueOf(k + 1)).divide(BigInteger.valueOf(3)))
          .subtract(BigInteger.ONE);
      assertThat(pieces.get(k).end()).as("piece %s", k).isEqualTo(end.longValueExact());
    }
    assertThat(pieces.get(0).start()).isEqualTo(MIN_VALUE);
    assertThat(pieces.get(0).contains(MIN_VALUE)).isTrue();
    assertThat(pieces.stream().map(TokenRange::size).reduce(BigInteger.ZERO, BigInteger::add)).isEqualTo(twoTo64);
    assertThat(pieces).allSatisfy(p -> assertThat(p.replicas()).isEqualTo(REPLICAS));
  }

  @Test
  void should_split_range_that_wraps_around_the_ring() {
    TokenRange range = TokenRange.of(MAX_VALUE - 5, MIN_VALUE + 4); // MAX-4..MAX, MIN..MIN+4: 10 tokens

    List<TokenRange> pieces = range.splitEvenly(2);

    assertThat(pieces)
        .containsExactly(TokenRange.of(MAX_VALUE - 5, MAX_VALUE), TokenRange.of(MIN_VALUE, MIN_VALUE + 4));
    assertThat(pieces.get(1).contains(MIN_VALUE)).isTrue();
    assertThat(pieces).allSatisfy(p -> assertThat(p.size()).isEqualTo(BigInteger.valueOf(5)));
  }

  @Test
  void should_split_a_whole_ring_that_does_not_start_at_the_origin() {
    TokenRange ring = TokenRange.of(7, 7);

    List<TokenRange> pieces = ring.splitEvenly(2);

    // 2^63 tokens each: 8..MAX is 2^63 - 8 tokens, so the cut is 8 tokens past MAX, at MIN + 7.
    assertThat(pieces).containsExactly(TokenRange.of(7, MIN_VALUE + 7), TokenRange.of(MIN_VALUE + 7, 7));
    assertThat(pieces).allSatisfy(p -> assertThat(p.size()).isEqualTo(BigInteger.TWO.pow(63)));
  }

  @Test
  void should_move_a_cut_that_would_fall_right_after_the_token_min_value() {
    // Tokens MAX-1, MAX, MIN, MIN+1, ..., MIN+5 (8). Five pieces: cuts after offsets 1, 3, 4, 6; the one after
    // offset 3 would end a piece at the token MIN, which no start can follow, so it moves back one token.
    TokenRange range = TokenRange.of(MAX_VALUE - 2, MIN_VALUE + 5);

    List<TokenRange> pieces = range.splitEvenly(5);

    assertThat(pieces).containsExactly(
        TokenRange.of(MAX_VALUE - 2, MAX_VALUE - 1), TokenRange.of(MAX_VALUE - 1, MAX_VALUE),
        TokenRange.of(MIN_VALUE, MIN_VALUE + 1), TokenRange.of(MIN_VALUE + 1, MIN_VALUE + 3),
        TokenRange.of(MIN_VALUE + 3, MIN_VALUE + 5));
    assertThat(pieces.stream().map(TokenRange::size).reduce(BigInteger.ZERO, BigInteger::add))
        .isEqualTo(BigInteger.valueOf(8));
    assertThat(pieces.stream().filter(p -> p.contains(MIN_VALUE)).count()).isEqualTo(1);
  }

  @Test
  void should_reject_a_split_that_needs_the_token_min_value_as_a_piece_by_itself() {
    TokenRange range = TokenRange.of(MAX_VALUE - 2, MIN_VALUE + 5);

    assertThatThrownBy(() -> range.splitEvenly(8))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid split count: 8 for (9223372036854775805, -9223372036854775803] (a piece would hold "
            + "only the token Long.MIN_VALUE, which no range can)");
  }

  @Test
  void should_reject_a_split_count_below_one() {
    assertThatThrownBy(() -> TokenRange.of(0, 10).splitEvenly(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid split count: 0 (must be > 0)");
    assertThatThrownBy(() -> TokenRange.of(0, 10).splitEvenly(-3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid split count: -3 (must be > 0)");
  }

  @Test
  void should_reject_more_pieces_than_tokens() {
    assertThat(TokenRange.of(0, 10).splitEvenly(10)).hasSize(10).allSatisfy(p -> assertThat(p.size()).isOne());

    assertThatThrownBy(() -> TokenRange.of(0, 10).splitEvenly(11))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid split count: 11 (must be <= 10, the number of tokens in (0, 10])");
  }
}
