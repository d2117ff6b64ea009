package dev.ringsweep.token;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A range of Murmur3 tokens {@code (start, end]}: start-exclusive, end-inclusive; {@code (x, x]} is the whole ring.
 *
 * <p>The ring holds all 2<sup>64</sup> longs; after {@link Long#MAX_VALUE} comes {@link Long#MIN_VALUE}. The long
 * {@code Long.MIN_VALUE} is the ring's origin, as in the driver's own token ranges:
 *
 * <ul>
 *   <li>as a <b>start</b> it means "from the token {@code Long.MIN_VALUE} inclusive": the token
 *       {@code Long.MIN_VALUE} belongs to every range that starts there (a start of {@code Long.MAX_VALUE} means
 *       the same and is stored as {@code Long.MIN_VALUE});
 *   <li>as an <b>end</b> it means "to the end of the ring" and is stored as {@code Long.MAX_VALUE}, so that
 *       {@link #end()} is always the last token of the range;
 *   <li>the whole ring starting at the origin, given as {@code (MIN, MIN]}, {@code (MAX, MAX]} or
 *       {@code (MIN, MAX]}, is stored as {@code (Long.MIN_VALUE, Long.MAX_VALUE]}.
 * </ul>
 *
 * <p>Murmur3Partitioner never gives a key the token {@code Long.MIN_VALUE}, but ranges still count it, so that the
 * ranges of a ring cover exactly 2<sup>64</sup> tokens. One consequence: no range can end right after the token
 * {@code Long.MIN_VALUE} (that boundary has no long), so that token is never a range by itself.
 *
 * <p><b>Querying.</b> A range that does not {@linkplain #wrapsAround() wrap around} is queried with inclusive
 * bounds {@code token(pk) >= firstToken() AND token(pk) <= end()}, which is {@code token(pk) > start AND
 * token(pk) <= end} except when the start is {@code Long.MIN_VALUE}: then the lower bound must be
 * {@code token(pk) >= -9223372036854775808}. A wrapping range is first {@linkplain #unwrap() unwrapped}.
 *
 * <p>Sizes are exact ({@link BigInteger}); the pieces of {@link #splitEvenly(int)} are computed exactly too.
 *
 * @param start the exclusive start token (see above for {@code Long.MIN_VALUE})
 * @param end the inclusive end token, never {@code Long.MIN_VALUE} once constructed
 * @param replicas the nodes holding the range, in preference order; may be empty, never null
 */
public record TokenRange(long start, long end, List<Replica> replicas) implements Serializable {

  /** 2<sup>64</sup>, the number of tokens on the ring. */
  public static final BigInteger RING_SIZE = BigInteger.ONE.shiftLeft(64);

  /** Normalizes the origin (see the class comment) and copies the replicas into an immutable list. */
  public TokenRange {
    Objects.requireNonNull(replicas, "replicas");
    replicas = List.copyOf(replicas);
    boolean startAtOrigin = start == Long.MIN_VALUE || start == Long.MAX_VALUE;
    boolean endAtOrigin = end == Long.MIN_VALUE || end == Long.MAX_VALUE;
    if (startAtOrigin) {
      start = Long.MIN_VALUE;
    }
    if (endAtOrigin) {
      end = Long.MAX_VALUE;
    }
  }

  /** A range without replicas. */
  public static TokenRange of(long start, long end) {
    return new TokenRange(start, end, List.of());
  }

  /** The whole ring starting at the origin, {@code (Long.MIN_VALUE, Long.MAX_VALUE]}, with the given replicas. */
  public static TokenRange fullRing(List<Replica> replicas) {
    return new TokenRange(Long.MIN_VALUE, Long.MAX_VALUE, replicas);
  }

  /**
   * The first token of the range, inclusive: {@code start + 1}, or {@code Long.MIN_VALUE} when the range starts
   * at the origin. With {@link #end()} it gives the inclusive bounds of a range that does not wrap around.
   */
  public long firstToken() {
    return start == Long.MIN_VALUE ? Long.MIN_VALUE : start + 1;
  }

  /** Whether the range holds all 2<sup>64</sup> tokens: {@code (x, x]} or {@code (MIN, MAX]}. */
  public boolean isFullRing() {
    return start == end || (start == Long.MIN_VALUE && end == Long.MAX_VALUE);
  }

  /**
   * Whether the range cannot be queried with one pair of bounds because it runs past {@code Long.MAX_VALUE} onto
   * {@code Long.MIN_VALUE}: exactly when {@code end <= start}, that is {@code end < start}, or the whole ring
   * {@code (x, x]} with {@code x != Long.MIN_VALUE}. The whole ring at the origin, {@code (MIN, MAX]}, and ranges
   * ending at {@code Long.MAX_VALUE} or starting at {@code Long.MIN_VALUE} do not wrap.
   */
  public boolean wrapsAround() {
    return end <= start;
  }

  /** The exact number of tokens in the range, from 1 to 2<sup>64</sup> (the whole ring). */
  public BigInteger size() {
    return isFullRing() ? RING_SIZE : new BigInteger(Long.toUnsignedString(end - firstToken() + 1));
  }

  /** The share of the ring this range holds, {@code size() / 2^64}, in (0, 1]. */
  public double fraction() {
    return Math.scalb(size().doubleValue(), -64);
  }

  /** Whether the token lies in the range (the token {@code Long.MIN_VALUE} lies in ranges starting there). */
  public boolean contains(long token) {
    if (isFullRing()) {
      return true;
    }
    long first = firstToken();
    return Long.compareUnsigned(token - first, end - first) <= 0;
  }

  /**
   * The same tokens as one or two ranges that do not {@linkplain #wrapsAround() wrap around}: this range itself
   * if it does not wrap, otherwise {@code (start, Long.MAX_VALUE]} then {@code (Long.MIN_VALUE, end]}.
   *
   * <p>The second piece starts at the origin, so <b>the token {@code Long.MIN_VALUE} itself belongs to it</b>: a
   * caller must query it inclusively, {@code token(pk) >= -9223372036854775808 AND token(pk) <= end} (in general
   * {@code token(pk) >= firstToken() AND token(pk) <= end()}), never with {@code token(pk) > start}.
   */
  public List<TokenRange> unwrap() {
    if (!wrapsAround()) {
      return List.of(this);
    }
    return List.of(
        new TokenRange(start, Long.MAX_VALUE, replicas), new TokenRange(Long.MIN_VALUE, end, replicas));
  }

  /**
   * Splits the range into {@code n} contiguous pieces of near-equal size, in ring order from {@link #start()},
   * each with this range's replicas. The piece sizes are {@code floor(size / n)} or {@code ceil(size / n)},
   * computed exactly; the one exception is when a cut would fall right after the token {@code Long.MIN_VALUE},
   * which no long expresses: that cut moves by one token, so two pieces may differ by 2.
   *
   * @throws IllegalArgumentException if {@code n < 1}, if {@code n > size()}, or if near-equal pieces would need
   *     a piece holding only the token {@code Long.MIN_VALUE} (possible only when {@code n > size() / 2}, which
   *     {@link TokenRangeSplitter} never asks); the message names {@code n}
   */
  public List<TokenRange> splitEvenly(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(String.format("Invalid split count: %s (must be > 0)", n));
    }
    BigInteger size = size();
    BigInteger pieces = BigInteger.valueOf(n);
    if (pieces.compareTo(size) > 0) {
      throw new IllegalArgumentException(
          String.format("Invalid split count: %s (must be <= %s, the number of tokens in %s)", n, size, this));
    }
    if (n == 1) {
      return List.of(this);
    }
    // offsets[k]: tokens before piece k, counted from firstToken(); strictly increasing since n <= size.
    BigInteger[] offsets = new BigInteger[n + 1];
    for (int k = 0; k <= n; k++) {
      offsets[k] = size.multiply(BigInteger.valueOf(k)).divide(pieces);
    }
    long first = firstToken();
    List<TokenRange> result = new ArrayList<>(n);
    long pieceStart = start;
    for (int k = 1; k < n; k++) {
      long cut = first + offsets[k].longValue() - 1; // the last token of piece k - 1
      if (cut == Long.MIN_VALUE) {
        offsets[k] = nudgeOffMinValue(offsets, k, n);
        cut = first + offsets[k].longValue() - 1;
      }
      result.add(new TokenRange(pieceStart, cut, replicas));
      pieceStart = cut;
    }
    result.add(new TokenRange(pieceStart, end, replicas));
    return List.copyOf(result);
  }

  /** Moves cut {@code k} one token forward, or else backward, keeping both neighbouring pieces non-empty. */
  private BigInteger nudgeOffMinValue(BigInteger[] offsets, int k, int n) {
    BigInteger forward = offsets[k].add(BigInteger.ONE);
    if (forward.compareTo(offsets[k + 1]) < 0) {
      return forward;
    }
    BigInteger backward = offsets[k].subtract(BigInteger.ONE);
    if (backward.compareTo(offsets[k - 1]) > 0) {
      return backward;
    }
    throw new IllegalArgumentException(String.format(
        "Invalid split count: %s for %s (a piece would hold only the token Long.MIN_VALUE, which no range can)",
        n, this));
  }

  /** This range's tokens with other replicas. */
  public TokenRange withReplicas(List<Replica> newReplicas) {
    return new TokenRange(start, end, newReplicas);
  }

  /** {@code (start, end]}, followed by the replicas if there are any. */
  @Override
  public String toString() {
    return "(" + start + ", " + end + "]" + (replicas.isEmpty() ? "" : replicas.toString());
  }
}
