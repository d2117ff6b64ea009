package dev.ringsweep.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Property tests of {@link TokenRangeSplitter} over random rings and targets. The expectations are computed here
 * independently of the code under test: coverage by chaining pieces in ring order, piece counts with BigDecimal.
 */
class TokenRangeSplitterPropertyTest {

  private static final int SEEDS = 300;

  @Test
  void should_cover_the_ring_exactly_once_for_random_rings_and_targets() {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<TokenRange> ring = RandomRings.ring(random, 1 + random.nextInt(random.nextBoolean() ? 10 : 1000));
      int target = 1 + random.nextInt(random.nextBoolean() ? 100 : 10_000);

      RangePlan plan = TokenRangeSplitter.split(ring, target);

      assertCoversRingExactlyOnce(plan.pieces(), "seed " + seed);
    }
  }

  @Test
  void should_give_each_range_max_of_one_and_its_rounded_share_of_near_equal_pieces() {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<TokenRange> ring = RandomRings.ring(random, 1 + random.nextInt(1000));
      int target = 1 + random.nextInt(10_000);

      List<TokenRange> pieces = TokenRangeSplitter.split(ring, target).pieces();

      // The ring range holding a token: the one with the greatest first token not above it, else the last one.
      TreeMap<Long, TokenRange> byFirstToken = new TreeMap<>();
      ring.forEach(range -> byFirstToken.put(range.firstToken(), range));
      Map<TokenRange, List<TokenRange>> piecesByRange = new HashMap<>();
      for (TokenRange piece : pieces) {
        Map.Entry<Long, TokenRange> floor = byFirstToken.floorEntry(piece.firstToken());
        TokenRange range = floor != null ? floor.getValue() : byFirstToken.lastEntry().getValue();
        if (!range.contains(piece.firstToken()) || !range.contains(piece.end())) {
          fail("seed %s: piece %s is not inside range %s", seed, piece, range);
        }
        piecesByRange.computeIfAbsent(range, r -> new ArrayList<>()).add(piece);
      }
      for (TokenRange range : ring) {
        List<TokenRange> inside = piecesByRange.getOrDefault(range, List.of());
        assertThat(inside).as("seed %s, range %s", seed, range).hasSize(expectedPieces(range, target));
        BigInteger smallest = inside.stream().map(TokenRange::size).min(Comparator.naturalOrder()).orElseThrow();
        BigInteger largest = inside.stream().map(TokenRange::size).max(Comparator.naturalOrder()).orElseThrow();
        // Near-equal: sizes differ by at most 1, or 2 when a cut had to step off the token Long.MIN_VALUE.
        long allowed = range.contains(Long.MIN_VALUE) ? 2 : 1;
        assertThat(largest.subtract(smallest)).as("seed %s, range %s", seed, range)
            .isLessThanOrEqualTo(BigInteger.valueOf(allowed));
        assertThat(inside.stream().map(TokenRange::replicas).distinct()).containsExactly(range.replicas());
      }
    }
  }

  @Test
  void should_meet_the_target_within_the_documented_tolerance() {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      int rangeCount = 1 + random.nextInt(1000);
      List<TokenRange> ring = RandomRings.ring(random, rangeCount);
      int target = 1 + random.nextInt(10_000);

      int pieces = TokenRangeSplitter.split(ring, target).pieceCount();

      // Documented: target - R/2 < P <= target + R - 1, and P >= R.
      assertThat(2L * pieces).as("seed %s, R %s, target %s", seed, rangeCount, target)
          .isGreaterThan(2L * target - rangeCount);
      assertThat(pieces).as("seed %s, R %s, target %s", seed, rangeCount, target)
          .isLessThanOrEqualTo(target + rangeCount - 1)
          .isGreaterThanOrEqualTo(rangeCount);
    }
  }

  @Test
  void should_group_pieces_by_replica_set_and_interleave_them_round_robin() {
    for (int seed = 0; seed < SEEDS; seed++) {
      Random random = new Random(seed);
      List<TokenRange> ring = RandomRings.ring(random, 1 + random.nextInt(200));
      RangePlan plan = TokenRangeSplitter.split(ring, 1 + random.nextInt(2000));

      Set<Set<Replica>> seen = new HashSet<>();
      for (ReplicaGroup group : plan.groups()) {
        Set<Replica> replicaSet = Set.copyOf(group.replicas());
        assertThat(seen.add(replicaSet)).as("seed %s: replica set %s in two groups", seed, replicaSet).isTrue();
        assertThat(group.pieces().stream().map(p -> Set.copyOf(p.replicas())).distinct()).containsExactly(replicaSet);
      }
      List<TokenRange> interleaved = plan.interleaved();
      assertThat(interleaved).hasSize(plan.pieceCount());
      assertThat(new HashSet<>(interleaved)).isEqualTo(new HashSet<>(plan.pieces()));
      List<TokenRange> firstOfEachGroup = plan.groups().stream().map(g -> g.pieces().get(0)).toList();
      assertThat(interleaved.subList(0, plan.groups().size())).isEqualTo(firstOfEachGroup);
    }
  }

  /** {@code max(1, round-half-up(size × target / 2^64))}, computed with BigDecimal. */
  static int expectedPieces(TokenRange range, int target) {
    BigDecimal share = new BigDecimal(range.size()).multiply(BigDecimal.valueOf(target))
        .divide(new BigDecimal(TokenRange.RING_SIZE));
    return Math.max(1, share.setScale(0, RoundingMode.HALF_UP).intValueExact());
  }

  /**
   * Checks exact coverage without {@link RingCheck}: in order of start, each piece must start where the previous
   * one ends (the origin {@code Long.MAX_VALUE} as an end meets {@code Long.MIN_VALUE} as a start), the last one
   * must end where the first starts, and the sizes must sum to 2^64, so the chain goes round the ring once.
   */
  static void assertCoversRingExactlyOnce(List<TokenRange> pieces, String description) {
    List<TokenRange> byStart = new ArrayList<>(pieces);
    byStart.sort(Comparator.comparingLong(TokenRange::start));
    BigInteger total = BigInteger.ZERO;
    for (int i = 0; i < byStart.size(); i++) {
      TokenRange piece = byStart.get(i);
      TokenRange next = byStart.get((i + 1) % byStart.size());
      assertThat(asBoundary(piece.end())).as("%s: %s then %s", description, piece, next).isEqualTo(next.start());
      total = total.add(piece.size());
    }
    assertThat(total).as(description).isEqualTo(BigInteger.ONE.shiftLeft(64));
  }

  private static long asBoundary(long end) {
    return end == Long.MAX_VALUE ? Long.MIN_VALUE : end;
  }
}
