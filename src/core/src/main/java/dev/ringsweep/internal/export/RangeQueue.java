package dev.ringsweep.internal.export;

import dev.ringsweep.token.TokenRange;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * The planned ranges an export has left, in one queue per replica set, shared by its writers. A writer
 * {@link #take takes} its next range from the replica set with the fewest writers reading from it for its limit of
 * page requests in flight (ties in turn, so that an even start is round-robin), and says when it is
 * {@link #finished} with it.
 *
 * <p>Why not one queue in a fixed order: a writer waits for a permit of its range's replica set for each page, so a
 * node that slows down (its limit falls, or its pages take longer) would hold every writer that drew one of its ranges,
 * while a third of every writer's next ranges are on it too: one by one the writers gather on the slow node and the
 * others idle (head-of-line blocking). Taken by load, the slow node's ranges go to as many writers as its limit keeps
 * busy and the rest read from the other nodes; under one limit for all replica sets (a fixed parallelism, one node)
 * the writers spread evenly over the replica sets. Only when the slow node's ranges are all that is left do they all
 * read from it. A count does the same by starting the queued range of whichever replica set has a permit free.
 *
 * <p>Thread-safe.
 */
final class RangeQueue {

  private final Map<String, Deque<ExportWorkers.Item>> queues = new LinkedHashMap<>();
  private final Map<String, Integer> readers = new HashMap<>();
  private final Function<TokenRange, String> replicaSetOf;
  private final ToIntFunction<String> limitOf;
  /** The replica sets, in the order they were first queued; the search for the next range starts at {@link #next}. */
  private final List<String> order = new ArrayList<>();
  private int next;
  private int size;

  /**
   * @param items the ranges to export, in the order each replica set's ranges are to be taken
   * @param replicaSetOf the replica set of a planned range
   * @param limitOf the limit of page requests in flight of a replica set now (taken as at least 1)
   */
  RangeQueue(Collection<ExportWorkers.Item> items, Function<TokenRange, String> replicaSetOf,
      ToIntFunction<String> limitOf) {
    this.replicaSetOf = replicaSetOf;
    this.limitOf = limitOf;
    addAll(items);
  }

  /** The replica sets of the ranges queued so far, in the order they were first queued. */
  synchronized List<String> replicaSets() {
    return List.copyOf(order);
  }

  /** Ranges queued and not taken. */
  synchronized int size() {
    return size;
  }

  /** Queues {@code items} (again: a writer's deleted segment held them), each at the end of its replica set's queue. */
  synchronized void addAll(Collection<ExportWorkers.Item> items) {
    for (ExportWorkers.Item item : items) {
      String set = replicaSetOf.apply(item.planned());
      queues.computeIfAbsent(set, s -> {
        order.add(s);
        return new ArrayDeque<>();
      }).add(item);
      size++;
    }
  }

  /**
   * The next range of the replica set with the fewest readers for its limit among those with ranges queued, counted
   * as read from until it is {@link #finished}; null when none is queued.
   */
  synchronized ExportWorkers.Item take() {
    String best = null;
    int bestIndex = -1;
    long bestReaders = 0;
    long bestLimit = 1;
    for (int i = 0; i < order.size(); i++) {
      int index = (next + i) % order.size();
      String set = order.get(index);
      if (queues.get(set).isEmpty()) {
        continue;
      }
      long readersAfter = readers.getOrDefault(set, 0) + 1L;
      long limit = Math.max(1, limitOf.applyAsInt(set));
      // readersAfter / limit < bestReaders / bestLimit, without division
      if (best == null || readersAfter * bestLimit < bestReaders * limit) {
        best = set;
        bestIndex = index;
        bestReaders = readersAfter;
        bestLimit = limit;
      }
    }
    if (best == null) {
      return null;
    }
    next = (bestIndex + 1) % order.size();
    readers.merge(best, 1, Integer::sum);
    size--;
    return queues.get(best).poll();
  }

  /** A writer is done with {@code item}, which it {@link #take took} (read, failed, or given up on). */
  synchronized void finished(ExportWorkers.Item item) {
    readers.computeIfPresent(replicaSetOf.apply(item.planned()), (set, n) -> n > 1 ? n - 1 : null);
  }

  /** Takes every range still queued, replica set by replica set (the export is over: they are left undone). */
  synchronized List<ExportWorkers.Item> drain() {
    List<ExportWorkers.Item> left = new ArrayList<>();
    for (Deque<ExportWorkers.Item> queue : queues.values()) {
      left.addAll(queue);
      queue.clear();
    }
    size = 0;
    return left;
  }

  /** Writers reading from replica set {@code set} now. */
  synchronized int readers(String set) {
    return readers.getOrDefault(set, 0);
  }
}
