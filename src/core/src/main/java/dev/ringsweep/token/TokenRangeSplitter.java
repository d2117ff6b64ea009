package dev.ringsweep.token;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Splits a ring of token ranges into pieces for parallel scanning, the way DSBulk does: split each range in
 * proportion to its share of the ring, group the pieces by replica set, then check the pieces cover the ring
 * exactly once.
 *
 * <p><b>Pieces per range.</b> A range holding the fraction {@code f} of the ring gets
 * {@code max(1, round(f × target))} near-equal pieces (see {@link TokenRange#splitEvenly(int)}), where
 * {@code round} is computed exactly, {@code floor(size × target / 2^64 + 1/2)}.
 *
 * <p><b>Tolerance on the total.</b> With {@code R} ranges in the ring, the total number of pieces {@code P}
 * satisfies {@code target - R/2 < P <= target + R - 1}, and {@code P >= R}. Why: the exact shares
 * {@code f × target} are positive and sum to {@code target}; rounding half-up moves each share by more than
 * {@code -1/2} and at most {@code +1/2}, and raising a share that rounds to zero up to one piece moves it by less
 * than {@code +1}. So each range adds to {@code P - target} more than {@code -1/2} and less than {@code +1}. A ring
 * of 16 vnodes on each of 6 nodes ({@code R = 96}) asked for 10,000 pieces yields between 9,953 and 10,095. When
 * no share is below 1/2 the bound tightens to {@code |P - target| <= R/2}.
 */
public final class TokenRangeSplitter {

  private static final BigInteger HALF_RING = BigInteger.ONE.shiftLeft(63);

  private TokenRangeSplitter() {}

  /**
   * Splits the ring into about {@code targetSplits} pieces grouped by replica set.
   *
   * @param ring ranges covering the whole ring exactly once, in any order (the plan keeps this order)
   * @param targetSplits the wished number of pieces, > 0
   * @return the plan; deterministic: the same input gives an equal plan
   * @throws IllegalArgumentException if {@code targetSplits < 1} or the ring has a gap or an overlap
   * @throws IllegalStateException if the pieces do not cover the ring exactly once (a bug)
   */
  public static RangePlan split(List<TokenRange> ring, int targetSplits) {
    if (targetSplits < 1) {
      throw new IllegalArgumentException(String.format("Invalid split count: %s (must be > 0)", targetSplits));
    }
    Objects.requireNonNull(ring, "ring");
    RingCheck.findProblem(ring).ifPresent(problem -> {
      throw new IllegalArgumentException(
          String.format("Invalid ring of %s ranges: they must cover the ring exactly once, but %s", ring.size(),
              problem));
    });
    Map<Set<Replica>, List<Replica>> replicaOrder = new LinkedHashMap<>();
    Map<Set<Replica>, List<TokenRange>> piecesByReplicas = new LinkedHashMap<>();
    for (TokenRange range : ring) {
      Set<Replica> key = new HashSet<>(range.replicas());
      replicaOrder.putIfAbsent(key, range.replicas());
      piecesByReplicas.computeIfAbsent(key, k -> new ArrayList<>())
          .addAll(range.splitEvenly(piecesFor(range, targetSplits)));
    }
    List<ReplicaGroup> groups = new ArrayList<>(piecesByReplicas.size());
    piecesByReplicas.forEach((key, pieces) -> groups.add(new ReplicaGroup(replicaOrder.get(key), pieces)));
    RangePlan plan = new RangePlan(ring, groups);
    RingCheck.findProblem(plan.pieces()).ifPresent(problem -> {
      throw new IllegalStateException(String.format(
          "Splitting %s ranges into %s pieces went wrong: the pieces must cover the ring exactly once, but %s",
          ring.size(), plan.pieceCount(), problem));
    });
    return plan;
  }

  /** {@code max(1, round(range.fraction() × target))}, rounded half-up exactly. */
  static int piecesFor(TokenRange range, int target) {
    BigInteger scaled = range.size().multiply(BigInteger.valueOf(target)).add(HALF_RING).shiftRight(64);
    return Math.max(1, scaled.intValueExact());
  }
}
