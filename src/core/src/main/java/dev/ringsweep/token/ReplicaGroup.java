package dev.ringsweep.token;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * The pieces of a {@link RangePlan} that share one replica set, in ring order.
 *
 * @param replicas the replica set, in the preference order of the first range that had it
 * @param pieces the pieces held by exactly these replicas; never empty
 */
public record ReplicaGroup(List<Replica> replicas, List<TokenRange> pieces) implements Serializable {

  /** Copies both lists into immutable ones and checks there is at least one piece. */
  public ReplicaGroup {
    replicas = List.copyOf(Objects.requireNonNull(replicas, "replicas"));
    pieces = List.copyOf(Objects.requireNonNull(pieces, "pieces"));
    if (pieces.isEmpty()) {
      throw new IllegalArgumentException("Invalid replica group for " + replicas + ": no pieces");
    }
  }
}
