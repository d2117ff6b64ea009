package dev.ringsweep.token;

import java.io.Serializable;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An exact set of tokens built from token ranges, for resume: record the ranges already done with
 * {@link #add(TokenRange)}, then ask which parts of a range are still to do with {@link #remaining(TokenRange)}.
 * It works on tokens, not on pieces, so it still applies when the plan was split differently than before.
 * Wraparound is handled (a range may run past {@code Long.MAX_VALUE}).
 *
 * <p>This is the one mutable type of the package: not thread-safe; confine it or synchronize externally.
 */
public final class TokenCoverage implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Disjoint, non-adjacent inclusive spans: first token → last token, in signed order. */
  private final TreeMap<Long, Long> spans = new TreeMap<>();

  /** An empty coverage. */
  public TokenCoverage() {}

  /** A coverage holding the tokens of all the given ranges. */
  public static TokenCoverage of(Collection<TokenRange> ranges) {
    TokenCoverage coverage = new TokenCoverage();
    ranges.forEach(coverage::add);
    return coverage;
  }

  /**
   * A coverage holding the tokens of the given ranges, which must not share a token.
   *
   * @throws IllegalArgumentException naming two ranges that overlap
   */
  public static TokenCoverage ofDisjoint(Collection<TokenRange> ranges) {
    TokenCoverage coverage = new TokenCoverage();
    List<TokenRange> seen = new ArrayList<>();
    for (TokenRange range : ranges) {
      BigInteger before = coverage.coveredSize();
      coverage.add(range);
      if (!coverage.coveredSize().equals(before.add(range.size()))) {
        TokenRange other = seen.stream()
            .filter(s -> TokenCoverage.of(List.of(s, range)).coveredSize()
                .compareTo(s.size().add(range.size())) < 0)
            .findFirst().orElse(null);
        throw new IllegalArgumentException(String.format(
            "Overlapping token ranges: %s and %s share tokens (each token must be in one range only)", other, range));
      }
      seen.add(range);
    }
    return coverage;
  }

  /** Adds the tokens of {@code range} (adding tokens already covered is harmless). */
  public void add(TokenRange range) {
    for (TokenSpan span : TokenSpan.of(range)) {
      addSpan(span.first(), span.last());
    }
  }

  private void addSpan(long first, long last) {
    // Merge with a span that overlaps or touches [first, last] on the left ...
    Map.Entry<Long, Long> left = spans.floorEntry(first);
    if (left != null && (left.getValue() >= first || left.getValue() + 1 == first)) {
      first = left.getKey();
      last = Math.max(last, left.getValue());
      spans.remove(left.getKey());
    }
    // ... and with every span starting inside it or right after it.
    Map.Entry<Long, Long> right = spans.ceilingEntry(first);
    while (right != null && (right.getKey() <= last || right.getKey() == last + 1)) {
      last = Math.max(last, right.getValue());
      spans.remove(right.getKey());
      right = spans.ceilingEntry(first);
    }
    spans.put(first, last);
  }

  /** Whether every token of {@code range} is covered. */
  public boolean covers(TokenRange range) {
    return remaining(range).isEmpty();
  }

  /** Whether the whole ring is covered. */
  public boolean isComplete() {
    Long last = spans.get(Long.MIN_VALUE);
    return last != null && last == Long.MAX_VALUE;
  }

  /** The exact number of covered tokens, 0 to 2<sup>64</sup>. */
  public BigInteger coveredSize() {
    BigInteger total = BigInteger.ZERO;
    for (Map.Entry<Long, Long> span : spans.entrySet()) {
      total = total.add(BigInteger.valueOf(span.getValue()))
          .subtract(BigInteger.valueOf(span.getKey()))
          .add(BigInteger.ONE);
    }
    return total;
  }

  /**
   * The parts of {@code range} not covered yet, as ranges with {@code range}'s replicas, in ring order from the
   * range's start; a part that runs past {@code Long.MAX_VALUE} stays one (wrapping) range. Empty when the range
   * is fully covered; the range itself (equal to it) when none of it is.
   */
  public List<TokenRange> remaining(TokenRange range) {
    List<TokenSpan> gaps = new ArrayList<>();
    for (TokenSpan span : TokenSpan.of(range)) {
      gapsWithin(span.first(), span.last(), gaps);
    }
    return toRanges(gaps, range.replicas());
  }

  /** The covered tokens as ranges without replicas, from the lowest first token; a full ring is one range. */
  public List<TokenRange> covered() {
    List<TokenSpan> all = new ArrayList<>(spans.size());
    spans.forEach((first, last) -> all.add(new TokenSpan(first, last)));
    // Ring order starting after the origin: a span ending at MAX joins one starting at MIN across the wrap.
    if (all.size() > 1 && all.get(0).first() == Long.MIN_VALUE && all.get(all.size() - 1).last() == Long.MAX_VALUE) {
      all.add(all.remove(0));
    }
    return toRanges(all, List.of());
  }

  /** Appends to {@code gaps} the uncovered runs of {@code [first, last]}. */
  private void gapsWithin(long first, long last, List<TokenSpan> gaps) {
    long cursor = first;
    Long from = spans.floorKey(first);
    for (Map.Entry<Long, Long> span : spans.tailMap(from == null ? first : from, true).entrySet()) {
      long spanFirst = span.getKey();
      long spanLast = span.getValue();
      if (spanFirst > last) {
        break;
      }
      if (spanLast < cursor) {
        continue;
      }
      if (spanFirst > cursor) {
        gaps.add(new TokenSpan(cursor, spanFirst - 1));
      }
      if (spanLast >= last) {
        return;
      }
      cursor = spanLast + 1;
    }
    gaps.add(new TokenSpan(cursor, last));
  }

  /** Spans in ring order to ranges, joining a span ending at MAX with the next one starting at MIN. */
  private static List<TokenRange> toRanges(List<TokenSpan> ordered, List<Replica> replicas) {
    List<TokenRange> ranges = new ArrayList<>(ordered.size());
    for (int i = 0; i < ordered.size(); i++) {
      TokenSpan span = ordered.get(i);
      boolean joinsNext = i + 1 < ordered.size()
          && span.last() == Long.MAX_VALUE
          && span.first() != Long.MIN_VALUE
          && ordered.get(i + 1).first() == Long.MIN_VALUE;
      if (joinsNext) {
        ranges.add(new TokenRange(span.first() - 1, ordered.get(i + 1).last(), replicas));
        i++;
      } else {
        ranges.add(span.toRange(replicas));
      }
    }
    return List.copyOf(ranges);
  }

  @Override
  public String toString() {
    return "TokenCoverage" + covered();
  }
}
