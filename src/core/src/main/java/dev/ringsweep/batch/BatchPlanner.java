package dev.ringsweep.batch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The pure arithmetic of batching: groups items by a key, then cuts each group into chunks that respect a statement
 * count and a byte cap. Knows nothing of the driver, so that it can be tested on plain values.
 */
final class BatchPlanner {

  private BatchPlanner() {}

  /**
   * Groups {@code items} by {@code key}, groups in the order their first item appears, items in input order. An
   * item whose key is null cannot be grouped and forms a group of its own.
   */
  static <T> List<List<T>> group(List<T> items, Function<? super T, ?> key) {
    Map<Object, List<T>> groups = new LinkedHashMap<>();
    List<List<T>> result = new ArrayList<>();
    for (T item : items) {
      Object k = key.apply(item);
      if (k == null) {
        result.add(new ArrayList<>(List.of(item)));
      } else {
        groups.computeIfAbsent(k, any -> {
          List<T> group = new ArrayList<>();
          result.add(group);
          return group;
        }).add(item);
      }
    }
    return result;
  }

  /**
   * Cuts {@code group} into chunks, in order, of at most {@code maxItems} items and at most {@code maxBytes}
   * estimated bytes. An item larger than {@code maxBytes} on its own becomes a chunk of one (it is sent alone, where
   * no batch size threshold applies) rather than being dropped.
   */
  static <T> List<List<T>> chunk(List<T> group, ToLongFunction<? super T> size, int maxItems, long maxBytes) {
    List<List<T>> chunks = new ArrayList<>();
    List<T> current = new ArrayList<>();
    long bytes = 0;
    for (T item : group) {
      long itemBytes = size.applyAsLong(item);
      if (itemBytes > maxBytes) {
        chunks.add(List.of(item));
        continue;
      }
      if (!current.isEmpty() && (current.size() >= maxItems || bytes + itemBytes > maxBytes)) {
        chunks.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(item);
      bytes += itemBytes;
    }
    if (!current.isEmpty()) {
      chunks.add(current);
    }
    return chunks;
  }
}
