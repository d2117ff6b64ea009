package dev.ringsweep.token;

import java.util.List;

/**
 * An inclusive, non-wrapping run of tokens {@code [first, last]} in signed order: the exact set form of a
 * {@link TokenRange}, used to compare, merge and subtract ranges without any wraparound.
 *
 * <p>Not every span can be turned back into a {@link TokenRange}: a range's start is exclusive and the long
 * {@link Long#MIN_VALUE} as a start means "from the token {@code Long.MIN_VALUE} inclusive", so a span beginning
 * at {@code Long.MIN_VALUE + 1} has no start. Spans built from ranges and cut only at their boundaries never begin
 * there.
 */
record TokenSpan(long first, long last) {

  TokenSpan {
    if (first > last) {
      throw new IllegalArgumentException(String.format("Invalid token span: [%s, %s] (first > last)", first, last));
    }
  }

  /** The one or two spans holding exactly the tokens of {@code range}, the one holding its first token first. */
  static List<TokenSpan> of(TokenRange range) {
    long first = range.firstToken();
    long last = range.end();
    return first <= last
        ? List.of(new TokenSpan(first, last))
        : List.of(new TokenSpan(first, Long.MAX_VALUE), new TokenSpan(Long.MIN_VALUE, last));
  }

  /** The range holding exactly this span's tokens, with the given replicas. */
  TokenRange toRange(List<Replica> replicas) {
    if (first == Long.MIN_VALUE + 1) {
      throw new IllegalStateException(
          "Token span " + this + " cannot be a TokenRange: no start excludes only the token Long.MIN_VALUE");
    }
    if (first == Long.MIN_VALUE && last == Long.MIN_VALUE) {
      throw new IllegalStateException(
          "Token span " + this + " cannot be a TokenRange: the token Long.MIN_VALUE cannot be a range by itself");
    }
    return new TokenRange(first == Long.MIN_VALUE ? Long.MIN_VALUE : first - 1, last, replicas);
  }

  @Override
  public String toString() {
    return "[" + first + ", " + last + "]";
  }
}
