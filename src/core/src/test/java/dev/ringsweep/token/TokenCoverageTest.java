package dev.ringsweep.token;

import static java.lang.Long.MAX_VALUE;
import static java.lang.Long.MIN_VALUE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Tests of {@link TokenCoverage} against a brute force. Every range is drawn between boundaries of one small
 * set, which cuts the ring into "atoms" {@code (b_i, b_i+1]}; each range is then exactly a run of atoms, so a
 * boolean per atom is an exact model of any set of tokens built from those ranges.
 */
class TokenCoverageTest {

  @Test
  void should_match_a_brute_force_model_for_random_done_sets() {
    for (int seed = 0; seed < 500; seed++) {
      Random random = new Random(seed);
      long[] bounds = boundaries(random);
      int k = bounds.length;
      List<TokenRange> atoms = new ArrayList<>();
      for (int i = 0; i < k; i++) {
        atoms.add(TokenRange.of(bounds[i], bounds[(i + 1) % k]));
      }
      boolean[] done = new boolean[k];
      TokenCoverage coverage = new TokenCoverage();

      for (int step = 0, steps = 1 + random.nextInt(2 * k); step < steps; step++) {
        int from = random.nextInt(k);
        int to = random.nextInt(k);
        TokenRange range = TokenRange.of(bounds[from], bounds[to]);
        boolean[] inRange = atomsOf(from, to, k);

        // remaining(range) = atoms of range not done, as ranges holding exactly those atoms' tokens
        List<TokenRange> remaining = coverage.remaining(range);
        BigInteger expectedSize = BigInteger.ZERO;
        for (int a = 0; a < k; a++) {
          TokenRange atom = atoms.get(a);
          boolean expected = inRange[a] && !done[a];
          if (expected) {
            expectedSize = expectedSize.add(atom.size());
          }
          long holdingFirst = remaining.stream().filter(r -> r.contains(atom.firstToken())).count();
          long holdingLast = remaining.stream().filter(r -> r.contains(atom.end())).count();
          assertThat(holdingFirst).as("seed %s step %s atom %s in %s", seed, step, atom, remaining)
              .isEqualTo(expected ? 1 : 0);
          assertThat(holdingLast).as("seed %s step %s atom %s in %s", seed, step, atom, remaining)
              .isEqualTo(expected ? 1 : 0);
        }
        assertThat(remaining.stream().map(TokenRange::size).reduce(BigInteger.ZERO, BigInteger::add))
            .as("seed %s step %s", seed, step).isEqualTo(expectedSize);
        assertThat(coverage.covers(range)).isEqualTo(expectedSize.signum() == 0);

        coverage.add(range);
        BigInteger doneSize = BigInteger.ZERO;
        boolean all = true;
        for (int a = 0; a < k; a++) {
          done[a] |= inRange[a];
          all &= done[a];
          doneSize = done[a] ? doneSize.add(atoms.get(a).size()) : doneSize;
        }
        assertThat(coverage.coveredSize()).as("seed %s step %s", seed, step).isEqualTo(doneSize);
        assertThat(coverage.isComplete()).as("seed %s step %s", seed, step).isEqualTo(all);
        assertThat(TokenCoverage.of(coverage.covered()).coveredSize()).isEqualTo(doneSize);
      }
    }
  }

  @Test
  void should_return_an_untouched_range_whole_even_when_it_wraps_around() {
    TokenCoverage coverage = TokenCoverage.of(List.of(TokenRange.of(0, 10)));
    TokenRange wrapping = new TokenRange(100, -100, RandomRings.replicas(new Random(1)));

    assertThat(coverage.remaining(wrapping)).containsExactly(wrapping);
    assertThat(coverage.remaining(TokenRange.of(5, 5))).containsExactly(TokenRange.of(10, 0));
    assertThat(coverage.remaining(TokenRange.fullRing(List.of())))
        .containsExactly(TokenRange.of(MIN_VALUE, 0), TokenRange.of(10, MAX_VALUE));
  }

  @Test
  void should_skip_done_intervals_when_the_split_count_changed() {
    TokenRange ring = TokenRange.fullRing(List.of());
    TokenCoverage coverage = new TokenCoverage();
    List<TokenRange> firstRun = ring.splitEvenly(7);
    coverage.add(firstRun.get(0));
    coverage.add(firstRun.get(3));

    List<TokenRange> toDo = new ArrayList<>();
    for (TokenRange piece : ring.splitEvenly(5)) {
      toDo.addAll(coverage.remaining(piece));
    }

    BigInteger left = toDo.stream().map(TokenRange::size).reduce(BigInteger.ZERO, BigInteger::add);
    assertThat(left).isEqualTo(TokenRange.RING_SIZE.subtract(firstRun.get(0).size()).subtract(firstRun.get(3).size()));
    toDo.forEach(coverage::add);
    assertThat(coverage.isComplete()).isTrue();
    assertThat(coverage.covered()).containsExactly(TokenRange.fullRing(List.of()));
  }

  @Test
  void should_report_covered_tokens_joined_across_the_origin() {
    TokenCoverage coverage = TokenCoverage.of(List.of(TokenRange.of(MIN_VALUE, 5), TokenRange.of(50, MAX_VALUE)));

    assertThat(coverage.covered()).containsExactly(TokenRange.of(50, 5));
    assertThat(coverage.isComplete()).isFalse();
  }

  /** A few boundaries: random tokens, sometimes the origin and tokens next to it, sorted. */
  private static long[] boundaries(Random random) {
    TreeSet<Long> set = new TreeSet<>();
    if (random.nextBoolean()) {
      set.add(MAX_VALUE); // the origin (as a boundary MIN and MAX are the same, so never both)
    }
    long[] nearOrigin = {MIN_VALUE + 1, MIN_VALUE + 2, MAX_VALUE - 1, -1, 0, 1};
    int count = 1 + random.nextInt(8);
    while (set.size() < count) {
      set.add(random.nextInt(3) == 0 ? nearOrigin[random.nextInt(nearOrigin.length)] : random.nextLong());
      set.remove(MIN_VALUE);
    }
    return set.stream().mapToLong(Long::longValue).toArray();
  }

  /** Which atoms (b_i, b_i+1] the range (b_from, b_to] holds: from atom {@code from} up to atom {@code to - 1}. */
  private static boolean[] atomsOf(int from, int to, int k) {
    boolean[] in = new boolean[k];
    int a = from;
    do {
      in[a] = true;
      a = (a + 1) % k;
    } while (a != to);
    return in;
  }

  @Test
  void should_reject_overlapping_ranges_naming_both() {
    List<TokenRange> ranges = List.of(TokenRange.of(-100, 0), TokenRange.of(0, 50), TokenRange.of(40, 60));

    assertThatThrownBy(() -> TokenCoverage.ofDisjoint(ranges))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Overlapping token ranges: (0, 50] and (40, 60] share tokens (each token must be in one range"
            + " only)");
  }

  @Test
  void should_reject_a_range_overlapping_a_wrapping_one_and_accept_disjoint_ones() {
    TokenRange wrapping = TokenRange.of(MAX_VALUE - 10, MIN_VALUE + 10);
    TokenRange adjacent = TokenRange.of(MIN_VALUE + 10, 0);

    assertThat(TokenCoverage.ofDisjoint(List.of(wrapping, adjacent)).coveredSize())
        .isEqualTo(wrapping.size().add(adjacent.size()));
    assertThatThrownBy(() -> TokenCoverage.ofDisjoint(List.of(wrapping, adjacent, TokenRange.of(MIN_VALUE, 5))))
        .hasMessageStartingWith("Overlapping token ranges: " + wrapping + " and (" + MIN_VALUE + ", 5] share");
  }
}
