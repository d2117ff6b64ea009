package dev.ringsweep.token;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.UUID;

/** Random rings for property tests: sorted distinct tokens, consecutive ranges, one wrapping, random replicas. */
final class RandomRings {

  /** A small pool of replicas in two datacenters. */
  static final List<Replica> POOL = List.of(
      new Replica(new UUID(0, 1), "127.0.0.1:9042", "dc1"),
      new Replica(new UUID(0, 2), "127.0.0.2:9042", "dc1"),
      new Replica(new UUID(0, 3), "127.0.0.3:9042", "dc1"),
      new Replica(new UUID(0, 4), "127.0.0.4:9042", "dc2"),
      new Replica(new UUID(0, 5), "127.0.0.5:9042", "dc2"),
      new Replica(new UUID(0, 6), "127.0.0.6:9042", null));

  private RandomRings() {}

  /**
   * {@code rangeCount} distinct random tokens, sorted, as the ranges between consecutive tokens plus the one from
   * the last token round to the first (the whole ring when there is a single token). Some rings get the origin
   * ({@code Long.MIN_VALUE} or {@code Long.MAX_VALUE}, never both: they are the same boundary) or runs of adjacent
   * tokens (single-token ranges).
   */
  static List<TokenRange> ring(Random random, int rangeCount) {
    TreeSet<Long> tokens = new TreeSet<>();
    int choice = random.nextInt(4);
    if (choice == 0) {
      tokens.add(Long.MIN_VALUE);
    } else if (choice == 1) {
      tokens.add(Long.MAX_VALUE);
    }
    while (tokens.size() < rangeCount) {
      long token = random.nextLong();
      if (random.nextInt(10) == 0) {
        token = random.nextBoolean() ? Long.MIN_VALUE + 1 + random.nextInt(3) : Long.MAX_VALUE - 1 - random.nextInt(3);
      }
      if (token == Long.MIN_VALUE || token == Long.MAX_VALUE) {
        continue;
      }
      tokens.add(token);
      if (random.nextInt(8) == 0 && tokens.size() < rangeCount && token < Long.MAX_VALUE - 1) {
        tokens.add(token + 1); // a single-token range (token, token + 1]
      }
    }
    List<Long> sorted = new ArrayList<>(tokens);
    List<TokenRange> ring = new ArrayList<>(rangeCount);
    for (int i = 0; i < sorted.size(); i++) {
      long start = sorted.get(i);
      long end = sorted.get((i + 1) % sorted.size());
      ring.add(new TokenRange(start, end, replicas(random)));
    }
    return ring;
  }

  /** One to three distinct replicas from the pool, in random order. */
  static List<Replica> replicas(Random random) {
    List<Replica> shuffled = new ArrayList<>(POOL);
    Collections.shuffle(shuffled, random);
    return List.copyOf(shuffled.subList(0, 1 + random.nextInt(3)));
  }
}
