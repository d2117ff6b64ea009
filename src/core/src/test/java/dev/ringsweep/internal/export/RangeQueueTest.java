package dev.ringsweep.internal.export;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ringsweep.token.TokenRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Which planned range an export's writer takes next: from the replica set with the fewest writers for its limit, so
 * that a slow node (a low limit, or ranges that take long) does not gather the writers.
 */
class RangeQueueTest {

  private static final long STEP = 1_000_000;
  private static final String[] SETS = {"a", "b", "c"};

  /** The limit of each replica set, changed by the tests as an adaptive limit would change. */
  private final Map<String, Integer> limits = new HashMap<>(Map.of("a", 4, "b", 4, "c", 4));

  /** {@code perSet} ranges on each of a, b and c, round-robin (a0, b0, c0, a1...), as the export orders them. */
  private static List<ExportWorkers.Item> items(int perSet) {
    List<ExportWorkers.Item> items = new ArrayList<>();
    for (int i = 0; i < perSet * SETS.length; i++) {
      TokenRange range = TokenRange.of(i * STEP, (i + 1) * STEP);
      items.add(new ExportWorkers.Item(range, List.of(range)));
    }
    return items;
  }

  private static final Function<TokenRange, String> SET_OF = range -> SETS[(int) (range.start() / STEP % 3)];

  /** "a0" for the first range of a, "b1" for the second of b... */
  private static String name(ExportWorkers.Item item) {
    long i = item.planned().start() / STEP;
    return SETS[(int) (i % 3)] + (i / 3);
  }

  private RangeQueue queue(int perSet) {
    return new RangeQueue(items(perSet), SET_OF, limits::get);
  }

  private static List<String> take(RangeQueue queue, int n) {
    List<String> taken = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ExportWorkers.Item item = queue.take();
      taken.add(item == null ? null : name(item));
    }
    return taken;
  }

  @Test
  void should_take_round_robin_while_the_replica_sets_are_evenly_loaded() {
    RangeQueue queue = queue(3);

    assertThat(queue.replicaSets()).containsExactly("a", "b", "c");
    assertThat(take(queue, 9)).containsExactly("a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2");
    assertThat(queue.take()).isNull();
  }

  @Test
  void should_give_a_replica_set_writers_in_proportion_to_its_limit() {
    limits.put("a", 1);
    limits.put("b", 8);
    limits.put("c", 8);
    RangeQueue queue = queue(10);

    take(queue, 17);

    assertThat(queue.readers("a")).isEqualTo(1);
    assertThat(queue.readers("b")).isEqualTo(8);
    assertThat(queue.readers("c")).isEqualTo(8);
  }

  @Test
  void should_send_the_next_writers_to_the_replica_sets_whose_ranges_finish() {
    RangeQueue queue = queue(4);
    List<ExportWorkers.Item> first = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      first.add(queue.take());
    }
    // b's and c's first ranges are read; a's is still being read (a slow node), and so are the next ones of a
    queue.finished(first.get(1));
    queue.finished(first.get(2));

    assertThat(take(queue, 2)).containsExactlyInAnyOrder("b1", "c1");
    queue.finished(first.get(0));
    assertThat(take(queue, 1)).containsExactly("a1");
  }

  @Test
  void should_follow_a_limit_that_changes() {
    RangeQueue queue = queue(6);
    take(queue, 3); // one reader each
    limits.put("b", 1); // b's node slows down

    assertThat(take(queue, 6)).containsExactly("a1", "c1", "a2", "c2", "a3", "c3");
    assertThat(queue.readers("b")).isEqualTo(1);
  }

  @Test
  void should_take_every_range_of_a_slow_replica_set_when_its_ranges_are_all_that_is_left() {
    limits.put("a", 1);
    RangeQueue queue = new RangeQueue(items(3).stream().filter(item -> SET_OF.apply(item.planned()).equals("a"))
        .toList(), SET_OF, limits::get);

    assertThat(take(queue, 4)).containsExactly("a0", "a1", "a2", null);
    assertThat(queue.readers("a")).isEqualTo(3);
  }

  @Test
  void should_queue_ranges_again_at_the_end_of_their_replica_set_queue_and_drain_what_is_left() {
    RangeQueue queue = queue(2);
    ExportWorkers.Item a0 = queue.take();
    ExportWorkers.Item b0 = queue.take();
    queue.finished(a0);
    queue.finished(b0);
    assertThat(queue.size()).isEqualTo(4);

    queue.addAll(List.of(a0, b0));

    assertThat(queue.size()).isEqualTo(6);
    assertThat(queue.drain()).extracting(RangeQueueTest::name).containsExactly("a1", "a0", "b1", "b0", "c0", "c1");
    assertThat(queue.size()).isZero();
    assertThat(queue.take()).isNull();
  }

  @Test
  void should_count_a_writer_out_of_its_replica_set_when_it_is_finished() {
    RangeQueue queue = queue(2);
    ExportWorkers.Item a0 = queue.take();
    assertThat(queue.readers("a")).isEqualTo(1);

    queue.finished(a0);

    assertThat(queue.readers("a")).isZero();
  }
}
