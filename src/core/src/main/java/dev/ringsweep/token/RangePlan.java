package dev.ringsweep.token;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The result of {@link TokenRangeSplitter#split}: the ring it was made from and its pieces grouped by replica set.
 * Immutable and {@link Serializable}, so pieces can be shipped to Spark executors and recorded for resume.
 *
 * @param ring the ranges the plan was made from, as given to the splitter
 * @param groups the pieces, grouped by replica set, groups in the order their first piece appears on the ring
 */
public record RangePlan(List<TokenRange> ring, List<ReplicaGroup> groups) implements Serializable {

  /** Copies both lists into immutable ones. */
  public RangePlan {
    ring = List.copyOf(Objects.requireNonNull(ring, "ring"));
    groups = List.copyOf(Objects.requireNonNull(groups, "groups"));
  }

  /** All pieces, group by group, each group in ring order. */
  public List<TokenRange> pieces() {
    List<TokenRange> all = new ArrayList<>(pieceCount());
    for (ReplicaGroup group : groups) {
      all.addAll(group.pieces());
    }
    return List.copyOf(all);
  }

  /** The number of pieces in all groups. */
  public int pieceCount() {
    int count = 0;
    for (ReplicaGroup group : groups) {
      count += group.pieces().size();
    }
    return count;
  }

  /**
   * All pieces in round-robin order across the replica groups: the first piece of each group, then the second of
   * each group that has one, and so on. Executing in this order spreads consecutive queries over different
   * replica sets instead of working through one host's ranges at a time.
   */
  public List<TokenRange> interleaved() {
    List<TokenRange> order = new ArrayList<>(pieceCount());
    int longest = groups.stream().mapToInt(g -> g.pieces().size()).max().orElse(0);
    for (int i = 0; i < longest; i++) {
      for (ReplicaGroup group : groups) {
        if (i < group.pieces().size()) {
          order.add(group.pieces().get(i));
        }
      }
    }
    return List.copyOf(order);
  }
}
