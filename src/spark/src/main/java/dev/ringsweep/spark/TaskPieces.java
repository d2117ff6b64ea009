package dev.ringsweep.spark;

import dev.ringsweep.token.RangePlan;
import dev.ringsweep.token.Replica;
import dev.ringsweep.token.ReplicaGroup;
import dev.ringsweep.token.TokenRange;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The token-range pieces of one Spark task, all from one replica group of the plan, and the hosts of those replicas
 * (the task's preferred locations: an executor on a replica reads local data).
 *
 * @param index the task's index, 0-based, unique in the job
 * @param pieces the pieces, in ring order; never empty
 * @param hosts the replicas' host names or addresses, in preference order
 */
record TaskPieces(int index, List<TokenRange> pieces, List<String> hosts) implements Serializable {

  private static final long serialVersionUID = 1L;

  TaskPieces {
    pieces = List.copyOf(pieces);
    hosts = List.copyOf(hosts);
  }

  /**
   * Cuts a plan into about {@code wanted} tasks: each replica group gets tasks in proportion to its pieces (at least
   * one), each task a run of consecutive pieces of its group. Every piece is in exactly one task. The tasks are
   * numbered round-robin across the replica groups (the first task of each group, then the second of each, and so
   * on), as a count orders its queries: Spark starts the tasks that no executor is local to in the order of their
   * index, and in the plan's own order every task running at once would read from the same replica set, one node
   * serving the job while the others idle.
   */
  static List<TaskPieces> cut(RangePlan plan, int wanted) {
    int total = plan.pieceCount();
    int perTask = Math.max(1, (int) Math.ceil(total / (double) Math.max(1, wanted)));
    List<List<TokenRange>> groupPieces = plan.groups().stream().map(ReplicaGroup::pieces).toList();
    List<List<String>> groupHosts = plan.groups().stream().map(g -> hosts(g.replicas())).toList();
    int longest = groupPieces.stream().mapToInt(List::size).max().orElse(0);
    List<TaskPieces> tasks = new ArrayList<>();
    for (int from = 0; from < longest; from += perTask) {
      for (int g = 0; g < groupPieces.size(); g++) {
        List<TokenRange> pieces = groupPieces.get(g);
        if (from < pieces.size()) {
          tasks.add(new TaskPieces(tasks.size(), pieces.subList(from, Math.min(pieces.size(), from + perTask)),
              groupHosts.get(g)));
        }
      }
    }
    return tasks;
  }

  /** The host part of each replica's {@code host:port} endpoint, as Spark names executor hosts. */
  private static List<String> hosts(List<Replica> replicas) {
    Set<String> hosts = new LinkedHashSet<>();
    for (Replica replica : replicas) {
      String endpoint = replica.endpoint();
      int colon = endpoint.lastIndexOf(':');
      String host = colon > 0 ? endpoint.substring(0, colon) : endpoint;
      if (host.startsWith("/")) {
        host = host.substring(1);
      }
      hosts.add(host);
    }
    return List.copyOf(hosts);
  }
}
