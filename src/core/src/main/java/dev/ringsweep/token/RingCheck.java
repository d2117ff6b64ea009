package dev.ringsweep.token;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Checks that token ranges cover the ring exactly once: their sizes sum to 2<sup>64</sup>, no token lies in two of
 * them and none lies in no range. The check is exact: the ranges become inclusive {@link TokenSpan}s that, sorted,
 * must run from {@code Long.MIN_VALUE} to {@code Long.MAX_VALUE}, each starting right after the previous one ends.
 */
final class RingCheck {

  private RingCheck() {}

  /** A description of the first gap or overlap found, or empty when the ranges cover the ring exactly once. */
  static Optional<String> findProblem(List<TokenRange> ranges) {
    if (ranges.isEmpty()) {
      return Optional.of("no ranges at all");
    }
    BigInteger total = BigInteger.ZERO;
    List<TokenSpan> spans = new ArrayList<>(ranges.size() + 1);
    for (TokenRange range : ranges) {
      total = total.add(range.size());
      spans.addAll(TokenSpan.of(range));
    }
    spans.sort(Comparator.comparingLong(TokenSpan::first));
    long expectedFirst = Long.MIN_VALUE;
    for (int i = 0; i < spans.size(); i++) {
      TokenSpan span = spans.get(i);
      if (span.first() > expectedFirst) {
        return Optional.of(String.format("gap: tokens [%s, %s] are in no range", expectedFirst, span.first() - 1));
      }
      if (span.first() < expectedFirst) {
        return Optional.of(
            String.format("overlap: token %s is in more than one range (near %s)", span.first(), span));
      }
      if (span.last() == Long.MAX_VALUE) {
        if (i != spans.size() - 1) {
          return Optional.of(String.format(
              "overlap: token %s is in more than one range (near %s)", spans.get(i + 1).first(), spans.get(i + 1)));
        }
      } else {
        expectedFirst = span.last() + 1;
        if (i == spans.size() - 1) {
          return Optional.of(String.format("gap: tokens [%s, %s] are in no range", expectedFirst, Long.MAX_VALUE));
        }
      }
    }
    if (!total.equals(TokenRange.RING_SIZE)) {
      // Unreachable when the spans are contiguous; kept as the sum check the plan promises.
      return Optional.of(String.format("sizes sum to %s, not 2^64 = %s", total, TokenRange.RING_SIZE));
    }
    return Optional.empty();
  }
}
