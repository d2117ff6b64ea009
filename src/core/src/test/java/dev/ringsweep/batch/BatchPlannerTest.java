package dev.ringsweep.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BatchPlannerTest {

  @Test
  void should_group_by_key_keeping_first_appearance_and_input_order() {
    List<String> items = List.of("a1", "b1", "a2", "c1", "b2", "a3");
    List<List<String>> groups = BatchPlanner.group(items, s -> s.charAt(0));
    assertThat(groups).containsExactly(List.of("a1", "a2", "a3"), List.of("b1", "b2"), List.of("c1"));
  }

  @Test
  void should_put_each_item_without_a_key_in_a_group_of_its_own() {
    List<String> items = List.of("a1", "x", "a2", "y");
    Function<String, Object> key = s -> s.length() == 1 ? null : s.charAt(0);
    assertThat(BatchPlanner.group(items, key)).containsExactly(List.of("a1", "a2"), List.of("x"), List.of("y"));
  }

  @Test
  void should_cut_a_group_at_the_statement_count() {
    List<Integer> group = List.of(1, 2, 3, 4, 5, 6, 7);
    assertThat(BatchPlanner.chunk(group, i -> 10, 3, 1_000_000))
        .containsExactly(List.of(1, 2, 3), List.of(4, 5, 6), List.of(7));
  }

  @Test
  void should_cut_a_group_before_it_exceeds_the_byte_cap() {
    // sizes 40, 30, 40, 10, 50 with a cap of 80: 40+30 = 70, +40 > 80; 40+10 = 50, +50 > 80; 50
    List<Integer> sizes = List.of(40, 30, 40, 10, 50);
    List<List<Integer>> chunks = BatchPlanner.chunk(sizes, Integer::longValue, 100, 80);
    assertThat(chunks).containsExactly(List.of(40, 30), List.of(40, 10), List.of(50));
    for (List<Integer> chunk : chunks) {
      assertThat(chunk.stream().mapToLong(Integer::longValue).sum()).isLessThanOrEqualTo(80);
    }
  }

  @Test
  void should_accept_a_chunk_of_exactly_the_byte_cap() {
    assertThat(BatchPlanner.chunk(List.of(40, 40, 1), Integer::longValue, 100, 80))
        .containsExactly(List.of(40, 40), List.of(1));
  }

  @Test
  void should_send_a_statement_larger_than_the_cap_alone_and_keep_the_others() {
    List<Integer> sizes = List.of(10, 500, 20, 30);
    assertThat(BatchPlanner.chunk(sizes, Integer::longValue, 100, 80))
        .containsExactly(List.of(500), List.of(10, 20, 30));
  }

  @Test
  void should_lose_nothing_whatever_the_caps() {
    List<Integer> sizes = List.of(5, 90, 1, 1, 60, 60, 7, 200, 3, 80, 80, 2);
    for (int maxItems = 1; maxItems <= 5; maxItems++) {
      List<List<Integer>> chunks = BatchPlanner.chunk(sizes, Integer::longValue, maxItems, 80);
      assertThat(chunks.stream().flatMap(List::stream)).containsExactlyInAnyOrderElementsOf(sizes);
      for (List<Integer> chunk : chunks) {
        assertThat(chunk).hasSizeLessThanOrEqualTo(maxItems).isNotEmpty();
        if (chunk.size() > 1) {
          assertThat(chunk.stream().mapToLong(Integer::longValue).sum()).isLessThanOrEqualTo(80);
        }
      }
    }
  }
}
